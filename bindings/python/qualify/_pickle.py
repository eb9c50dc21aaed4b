"""Pickling a RulePack as its source, so it travels to Dask or Spark workers.

A compiled pack cannot be copied byte for byte, so a pickle holds what it was made from:
the folder it was loaded from, the sha256 of its files and the text of every file it read
(a few hundred kB for chongqing-dte-2025). Unpickling loads the folder again when it
exists and still has the same digest (the usual case on one machine or a shared file
system); otherwise it writes the files to a temporary folder, compiles them there and
checks the digest, so the rules that decide on a worker are exactly the pickled ones.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from ._qualify import PackError, RulePack, load


def reduce_pack(pack: RulePack) -> tuple[Callable[..., RulePack], tuple[Any, ...]]:
    """RulePack.__reduce__: rebuild with restore_pack from the folder, digest, files and limits."""
    return restore_pack, (str(pack.directory), pack.sha256, pack._sources(), pack.limits)


def _pack_error(code: str, file: str, reason: str) -> PackError:
    error = PackError(f"{file}: {reason}" if file else reason)
    error.code, error.file, error.pointer, error.reason = code, file, "", reason
    return error


def restore_pack(directory: str, sha256: str, sources: dict[str, bytes],
                 limits: "dict[str, int] | None" = None) -> RulePack:
    """Loads a pickled RulePack with its `limits` (as qualify.load takes them; None: the
    defaults, as pickles made before limits were kept): from `directory` if its files still
    have digest `sha256`, else from `sources` (file path relative to the pack folder →
    bytes) written to a temporary folder. Raises PackError("pickle_mismatch") when the
    result differs."""
    limits = limits or {}
    if os.path.isdir(directory):
        try:
            pack = load(directory, **limits)
        except PackError:
            pack = None
        if pack is not None and pack.sha256 == sha256:
            return pack
    # Files of a pack that this one extends lie beside it ("../base/pack.json"): nest the
    # folder deep enough that every such path stays inside the temporary one.
    up = max((PurePosixPath(name).parts.count("..") for name in sources), default=0)
    with tempfile.TemporaryDirectory(prefix="qualify-pack-") as tmp:
        root = Path(tmp, *(["up"] * up), Path(directory).name or "pack")
        for name, text in sources.items():
            target = Path(os.path.normpath(root / name))
            if not target.is_relative_to(tmp) or PurePosixPath(name).is_absolute():
                raise _pack_error("pickle_mismatch", name, "a pickled pack file lies outside its folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text)
        pack = load(root, **limits)
    if pack.sha256 != sha256:
        raise _pack_error("pickle_mismatch", directory,
                          f"the unpickled pack has sha256 {pack.sha256}, not {sha256} as pickled "
                          "(a pack it extends by id differs here)")
    return pack
