"""Build helper for `pip install .` (see pyproject.toml): the native module is built by the
project's own CMake build, so pip and `cmake --build` compile the same thing the same way.

Nothing is downloaded: CMake, the compiler, pybind11 and the C++ libraries come from
Debian's packages, and pip runs with --no-build-isolation so setuptools and wheel do too.
The wheel carries the package, the native module `_qualify` and the rule packs (under
qualify/rules, where `qualify.load("chongqing-dte-2025")` finds them).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools.command.build_py import build_py
from wheel.bdist_wheel import bdist_wheel

ROOT = Path(__file__).resolve().parents[2]


def _version() -> str:
    """The version, from its one home: include/qualify/version.hpp."""
    text = (ROOT / "include" / "qualify" / "version.hpp").read_text(encoding="utf-8")
    parts = [re.search(rf"#define QUALIFY_VERSION_{p} (\d+)", text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


VERSION = _version()


class BuildPy(build_py):
    """Copies the pure-Python package, then builds `_qualify` into it with CMake and adds
    the rule packs."""

    def run(self) -> None:
        super().run()
        package = Path(self.build_lib).resolve() / "qualify"
        build_temp = Path(self.get_finalized_command("build").build_temp).resolve() / "cmake"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_temp),
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython3_EXECUTABLE={sys.executable}",
            f"-DQUALIFY_PYTHON_DIR={package.parent}",
            "-DQUALIFY_BUILD_PYTHON=ON",
            "-DQUALIFY_BUILD_TESTS=OFF",
            "-DQUALIFY_BUILD_BENCHMARKS=OFF",
            "-DQUALIFY_BUILD_EXAMPLES=OFF",
            "-DQUALIFY_BUILD_CLI=OFF",
        ]
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        build = ["cmake", "--build", str(build_temp), "--target", "_qualify", "--parallel", jobs]
        for command in (configure, build):
            self.announce(" ".join(command), level=2)
            subprocess.run(command, check=True)
        rules = package / "rules"
        shutil.rmtree(rules, ignore_errors=True)
        shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("README.md"))


class BdistWheel(bdist_wheel):
    """The wheel holds a native module: tag it for this interpreter and platform."""

    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False
