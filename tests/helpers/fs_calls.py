"""Record the file-system calls of a write, in order, for the durability-order tests.

A SIGKILL never loses the page cache, so no crash test can tell whether an fsync happened:
only the order of the calls shows it. `record_fs_calls` wraps os.open/write/fsync/replace/
unlink (the real calls still run) and logs ("write", path), ("fsync", path),
("replace", source, target) and ("unlink", path), with paths relative to `root`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def record_fs_calls(monkeypatch: pytest.MonkeyPatch, root: Path) -> list[tuple[str, ...]]:
    calls: list[tuple[str, ...]] = []
    paths: dict[int, str] = {}
    real_open, real_write, real_fsync = os.open, os.write, os.fsync
    real_replace, real_unlink = os.replace, os.unlink
    real_close = os.close

    def rel(path) -> str:
        try:
            return Path(os.fspath(path)).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return os.fspath(path)

    def open_(path, flags, mode=0o777, *args, **kwargs):
        fd = real_open(path, flags, mode, *args, **kwargs)
        paths[fd] = rel(path)
        return fd

    def write(fd, data):
        calls.append(("write", paths.get(fd, "?")))
        return real_write(fd, data)

    def fsync(fd):
        calls.append(("fsync", paths.get(fd, "?")))
        return real_fsync(fd)

    def replace(src, dst, *args, **kwargs):
        calls.append(("replace", rel(src), rel(dst)))
        return real_replace(src, dst, *args, **kwargs)

    def unlink(path, *args, **kwargs):
        calls.append(("unlink", rel(path)))
        return real_unlink(path, *args, **kwargs)

    def close(fd):
        paths.pop(fd, None)
        return real_close(fd)

    for name, fake in (("open", open_), ("write", write), ("fsync", fsync), ("replace", replace),
                       ("unlink", unlink), ("close", close)):
        monkeypatch.setattr(os, name, fake)
    return calls
