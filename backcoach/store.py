"""Everything BackCoach saves, in the user's data folder, behind one object: `Store`.

    <data dir>/
      backcoach.json          settings, routines, custom exercises, schema version (TinyDB)
      history/2025.json       the sessions that started in 2025, one TinyDB file per year
      journal.jsonl           the session in progress (see journal.py)
      backups/2026-11-21/     a copy of every file, once a day, the last 7 days kept
      .lock                   held while BackCoach runs: one writer per folder

Sharding history by year keeps a commit small: ending a session rewrites one year, never
ten. Every file carries a schema version in its `meta` table; older files are migrated
after a backup, newer ones are refused and left untouched. A file that cannot be read is
moved aside under a timestamped name (never deleted) and reported, with the newest good
backup offered for restore.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from backcoach import __version__
from backcoach.journal import Journal, JournalState
from backcoach.model import CustomExercise, InvalidRecord, SessionLog, SetLog, now_iso
from backcoach.storage import (
    AtomicJSONStorage,
    BadFileError,
    ReadOnlyError,
    StorageError,
    WriteFailedError,
    clean_stale_temps,
    commit_files,
    finish_transaction,
    read_json_file,
)

SCHEMA_VERSION = 1
MAIN_FILE = "backcoach.json"
HISTORY_DIR = "history"
BACKUP_DIR = "backups"
JOURNAL_FILE = "journal.jsonl"
LOCK_FILE = ".lock"
BACKUP_DAYS = 7
_SHARD = re.compile(r"^(\d{4})\.json$")

# Migrations from schema N to N+1, each a function of a file's raw TinyDB data and its kind
# ("main" or "history"). Registered here as the schema grows.
MIGRATIONS: dict[int, Callable[[dict[str, Any], str], dict[str, Any]]] = {}

__all__ = [
    "Store", "StoreProblem", "NewerSchemaError", "StorageError", "WriteFailedError",
    "ReadOnlyError", "SCHEMA_VERSION", "ImportCounts",
]


class NewerSchemaError(StorageError):
    """A file was written by a newer BackCoach; it is left untouched."""


@dataclass(frozen=True)
class StoreProblem:
    """Something the user must be told about when the store opened."""

    file: str  # relative to the data folder
    message: str
    moved_to: str | None = None  # where the bad file now is
    backup: str | None = None  # the newest good backup of it, if any

    def describe(self) -> str:
        text = f"{self.file}: {self.message}."
        if self.moved_to:
            text += f" It was moved aside to {self.moved_to}."
        if self.backup:
            text += f" A backup from {Path(self.backup).parent.name} can be restored."
        return text


@dataclass(frozen=True)
class ImportCounts:
    sessions_added: int
    sessions_skipped: int  # already present (same source key or id)
    sets_added: int
    custom_exercises_added: int


@dataclass
class _File:
    path: Path
    kind: str  # "main" | "history"
    storage: AtomicJSONStorage
    db: TinyDB = field(repr=False)
    sessions: list[SessionLog] | None = None  # a year file's records, read once when opened


class _Lock:
    """An exclusive, advisory lock on the data folder, released when the process dies."""

    def __init__(self, path: Path):
        self.path = path
        self._fh = None

    def acquire(self) -> bool:
        fh = open(self.path, "a+")
        try:
            if os.name == "nt":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._fh = fh
        return True

    def holder(self) -> str | None:
        try:
            text = self.path.read_text().strip()
        except OSError:
            return None
        return text or None

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


class Store:
    """The user's saved data. Open with `Store.open(data_dir)`; close when done."""

    def __init__(self, data_dir: Path, read_only: bool, today: date):
        self.data_dir = Path(data_dir)
        self.read_only = read_only
        self.problems: list[StoreProblem] = []
        self.locked_elsewhere = False  # read-only because another BackCoach holds the folder
        self.lock_holder: str | None = None
        self._today = today
        self._lock: _Lock | None = None
        self._main: _File | None = None
        self._shard_paths: dict[int, Path] = {}  # year -> file, opened on first use
        self._shards: dict[int, _File] = {}
        self._sessions: dict[str, SessionLog] | None = None
        self._deferring = False  # inside _transaction: new files join the atomic commit
        self.journal = Journal(self.data_dir / JOURNAL_FILE, read_only=read_only)

    # --- opening and closing -----------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, read_only: bool = False, today: date | None = None) -> Store:
        """Open the data folder: lock it, finish an interrupted write, check every file,
        migrate old ones, and take the day's backup. Raises NewerSchemaError if a file
        comes from a newer BackCoach; other file problems end up in `problems`."""
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        store = cls(data_dir, read_only, today or date.today())
        if not read_only:
            lock = _Lock(data_dir / LOCK_FILE)
            if lock.acquire():
                store._lock = lock
            else:
                store.read_only = True
                store.journal.read_only = True
                store.locked_elsewhere = True
                store.lock_holder = lock.holder()
        try:
            store._open_files()
        except BaseException:
            store.close()
            raise
        return store

    def _open_files(self) -> None:
        history = self.data_dir / HISTORY_DIR
        if not self.read_only:
            finish_transaction(self.data_dir)
            clean_stale_temps([self.data_dir, history])
        self._main = self._open_file(self.data_dir / MAIN_FILE, "main")
        if history.is_dir():
            for path in sorted(history.iterdir()):
                match = _SHARD.match(path.name)
                if match:
                    self._shard_paths[int(match.group(1))] = path
        if self._main is None:  # the main file was bad and moved aside: start a fresh one
            self._main = self._new_file(self.data_dir / MAIN_FILE, "main")
        if not self.read_only:
            self._daily_backup()

    def _open_file(self, path: Path, kind: str) -> _File | None:
        rel = str(path.relative_to(self.data_dir))
        try:
            data = read_json_file(path)
            if data is None:
                return self._new_file(path, kind) if kind == "main" else None
            version = _schema_of(data, path)
            if version > SCHEMA_VERSION:
                raise NewerSchemaError(
                    f"{rel} was written by a newer version of BackCoach (data format {version}; "
                    f"this version reads up to {SCHEMA_VERSION}). Update BackCoach to open it; "
                    "the file was not changed."
                )
            if version < SCHEMA_VERSION:
                data = self._migrate(path, data, version, kind)
            sessions = _read_history(data, path) if kind == "history" else None
        except BadFileError as exc:
            self._quarantine(path, rel, exc.reason)
            return None
        storage = AtomicJSONStorage(path, read_only=self.read_only, initial=data)
        storage.deferred = self._deferring
        return _File(path, kind, storage, TinyDB(storage=lambda: storage), sessions)

    def _new_file(self, path: Path, kind: str, year: int | None = None) -> _File:
        meta = {"schema": SCHEMA_VERSION, "kind": kind, "created_by": __version__}
        if year is not None:
            meta["year"] = year
        storage = AtomicJSONStorage(path, read_only=self.read_only, initial={"meta": {"1": meta}})
        storage.dirty = not path.exists()
        storage.deferred = self._deferring
        return _File(path, kind, storage, TinyDB(storage=lambda: storage))

    def _quarantine(self, path: Path, rel: str, reason: str) -> None:
        """Move a bad file aside (never delete or overwrite it) and note it for the user."""
        backup = self._newest_backup(rel)
        moved: Path | None = None
        if not self.read_only:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            moved = path.with_name(f"{path.stem}.bad-{stamp}{path.suffix}")
            n = 1
            while moved.exists():
                n += 1
                moved = path.with_name(f"{path.stem}.bad-{stamp}-{n}{path.suffix}")
            os.replace(path, moved)
        self.problems.append(StoreProblem(
            file=rel, message=f"could not be read: it {reason}",
            moved_to=str(moved.relative_to(self.data_dir)) if moved else None,
            backup=str(backup.relative_to(self.data_dir)) if backup else None,
        ))

    def _migrate(self, path: Path, data: dict[str, Any], version: int, kind: str) -> dict[str, Any]:
        if self.read_only:
            raise NewerSchemaError(f"{path.name} needs an upgrade, which a read-only window cannot do")
        self._backup_files([path], f"before-migration-{datetime.now():%Y%m%d-%H%M%S}")
        while version < SCHEMA_VERSION:
            step = MIGRATIONS.get(version)
            if step is None:
                raise BadFileError(path, f"has data format {version}, which this version cannot upgrade")
            data = step(data, kind)
            version += 1
            data.setdefault("meta", {}).setdefault("1", {})["schema"] = version
        from backcoach.storage import atomic_write, encode

        atomic_write(path, encode(data))
        return data

    def close(self) -> None:
        self.journal.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- backups --------------------------------------------------------------------------
    def _files(self) -> list[_File]:
        return [f for f in [self._main, *self._shards.values()] if f is not None]

    def _daily_backup(self) -> None:
        folder = self.data_dir / BACKUP_DIR / self._today.isoformat()
        if folder.exists():
            return
        paths = [p for p in [self._main.path, *self._shard_paths.values()] if p.exists()]
        if not paths:  # nothing saved yet
            return
        self._backup_files(paths, self._today.isoformat())
        days = sorted(p for p in (self.data_dir / BACKUP_DIR).iterdir() if re.match(r"^\d{4}-\d\d-\d\d$", p.name))
        for old in days[:-BACKUP_DAYS]:
            shutil.rmtree(old, ignore_errors=True)

    def _backup_files(self, paths: Iterable[Path], name: str) -> None:
        target = self.data_dir / BACKUP_DIR / name
        try:
            for path in paths:
                dest = target / path.relative_to(self.data_dir)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)
        except OSError as exc:
            self.problems.append(StoreProblem(file=BACKUP_DIR, message=f"the backup failed ({exc.strerror or exc})"))

    def _newest_backup(self, rel: str) -> Path | None:
        root = self.data_dir / BACKUP_DIR
        if not root.is_dir():
            return None
        for folder in sorted(root.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
            candidate = folder / rel
            if candidate.is_file():
                try:
                    data = read_json_file(candidate)
                    if data is None or _schema_of(data, candidate) > SCHEMA_VERSION:
                        continue
                    if rel != MAIN_FILE:
                        _read_history(data, candidate)
                    return candidate
                except BadFileError:
                    continue
        return None

    def restore_backup(self, problem: StoreProblem) -> None:
        """Put the newest good backup of a quarantined file back in place and reload it."""
        if problem.backup is None:
            raise StorageError(f"there is no backup of {problem.file}")
        self._require_writable()
        source = self.data_dir / problem.backup
        target = self.data_dir / problem.file
        from backcoach.storage import atomic_write

        atomic_write(target, source.read_bytes())
        reopened = self._open_file(target, "main" if problem.file == MAIN_FILE else "history")
        if reopened is None:
            raise StorageError(f"the backup of {problem.file} could not be read either")
        if problem.file == MAIN_FILE:
            self._main = reopened
        else:
            year = int(_SHARD.match(target.name).group(1))
            self._shards[year] = reopened
            self._shard_paths[year] = target
        self._sessions = None
        self.problems.remove(problem)

    # --- history ----------------------------------------------------------------------
    def sessions(self) -> list[SessionLog]:
        """Every logged session, newest first."""
        return sorted(self._all_sessions().values(), key=lambda s: s.start, reverse=True)

    def session(self, session_id: str) -> SessionLog:
        return self._all_sessions()[session_id]

    def has_history(self) -> bool:
        """Whether any session is saved (cheap: does not read the year files)."""
        if self._sessions is not None:
            return bool(self._sessions)
        return any(p.stat().st_size > 200 for p in self._shard_paths.values() if p.exists())

    def _all_sessions(self) -> dict[str, SessionLog]:
        if self._sessions is None:
            sessions: dict[str, SessionLog] = {}
            for year in sorted(self._shard_paths):
                shard = self._load_shard(year)
                if shard is None:
                    continue
                if shard.sessions is None:  # changed since it was read: read from memory
                    shard.sessions = [SessionLog.from_dict(d) for d in shard.db.table("sessions").all()]
                for s in shard.sessions:
                    sessions[s.id] = s
                shard.sessions = None  # the store's cache holds them from now on
            self._sessions = sessions
        return self._sessions

    def _load_shard(self, year: int) -> _File | None:
        """The year's file, opened on first use; None if it was bad (and moved aside)."""
        shard = self._shards.get(year)
        if shard is None and year in self._shard_paths:
            shard = self._open_file(self._shard_paths[year], "history")
            if shard is None:
                del self._shard_paths[year]
            else:
                self._shards[year] = shard
        return shard

    def _shard(self, year: int) -> _File:
        """The year's file for writing, created if the year has none yet."""
        shard = self._load_shard(year)
        if shard is None:
            path = self.data_dir / HISTORY_DIR / f"{year}.json"
            shard = self._new_file(path, "history", year)
            self._shards[year] = shard
            self._shard_paths[year] = path
        return shard

    def add_session(self, session: SessionLog) -> None:
        self.add_sessions([session])

    def add_sessions(self, sessions: Iterable[SessionLog],
                     custom_exercises: Iterable[CustomExercise] = ()) -> ImportCounts:
        """Add sessions (and custom exercises) in one all-or-nothing write.

        A session whose id or import key is already in history is skipped, so importing
        the same file twice adds nothing.
        """
        self._require_writable()
        existing = self._all_sessions()
        keys = {s.source_key for s in existing.values() if s.source_key}
        added: list[SessionLog] = []
        skipped = 0
        for s in sessions:
            if s.id in existing or (s.source_key and s.source_key in keys) or any(a.id == s.id for a in added):
                skipped += 1
                continue
            added.append(s)
            if s.source_key:
                keys.add(s.source_key)
        known_custom = self.custom_exercises()
        new_custom = [c for c in custom_exercises if c.id not in known_custom]

        def change() -> None:
            for s in added:
                self._shard(s.year).db.table("sessions").insert(s.to_dict())
            table = self._main.db.table("custom_exercises")
            for c in new_custom:
                table.insert(c.to_dict())

        self._transaction(change)
        for s in added:
            existing[s.id] = s
        return ImportCounts(len(added), skipped, sum(len(s.sets) for s in added), len(new_custom))

    def replace_session(self, session: SessionLog) -> None:
        """Save an edited session (same id), e.g. after a set was corrected."""
        self._require_writable()
        old = self.session(session.id)
        from tinydb import where

        def change() -> None:
            self._shard(old.year).db.table("sessions").remove(where("id") == old.id)
            self._shard(session.year).db.table("sessions").insert(session.to_dict())

        self._transaction(change)
        self._all_sessions()[session.id] = session

    def delete_session(self, session_id: str) -> SessionLog:
        """Delete a session; returns it so the UI can undo with add_session."""
        self._require_writable()
        old = self.session(session_id)
        from tinydb import where

        self._transaction(lambda: self._shard(old.year).db.table("sessions").remove(where("id") == session_id))
        del self._all_sessions()[session_id]
        return old

    # --- the session in progress --------------------------------------------------------
    def start_session(self, routine: str | None = None, started_at: str | None = None,
                      meta: dict[str, Any] | None = None) -> JournalState:
        """Begin journaling a new session. Refuses while an unfinished one exists."""
        self._require_writable()
        if self.journal.exists():
            raise StorageError("a session is still in progress; finish or discard it first")
        state = JournalState(session_id=SessionLog(started_at=started_at or now_iso()).id,
                             started_at=started_at or now_iso(), routine=routine, meta=dict(meta or {}))
        self.journal.start(state.started_at, state.session_id, routine=routine, meta=meta)
        return state

    def log_set(self, set_log: SetLog) -> None:
        """Make a set durable (one fsynced journal line) before the UI shows it as logged."""
        self.journal.log_set(set_log)

    def unfinished_session(self) -> JournalState | None:
        """A session that was interrupted (crash, kill, power loss) and can be resumed."""
        state = self.journal.load()
        if state is None:
            return None
        if state.session_id in self._all_sessions():
            # Committed just before a crash; the journal was not yet removed.
            if not self.read_only:
                self.journal.discard()
            return None
        return state

    def finish_session(self, ended_at: str | None = None) -> SessionLog:
        """Commit the journaled session to history (one write), then drop the journal."""
        self._require_writable()
        state = self.journal.load()
        if state is None:
            raise StorageError("there is no session in progress")
        session = state.to_session(ended_at or now_iso())
        if session.sets:
            self.add_sessions([session])
        self.journal.discard()
        return session

    def discard_session(self) -> None:
        self._require_writable()
        self.journal.discard()

    # --- custom exercises and settings -------------------------------------------------
    def custom_exercises(self) -> dict[str, CustomExercise]:
        return {d["id"]: CustomExercise.from_dict(d) for d in self._main.db.table("custom_exercises").all()}

    def add_custom_exercises(self, exercises: Iterable[CustomExercise]) -> None:
        self.add_sessions([], exercises)

    def settings(self) -> dict[str, Any]:
        docs = self._main.db.table("settings").all()
        return dict(docs[0]) if docs else {}

    def save_settings(self, values: dict[str, Any]) -> None:
        self._require_writable()
        table = self._main.db.table("settings")
        self._transaction(lambda: (table.truncate(), table.insert(dict(values))))

    def schema_version(self) -> int:
        return _schema_of(self._main.storage.read() or {}, self._main.path)

    # --- writing ------------------------------------------------------------------------
    @property
    def unsaved(self) -> bool:
        """True while a change failed to save and lives only in memory."""
        return any(f.storage.dirty for f in self._files())

    def save_pending(self) -> None:
        """Try again to save changes that failed earlier (e.g. after freeing disk space)."""
        self._transaction(lambda: None)

    def _transaction(self, change: Callable[[], Any]) -> None:
        """Apply `change` in memory, then write every touched file in one atomic commit.

        If the commit fails the change stays in memory, flagged unsaved, and the error is
        raised for the UI to report; nothing already on disk is harmed.
        """
        self._deferring = True
        for f in self._files():
            f.storage.deferred = True
        try:
            change()
        finally:
            self._deferring = False
            files = self._files()  # `change` may have created a new year file
            for f in files:
                f.storage.deferred = False
        dirty = [f for f in files if f.storage.dirty]
        if not dirty:
            return
        try:
            commit_files(self.data_dir, {f.path: f.storage.payload() for f in dirty})
        except OSError as exc:
            self._sessions = None  # rebuilt from memory, which holds the unsaved change
            raise WriteFailedError(
                f"could not save your data: {exc.strerror or exc}. Nothing saved before is lost; "
                "this change is kept in memory and will be saved on the next try."
            ) from exc
        for f in dirty:
            f.storage.mark_saved()

    def _require_writable(self) -> None:
        if self.read_only:
            who = f" (process {self.lock_holder})" if self.lock_holder else ""
            raise ReadOnlyError(f"another BackCoach{who} is using this data folder; this window is read-only")

    # --- full backup and restore (export/import json) -------------------------------
    def export_all(self) -> dict[str, Any]:
        """Everything the user has, as one JSON-ready object (a full backup)."""
        return {
            "format": "backcoach-backup",
            "schema": SCHEMA_VERSION,
            "app_version": __version__,
            "exported_at": now_iso(),
            "settings": self.settings(),
            "custom_exercises": [c.to_dict() for c in self.custom_exercises().values()],
            "routines": [dict(d) for d in self._main.db.table("routines").all()],
            "sessions": [s.to_dict() for s in sorted(self._all_sessions().values(), key=lambda s: s.start)],
        }

    def import_all(self, backup: dict[str, Any]) -> ImportCounts:
        """Merge a full backup made by export_all; all or nothing, sessions already present
        are skipped. Raises InvalidRecord naming the first bad entry."""
        if not isinstance(backup, dict) or backup.get("format") != "backcoach-backup":
            raise InvalidRecord("this is not a BackCoach backup (no \"format\": \"backcoach-backup\")")
        schema = backup.get("schema")
        if not isinstance(schema, int) or schema > SCHEMA_VERSION:
            raise InvalidRecord(f"this backup has data format {schema!r}; this version reads up to {SCHEMA_VERSION}")
        raw_sessions = backup.get("sessions", [])
        if not isinstance(raw_sessions, list):
            raise InvalidRecord("\"sessions\" must be a list")
        sessions = []
        for i, raw in enumerate(raw_sessions, 1):
            try:
                sessions.append(SessionLog.from_dict(raw))
            except InvalidRecord as exc:
                raise InvalidRecord(f"session {i}: {exc}") from None
        customs = []
        for i, raw in enumerate(backup.get("custom_exercises", []) or [], 1):
            try:
                customs.append(CustomExercise.from_dict(raw))
            except TypeError as exc:
                raise InvalidRecord(f"custom exercise {i}: {exc}") from None
        counts = self.add_sessions(sessions, customs)
        routines = backup.get("routines") or []
        settings = backup.get("settings") or {}
        if routines or settings:
            table = self._main.db.table("routines")
            names = {d.get("name") for d in table.all()}

            def change() -> None:
                for r in routines:
                    if isinstance(r, dict) and r.get("name") not in names:
                        table.insert(dict(r))
                if settings and not self.settings():
                    self._main.db.table("settings").insert(dict(settings))

            self._transaction(change)
        return counts

    # --- access for other core modules (routines, settings) ----------------------------
    def table(self, name: str):
        """A TinyDB table of the main file, for core modules that own their records."""
        return self._main.db.table(name)

    def write(self, change: Callable[[], Any]) -> None:
        """Run a change to main-file tables and save it atomically (see _transaction)."""
        self._require_writable()
        self._transaction(change)


def _schema_of(data: dict[str, Any], path: Path) -> int:
    meta = data.get("meta", {})
    doc = next(iter(meta.values()), None) if isinstance(meta, dict) else None
    if not isinstance(doc, dict) or not isinstance(doc.get("schema"), int) or isinstance(doc.get("schema"), bool):
        raise BadFileError(path, "is JSON but not a BackCoach database (no schema version)")
    return doc["schema"]


def _read_history(data: dict[str, Any], path: Path) -> list[SessionLog]:
    """A year file's sessions; a file whose sessions do not all read back is damaged."""
    sessions = []
    for key, doc in (data.get("sessions") or {}).items():
        try:
            sessions.append(SessionLog.from_dict(doc))
        except InvalidRecord as exc:
            raise BadFileError(path, f"has an unreadable session (#{key}: {exc})") from None
    return sessions
