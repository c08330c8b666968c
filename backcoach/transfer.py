"""Moving history in and out: the operations behind `backcoach import/export` and the
History view's Import and Export buttons. The parsing lives in importing.py/exporting.py;
this module opens files, checks sizes, and hands all-or-nothing batches to the store."""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from backcoach.importing import APP_NAMES, ImportResult
from backcoach.library import Library, exercise_name
from backcoach.model import InvalidRecord
from backcoach.store import ImportCounts, Store

IMPORT_KINDS = ("json", "strong", "hevy", "fitnotes", "stronglifts", "backcoach")
EXPORT_KINDS = ("csv", "json")
MAX_IMPORT_BYTES = 50 * 1024 * 1024


class TransferError(Exception):
    """A file that cannot be imported or written; the message is for the user."""


@dataclass(frozen=True)
class ImportReport:
    kind: str
    counts: ImportCounts
    lines: tuple[str, ...]  # the summary shown to the user

    def text(self) -> str:
        return "\n".join(self.lines)


def exercise_namer(library: Library, store: Store):
    """A function from exercise id to the name a person would recognise."""
    names = {c.id: c.name for c in store.custom_exercises().values()}
    return lambda exercise_id: exercise_name(exercise_id, library, names)


def _read(path: Path) -> bytes:
    """The file's bytes: a regular file (a pipe or device would hang or never end) under
    the size limit, checked on the open file itself."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise TransferError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise TransferError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise TransferError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise TransferError(f"{path} is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise TransferError(f"{path} is not a regular file (a pipe or device), so it cannot be imported")
        if info.st_size > MAX_IMPORT_BYTES:
            raise TransferError(f"{path.name} is {info.st_size / 1e6:.0f} MB; files over "
                                f"{MAX_IMPORT_BYTES // 10**6} MB are refused")
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_IMPORT_BYTES:
                raise TransferError(f"{path.name} is over {MAX_IMPORT_BYTES // 10**6} MB; such files are refused")
        return b"".join(chunks)
    except OSError as exc:
        raise TransferError(f"cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while an import builds millions of objects.

    None of them form cycles, yet each full collection walks all of them: with it running, a
    million-row import spends half its time collecting and grows faster than linearly."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class ImportPreview:
    """What an import would add, read and checked but not stored: the app's format (and
    whether it was recognised or chosen), and the parsed result with every name matched."""

    kind: str
    detected: bool
    file_name: str
    result: ImportResult | None  # None for a BackCoach backup (JSON), which is merged as a whole

    @property
    def app_name(self) -> str:
        return APP_NAMES.get(self.kind, self.kind)

    def unknown_names(self) -> list[str]:
        """The file's exercise names that would become new custom exercises, in file order."""
        return list(self.result.created) if self.result else []


def _kind_for(data: bytes, kind: str | None) -> tuple[str, bool]:
    from backcoach.importing import ImportFormatError, detect_format

    if kind and kind != "auto":
        if kind not in IMPORT_KINDS:
            raise TransferError(f"unknown import format {kind!r}; choose from: {', '.join(IMPORT_KINDS)}")
        return kind, False
    try:
        return detect_format(data), True
    except ImportFormatError as exc:
        raise TransferError(str(exc)) from None


def preview_file(store: Store, library: Library, path: Path, kind: str | None = None,
                 mapping: dict[str, str] | None = None,
                 progress: Callable[[str], None] | None = None) -> ImportPreview:
    """Read and check a file as an import would, without storing anything (the preview)."""
    with _bulk():
        step = progress or (lambda text: None)
        step("Reading the file…")
        path = Path(path)
        data = _read(path)
        kind, detected = _kind_for(data, kind)
        if kind == "json":
            backup = _load_backup(data, path)
            if not isinstance(backup, dict) or backup.get("format") != "backcoach-backup":
                raise TransferError(f"{path.name}: this is not a BackCoach backup (no \"format\": \"backcoach-backup\")")
            return ImportPreview(kind, detected, path.name, None)
        step("Checking every row…")
        return ImportPreview(kind, detected, path.name, _parse(data, library, store, kind, path, mapping))


def _load_backup(data: bytes, path: Path):
    try:
        return json.loads(data)
    except UnicodeDecodeError:
        raise TransferError(f"{Path(path).name} is not a text file") from None
    except ValueError as exc:
        raise TransferError(f"{Path(path).name} is not valid JSON: {exc}") from None
    except RecursionError:
        raise TransferError(f"{Path(path).name} is nested too deeply to be a BackCoach backup") from None


