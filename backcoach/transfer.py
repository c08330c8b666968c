"""Moving history in and out: the operations behind `backcoach import/export` and the
History view's Import and Export buttons. The parsing lives in importing.py/exporting.py;
this module opens files, checks sizes, and hands all-or-nothing batches to the store."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from backcoach.library import Library
from backcoach.model import InvalidRecord
from backcoach.store import ImportCounts, Store

IMPORT_KINDS = ("json", "strong", "hevy")
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
    customs = store.custom_exercises()

    def name_of(exercise_id: str) -> str:
        if exercise_id in library.exercises:
            return library.exercises[exercise_id].name
        if exercise_id in customs:
            return customs[exercise_id].name
        return exercise_id

    return name_of


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise TransferError(f"{path.name} is {size / 1e6:.0f} MB; files over {MAX_IMPORT_BYTES // 10**6} MB are refused")
        return path.read_bytes()
    except FileNotFoundError:
        raise TransferError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise TransferError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise TransferError(f"cannot read {path}: {exc.strerror or exc}") from None


def import_file(store: Store, library: Library, kind: str, path: Path) -> ImportReport:
    """Import a file into the store, all or nothing; raise TransferError with the reason."""
    data = _read(Path(path))
    if kind == "json":
        try:
            backup = json.loads(data)
        except UnicodeDecodeError:
            raise TransferError(f"{Path(path).name} is not a text file") from None
        except ValueError as exc:
            raise TransferError(f"{Path(path).name} is not valid JSON: {exc}") from None
        try:
            counts = store.import_all(backup)
        except InvalidRecord as exc:
            raise TransferError(f"{Path(path).name}: {exc}") from None
        lines = (f"Sessions added: {counts.sessions_added} ({counts.sessions_skipped} already present)",
                 f"Sets added: {counts.sets_added}",
                 f"Custom exercises added: {counts.custom_exercises_added}")
        return ImportReport(kind, counts, lines)
    from backcoach.importing import IMPORTERS, ImportFormatError

    if kind not in IMPORTERS:
        raise TransferError(f"unknown import format {kind!r}; choose from: {', '.join(IMPORT_KINDS)}")
    try:
        result = IMPORTERS[kind](data, library, store.custom_exercises())
    except ImportFormatError as exc:
        raise TransferError(f"{Path(path).name}: {exc}") from None
    counts = store.add_sessions(result.sessions, result.custom_exercises)
    lines = [
        f"Sessions added: {counts.sessions_added} ({counts.sessions_skipped} already present)",
        f"Sets added: {counts.sets_added}",
        *result.summary(),
    ]
    return ImportReport(kind, counts, tuple(lines))


def export_file(store: Store, library: Library, kind: str, path: Path) -> int:
    """Write the history to `path` (CSV: one row per set; JSON: a full backup).
    Returns the number of sessions written. Written atomically: a failure leaves no
    half-written file."""
    from backcoach.storage import atomic_write, encode

    path = Path(path)
    if not path.parent.is_dir():
        raise TransferError(f"cannot write {path}: the folder {path.parent} does not exist")
    sessions = store.sessions()
    try:
        if kind == "json":
            atomic_write(path, encode(store.export_all()))
        elif kind == "csv":
            import io

            from backcoach.exporting import export_csv

            out = io.StringIO(newline="")
            export_csv(sessions, exercise_namer(library, store), out)
            atomic_write(path, out.getvalue().encode("utf-8"))
        else:
            raise TransferError(f"unknown export format {kind!r}; choose from: {', '.join(EXPORT_KINDS)}")
    except OSError as exc:
        raise TransferError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(sessions)
