"""The journal of the session in progress: one fsynced JSON line per event.

Logging a set must be durable before the UI shows it as logged, yet cheap enough for the UI
thread (well under 5 ms). Appending one line and fsyncing it is both; rewriting ten years of
history for every set would be neither. When the session ends, the store commits it to
history in one write and deletes the journal. After a crash, the journal is replayed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backcoach.model import InvalidRecord, SessionLog, SetLog, new_id

JOURNAL_VERSION = 1
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@dataclass
class JournalState:
    """The session in progress as replayed from the journal."""

    session_id: str
    started_at: str
    routine: str | None = None
    note: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    sets: list[SetLog] = field(default_factory=list)
    damaged_lines: int = 0

    def to_session(self, ended_at: str | None) -> SessionLog:
        return SessionLog(
            id=self.session_id, started_at=self.started_at, ended_at=ended_at,
            routine=self.routine, note=self.note, sets=tuple(self.sets),
        )


class Journal:
    def __init__(self, path: Path, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self._fd: int | None = None
        self._torn = False  # an append failed and its fragment could not be cut off

    def exists(self) -> bool:
        try:
            return os.lstat(self.path).st_size > 0
        except OSError:
            return False

    # --- writing ------------------------------------------------------------------------
    def start(self, started_at: str, session_id: str, routine: str | None = None, note: str = "",
              meta: dict[str, Any] | None = None) -> None:
        """Begin a new journal (replacing any previous one, which the caller has handled)."""
        self.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND | _NOFOLLOW, 0o644)
        self._append({"event": "start", "v": JOURNAL_VERSION, "session_id": session_id,
                      "started_at": started_at, "routine": routine, "note": note, "meta": meta or {}})
        _fsync_parent(self.path)

    def log_set(self, set_log: SetLog) -> None:
        self._append({"event": "set", "set": set_log.to_dict()})

    def remove_set(self, index: int) -> None:
        self._append({"event": "remove", "index": index})

    def set_meta(self, **values: Any) -> None:
        """Remember where the session is (e.g. the next planned set) for a resume."""
        self._append({"event": "meta", "meta": values})

    def _append(self, event: dict[str, Any]) -> None:
        if self.read_only:
            from backcoach.storage import ReadOnlyError

            raise ReadOnlyError("BackCoach is open read-only; the set was not saved")
        if self._fd is None:
            if not self.path.exists():
                raise RuntimeError("the journal was not started")
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | _NOFOLLOW)
        text = json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n"
        if self._torn:  # start clean after a fragment that could not be cut off
            text = "\n" + text
        line = memoryview(text.encode("utf-8"))
        size = os.fstat(self._fd).st_size
        try:
            while line:  # a crash leaves the line whole, or torn at the end where load() drops it
                line = line[os.write(self._fd, line):]
            os.fsync(self._fd)
        except OSError:
            # A full disk or an I/O error mid-line: cut the fragment off, so the next line
            # (logged once space is freed) is not glued to it and lost on replay.
            try:
                os.ftruncate(self._fd, size)
                os.fsync(self._fd)
            except OSError:
                self._torn = True
            raise
        self._torn = False

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)
        _fsync_parent(self.path)

    # --- reading ------------------------------------------------------------------------
    def load(self) -> JournalState | None:
        """Replay the journal; None if there is none (or nothing in it can be replayed).

        A torn last line (crash mid-write) is dropped silently; damaged lines elsewhere are
        skipped and counted in `damaged_lines` for the user to be told. A damaged start line
        does not lose the sets after it: the session is rebuilt under a new id, started at
        its first set (or when the journal was last written)."""
        from backcoach.storage import BadFileError, read_guarded

        try:
            raw = read_guarded(self.path)
        except BadFileError:
            return None
        if raw is None:
            return None
        complete = raw.split(b"\n")[:-1]
        state: JournalState | None = None
        damaged = 0  # a torn tail (no newline) is expected after a crash and not counted
        orphans: list[dict[str, Any]] = []  # events before a readable start line
        for line in complete:
            if not line.strip():
                continue
            try:
                event = json.loads(line)
                if not isinstance(event, dict):
                    raise ValueError("not an event")
                if state is None and event.get("event") != "start":
                    orphans.append(event)
                    continue
                state = _apply(state, event)
            except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError, InvalidRecord):
                damaged += 1
        if state is None and orphans:  # the start line was damaged (counted above)
            state = JournalState(session_id=new_id(), started_at=self._fallback_start(orphans))
        elif state is not None and orphans:
            damaged += len(orphans)  # events before the start belong to nothing
            orphans = []
        for event in orphans:
            try:
                state = _apply(state, event)
            except (ValueError, KeyError, TypeError, IndexError, AttributeError, InvalidRecord):
                damaged += 1
        if state is not None:
            state.damaged_lines = damaged
        return state

    def _fallback_start(self, events: list[dict[str, Any]]) -> str:
        for event in events:
            logged = (event.get("set") or {}).get("logged_at") if isinstance(event.get("set"), dict) else None
            if isinstance(logged, str):
                try:
                    SessionLog(started_at=logged)
                    return logged
                except InvalidRecord:
                    pass
        from datetime import datetime

        try:
            return datetime.fromtimestamp(self.path.stat().st_mtime).astimezone().isoformat(timespec="seconds")
        except OSError:
            return datetime.now().astimezone().isoformat(timespec="seconds")


def _apply(state: JournalState | None, event: dict[str, Any]) -> JournalState:
    kind = event["event"]
    if kind == "start":
        started = SessionLog(id=event["session_id"], started_at=event["started_at"],
                             routine=event.get("routine"), note=event.get("note", ""))  # checks them
        return JournalState(session_id=started.id, started_at=started.started_at,
                            routine=started.routine, note=started.note,
                            meta=dict(event.get("meta") or {}))
    if state is None:
        raise ValueError("journal event before start")
    if kind == "set":
        state.sets.append(SetLog.from_dict(event["set"]))
    elif kind == "edit":
        state.sets[event["index"]] = SetLog.from_dict(event["set"])
    elif kind == "remove":
        del state.sets[event["index"]]
    elif kind == "meta":
        state.meta.update(event["meta"])
    elif kind == "note":
        state.note = str(event["note"])
    else:
        raise ValueError(f"unknown journal event {kind!r}")
    return state


def _fsync_parent(path: Path) -> None:
    from backcoach.storage import fsync_dir

    fsync_dir(path.parent)
