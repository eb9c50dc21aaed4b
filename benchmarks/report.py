#!/usr/bin/python3
"""`make bench`: qualify's benchmark table, every figure and ratio from one run.

    /usr/bin/python3 benchmarks/report.py [--build BUILD] [--count N] [--min-time S] [--repetitions R] [--no-peers]
                                          [--python DIR] [--memory N] [--json FILE]

1. Generates the corpus (benchmarks/manifest.json: N applications, seed) into the build
   folder with examples/make_applications.py, unless it is there already.
2. Installs json-logic-js (benchmarks/peers/package-lock.json) into BUILD/benchmarks/peers
   with `npm ci`. Without node or npm json-logic-js is skipped with a note, and so are the
   ratios to it.
3. Times json-logic-js (peers/run_jsonlogic.js, which also writes its verdicts the first
   time) and BUILD/benchmarks/qualify_bench on the same corpus, one after the other, R times
   (--repetitions, default 3), and keeps each figure's median: a slow spell of the shared
   machine then falls on both sides of a ratio. qualify_bench first checks qualify's 27
   verdicts against the hand-written C++ check and json-logic-js's on every application (a
   difference stops here with status 1), then times every benchmark once, in random order.
4. If the Python module is built (BUILD/python, or --python), times pack.evaluate_many there,
   on one thread, against the same call in C++ (BM_FullPackMany/threads:1, by its process
   CPU time): the two run in pairs, one right after the other, R times, and the ratio is
   the median of the pairs' ratios. Both time the call alone and free its results untimed.
5. Unless --memory 0, pipes N generated applications (default 20,000) straight from the
   generator into `qualify evaluate --format jsonl --input-format jsonl -`, checks that N
   records come out, and reports the command's peak RSS (target: under 200 MB, however
   many applications). 20,000 applications are about 240 MB of JSON, more than the target,
   so an evaluate that held its batch could not meet it; they take about 20 s. The
   issue's full figure is --memory 200000 (2.4 GB, a few minutes). Nothing is written to disk.
6. Prints the table (Markdown) with the machine it ran on.

Rates are per CPU second of the measuring thread for qualify (Google Benchmark's default),
of the node process for json-logic-js and of the Python process for the module: a shared
machine's other jobs disturb CPU time much less than wall time. evaluate_many on threads is
timed in wall time.
Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def corpus_file(build: Path, manifest: dict, count: int) -> Path:
    out = build / "benchmarks" / f"applications-{count}-{manifest['seed']}.jsonl"
    if not out.exists():
        log(f"generating {count} applications into {out}")
        subprocess.run([PYTHON, str(ROOT / manifest["generator"]), "bulk", "--count", str(count),
                        "--seed", str(manifest["seed"]), "--out", str(out), "--jobs", str(os.cpu_count() or 1)],
                       check=True, stdout=sys.stderr)
    return out


def install_peers(build: Path) -> tuple[Path | None, str]:
    """The folder whose node_modules holds json-logic-js, or a note why there is none."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None, "node or npm is not installed: json-logic-js was not run, so there are no ratios to it"
    where = build / "benchmarks" / "peers"
    where.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(HERE / "peers" / name, where / name)
    if not (where / "node_modules" / "json-logic-js" / "package.json").exists():
        log(f"installing json-logic-js into {where}")
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=where, stdout=sys.stderr)
        if done.returncode != 0:
            return None, "`npm ci` failed (no registry?): json-logic-js was not run"
    return where, ""


def time_peers(where: Path, manifest: dict, corpus: Path, min_time: float, verdicts: Path | None = None) -> dict:
    """One timing of json-logic-js, by mode; with `verdicts`, also writes its verdicts there."""
    log("timing json-logic-js")
    command = [shutil.which("node") or "node", str(HERE / "peers" / "run_jsonlogic.js"), "--modules", str(where),
               "--pack", str(HERE / manifest["rules"]), "--corpus", str(corpus), "--min-time", str(min_time)]
    if verdicts:
        command += ["--verdicts", str(verdicts)]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {r["mode"]: r for r in rows}


