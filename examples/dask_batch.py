#!/usr/bin/python3
"""Evaluate a folder of applications on a local Dask `distributed` cluster.

    PYTHONPATH=build/python /usr/bin/python3 examples/dask_batch.py examples/applications

The RulePack is sent to each worker once (client.scatter): it pickles as its source files
and recompiles there. Each task evaluates a chunk of files with evaluate_many, which
releases the GIL; the Decisions pickle back as their JSON. The same code runs on a real
cluster: give --scheduler the address of its scheduler (the pack folder then need not
exist on the workers; its files travel in the pickle).
"""

import argparse
import sys
from pathlib import Path

import qualify

HERE = Path(__file__).resolve().parent


def evaluate_chunk(pack: qualify.RulePack, texts: list[bytes], as_of: str) -> list[qualify.Decision]:
    """Runs on a worker: one thread per worker core is Dask's job, so threads=1 here."""
    return pack.evaluate_many(texts, threads=1, as_of=as_of)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=HERE / "applications")
    parser.add_argument("--pack", default="chongqing-dte-2025", help="rule pack folder or bundled id")
    parser.add_argument("--as-of", default="2025-11-03", help="the day the evaluation speaks for")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes (default 2)")
    parser.add_argument("--chunk", type=int, default=8, help="applications per task (default 8)")
    parser.add_argument("--scheduler", help="address of an existing Dask scheduler (default: a local cluster)")
    parser.add_argument("--output", type=Path, help="write the decisions table as CSV here")
    args = parser.parse_args()

    from dask.distributed import Client, LocalCluster

    pack = qualify.load(args.pack)
    files = sorted(args.folder.glob("*.json"))
    # The workers get the applications' text, so they need not see this file system.
    texts = [f.read_bytes() for f in files]
    chunks = [texts[i:i + args.chunk] for i in range(0, len(texts), args.chunk)]

    if args.scheduler:
        cluster, client = None, Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        remote_pack = client.scatter(pack, broadcast=True)
        futures = client.map(evaluate_chunk, [remote_pack] * len(chunks), chunks, as_of=args.as_of, pure=False)
        decisions = [d for chunk in client.gather(futures) for d in chunk]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    # The cluster's answers are the local ones, in input order.
    local = pack.evaluate_many(texts, as_of=args.as_of)
    if decisions != local:
        print("decisions from the cluster differ from local ones", file=sys.stderr)
        return 1

    frame = qualify.to_dataframe(decisions)
    frame.insert(0, "file", [f.name for f in files])
    selection = pack.select(decisions)
    print(frame["status"].value_counts().to_string())
    print(f"{len(decisions)} applications in {len(chunks)} tasks on {args.workers} workers; "
          f"selected {selection.institutions_selected} institutions: "
          + ", ".join(r.application for r in selection.selected))
    if args.output:
        frame.to_csv(args.output, index=False)
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
