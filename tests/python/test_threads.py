"""evaluate_many: parallel results equal single-threaded ones, in order; the GIL is released."""

import threading
import time

from conftest import AS_OF


def test_threads_give_the_same_decisions(pack, apps, files):
    items = (apps + [f for f in files]) * 2
    one = pack.evaluate_many(items, threads=1, as_of=AS_OF)
    for threads in (0, 2, 4):
        assert pack.evaluate_many(items, threads=threads, as_of=AS_OF) == one
    assert [pack.evaluate(x, as_of=AS_OF) for x in items[:10]] == one[:10]


def test_python_threads_share_a_pack(pack, apps):
    expected = pack.evaluate_many(apps, threads=1, as_of=AS_OF)
    results = {}

    def work(k):
        results[k] = [pack.evaluate(a, as_of=AS_OF) for a in apps]

    workers = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert all(results[k] == expected for k in range(3))


def test_the_gil_is_released_while_evaluating(pack, apps):
    batch = apps * 6
    done = threading.Event()

    def evaluate():
        pack.evaluate_many(batch, threads=1, as_of=AS_OF)
        done.set()

    worker = threading.Thread(target=evaluate)
    worker.start()
    ticks = 0
    started = time.perf_counter()
    while not done.is_set():
        ticks += 1
        time.sleep(0)  # yields; a GIL held for the whole batch would stop this loop
    worker.join()
    elapsed = time.perf_counter() - started
    # Python ran alongside the engine: many more iterations than the few a held GIL allows.
    assert ticks > 100, (ticks, elapsed)