def median_run(runs: list[dict], rate: str) -> dict:
    """Of several results of one figure, the one with the median `rate` (kept whole, so that
    its fields agree with each other)."""
    ordered = sorted(runs, key=lambda r: r.get(rate, -r.get("cpu_time", 0)))  # BM_PackLoad has only its time
    return ordered[(len(ordered) - 1) // 2]


def bench_command(build: Path, manifest: dict, corpus: Path, min_time: float) -> list[str]:
    """qualify_bench on the corpus and the manifest's full pack, printing JSON."""
    binary = build / "benchmarks" / "qualify_bench"
    if not binary.exists():
        sys.exit(f"report.py: {binary} is missing: build first (make build)")
    return [str(binary), f"--corpus={corpus}", f"--full-pack={manifest['full_pack']}",
            f"--as-of={manifest['as_of']}", f"--benchmark_min_time={min_time}", "--benchmark_format=json"]


def run_qualify(build: Path, manifest: dict, corpus: Path, verdicts: Path | None, min_time: float) -> dict:
    """One run of qualify_bench: every benchmark once, in random order."""
    command = bench_command(build, manifest, corpus, min_time) + ["--benchmark_enable_random_interleaving=true"]
    if verdicts:
        command.append(f"--jsonlogic-verdicts={verdicts}")
    log("timing qualify (after checking its verdicts)")
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(done.returncode)
    return json.loads(done.stdout)


def run_alternating(build: Path, manifest: dict, corpus: Path, min_time: float, repetitions: int,
                    no_peers: bool) -> tuple[dict, dict, str]:
    """qualify_bench and json-logic-js, `repetitions` times each, one after the other, so that
    a slow spell of the shared machine falls on both; each figure is its median."""
    where, note = (None, "json-logic-js skipped (--no-peers)") if no_peers else install_peers(build)
    verdicts = where / "verdicts.json" if where else None
    qualify_runs, peer_runs = [], []
    for r in range(max(1, repetitions)):
        if where:
            peer_runs.append(time_peers(where, manifest, corpus, min_time, verdicts if r == 0 else None))
        qualify_runs.append(run_qualify(build, manifest, corpus, verdicts, min_time))
    q = dict(qualify_runs[0])
    names = [b["name"] for b in qualify_runs[0]["benchmarks"]]
    q["benchmarks"] = [median_run([b for run in qualify_runs for b in run["benchmarks"] if b["name"] == name],
                                  "items_per_second") for name in names]
    peers = {mode: median_run([run[mode] for run in peer_runs], "apps_per_cpu_s") for mode in peer_runs[0]} \
        if peer_runs else {}
    return q, peers, note


PY_TIMING = r"""
import ctypes, json, sys, time
import qualify
# As qualify_bench times evaluate_many: the call alone; freeing its results (and glibc's
# deferred part of that, malloc_trim) comes after, untimed.
trim = getattr(ctypes.CDLL("libc.so.6"), "malloc_trim", None)
texts = [l for l in open(sys.argv[1], encoding="utf-8").read().splitlines() if l]
pack = qualify.load(sys.argv[2])
as_of = sys.argv[3]
min_time = float(sys.argv[4])
def rate(batch):
    pack.evaluate_many(batch[:50], threads=1, as_of=as_of)
    n, spent = 0, 0.0
    while spent < min_time:
        t0 = time.process_time()
        out = pack.evaluate_many(batch, threads=1, as_of=as_of)
        spent += time.process_time() - t0
        n += len(batch)
        del out
        if trim:
            trim(0)
    return n / spent
# The dicts (some 100 MB of Python objects) are made after the texts are timed, so that
# the texts' figure, the one compared with C++, runs in a heap as small as C++'s.
texts_rate = rate(texts)
dicts = [json.loads(t) for t in texts]
print(json.dumps({"texts": texts_rate, "dicts": rate(dicts)}))
"""


def run_python(build: Path, module_dir: Path, manifest: dict, corpus: Path, min_time: float,
               repetitions: int) -> tuple[dict, str]:
    """Python's evaluate_many against the same call in C++, timed in pairs one right after the
    other, both by CPU time of the process, `repetitions` times: medians, so that a busy spell
    of the machine falls on both sides of the ratio."""
    if not (module_dir / "qualify").exists():
        return {}, "the Python module is not built in this build folder: its figures are left out"
    env = dict(os.environ, PYTHONPATH=str(module_dir))
    cpp_command = bench_command(build, manifest, corpus, min_time) + ["--benchmark_filter=^BM_FullPackMany/threads:1/"]
    log("timing the Python module, each time next to the same call in C++")
    texts, dicts, cpp, ratios = [], [], [], []
    for _ in range(max(1, repetitions)):
        done = subprocess.run([PYTHON, "-c", PY_TIMING, str(corpus), manifest["full_pack"], manifest["as_of"], str(min_time)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            return {}, f"the Python module did not run ({last}): its figures are left out"
        py = json.loads(done.stdout)
        bench = subprocess.run(cpp_command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True)
        run = json.loads(bench.stdout)
        b = run["benchmarks"][0]
        apps = int(run["context"]["corpus_applications"])
        cpp_rate = apps / (b["cpu_time"] / 1000)  # the benchmark's unit is ms
        texts.append(py["texts"])
        dicts.append(py["dicts"])
        cpp.append(cpp_rate)
        ratios.append(cpp_rate / py["texts"])
    return {"texts": statistics.median(texts), "dicts": statistics.median(dicts), "cpp": statistics.median(cpp),
            "ratio": statistics.median(ratios), "dict_ratio": statistics.median(t / d for t, d in zip(texts, dicts))}, ""


MEMORY_TARGET_BYTES = 200e6


def run_memory(build: Path, manifest: dict, count: int) -> tuple[dict, str]:
    """Peak RSS of `qualify evaluate --format jsonl` over `count` applications piped from the
    generator: measured for that process alone (wait4), not for the generator."""
    binary = build / "qualify"
    if not binary.exists():
        return {}, f"{binary} is missing: the memory figure is left out"
    read_end, write_end = os.pipe()
    log(f"piping {count} generated applications through qualify evaluate --format jsonl")
    generator = subprocess.Popen([PYTHON, str(ROOT / manifest["generator"]), "bulk", "--count", str(count),
                                  "--seed", str(manifest["seed"]), "--out", f"/dev/fd/{write_end}",
                                  "--jobs", str(os.cpu_count() or 1)],
                                 pass_fds=(write_end,), stdout=subprocess.DEVNULL)
    os.close(write_end)
    started = time.monotonic()
    qualify = subprocess.Popen([str(binary), "evaluate", "--pack", manifest["full_pack"], "--as-of", manifest["as_of"],
                                "--format", "jsonl", "--input-format", "jsonl", "--quiet", "-"],
                               stdin=read_end, stdout=subprocess.PIPE)
    os.close(read_end)
    records = 0
    while block := qualify.stdout.read(1 << 20):
        records += block.count(b"\n")
    _, status, usage = os.wait4(qualify.pid, 0)
    qualify.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if generator.wait() != 0 or qualify.returncode != 0:
        return {}, f"the memory run failed (generator {generator.returncode}, qualify {qualify.returncode})"
    if records != count:
        return {}, f"the memory run gave {records} records for {count} applications"
    return {"applications": count, "peak_rss_bytes": usage.ru_maxrss * 1024, "seconds": seconds}, ""


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in subprocess.run(["lscpu"], stdout=subprocess.PIPE, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{model}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}; load average {load}"


def build_info(build: Path) -> str:
    """The compiler, build type and profile-guided optimisation of the build measured."""
    cache: dict[str, str] = {}
    try:
        for line in (build / "CMakeCache.txt").read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition("=")
            if sep and not line.startswith(("#", "//")):
                cache[key.split(":", 1)[0]] = value
    except OSError:
        return "unknown (no CMakeCache.txt)"
    compiler = Path(cache.get("CMAKE_CXX_COMPILER", "?")).name
    try:
        version = subprocess.run([cache["CMAKE_CXX_COMPILER"], "-dumpfullversion"], stdout=subprocess.PIPE,
                                 text=True).stdout.strip()
        compiler += f" {version}"
    except (KeyError, OSError):
        pass
    pgo = ("profile-guided (QUALIFY_PGO, trained on the sample applications)" if cache.get("QUALIFY_PGO") == "ON"
           else "without profile-guided optimisation (QUALIFY_PGO=OFF)")
    return f"{compiler}, {cache.get('CMAKE_BUILD_TYPE', '?')}, {pgo}"


def fmt_rate(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def fmt_ratio(x: float | None) -> str:
    return "–" if x is None else (f"{x:,.0f}×" if x >= 20 else f"{x:.2f}×")


def table(q: dict, peers: dict, py: dict, mem: dict, notes: list[str]) -> str:
    # One entry per benchmark: the median of its runs (run_alternating).
    bm = {b["name"]: b for b in q["benchmarks"]}

    def rate(name: str) -> float:
        return bm[name]["items_per_second"]

    jl_core = peers.get("core", {}).get("apps_per_cpu_s")
    jl_e2e = peers.get("end-to-end", {}).get("apps_per_cpu_s")
    core, hw_core = rate("BM_CoreQualify"), rate("BM_CoreHandwritten")
    warm, hw_warm = rate("BM_CoreQualifyInCache"), rate("BM_CoreHandwrittenInCache")
    e2e, hw_e2e = rate("BM_EndToEndQualify"), rate("BM_EndToEndHandwritten")
    e2e_form = rate("BM_EndToEndQualifyWithForm")
    parse_mb = bm["BM_Parse"]["bytes_per_second"] / 1e6
    nlohmann_mb = bm["BM_ParseNlohmann"]["bytes_per_second"] / 1e6
    full, screening = rate("BM_FullPack"), rate("BM_FullPackScreening")
    as_text, by_dump = rate("BM_DecisionJsonText"), rate("BM_DecisionJsonDump")
    many1, many2 = bm["BM_FullPackMany/threads:1/process_time/real_time"], bm["BM_FullPackMany/threads:2/process_time/real_time"]
    one, two = many1["items_per_second"], many2["items_per_second"]
    # CPU per application with 2 threads against 1: 1.0 means running in parallel costs nothing,
    # so on two otherwise idle cores 2 threads would run this many times as fast as 1.
    cpu_scaling = 2 * many1["cpu_time"] / many2["cpu_time"]
    load_ms = bm["BM_PackLoad"]["cpu_time"]  # the benchmark's unit is ms
    pack_mib = bm["BM_PackLoad"]["pack_bytes"] / 2**20

    def met(*checks: bool | None) -> str:
        if any(c is None for c in checks):
            return "–"
        return "yes" if all(checks) else "**no**"

    def at_least(x: float, peer: float | None, times: float) -> bool | None:
        return None if not peer else x / peer >= times

    rows = [
        ("Core: 27 rules on parsed applications (apps/s)", fmt_rate(core), fmt_rate(jl_core),
         fmt_ratio(core / jl_core if jl_core else None), fmt_rate(hw_core), f"{hw_core / core:.1f}×",
         "≥ 100× json-logic-js; ≤ 2× hand-written's time", met(at_least(core, jl_core, 100), hw_core / core <= 2)),
        ("… the same on 16 applications that stay in cache (apps/s)", fmt_rate(warm), "", "", fmt_rate(hw_warm),
         f"{hw_warm / warm:.1f}×", "(no waits on memory)", ""),
        ("End-to-end: 27 rules, JSON text → Decision (apps/s)", fmt_rate(e2e), fmt_rate(jl_e2e),
         fmt_ratio(e2e / jl_e2e if jl_e2e else None), fmt_rate(hw_e2e), f"{hw_e2e / e2e:.1f}×",
         "≥ 10× json-logic-js", met(at_least(e2e, jl_e2e, 10))),
        ("… the same with a form check of the fields the rules read, which json-logic-js does not do (apps/s)",
         fmt_rate(e2e_form), fmt_rate(jl_e2e), fmt_ratio(e2e_form / jl_e2e if jl_e2e else None), fmt_rate(hw_e2e),
         f"{hw_e2e / e2e_form:.1f}×", "(benchmarks/peer-pack-form)", ""),
        ("Parsing alone: simdjson → the engine's Value (MB/s)", f"{parse_mb:,.0f}", "", "", "", "", "well over 1 GB/s", ""),
        ("Parsing alone: nlohmann/json's DOM, for comparison (MB/s)", f"{nlohmann_mb:,.0f}", "", "", "", "", "", ""),
        ("Full Chongqing pack from text, explained, 1 core (apps/s)", fmt_rate(full), "", "", "", "", "≥ 50,000",
         met(full >= 50000)),
        ("Full Chongqing pack from text, screening (explain=false: every check, status, score and dates, no words), "
         "1 core (apps/s)", fmt_rate(screening), "", "", "", "", "≥ 50,000 (form, eligibility, scoring, dates)",
         met(screening >= 50000)),
        ("Full pack: explained decision → JSON text, as evaluate --format jsonl writes it (decisions/s)",
         f"{fmt_rate(as_text)} (to_json().dump(): {fmt_rate(by_dump)}, {as_text / by_dump:.1f}× as long)",
         "", "", "", "", "", ""),
        ("Full pack, evaluate_many: 2 threads vs 1 (apps/s, wall clock)", f"{fmt_rate(two)} vs {fmt_rate(one)} = {two / one:.2f}×",
         "", "", "", "", "≥ 1.8×", met(two / one >= 1.8)),
        ("… the same from CPU time: 2 × CPU per app on 1 thread ÷ on 2 threads", f"{cpu_scaling:.2f}×", "", "", "", "",
         "(idle cores)", ""),
        ("… heap held by each explained decision it returns (KiB)", f"{many1['decision_bytes'] / 1024:.1f}",
         "", "", "", "", "(memory a batch touches first)", ""),
        ("Full pack: load and compile (ms)", f"{load_ms:.1f}", "", "", "", "", "< 20 ms", met(load_ms < 20)),
        ("Full pack: heap held by the loaded pack (MiB)", f"{pack_mib:.2f}", "", "", "", "", "< 2 MiB", met(pack_mib < 2)),
    ]
    if py:
        rows.append(("Python evaluate_many(list of JSON texts), full pack, 1 thread (apps/s)", fmt_rate(py["texts"]),
                     "", "", "", "", "Python's time ≤ 1.3× C++'s (evaluate_many, 1 thread, timed in pairs)",
                     f"{py['ratio']:.2f}× " + met(py["ratio"] <= 1.3)))
        rows.append(("Python evaluate_many(list of dicts), full pack, 1 thread (apps/s)", fmt_rate(py["dicts"]),
                     "", "", "", "", "(the dict conversion's cost)", f"{py['dict_ratio']:.2f}× the texts' time"))
    if mem:
        rows.append((f"Memory: evaluate --format jsonl, {mem['applications']:,} applications piped in (peak RSS, MB)",
                     f"{mem['peak_rss_bytes'] / 1e6:,.0f}", "", "", "", "", "< 200 MB, whatever the count",
                     met(mem["peak_rss_bytes"] < MEMORY_TARGET_BYTES)))
    head = ("| figure | qualify | json-logic-js | qualify ÷ json-logic-js | hand-written C++ "
            "| qualify's time ÷ hand-written's | target | met |")
    lines = [head, "|---|---:|---:|---:|---:|---:|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    parse_us, rules_us, e2e_us = 1e6 / rate("BM_Parse"), 1e6 / core, 1e6 / e2e
    lines.append("")
    # The parts are timed apart, so they need not add up: BM_Parse makes a Document that owns
    # copies of its strings (evaluate(text) copies none), and BM_CoreQualify reads applications
    # parsed long before, out of cache, where evaluate(text) reads one it has just parsed.
    lines.append(f"Where the end-to-end time goes (27 rules, per application): {e2e_us:.1f} µs in all; apart, "
                 f"parsing alone takes {parse_us:.1f} µs and the rules on an application parsed earlier "
                 f"{rules_us:.1f} µs, where the hand-written check needs {1e6 / hw_core:.2f} µs.")
    lines += [f"- {n}" for n in notes if n]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="the CMake build folder (default: build)")
    parser.add_argument("--count", type=int, help="applications in the corpus (default: manifest.json)")
    parser.add_argument("--min-time", type=float, default=1.0, help="seconds per figure and run (default 1)")
    parser.add_argument("--repetitions", type=int, default=3,
                        help="runs of qualify_bench and of json-logic-js, alternating; the table shows medians "
                             "(default 3)")
    parser.add_argument("--no-peers", action="store_true", help="skip json-logic-js")
    parser.add_argument("--python", type=Path,
                        help="the folder holding the built qualify package (default: BUILD/python)")
    parser.add_argument("--memory", type=int, default=20000, metavar="N",
                        help="pipe N generated applications through `qualify evaluate --format jsonl` and report "
                             "its peak RSS (default 20000; 0 skips it)")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args(argv)

    manifest = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
    build = args.build.resolve()
    count = args.count or manifest["applications"]
    corpus = corpus_file(build, manifest, count)
    notes: list[str] = []
    q, peers, note = run_alternating(build, manifest, corpus, args.min_time, args.repetitions, args.no_peers)
    notes.append(note)
    py, note = run_python(build, (args.python or build / "python").resolve(), manifest, corpus, args.min_time,
                          args.repetitions)
    notes.append(note)
    mem, note = run_memory(build, manifest, args.memory) if args.memory > 0 else ({}, "memory figure skipped (--memory 0)")
    notes.append(note)

    ctx = q["context"]
    print(f"Machine: {machine()}")
    print(f"Build: {build_info(build)}")
    if peers:
        p = next(iter(peers.values()))
        print(f"Peer: json-logic-js {p['version']} on node {p['node']}")
    print(f"Corpus: {ctx['corpus_applications']} applications, {int(ctx['corpus_bytes']) / int(ctx['corpus_applications']) / 1024:.1f} KiB "
          f"each on average ({manifest['generator']}, seed {manifest['seed']})")
    print(f"Check: {ctx['check']}")
    print(f"Full pack {manifest['full_pack']} (as of {manifest['as_of']}): {ctx['full_pack_statuses']}")
    reps = (f"the median of {args.repetitions} runs, qualify's and json-logic-js's alternating"
            if args.repetitions > 1 else "from one run")
    print(f"Timing: {args.min_time:g} s per figure and run; each figure is {reps}")
    print()
    print(table(q, peers, py, mem, notes))
    if args.json:
        args.json.write_text(json.dumps({"qualify": q, "json_logic_js": peers, "python": py, "memory": mem}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