def _parse(data: bytes, library: Library, store: Store, kind: str, path: Path,
           mapping: dict[str, str] | None) -> ImportResult:
    from backcoach.importing import IMPORTERS, ImportFormatError

    try:
        return IMPORTERS[kind](data, library, store.custom_exercises(), mapping=mapping)
    except ImportFormatError as exc:
        raise TransferError(f"{Path(path).name}: {exc}") from None


def import_file(store: Store, library: Library, kind: str | None, path: Path,
                progress: Callable[[str], None] | None = None,
                mapping: dict[str, str] | None = None) -> ImportReport:
    """Import a file into the store, all or nothing; raise TransferError with the reason.

    `kind` None (or "auto") recognises the app from the file's header. `mapping` sends some
    of the file's exercise names to exercises the lifter chose in the preview. `progress` is
    told each step ("Reading…", "Checking…", "Saving…") so a window can show where a long
    import is; the GUI runs this off its UI thread."""
    with _bulk():
        return _import_file(store, library, kind, path, progress, mapping)


def undo_last_import(store: Store) -> str:
    """Take back the newest import (see Store.undo_last_import); the sentence for the user."""
    from backcoach.storage import StorageError

    record = store.last_import()
    if record is None:
        raise TransferError("there is no import to undo (imports of a BackCoach backup cannot be undone)")
    try:
        counts = store.undo_last_import()
    except StorageError as exc:
        raise TransferError(str(exc)) from None
    what = APP_NAMES.get(record.get("app", ""), record.get("app", ""))
    return (f"Removed the {what} import of {record.get('file', 'a file')}: {counts.sessions_added} sessions, "
            f"{counts.sets_added} sets, {counts.custom_exercises_added} custom exercises.")


def _import_file(store: Store, library: Library, kind: str | None, path: Path,
                 progress: Callable[[str], None] | None, mapping: dict[str, str] | None = None) -> ImportReport:
    step = progress or (lambda text: None)
    step("Reading the file…")
    data = _read(Path(path))
    kind, detected = _kind_for(data, kind)
    chosen = f"Read as {APP_NAMES.get(kind, kind)} ({'recognised from the file' if detected else 'as you chose'})."
    if kind == "json":
        backup = _load_backup(data, Path(path))
        try:
            step("Saving…")
            counts = store.import_all(backup)
        except InvalidRecord as exc:
            raise TransferError(f"{Path(path).name}: {exc}") from None
        summary = (chosen, f"Sessions added: {counts.sessions_added} ({counts.sessions_skipped} already present)",
                   f"Sets added: {counts.sets_added}",
                   f"Custom exercises added: {counts.custom_exercises_added}")
        return ImportReport(kind, counts, summary)
    step("Checking every row…")
    result = _parse(data, library, store, kind, Path(path), mapping)
    step("Saving…")
    counts = store.add_import(result.sessions, result.custom_exercises, result.body_weights,
                              app=kind, file_name=Path(path).name)
    lines = [
        chosen,
        f"Sessions added: {counts.sessions_added} ({counts.sessions_skipped} already present)",
        f"Sets added: {counts.sets_added}",
        *result.summary(),
    ]
    return ImportReport(kind, counts, tuple(lines))


def export_file(store: Store, library: Library, kind: str, path: Path) -> int:
    """Write the history to `path` (CSV: one row per set; JSON: a full backup).
    Returns the number of sessions written. Written atomically: a failure leaves no
    half-written file, and temporaries a killed export left beside the target are removed.
    Never writes into the data folder, whose files only the store may replace."""
    from backcoach.storage import TMP_MARK, atomic_write, encode

    path = Path(path)
    if not path.parent.is_dir():
        raise TransferError(f"cannot write {path}: the folder {path.parent} does not exist")
    if kind not in EXPORT_KINDS:
        raise TransferError(f"unknown export format {kind!r}; choose from: {', '.join(EXPORT_KINDS)}")
    target = path.parent.resolve() / path.name
    data_dir = store.data_dir.resolve()
    if target == data_dir or data_dir in target.parents:
        raise TransferError(f"cannot write {path}: it is inside the data folder {store.data_dir}, whose "
                            "files BackCoach manages itself; choose another folder")
    if target.is_dir():
        raise TransferError(f"cannot write {path}: it is a folder")
    for stale in path.parent.glob(f"{glob_escape(path.name)}{TMP_MARK}*"):
        if stale.is_file() and not stale.is_symlink():
            stale.unlink(missing_ok=True)  # left by an export that was killed mid-write
    sessions = store.sessions()
    try:
        if kind == "json":
            atomic_write(path, encode(store.export_all()))
        else:
            import io

            from backcoach.exporting import export_csv

            out = io.StringIO(newline="")
            export_csv(sessions, exercise_namer(library, store), out)
            atomic_write(path, out.getvalue().encode("utf-8"))
    except OSError as exc:
        raise TransferError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(sessions)


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)
