#!/usr/bin/python3
"""The README's install: a venv with Debian's site packages, `pip install --no-build-isolation .`,
then the installed package (not the build tree) loads its bundled pack and evaluates.

    /usr/bin/python3 tests/python/pip_install.py VENV_DIR
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = r"""
import pathlib, sys, qualify
assert pathlib.Path(qualify.__file__).resolve().is_relative_to(pathlib.Path(sys.prefix).resolve()), qualify.__file__
pack = qualify.load("chongqing-dte-2025")
d = pack.evaluate(pathlib.Path(sys.argv[1]), as_of="2025-11-03")
assert d.status == "eligible", d
print("installed:", qualify.__file__, pack, d.status)
"""


def main() -> int:
    venv = Path(sys.argv[1]).resolve()
    subprocess.run([sys.executable, "-m", "venv", "--clear", "--system-site-packages", str(venv)], check=True)
    # Nothing on PYTHONPATH: the package must come from the venv.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index", "--quiet", str(ROOT)],
                   check=True, env=env, cwd=ROOT)
    with tempfile.TemporaryDirectory() as elsewhere:
        sample = ROOT / "examples" / "applications" / "0001-eligible-ai-yubei.json"
        subprocess.run([str(venv / "bin" / "python"), "-c", CHECK, str(sample)], check=True, env=env, cwd=elsewhere)
    return 0


if __name__ == "__main__":
    sys.exit(main())
