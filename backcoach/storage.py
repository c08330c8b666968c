"""Durable JSON files for TinyDB: atomic replacement, multi-file transactions, file checks.

TinyDB's own JSONStorage rewrites a file in place and truncates it afterwards, so a crash at
the wrong moment leaves half a file. Here every write goes to a temporary file in the same
folder, is fsynced, replaces the old file with os.replace (atomic on POSIX and Windows), and
the folder is fsynced so the rename itself survives power loss.

Writes that must land together (an import touching several year files) go through
`commit_files`: each new file is written and fsynced under a temporary name, then a small
manifest naming them is made durable (the commit point), then the renames happen. A crash
before the manifest leaves everything as it was; after it, `recover` finishes the renames.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

TMP_MARK = ".tmp-"
MANIFEST = "transaction.json"


class StorageError(Exception):
    """A file could not be read or written; the message is for the user."""


class BadFileError(StorageError):
    """A file exists but is not valid JSON (or not a BackCoach file)."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path.name} {reason}")


class WriteFailedError(StorageError):
    """Saving failed (disk full, permissions, I/O error). The data stays in memory."""


class ReadOnlyError(StorageError):
    """This store was opened read-only (another BackCoach holds the data folder)."""


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory; its rename is durable enough
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def encode(data: Any) -> bytes:
    """Compact, deterministic JSON (sorted keys keep diffs and backups comparable)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def write_temp(path: Path, payload: bytes, tag: str | None = None) -> Path:
    """Write `payload` beside `path` under a temporary name and fsync it; return that name."""
    tmp = path.with_name(f"{path.name}{TMP_MARK}{tag or uuid.uuid4().hex[:12]}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    return tmp


def atomic_write(path: Path, payload: bytes) -> None:
    """Replace `path` with `payload` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = write_temp(path, payload)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def commit_files(root: Path, files: Mapping[Path, bytes]) -> None:
    """Replace several files so that after a crash either all or none are new."""
    if not files:
        return
    if len(files) == 1:
        (path, payload), = files.items()
        atomic_write(path, payload)
        return
    tag = uuid.uuid4().hex[:12]
    temps: list[tuple[Path, Path]] = []
    try:
        for path, payload in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            temps.append((write_temp(path, payload, tag), path))
        for folder in {p.parent for p in files}:
            fsync_dir(folder)
        manifest = {"files": [[str(t.relative_to(root)), str(p.relative_to(root))] for t, p in temps]}
        atomic_write(root / MANIFEST, encode(manifest))  # the commit point
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    finish_transaction(root)


def finish_transaction(root: Path) -> bool:
    """Complete a committed multi-file write (after a crash too). True if one was pending."""
    manifest_path = root / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_bytes())
        pairs = [(root / t, root / p) for t, p in manifest["files"]]
    except FileNotFoundError:
        return False
    except (ValueError, KeyError, TypeError):
        # A torn manifest means the commit point was never reached: nothing to finish.
        manifest_path.unlink(missing_ok=True)
        return False
    for tmp, target in pairs:
        if tmp.exists():
            os.replace(tmp, target)
    for folder in {t.parent for _, t in pairs}:
        fsync_dir(folder)
    manifest_path.unlink(missing_ok=True)
    fsync_dir(root)
    return True


def clean_stale_temps(folders: Iterable[Path]) -> list[Path]:
    """Remove temporary files left by a crash mid-write (call after finish_transaction)."""
    removed = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for tmp in folder.glob(f"*{TMP_MARK}*"):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def read_json_file(path: Path) -> dict[str, Any] | None:
    """The file's JSON object; None if it does not exist or is empty; BadFileError otherwise."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise BadFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        return None
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise BadFileError(path, "is not text (not UTF-8)") from None
    except ValueError as exc:
        raise BadFileError(path, f"is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise BadFileError(path, "is JSON but not a BackCoach database")
    return data


class AtomicJSONStorage(Storage):
    """A TinyDB storage that keeps the file's content in memory and writes it atomically.

    BackCoach holds a lock on its data folder, so it is the only writer and the in-memory
    copy is the truth. When a write fails the change is kept in memory (`dirty`) and the
    error is raised for the UI to report; the next successful write saves it.
    While `deferred` is set, writes only update memory, for a caller that commits several
    files at once with `commit_files`.
    """

    def __init__(self, path: str | Path, read_only: bool = False, initial: dict[str, Any] | None = None):
        self.path = Path(path)
        self.read_only = read_only
        self.deferred = False
        self.dirty = False
        self._data: dict[str, Any] | None = initial

    def read(self) -> dict[str, Any] | None:
        if self._data is None:
            self._data = read_json_file(self.path)
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        if self.read_only:
            self.dirty = True
            raise ReadOnlyError("BackCoach is open read-only; this change was not saved")
        self.dirty = True
        if self.deferred:
            return
        self.flush()

    def payload(self) -> bytes:
        return encode(self._data or {})

    def flush(self) -> None:
        if not self.dirty or self.read_only:
            return
        try:
            atomic_write(self.path, self.payload())
        except OSError as exc:
            raise WriteFailedError(
                f"could not save {self.path.name}: {exc.strerror or exc}. "
                "The change is kept in memory and will be saved on the next try."
            ) from exc
        self.dirty = False

    def mark_saved(self) -> None:
        self.dirty = False

    def discard(self) -> None:
        """Forget unsaved changes: the next read comes from the file again."""
        self._data = None
        self.dirty = False

    def close(self) -> None:
        pass
