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

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

TMP_MARK = ".tmp-"
MANIFEST = "transaction.json"
# The largest data file BackCoach reads or writes: ten heavy years are a few MB, so anything
# near this is damage (or a planted file), never history.
MAX_FILE_BYTES = 128 * 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024
BAD_MARK = ".bad-"  # a damaged file set aside: NAME.bad-20261130-071500.json
# The only files a transaction may replace: the main file and the year files.
_MANIFEST_TARGET = re.compile(r"^(backcoach\.json|history/\d{4}\.json)$")


class StorageError(Exception):
    """A file could not be read or written; the message is for the user."""


class BadFileError(StorageError):
    """A file exists but is not valid JSON (or not a BackCoach file)."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path.name} {reason}")


class UnreadableFileError(BadFileError):
    """The file could not be read at all (an I/O error, no permission): it may be whole, so
    it is left in place rather than set aside."""


class WriteFailedError(StorageError):
    """Saving failed (disk full, permissions, I/O error). The data stays in memory.

    `reason` is the bare cause ("No space left on device"), for a caller such as the CLI
    whose process ends with the failure and so cannot promise a retry."""

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason or message


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
    tmp = path.with_name(f"{path.name}{TMP_MARK}{tag or os.urandom(6).hex()}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o644)
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


class ManifestError(StorageError):
    """A transaction manifest that cannot be trusted; it was set aside and nothing renamed."""


def commit_files(root: Path, files: Mapping[Path, bytes]) -> None:
    """Replace several files so that after a crash either all or none are new."""
    if not files:
        return
    if len(files) == 1:
        (path, payload), = files.items()
        atomic_write(path, payload)
        return
    tag = os.urandom(6).hex()
    temps: list[tuple[Path, Path, bytes]] = []
    try:
        for path, payload in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            temps.append((write_temp(path, payload, tag), path, payload))
        for folder in {p.parent for p in files}:
            fsync_dir(folder)
        manifest = {"files": [
            {"temp": t.relative_to(root).as_posix(), "target": p.relative_to(root).as_posix(),
             "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest()}
            for t, p, payload in temps
        ]}
        atomic_write(root / MANIFEST, encode(manifest))  # the commit point
    except BaseException:
        for tmp, _, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    finish_transaction(root)


def _digest(path: Path) -> tuple[int, str] | None:
    """Size and SHA-256 of a regular file (never through a link); None if it is not one."""
    try:
        raw = read_guarded(path)
    except BadFileError:
        return None
    return None if raw is None else (len(raw), hashlib.sha256(raw).hexdigest())


def _check_manifest(root: Path, manifest: Any) -> list[tuple[Path, Path]]:
    """The renames a manifest asks for, or ManifestError if any is not one BackCoach makes:
    known names inside the folder only, each temp beside its target, every temp (or its
    already-renamed target) complete to the byte."""
    entries = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(entries, list) or not entries or len(entries) > 200:
        raise ManifestError("it does not list the files of a save")
    pairs = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ManifestError("an entry is not one BackCoach writes")
        temp, target = entry.get("temp"), entry.get("target")
        size, sha = entry.get("size"), entry.get("sha256")
        if not (isinstance(temp, str) and isinstance(target, str) and _MANIFEST_TARGET.match(target)):
            raise ManifestError(f"it names {target!r}, which is not a BackCoach data file")
        if not re.fullmatch(re.escape(target) + re.escape(TMP_MARK) + r"[0-9a-f]{12}", temp):
            raise ManifestError(f"its temporary file {temp!r} does not belong to {target}")
        if not isinstance(size, int) or not isinstance(sha, str):
            raise ManifestError(f"it gives no size and checksum for {target}")
        tmp_path, target_path = root / temp, root / target
        if _digest(tmp_path) != (size, sha) and not (
                not os.path.lexists(tmp_path) and _digest(target_path) == (size, sha)):
            raise ManifestError(f"the new copy of {target} is missing or incomplete")
        pairs.append((tmp_path, target_path))
    return pairs


def finish_transaction(root: Path) -> bool:
    """Complete a committed multi-file write (after a crash too). True if one was pending.

    The manifest is checked before anything moves (see _check_manifest); one that fails is
    renamed aside, nothing is renamed, and ManifestError says why (the files it would
    have replaced are untouched, so the folder holds the last complete save)."""
    manifest_path = root / MANIFEST
    try:
        raw = read_guarded(manifest_path, MAX_MANIFEST_BYTES)
        if raw is None:
            return False
        try:
            manifest = json.loads(raw)
        except (ValueError, RecursionError):
            # A torn manifest means the commit point was never reached: nothing to finish.
            manifest_path.unlink(missing_ok=True)
            return False
        pairs = _check_manifest(root, manifest)
    except (BadFileError, ManifestError) as exc:
        reason = exc.reason if isinstance(exc, BadFileError) else str(exc)
        aside = set_aside(manifest_path)
        raise ManifestError(f"(an interrupted save) was not used: {reason}; it was set aside as "
                            f"{aside.name} and no file was replaced") from None
    for tmp, target in pairs:
        if os.path.lexists(tmp):
            os.replace(tmp, target)
    for folder in {t.parent for _, t in pairs}:
        fsync_dir(folder)
    manifest_path.unlink(missing_ok=True)
    fsync_dir(root)
    return True


def set_aside(path: Path, stamp: str | None = None) -> Path:
    """Rename a damaged file beside itself as NAME.bad-STAMP.EXT, never overwriting one."""
    from datetime import datetime

    stamp = stamp or datetime.now().strftime("%Y%m%d-%H%M%S")
    stem, suffix = (path.stem, path.suffix) if path.suffix else (path.name, "")
    moved = path.with_name(f"{stem}{BAD_MARK}{stamp}{suffix}")
    n = 1
    while os.path.lexists(moved):
        n += 1
        moved = path.with_name(f"{stem}{BAD_MARK}{stamp}-{n}{suffix}")
    os.replace(path, moved)
    return moved


def clean_stale_temps(folders: Iterable[Path]) -> list[Path]:
    """Remove temporary files left by a crash mid-write (call after finish_transaction)."""
    removed = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for tmp in folder.glob(f"*{TMP_MARK}*"):
            if tmp.is_dir() and not tmp.is_symlink():
                continue  # not ours: BackCoach's temps are files
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def read_guarded(path: Path, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The bytes of a regular file in the data folder; None if there is no such file.

    Never follows a symbolic link, never blocks on a FIFO or device, refuses anything over
    `limit` bytes; every other problem is a BadFileError whose reason is for the user.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if os.path.islink(path):
            raise BadFileError(path, "is a symbolic link, which BackCoach never follows") from None
        if os.path.isdir(path):
            raise BadFileError(path, "is a folder, not a file") from None
        raise UnreadableFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise BadFileError(path, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise BadFileError(path, "is not a regular file (a pipe, socket or device)")
        if info.st_size > limit:
            raise BadFileError(path, f"is {info.st_size / 1e6:.0f} MB, far larger than any BackCoach file "
                                     f"(the limit is {limit // 2**20} MB)")
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        raw = b"".join(chunks)
        if len(raw) > limit:
            raise BadFileError(path, f"grew past {limit // 2**20} MB while being read")
        return raw
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def parse_json(raw: bytes, path: Path) -> Any:
    """JSON from bytes, every failure a BadFileError (bad UTF-8, syntax, NaN, deep nesting)."""
    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise BadFileError(path, "is not text (not UTF-8)") from None
    except RecursionError:
        raise BadFileError(path, "is nested too deeply to be a BackCoach file") from None
    except _NonFinite as exc:
        raise BadFileError(path, f"holds {exc.args[0]}, which is not a number BackCoach writes") from None
    except ValueError as exc:
        raise BadFileError(path, f"is not valid JSON ({exc})") from None


class _NonFinite(Exception):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NonFinite(name)


def read_json_file(path: Path) -> dict[str, Any] | None:
    """The file's JSON object; None if it does not exist; BadFileError otherwise.

    An existing empty file is damage, not "no data": BackCoach only ever replaces files
    atomically with complete content, so zero bytes means something else truncated it.
    """
    raw = read_guarded(path)
    if raw is None:
        return None
    if not raw.strip():
        raise BadFileError(path, "is empty (0 bytes of data)")
    if not raw.strip(b"\0"):
        raise BadFileError(path, f"holds only zero bytes ({len(raw):,}): its content was lost, as after a "
                                 "crash of the system or the disk")
    data = parse_json(raw, path)
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise BadFileError(path, "is JSON but not a BackCoach database")
    for table in data.values():
        if not all(isinstance(doc, dict) for doc in table.values()):
            raise BadFileError(path, "is JSON but not a BackCoach database (a record is not an object)")
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
        self.disk_id: tuple[int, int, int, int] | None = None  # the file as last read or written
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
                "The change is kept in memory and will be saved on the next try.", reason=exc.strerror or str(exc),
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
