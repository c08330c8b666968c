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

import functools
import os
import re
import shutil
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from tinydb import TinyDB

from backcoach import __version__
from backcoach.journal import Journal, JournalState
from backcoach.model import BodyWeight, CustomExercise, InvalidRecord, SessionLog, SetLog, now_iso
from backcoach.storage import (
    MAX_FILE_BYTES,
    AtomicJSONStorage,
    BadFileError,
    ManifestError,
    ReadOnlyError,
    StorageError,
    UnreadableFileError,
    WriteFailedError,
    clean_stale_temps,
    commit_files,
    finish_transaction,
    read_json_file,
    set_aside,
)
from backcoach.validation import is_int

SCHEMA_VERSION = 1
MAIN_FILE = "backcoach.json"
HISTORY_DIR = "history"
BACKUP_DIR = "backups"
JOURNAL_FILE = "journal.jsonl"
LOCK_FILE = ".lock"
DAMAGED_DIR = "damaged"  # damaged files the user has dealt with, kept byte for byte
BACKUP_DAYS = 7
_SHARD = re.compile(r"^(\d{4})\.json$")
_BAD = re.compile(r"^(backcoach|\d{4}|journal)\.bad-(\d{8}-\d{6})(?:-\d+)?\.(json|jsonl)$")
_BACKUP_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")
_PARTIAL = ".partial"

# Migrations from schema N to N+1, each a function of a file's raw TinyDB data and its kind
# ("main" or "history"). Registered here as the schema grows.
MIGRATIONS: dict[int, Callable[[dict[str, Any], str], dict[str, Any]]] = {}

__all__ = [
    "Store", "StoreProblem", "NewerSchemaError", "StorageError", "WriteFailedError",
    "ReadOnlyError", "SCHEMA_VERSION", "ImportCounts",
]


class NewerSchemaError(StorageError):
    """A file was written by a newer BackCoach; it is left untouched."""


class FolderChangedError(WriteFailedError):
    """Another program changed a data file behind this writer's back (its lock was removed)."""


class Change(StrEnum):
    """What a store operation changed: every write reports its kinds to the store's listeners
    (`Store.on_change`), so each open area refreshes for what concerns it and none keeps
    saved data that went stale (the way Anki's operations report their changes)."""

    SESSIONS = "sessions"
    ROUTINES = "routines"
    SETTINGS = "settings"
    CUSTOM_EXERCISES = "custom_exercises"
    BODY_WEIGHT = "body_weight"


_RESTORED = tuple(Change)  # a restored file may hold any of them


ChangeListener = Callable[[frozenset[Change]], None]
_T = TypeVar("_T")


def _reporting(method: Callable[..., _T]) -> Callable[..., _T]:
    """A store operation whose changes are reported when it returns (or fails), once the
    store's caches agree with them, however many commits it made."""
    @functools.wraps(method)
    def operation(self: Store, *args: Any, **kwargs: Any) -> _T:
        self._operations += 1
        try:
            return method(self, *args, **kwargs)
        finally:
            self._operations -= 1
            self._report_changes()

    return operation


