"""Executes a notebook with nbclient on the python3 kernel, in the notebook's own folder,
and fails on the first cell that raises. Used by ctest for examples/notebook.ipynb.

    /usr/bin/python3 tests/python/run_notebook.py examples/notebook.ipynb [--output OUT.ipynb]
"""

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--output", type=Path, help="where to write the executed notebook")
    parser.add_argument("--timeout", type=int, default=240, help="seconds per cell (default 240)")
    parser.add_argument("--require", action="append", default=[], metavar="MIME",
                        help="fail unless some output has this type, e.g. image/png (repeatable)")
    args = parser.parse_args()
    notebook = nbformat.read(args.notebook, as_version=4)
    client = NotebookClient(notebook, kernel_name="python3", timeout=args.timeout,
                            resources={"metadata": {"path": str(args.notebook.resolve().parent)}})
    try:
        client.execute()
    except CellExecutionError as e:
        print(e, file=sys.stderr)
        return 1
    finally:
        if args.output:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, args.output)
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    produced = {mime for c in cells for out in c.get("outputs", []) for mime in out.get("data", {})}
    for mime in args.require:
        if mime not in produced:
            print(f"{args.notebook}: no cell produced {mime} (got {sorted(produced)})", file=sys.stderr)
            return 1
    print(f"{args.notebook}: {len(cells)} code cells ran; outputs {sorted(produced)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
