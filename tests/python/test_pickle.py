"""RulePack and Decision pickle, so they travel to Dask or Spark workers."""

import pickle
from concurrent.futures import ProcessPoolExecutor
import multiprocessing

import qualify
from qualify._pickle import restore_pack
from conftest import AS_OF


def test_pack_pickles_as_its_source(pack, apps):
    again = pickle.loads(pickle.dumps(pack))
    assert isinstance(again, qualify.RulePack)
    assert again.sha256 == pack.sha256 and again.directory == pack.directory
    assert again.evaluate(apps[0], as_of=AS_OF) == pack.evaluate(apps[0], as_of=AS_OF)


def test_pack_recompiles_from_its_files_when_the_folder_is_gone(pack, apps):
    _, (directory, sha256, sources, limits) = pack.__reduce__()
    assert "pack.json" in sources and "eligibility.json" in sources
    again = restore_pack("/nonexistent/chongqing-dte-2025", sha256, sources)
    assert again.sha256 == pack.sha256
    assert again.directory != pack.directory
    assert again.evaluate(apps[3], as_of=AS_OF) == pack.evaluate(apps[3], as_of=AS_OF)


def test_pack_with_other_files_is_refused(pack):
    _, (directory, sha256, sources, limits) = pack.__reduce__()
    changed = dict(sources)
    changed["pack.json"] = changed["pack.json"].replace(b'"version": "1.0.0"', b'"version": "1.0.1"')
    try:
        restore_pack("/nonexistent/chongqing-dte-2025", sha256, changed)
    except qualify.PackError as e:
        assert e.code == "pickle_mismatch"
    else:
        raise AssertionError("a pack with other files unpickled silently")


def _evaluate_in_worker(pack, app):
    return pack.evaluate(app, as_of=AS_OF)


def test_pack_and_decisions_cross_processes(pack, apps):
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, as a Dask worker
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        remote = list(pool.map(_evaluate_in_worker, [pack] * 3, apps[:3]))
    assert remote == [pack.evaluate(a, as_of=AS_OF) for a in apps[:3]]


def test_limits_travel_with_the_pack(apps):
    small = qualify.load("chongqing-dte-2025", max_document_bytes=4096, max_steps=40)
    assert small.limits == {"max_document_bytes": 4096, "max_data_depth": 64,
                            "max_expression_depth": 64, "max_steps": 40}
    again = pickle.loads(pickle.dumps(small))
    assert again.limits == small.limits
    assert again.evaluate(apps[0], as_of=AS_OF).error["code"] == "too_large"
    # From its files, too; and a pickle made before limits were kept gets the defaults.
    _, (directory, sha256, sources, limits) = small.__reduce__()
    assert restore_pack("/nonexistent/chongqing-dte-2025", sha256, sources, limits).limits == small.limits
    assert restore_pack(directory, sha256, sources).limits == qualify.load(directory).limits