@dataclass(frozen=True)
class StoreProblem:
    """Something the user must be told about; it stays until resolved (restore or set aside).

    A damaged file is renamed NAME.bad-STAMP.EXT beside where it was, so every later start,
    in any process, finds it and reports it again until the user deals with it.
    """

    file: str  # relative to the data folder
    message: str
    moved_to: str | None = None  # where the bad file now is (kept byte for byte)
    backup: str | None = None  # the newest good backup of it, if any

    @property
    def held(self) -> str:
        """What the file held, in the lifter's words."""
        match = _SHARD.match(Path(self.file).name)
        if self.file == MAIN_FILE:
            return "your settings, routines and custom exercises"
        if match and self.file.startswith(HISTORY_DIR + "/"):
            return f"your sessions of {match.group(1)}"
        if self.file == JOURNAL_FILE:
            return "the session in progress"
        return ""

    @property
    def backup_date(self) -> str | None:
        """The backup's day (or its name, for a before-migration copy)."""
        if self.backup is None:
            return None
        parts = Path(self.backup).parts
        return parts[1] if len(parts) > 1 and parts[0] == BACKUP_DIR else self.backup

    @property
    def resolvable(self) -> bool:
        return self.moved_to is not None

    def describe(self) -> str:
        text = f"{self.file} {self.message}."
        if self.held:
            text += f" It held {self.held}."
        if self.moved_to:
            text += f" It was set aside, unchanged, as {self.moved_to}."
        if self.backup:
            text += f" The newest good backup, from {self.backup_date}, can be restored."
        elif self.moved_to and self.held:
            text += " There is no good backup of it."
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
    """An exclusive, advisory lock on the data folder, released when the process dies.

    The lock file is opened without following links and must be a regular file, so a link
    planted as `.lock` is never truncated through. A writer checks before each commit that
    the file it locked is still the one at `.lock` (`still_held`): deleting it while the
    app runs would otherwise let a second writer in.
    """

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None
        self.problem: str | None = None  # why the lock file itself is unusable

    def acquire(self) -> bool:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            self.problem = ("is a symbolic link, which BackCoach never follows" if os.path.islink(self.path)
                            else "is a folder, not a file" if os.path.isdir(self.path)
                            else f"cannot be opened ({exc.strerror or exc})")
            return False
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            self.problem = "is not a regular file"
            return False
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is only a courtesy for the other window's message
        self._fd = fd
        return True

    def still_held(self) -> bool:
        """Whether `.lock` is still the very file this process locked."""
        if self._fd is None:
            return False
        try:
            mine, there = os.fstat(self._fd), os.lstat(self.path)
        except OSError:
            return False
        return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)

    def holder(self) -> str | None:
        from backcoach.storage import read_guarded

        try:
            raw = read_guarded(self.path, 4096)
        except StorageError:
            return None
        text = (raw or b"").decode("utf-8", "replace").strip()
        return text if text.isdigit() else None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


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
        self._shard_paths: dict[int, Path] = {}  # year -> file
        self._year_files: dict[int, _File] = {}  # read through _shards, which reads deferred years first
        self._deferred_years: dict[int, Path] = {}  # year files not read yet (see open's `defer_history`)
        self._backup_checked = False  # the day's backup was taken or found (finish_opening)
        self._sessions: dict[str, SessionLog] | None = None
        self._deferring = False  # inside _transaction: new files join the atomic commit
        self._batch = 0  # inside batch(): every change waits for one commit at the end
        self._listeners: list[ChangeListener] = []
        self._changes: set[Change] = set()  # made in memory, not yet reported to the listeners
        self._operations = 0  # store operations running (see _reporting): they report when done
        self.journal = Journal(self.data_dir / JOURNAL_FILE, read_only=read_only)

    @property
    def _main_file(self) -> _File:
        """The main file; None only inside `open`, before it is read."""
        if self._main is None:
            raise StorageError("the data folder is not open yet")
        return self._main

    @property
    def _db(self) -> TinyDB:
        return self._main_file.db

    # --- opening and closing -----------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, read_only: bool = False, today: date | None = None,
             defer_history: bool = False) -> Store:
        """Open the data folder: lock it, finish an interrupted write, check every file,
        migrate old ones, and take the day's backup. Raises NewerSchemaError if a file
        comes from a newer BackCoach; other file problems end up in `problems` (every
        year file is checked here, so none turns out bad later, unannounced).

        With `defer_history` the year files are read and checked, and the day's backup
        taken, by `finish_opening` instead: the app calls it right after its window's first
        paint, so that ten years of history do not hold the window back. Anything that
        needs the history before then reads it first, so nothing can see a partial store.
        """
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the data folder {data_dir}: {exc.strerror or exc}") from None
        if not data_dir.is_dir():
            raise StorageError(f"the data folder {data_dir} is not a folder")
        store = cls(data_dir, read_only, today or date.today())
        if not read_only:
            lock = _Lock(data_dir / LOCK_FILE)
            if lock.acquire():
                store._lock = lock
            else:
                store._go_read_only()
                if lock.problem:
                    store.problems.append(StoreProblem(
                        file=LOCK_FILE, message=f"{lock.problem}, so BackCoach cannot make sure it is the "
                        "only program writing here; this window is read-only until it is removed"))
                else:
                    store.locked_elsewhere = True
                    store.lock_holder = lock.holder()
        try:
            store._open_files(defer_history)
        except BaseException:
            store.close()
            raise
        return store

    def _go_read_only(self) -> None:
        self.read_only = True
        self.journal.read_only = True
        for f in self._files():
            f.storage.read_only = True

    @property
    def _shards(self) -> dict[int, _File]:
        """The year files by year, every one of them read (see `open`'s `defer_history`)."""
        if self._deferred_years:
            self._read_deferred_years()
        return self._year_files

    def finish_opening(self) -> None:
        """Read and check the year files `open(defer_history=True)` left, then take the
        day's backup (of checked files only); does nothing the second time."""
        self._read_deferred_years()
        if not self.read_only and not self._backup_checked:
            self._daily_backup()
        self._backup_checked = True

    def _read_deferred_years(self) -> None:
        for year in sorted(self._deferred_years):
            self._read_deferred_year(year)

    def _read_deferred_year(self, year: int) -> None:
        path = self._deferred_years.pop(year, None)
        if path is not None:
            shard = self._open_file(path, "history")
            if shard is not None:
                self._shard_paths[year] = path
                self._year_files[year] = shard

    def _open_files(self, defer_history: bool = False) -> None:
        history = self.data_dir / HISTORY_DIR
        if history.is_symlink():  # never finish a save or clean temps through a link
            self._go_read_only()
        if not self.read_only:
            try:
                finish_transaction(self.data_dir)
            except ManifestError as exc:
                self.problems.append(StoreProblem(file="transaction.json", message=str(exc)))
            except OSError as exc:
                self.problems.append(StoreProblem(
                    file="transaction.json", message=f"(an interrupted save) could not be finished ({exc.strerror or exc})"))
            clean_stale_temps([self.data_dir, history])
            self._clean_partial_backups()
        self._report_set_aside()
        self._main = self._open_file(self.data_dir / MAIN_FILE, "main")
        if os.path.lexists(history) and (history.is_symlink() or not history.is_dir()):
            self.problems.append(StoreProblem(
                file=HISTORY_DIR, message="is not a folder, so no history could be read; "
                "this window is read-only until it is moved away"))
            self._go_read_only()
        elif history.is_dir():
            for path in sorted(history.iterdir()):
                match = _SHARD.match(path.name)
                if match:
                    self._deferred_years[int(match.group(1))] = path
        if self._main is None:  # the main file was bad and moved aside: start a fresh one
            self._main = self._new_file(self.data_dir / MAIN_FILE, "main")
        self._check_journal()
        if not defer_history:
            self.finish_opening()

    def _report_set_aside(self) -> None:
        """Damaged files set aside earlier (by any process) and not yet dealt with."""
        for folder in (self.data_dir, self.data_dir / HISTORY_DIR):
            if not folder.is_dir() or folder.is_symlink():
                continue
            for path in sorted(folder.iterdir()):
                match = _BAD.match(path.name)
                if not match:
                    continue
                ext = match.group(3)
                original = folder / f"{match.group(1)}.{ext}"
                rel = original.relative_to(self.data_dir).as_posix()
                if rel == JOURNAL_FILE:
                    continue  # reported when the session is offered for resume
                when = datetime.strptime(match.group(2), "%Y%m%d-%H%M%S")
                backup = self._newest_backup(rel)
                self.problems.append(StoreProblem(
                    file=rel, message=f"was found damaged on {when:%Y-%m-%d at %H:%M} and has not been restored",
                    moved_to=path.relative_to(self.data_dir).as_posix(),
                    backup=backup.relative_to(self.data_dir).as_posix() if backup else None))

    def _check_journal(self) -> None:
        """A journal that is not a regular file would break every session: set it aside."""
        path = self.journal.path
        if not os.path.lexists(path) or (path.is_file() and not path.is_symlink() and os.access(path, os.R_OK)):
            return
        what = ("a symbolic link" if path.is_symlink() else "a folder" if path.is_dir()
                else "unreadable" if path.is_file() else "not a regular file")
        moved = None
        if not self.read_only:
            try:
                moved = set_aside(path).relative_to(self.data_dir).as_posix()
            except OSError:
                moved = None
        self.problems.append(StoreProblem(
            file=JOURNAL_FILE, message=f"(the session in progress) is {what}"
            + ("; it was set aside so that new sessions can start" if moved else ""),
            moved_to=moved))

    def _open_file(self, path: Path, kind: str) -> _File | None:
        rel = path.relative_to(self.data_dir).as_posix()
        try:
            data = read_json_file(path)
            if data is None:
                return self._new_file(path, kind) if kind == "main" else None
            version = _schema_of(data, path)
            if version > SCHEMA_VERSION and kind == "history":
                # The other years can still be shown; this one is left exactly as it is.
                self._go_read_only()
                self.problems.append(StoreProblem(
                    file=rel, message=f"was written by a newer version of BackCoach (data format {version}; this "
                    f"version reads up to {SCHEMA_VERSION}), so its sessions are not shown and this window is "
                    "read-only; update BackCoach to see them. The file was not changed"))
                return None
            if version > SCHEMA_VERSION:
                raise NewerSchemaError(
                    f"{rel} was written by a newer version of BackCoach (data format {version}; "
                    f"this version reads up to {SCHEMA_VERSION}). Update BackCoach to open it; "
                    "the file was not changed."
                )
            if version < SCHEMA_VERSION:
                data = self._migrate(path, data, version, kind)
            if kind == "history":
                sessions = _read_history(data, path)
                year = _shard_year(path)
                stray = next((s for s in sessions if s.year != year), None)
                if stray is not None:
                    raise BadFileError(path, f"holds a session of {stray.year} ({stray.started_at}) "
                                             f"among those of {year}")
            else:
                sessions = None
                _check_main(data, path)
        except UnreadableFileError as exc:
            # Perhaps whole (a failing disk, a permission): never moved, never written over.
            self._go_read_only()
            backup = self._newest_backup(rel)
            self.problems.append(StoreProblem(
                file=rel, message=f"could not be read: it {exc.reason}; it was left in place and this window is "
                "read-only so that nothing is written over it",
                backup=backup.relative_to(self.data_dir).as_posix() if backup else None))
            return None
        except BadFileError as exc:
            self._quarantine(path, rel, exc.reason)
            return None
        storage = AtomicJSONStorage(path, read_only=self.read_only, initial=data)
        storage.deferred = self._deferring
        storage.disk_id = _disk_id(path)
        return _File(path, kind, storage, TinyDB(storage=lambda: storage), sessions)

    def _new_file(self, path: Path, kind: str, year: int | None = None) -> _File:
        meta = {"schema": SCHEMA_VERSION, "kind": kind, "created_by": __version__}
        if year is not None:
            meta["year"] = year
        storage = AtomicJSONStorage(path, read_only=self.read_only, initial={"meta": {"1": meta}})
        storage.dirty = not os.path.lexists(path)
        storage.deferred = self._deferring
        storage.disk_id = _disk_id(path)
        return _File(path, kind, storage, TinyDB(storage=lambda: storage))

    def _quarantine(self, path: Path, rel: str, reason: str) -> None:
        """Move a bad file aside (never delete or overwrite it) and note it for the user.

        If it cannot be moved, the store turns read-only: a fresh file must never be
        written over the damaged one."""
        backup = self._newest_backup(rel)
        moved: Path | None = None
        if not self.read_only:
            try:
                moved = set_aside(path)
            except OSError:
                moved = None
            if moved is None:
                self._go_read_only()
                reason += "; it could not be set aside, so this window is read-only"
        self.problems.append(StoreProblem(
            file=rel, message=f"could not be read: it {reason}",
            moved_to=moved.relative_to(self.data_dir).as_posix() if moved else None,
            backup=backup.relative_to(self.data_dir).as_posix() if backup else None,
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

    def _clean_partial_backups(self) -> None:
        """Remove day backups a kill interrupted, so that today's is taken again in full."""
        root = self.data_dir / BACKUP_DIR
        if root.is_dir() and not root.is_symlink():
            for folder in root.glob(f"*{_PARTIAL}"):
                if folder.is_dir() and not folder.is_symlink():
                    shutil.rmtree(folder, ignore_errors=True)

    def _daily_backup(self) -> None:
        """Copy every (good) file into backups/<today>, once a day.

        The copy is made under <today>.partial and renamed when complete, so a backup that
        was interrupted is never mistaken for a whole one: the next start takes it again."""
        root = self.data_dir / BACKUP_DIR
        folder = root / self._today.isoformat()
        if os.path.lexists(root) and (root.is_symlink() or not root.is_dir()):
            self.problems.append(StoreProblem(
                file=BACKUP_DIR, message="is not a folder, so no daily backup can be taken; move it away"))
            return
        if os.path.lexists(folder):
            return
        paths = [f.path for f in self._files() if os.path.lexists(f.path) and not f.storage.dirty]
        if not paths:  # nothing saved yet
            return
        partial = root / f"{self._today.isoformat()}{_PARTIAL}"
        if self._backup_files(paths, partial.name):
            try:
                os.replace(partial, folder)
            except OSError as exc:
                self.problems.append(StoreProblem(file=BACKUP_DIR, message=f"could not take the day's backup ({exc.strerror or exc})"))
                return
        days = sorted(p for p in root.iterdir() if _BACKUP_DAY.match(p.name))
        for old in days[:-BACKUP_DAYS]:
            shutil.rmtree(old, ignore_errors=True)

    def _backup_files(self, paths: Iterable[Path], name: str) -> bool:
        target = self.data_dir / BACKUP_DIR / name
        try:
            for path in paths:
                dest = target / path.relative_to(self.data_dir)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest, follow_symlinks=False)
        except OSError as exc:
            self.problems.append(StoreProblem(file=BACKUP_DIR, message=f"could not take the day's backup ({exc.strerror or exc})"))
            return False
        return True

    def _newest_backup(self, rel: str) -> Path | None:
        """The newest backup of `rel` that reads back whole (never a damaged copy)."""
        root = self.data_dir / BACKUP_DIR
        if not root.is_dir() or root.is_symlink():
            return None

        def newest_first(folder: Path) -> tuple[str, float]:
            day = re.search(r"\d{4}-?\d\d-?\d\d", folder.name)
            try:
                mtime = folder.lstat().st_mtime
            except OSError:
                mtime = 0.0
            return ((day.group(0).replace("-", "") if day else ""), mtime)

        folders = [p for p in root.iterdir() if not p.name.endswith(_PARTIAL) and p.is_dir() and not p.is_symlink()]
        for folder in sorted(folders, key=newest_first, reverse=True):
            candidate = folder / rel
            try:
                data = read_json_file(candidate)
                if data is None or _schema_of(data, candidate) > SCHEMA_VERSION:
                    continue
                if rel == MAIN_FILE:
                    _check_main(data, candidate)
                else:
                    _read_history(data, candidate)
                return candidate
            except BadFileError:
                continue
        return None

    @_reporting
    def restore_backup(self, problem: StoreProblem) -> None:
        """Put the newest good backup of a set-aside file back, merged with anything saved
        there since, and move the damaged file to damaged/ (kept byte for byte)."""
        if problem.backup is None:
            raise StorageError(f"there is no backup of {problem.file}")
        self._require_writable()
        source = self.data_dir / problem.backup
        target = self.data_dir / problem.file
        kind = "main" if problem.file == MAIN_FILE else "history"
        backup = read_json_file(source)
        if backup is None:
            raise StorageError(f"the backup {problem.backup} has gone")
        restored = self._open_from_backup(target, kind, backup, source)
        current = self._main if kind == "main" else self._shards.get(_shard_year(target))
        if current is not None:
            _merge_into(restored, current, kind)
        restored.storage.dirty = True

        def change() -> None:
            if kind == "main":
                self._main = restored
            else:
                year = _shard_year(target)
                self._shards[year] = restored
                self._shard_paths[year] = target

        self._transaction(change, _RESTORED)
        self._sessions = None
        self._resolve(problem)

    def _open_from_backup(self, target: Path, kind: str, data: dict[str, Any], source: Path) -> _File:
        if kind == "history":
            _read_history(data, source)
        else:
            _check_main(data, source)
        storage = AtomicJSONStorage(target, read_only=self.read_only, initial=data)
        storage.disk_id = _disk_id(target)
        storage.deferred = True  # written by restore_backup's one commit, never on its own
        return _File(target, kind, storage, TinyDB(storage=lambda: storage))

    def set_aside_for_good(self, problem: StoreProblem) -> None:
        """The user chose to go on without a damaged file: move it to damaged/, unchanged."""
        self._require_writable()
        self._resolve(problem)

    def _resolve(self, problem: StoreProblem) -> None:
        if problem.moved_to:
            bad = self.data_dir / problem.moved_to
            keep = self.data_dir / DAMAGED_DIR / Path(problem.moved_to).name
            try:
                keep.parent.mkdir(exist_ok=True)
                if os.path.lexists(bad) and not os.path.lexists(keep):
                    os.replace(bad, keep)
            except OSError as exc:
                raise WriteFailedError(f"could not move {problem.moved_to} to {DAMAGED_DIR}/: "
                                       f"{exc.strerror or exc}") from None
        if problem in self.problems:
            self.problems.remove(problem)

    # --- history ----------------------------------------------------------------------
    def sessions(self) -> list[SessionLog]:
        """Every logged session, newest first."""
        return sorted(self._all_sessions().values(), key=lambda s: s.start, reverse=True)

    def session(self, session_id: str) -> SessionLog:
        return self._all_sessions()[session_id]

    def has_history(self) -> bool:
        """Whether any session is saved."""
        if self._sessions is not None:
            return bool(self._sessions)

        def has_sessions(f: _File) -> bool:
            return bool(f.sessions or (f.sessions is None and f.db.table("sessions").all()))

        if any(has_sessions(f) for f in self._year_files.values()):
            return True
        # Asked at start (the welcome page), before the deferred years are read: reading the
        # newest year is usually enough to answer.
        for year in sorted(self._deferred_years, reverse=True):
            self._read_deferred_year(year)
            if year in self._year_files and has_sessions(self._year_files[year]):
                return True
        return False

    def _all_sessions(self) -> dict[str, SessionLog]:
        if self._sessions is None:
            sessions: dict[str, SessionLog] = {}
            for year in sorted(self._shards):
                shard = self._shards[year]
                if shard.sessions is None:  # changed since it was read: read from memory
                    shard.sessions = [SessionLog.from_dict(d) for d in shard.db.table("sessions").all()]
                for s in shard.sessions:
                    sessions[s.id] = s
                shard.sessions = None  # the store's cache holds them from now on
            self._sessions = sessions
        return self._sessions

    def _shard(self, year: int) -> _File:
        """The year's file for writing, created if the year has none yet."""
        shard = self._shards.get(year)
        if shard is None:
            path = self.data_dir / HISTORY_DIR / f"{year}.json"
            shard = self._new_file(path, "history", year)
            self._shards[year] = shard
            self._shard_paths[year] = path
        return shard

    def add_session(self, session: SessionLog) -> None:
        self.add_sessions([session])

    @_reporting
    def add_sessions(self, sessions: Iterable[SessionLog],
                     custom_exercises: Iterable[CustomExercise] = ()) -> ImportCounts:
        """Add sessions (and custom exercises) in one all-or-nothing write.

        A session whose id or import key is already in history is skipped, so importing
        the same file twice adds nothing. Linear in the sessions: one pass, set lookups,
        one bulk insert per year file.
        """
        self._require_writable()
        existing = self._all_sessions()
        keys = {s.source_key for s in existing.values() if s.source_key}
        added: list[SessionLog] = []
        added_ids: set[str] = set()
        skipped = 0
        for s in sessions:
            if s.id in existing or s.id in added_ids or (s.source_key and s.source_key in keys):
                skipped += 1
                continue
            added.append(s)
            added_ids.add(s.id)
            if s.source_key:
                keys.add(s.source_key)
        known_custom = self.custom_exercises()
        new_custom = [c for c in custom_exercises if c.id not in known_custom]
        by_year: dict[int, list[dict[str, Any]]] = {}
        for s in added:
            by_year.setdefault(s.year, []).append(s.to_dict())

        def change() -> None:
            for year, docs in by_year.items():
                self._shard(year).db.table("sessions").insert_multiple(docs)
            if new_custom:
                self._db.table("custom_exercises").insert_multiple(c.to_dict() for c in new_custom)

        self._transaction(change, (Change.SESSIONS, *((Change.CUSTOM_EXERCISES,) if new_custom else ())))
        if self._sessions is not None:
            for s in added:
                self._sessions[s.id] = s
        return ImportCounts(len(added), skipped, sum(len(s.sets) for s in added), len(new_custom))

    @_reporting
    def replace_session(self, session: SessionLog) -> None:
        """Save an edited session (same id), e.g. after a set was corrected."""
        self._require_writable()
        old = self.session(session.id)
        from tinydb import where

        def change() -> None:
            self._shard(old.year).db.table("sessions").remove(where("id") == old.id)
            self._shard(session.year).db.table("sessions").insert(session.to_dict())

        self._transaction(change, (Change.SESSIONS,))
        self._all_sessions()[session.id] = session

    @_reporting
    def delete_session(self, session_id: str) -> SessionLog:
        """Delete a session; returns it so the UI can undo with add_session."""
        self._require_writable()
        old = self.session(session_id)
        from tinydb import where

        self._transaction(lambda: self._shard(old.year).db.table("sessions").remove(where("id") == session_id), (Change.SESSIONS,))
        del self._all_sessions()[session_id]
        return old

    # --- the session in progress --------------------------------------------------------
    def start_session(self, routine: str | None = None, started_at: str | None = None,
                      meta: dict[str, Any] | None = None) -> JournalState:
        """Begin journaling a new session. Refuses while an unfinished one exists."""
        self._require_writable()
        if self.journal.exists():
            if self.journal.load() is not None:
                raise StorageError("a session is still in progress; finish or discard it first")
            # Nothing in it can be replayed: keep its bytes aside, never let it block.
            set_aside(self.journal.path)
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

    @_reporting
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
        return {d["id"]: CustomExercise.from_dict(d) for d in self._db.table("custom_exercises").all()}

    @_reporting
    def save_custom_exercise(self, exercise: CustomExercise) -> None:
        """Add or replace (same id) one custom exercise: the editor's Save."""
        self._require_writable()
        from tinydb import where

        table = self._db.table("custom_exercises")
        self._transaction(lambda: (table.remove(where("id") == exercise.id), table.insert(exercise.to_dict())), (Change.CUSTOM_EXERCISES,))

    @_reporting
    def delete_custom_exercise(self, exercise_id: str) -> None:
        """Remove a custom exercise no session uses (the caller checks; History keeps its name otherwise)."""
        self._require_writable()
        from tinydb import where

        if any(s.exercise_id == exercise_id for session in self._all_sessions().values() for s in session.sets):
            raise StorageError("this exercise has logged sets; it stays so that History keeps its name")
        table = self._db.table("custom_exercises")
        self._transaction(lambda: table.remove(where("id") == exercise_id), (Change.CUSTOM_EXERCISES,))

    # --- body weight --------------------------------------------------------------------
    def body_weights(self) -> list[BodyWeight]:
        """Every logged body weight, oldest first (one a day)."""
        return sorted((BodyWeight.from_dict(d) for d in self._db.table("body_weight").all()), key=lambda b: b.day)

    @_reporting
    def log_body_weight(self, entry: BodyWeight) -> None:
        """Log the day's body weight; a second entry on the same day replaces the first."""
        self._require_writable()
        from tinydb import where

        table = self._db.table("body_weight")
        self._transaction(lambda: (table.remove(where("day") == entry.day), table.insert(entry.to_dict())), (Change.BODY_WEIGHT,))

    # --- imports that can be taken back -------------------------------------------------
    @_reporting
    def add_import(self, sessions: Iterable[SessionLog], custom_exercises: Iterable[CustomExercise] = (),
                   body_weights: Iterable[BodyWeight] = (), *, app: str, file_name: str) -> ImportCounts:
        """Add an import's sessions, custom exercises and body weights, and the record of
        exactly what it added, in one all-or-nothing commit: "Undo last import" then removes
        those and nothing else. Days that already have a body weight keep it."""
        self._require_writable()
        before = set(self._all_sessions())
        known_custom = set(self.custom_exercises())
        have_days = {d.get("day") for d in self._db.table("body_weight").all()}
        new_weights = [b for b in body_weights if b.day not in have_days]
        with self.batch():
            counts = self.add_sessions(sessions, custom_exercises)
            added = [i for i in self._all_sessions() if i not in before]
            new_custom = list(dict.fromkeys(c.id for c in custom_exercises if c.id not in known_custom))
            if added or new_custom or new_weights:
                record = {"id": SessionLog(started_at=now_iso()).id, "at": now_iso(), "app": app,
                          "file": file_name[:200], "sessions": added, "custom_exercises": new_custom,
                          "body_weights": [b.day for b in new_weights]}

                def change() -> None:
                    if new_weights:
                        self._db.table("body_weight").insert_multiple(b.to_dict() for b in new_weights)
                    self._db.table("imports").insert(record)

                self._transaction(change, (Change.BODY_WEIGHT,))
        return counts

    def last_import(self) -> dict[str, Any] | None:
        """The newest import that can still be undone: app, file, time and what it added."""
        docs = self._db.table("imports").all()
        if not docs:
            return None
        newest = max(docs, key=lambda d: d.doc_id)
        return dict(newest)

    @_reporting
    def undo_last_import(self) -> ImportCounts:
        """Remove exactly what the last import added, in one commit (a crash leaves either all
        of it or none of it). Custom exercises it made stay when something else now uses them
        (a session, a routine) or the lifter completed them in the editor; body weights stay
        when the lifter has logged that day since."""
        self._require_writable()
        docs = self._db.table("imports").all()
        if not docs:
            raise StorageError("there is no import to undo")
        record = max(docs, key=lambda d: d.doc_id)
        ids = set(record.get("sessions") or [])
        sessions = self._all_sessions()
        by_year: dict[int, set[str]] = {}
        sets_removed = 0
        for sid in ids:
            if sid in sessions:
                by_year.setdefault(sessions[sid].year, set()).add(sid)
                sets_removed += len(sessions[sid].sets)
        remaining_use = {s.exercise_id for sid, session in sessions.items() if sid not in ids for s in session.sets}
        for routine in self._db.table("routines").all():
            remaining_use.update(str(i.get("exercise_id")) for i in routine.get("items", []) if isinstance(i, dict))
        customs = self.custom_exercises()
        drop_custom = {cid for cid in record.get("custom_exercises") or []
                       if cid in customs and cid not in remaining_use and not customs[cid].complete}
        days = set(record.get("body_weights") or [])
        app = record.get("app")
        from tinydb import where

        def change() -> None:
            for year, year_ids in by_year.items():
                self._shard(year).db.table("sessions").remove(where("id").test(year_ids.__contains__))
            if drop_custom:
                self._db.table("custom_exercises").remove(where("id").test(lambda v: v in drop_custom))
            if days:
                self._db.table("body_weight").remove(
                    where("day").test(lambda v: v in days) & (where("source") == app))
            self._db.table("imports").remove(doc_ids=[record.doc_id])

        self._transaction(change, (Change.SESSIONS, Change.CUSTOM_EXERCISES, Change.BODY_WEIGHT))
        for year_ids in by_year.values():
            for sid in year_ids:
                self._sessions.pop(sid, None) if self._sessions is not None else None
        return ImportCounts(sum(len(v) for v in by_year.values()), 0, sets_removed, len(drop_custom))

    def settings(self) -> dict[str, Any]:
        docs = self._db.table("settings").all()
        return dict(docs[0]) if docs else {}

    @_reporting
    def save_settings(self, values: dict[str, Any]) -> None:
        self._require_writable()
        table = self._db.table("settings")

        def change() -> None:
            table.truncate()
            table.insert(dict(values))

        self._transaction(change, (Change.SETTINGS,))

    def schema_version(self) -> int:
        main = self._main_file
        return _schema_of(main.storage.read() or {}, main.path)

    # --- writing ------------------------------------------------------------------------
    @property
    def unsaved(self) -> bool:
        """True while a change failed to save and lives only in memory."""
        return any(f.storage.dirty for f in self._files())

    def save_pending(self) -> None:
        """Try again to save changes that failed earlier (e.g. after freeing disk space)."""
        self._transaction(lambda: None)

    @contextmanager
    def batch(self) -> Iterator[Store]:
        """Make every change inside one all-or-nothing commit (an import, demo data).

        If the block fails, nothing is written and the changes are forgotten: each touched
        file is read back from disk (or dropped, if it was new)."""
        self._require_writable()
        self._batch += 1
        try:
            yield self
        except BaseException:
            self._batch -= 1
            if self._batch == 0:
                self._forget_unsaved()
                self._changes.clear()  # forgotten: nothing changed
            raise
        self._batch -= 1
        if self._batch == 0:
            self._transaction(lambda: None)

    def _forget_unsaved(self) -> None:
        for f in self._files():
            f.storage.deferred = False
        for year, shard in list(self._shards.items()):
            if shard.storage.dirty:
                if shard.storage.disk_id is None:
                    del self._shards[year]
                    self._shard_paths.pop(year, None)
                else:
                    shard.storage.discard()
                    shard.sessions = None
        if self._main is not None and self._main.storage.dirty:
            if self._main.storage.disk_id is None:
                self._main = self._new_file(self._main.path, "main")
            else:
                self._main.storage.discard()
        self._sessions = None

    def on_change(self, listener: ChangeListener) -> Callable[[], None]:
        """Call `listener` with the kinds of data each operation changed, once it is in memory
        (after the commit, or after a failed one: the unsaved change is what reads return).
        Inside `batch()`, once at its end. Returns a function that stops the calls."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _report_changes(self) -> None:
        if self._batch or self._operations or not self._changes:
            return
        changed = frozenset(self._changes)
        self._changes.clear()
        for listener in list(self._listeners):
            listener(changed)

    def _transaction(self, change: Callable[[], Any], what: Iterable[Change] = ()) -> None:
        try:
            self._commit(change, what)
        finally:
            self._report_changes()

    def _commit(self, change: Callable[[], Any], what: Iterable[Change]) -> None:
        """Apply `change` in memory, then write every touched file in one atomic commit.

        If the commit fails the change stays in memory, flagged unsaved, and the error is
        raised for the UI to report; nothing already on disk is harmed. Before writing,
        the store makes sure it still holds the folder's lock and that no file changed
        behind its back (a deleted `.lock` lets another writer in; its work must survive).
        """
        self._deferring = True
        for f in self._files():
            f.storage.deferred = True
        try:
            change()
            self._changes.update(what)
        finally:
            self._deferring = False
            files = self._files()  # `change` may have created a new year file
            if not self._batch:
                for f in files:
                    f.storage.deferred = False
        if self._batch:
            return
        dirty = [f for f in files if f.storage.dirty]
        if not dirty:
            return
        self._check_still_ours(dirty)
        payloads = {f.path: f.storage.payload() for f in dirty}
        too_big = next((p for p, data in payloads.items() if len(data) > MAX_FILE_BYTES), None)
        if too_big is not None:
            self._sessions = None
            raise WriteFailedError(
                f"{too_big.relative_to(self.data_dir).as_posix()} would grow past {MAX_FILE_BYTES // 2**20} MB, "
                "which BackCoach does not write; the change was not saved")
        try:
            commit_files(self.data_dir, payloads)
        except OSError as exc:
            self._sessions = None  # rebuilt from memory, which holds the unsaved change
            raise WriteFailedError(
                f"could not save your data: {exc.strerror or exc}. Nothing saved before is lost; "
                "this change is kept in memory and will be saved on the next try.", reason=exc.strerror or str(exc),
            ) from exc
        for f in dirty:
            f.storage.mark_saved()
            f.storage.disk_id = _disk_id(f.path)

    def _check_still_ours(self, dirty: list[_File]) -> None:
        if self._lock is not None and not self._lock.still_held():
            lock = _Lock(self.data_dir / LOCK_FILE)
            if lock.acquire():  # deleted by hand: lock a new one, then check the files below
                self._lock.release()
                self._lock = lock
            else:
                self._sessions = None
                raise FolderChangedError(
                    "could not save: another BackCoach now holds this data folder (the lock file was "
                    "replaced); this change was not saved so that its work is not overwritten",
                    reason="another BackCoach holds the folder")
        for f in dirty:
            if _disk_id(f.path) != f.storage.disk_id:
                self._sessions = None
                raise FolderChangedError(
                    f"could not save: {f.path.relative_to(self.data_dir).as_posix()} was changed by another "
                    "program while BackCoach had it open; this change was not saved so that the other "
                    "change is not overwritten. Restart BackCoach to see both.",
                    reason="the file was changed by another program")

    def _require_writable(self) -> None:
        if self.read_only:
            if not self.locked_elsewhere:
                raise ReadOnlyError("this data folder is open read-only until the problem reported for it is "
                                    "fixed; nothing was changed")
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
            "routines": [dict(d) for d in self._db.table("routines").all()],
            "body_weight": [b.to_dict() for b in self.body_weights()],
            "sessions": [s.to_dict() for s in sorted(self._all_sessions().values(), key=lambda s: s.start)],
        }

    @_reporting
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
            except InvalidRecord as exc:
                raise InvalidRecord(f"custom exercise {i}: {exc}") from None
        raw_weights = backup.get("body_weight") or []
        if not isinstance(raw_weights, list):
            raise InvalidRecord("\"body_weight\" must be a list")
        weights = []
        for i, raw in enumerate(raw_weights, 1):
            try:
                weights.append(BodyWeight.from_dict(raw))
            except InvalidRecord as exc:
                raise InvalidRecord(f"body weight {i}: {exc}") from None
        routines = backup.get("routines") or []
        settings = backup.get("settings") or {}
        if not isinstance(routines, list) or not isinstance(settings, dict):
            raise InvalidRecord("\"routines\" must be a list and \"settings\" an object")
        from backcoach.routine_io import routine_problems
        from backcoach.routines import Routine

        problems = routine_problems(routines)  # the routines file's own checks, every field
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise InvalidRecord(f"{problems[0]}{more}")
        for i, raw in enumerate(routines, 1):
            try:
                Routine.from_dict(raw)  # its id and times, kept as saved
            except Exception as exc:  # noqa: BLE001 - any failure means the entry is not a routine
                raise InvalidRecord(f"routine {i} is not a routine ({exc or type(exc).__name__})") from None
        if not all(_shallow(v) for v in settings.values()):
            raise InvalidRecord("\"settings\" must hold simple values")
        with self.batch():  # sessions, routines and settings land in one commit, or none do
            counts = self.add_sessions(sessions, customs)
            have_days = {d.get("day") for d in self._db.table("body_weight").all()}
            new_weights = {b.day: b for b in weights if b.day not in have_days}
            if new_weights:
                self._transaction(lambda: self._db.table("body_weight").insert_multiple(
                    b.to_dict() for b in new_weights.values()), (Change.BODY_WEIGHT,))
            if routines or settings:
                table = self._db.table("routines")
                names = {d.get("name") for d in table.all()}

                def change() -> None:
                    for r in routines:
                        if r.get("name") not in names:
                            table.insert(dict(r))
                    if settings and not self.settings():
                        self._db.table("settings").insert(dict(settings))

                self._transaction(change, (Change.ROUTINES, Change.SETTINGS))
        return counts

    # --- the routines table, for RoutineBook (routines.py) ----------------------------
    @property
    def routines(self) -> RoutineTable:
        """The routines as saved documents; `RoutineBook` gives them meaning and checks them."""
        return RoutineTable(self)

    @_reporting
    def _write(self, change: Callable[[], Any], what: Change) -> None:
        """Run a change to main-file tables and save it atomically (see _transaction); the
        listeners hear that `what` changed."""
        self._require_writable()
        self._transaction(change, (what,))


class RoutineTable:
    """The repository of the main file's "routines" table: plain documents in and out, each
    write one atomic commit that reports Change.ROUTINES. Only the store touches TinyDB;
    `routines.RoutineBook` turns the documents into checked `Routine`s."""

    NAME = "routines"

    def __init__(self, store: Store):
        self._store = store

    def documents(self) -> list[dict[str, Any]]:
        return [dict(d) for d in self._store._db.table(self.NAME).all()]

    def put(self, document: dict[str, Any]) -> None:
        """Add a routine, or replace the one with the same id."""
        from tinydb import where

        table = self._store._db.table(self.NAME)

        def change() -> None:
            table.remove(where("id") == document["id"])
            table.insert(dict(document))

        self._store._write(change, Change.ROUTINES)

    def add(self, documents: Iterable[dict[str, Any]]) -> None:
        """Add several routines in one commit."""
        table = self._store._db.table(self.NAME)
        docs = [dict(d) for d in documents]
        self._store._write(lambda: table.insert_multiple(docs), Change.ROUTINES)

    def remove(self, routine_id: str) -> None:
        from tinydb import where

        table = self._store._db.table(self.NAME)
        self._store._write(lambda: table.remove(where("id") == routine_id), Change.ROUTINES)


def _shard_year(path: Path) -> int:
    """The year of a history file's name (callers pass only names that _SHARD matched)."""
    match = _SHARD.match(path.name)
    if match is None:
        raise ValueError(f"{path.name} is not a history year file")
    return int(match.group(1))


def _schema_of(data: dict[str, Any], path: Path) -> int:
    meta = data.get("meta", {})
    doc = next(iter(meta.values()), None) if isinstance(meta, dict) else None
    if not isinstance(doc, dict) or not is_int(doc.get("schema")):
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


def _disk_id(path: Path) -> tuple[int, int, int, int] | None:
    """Which file is at `path` now (device, inode, size, mtime); None if there is none.
    Every BackCoach write replaces the file, so any write by anyone changes this."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


_MAIN_TABLES = ("meta", "settings", "routines", "custom_exercises", "body_weight", "imports")


def _check_main(data: dict[str, Any], path: Path) -> None:
    """The main file's records all read back, or BadFileError naming the first that does not."""
    for doc_id, doc in (data.get("custom_exercises") or {}).items():
        try:
            CustomExercise.from_dict(doc)
        except InvalidRecord as exc:
            raise BadFileError(path, f"has an unreadable custom exercise (#{doc_id}: {exc})") from None
    from backcoach.routines import Routine

    for doc_id, doc in (data.get("routines") or {}).items():
        try:
            Routine.from_dict(doc)
        except Exception as exc:  # noqa: BLE001 - any failure to build one means the record is damaged
            raise BadFileError(path, f"has an unreadable routine (#{doc_id}: {exc or type(exc).__name__})") from None
    for doc_id, doc in (data.get("body_weight") or {}).items():
        try:
            BodyWeight.from_dict(doc)
        except InvalidRecord as exc:
            raise BadFileError(path, f"has an unreadable body weight (#{doc_id}: {exc})") from None
    for doc_id, doc in (data.get("imports") or {}).items():
        if not isinstance(doc, dict) or not all(
                isinstance(doc.get(k, []), list) and len(doc.get(k, [])) <= 10_000_000
                and all(isinstance(v, str) for v in doc.get(k, []))
                for k in ("sessions", "custom_exercises", "body_weights")):
            raise BadFileError(path, f"has an unreadable import record (#{doc_id})")
    settings = data.get("settings") or {}
    if len(settings) > 1 or not all(_shallow(v) for doc in settings.values() for v in doc.values()):
        raise BadFileError(path, "has settings that are not simple values")


def _shallow(value: Any, depth: int = 0) -> bool:
    """A setting is plain JSON a few levels deep at most (settings.py checks each value;
    this only keeps a planted, deeply nested value from reaching the rest of the app)."""
    if depth > 6:
        return False
    if isinstance(value, (list, tuple)):
        return len(value) <= 10_000 and all(_shallow(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return len(value) <= 10_000 and all(isinstance(k, str) and _shallow(v, depth + 1) for k, v in value.items())
    return isinstance(value, (str, int, float, bool)) or value is None


def _merge_into(restored: _File, current: _File, kind: str) -> None:
    """Add to a restored backup what was saved in the fresh file since the damage."""
    if kind == "history":
        have = {d.get("id") for d in restored.db.table("sessions").all()}
        extra = [d for d in current.db.table("sessions").all() if d.get("id") not in have]
        if extra:
            restored.db.table("sessions").insert_multiple(dict(d) for d in extra)
        restored.sessions = None
        return
    for table, key in (("custom_exercises", "id"), ("routines", "id"), ("body_weight", "day"), ("imports", "id")):
        have = {d.get(key) for d in restored.db.table(table).all()}
        extra = [d for d in current.db.table(table).all() if d.get(key) not in have]
        if extra:
            restored.db.table(table).insert_multiple(dict(d) for d in extra)
    if current.db.table("settings").all():
        settings = restored.db.table("settings")
        settings.truncate()
        settings.insert(dict(current.db.table("settings").all()[0]))
