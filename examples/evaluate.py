#!/usr/bin/python3
"""Evaluate a folder of applications with a rule pack and write one CSV row per decision.

    PYTHONPATH=build/python /usr/bin/python3 examples/evaluate.py examples/applications \\
        --as-of 2025-11-03 --output decisions.csv

Every application gets its row, in file-name order, even one that cannot be read (its
status is needs_review and its error column says why). Prints a summary and the
institutions the selection would take under the quota.
"""

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

import qualify

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=HERE / "applications",
                        help="folder of *.json applications (default: the sample applications)")
    parser.add_argument("--pack", default="chongqing-dte-2025", help="rule pack folder or bundled id")
    parser.add_argument("--as-of", help="the day the evaluation speaks for, YYYY-MM-DD (default: none)")
    parser.add_argument("--threads", type=int, default=0, help="threads (default 0: all cores)")
    parser.add_argument("--output", type=Path, help="CSV file to write (default: standard output)")
    args = parser.parse_args()

    pack = qualify.load(args.pack)
    files = sorted(args.folder.glob("*.json"))
    if not files:
        parser.error(f"no *.json files in {args.folder}")
    decisions = pack.evaluate_many(files, threads=args.threads, as_of=args.as_of)

    columns = ["file", "application", "institution", "occupation", "status", "score", "failed", "unknown",
               "missing", "error"]
    out = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout
    try:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for path, d in zip(files, decisions):
            writer.writerow({
                "file": path.name,
                "application": d.application,
                "institution": d.institution,
                "occupation": d.occupation,
                "status": d.status,
                "score": d.score.total if d.score else "",
                "failed": ";".join(f.rule for f in d.findings if f.outcome == "fail" and f.severity != "info"),
                "unknown": ";".join(f.rule for f in d.findings if f.outcome == "unknown" and f.severity != "info"),
                "missing": ";".join(d.missing),
                "error": d.error["code"] if d.error else "",
            })
    finally:
        if args.output:
            out.close()

    counts = Counter(d.status for d in decisions)
    selection = pack.select(decisions)
    summary = ", ".join(f"{counts[s]} {s}" for s in ("eligible", "needs_review", "ineligible"))
    print(f"{len(decisions)} applications: {summary}", file=sys.stderr)
    print(f"selected {selection.institutions_selected} of {selection.quota} institutions:", file=sys.stderr)
    for r in selection.selected:
        print(f"  #{r.rank} {r.application} {r.institution} {r.occupation} {r.score}", file=sys.stderr)
    if args.output:
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
