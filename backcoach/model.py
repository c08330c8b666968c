"""What a training history is made of: logged sets inside logged sessions.

Loads are always kilograms here; the UI converts to the user's unit. Times are ISO 8601
strings with a UTC offset, so a history stays correct across time zones and clock changes.
Both records are immutable: an edit makes a new record and the store replaces the old one.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, asdict, dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from backcoach.validation import is_int, is_number

class SetKind(StrEnum):
    """What a logged set was: a normal work set, a warm-up, a drop set, or taken to failure."""

    NORMAL = "normal"
    WARMUP = "warmup"
    DROP = "drop"
    FAILURE = "failure"


SET_KINDS: tuple[str, ...] = tuple(k.value for k in SetKind)
SIDES = ("left", "right")

# Sanity limits: anything outside is a typo or a broken import, never a real set.
MAX_REPS = 1000
MAX_LOAD_KG = 1000.0
MAX_SECONDS = 24 * 3600
# Sessions outside these years are a broken date, never training (and a year file is named
# by four digits).
FIRST_YEAR = 1900
LAST_YEAR = 2200
MAX_TEXT = 10_000  # a note, a name, an id: longer is damage
LB_PER_KG = 2.2046226218


class InvalidRecord(ValueError):
    """A set or session with an impossible value; the message names the field."""


def lb_to_kg(lb: float) -> float:
    return lb / LB_PER_KG


def parse_time(text: str) -> datetime:
    """An ISO 8601 time; one without an offset is taken as local time."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.astimezone()


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def new_id() -> str:
    """A fresh random id (a version-4 UUID's 32 hex digits) for a session or a routine.

    `uuid` loads on first use: with `platform` under it, it is 2 ms of every start-up.
    """
    import uuid

    return uuid.uuid4().hex


@dataclass(frozen=True)
class SetLog:
    exercise_id: str
    set_number: int = 1
    reps: int | None = None
    load_kg: float | None = None  # None: body weight only
    seconds: float | None = None  # holds and other timed sets
    rpe: float | None = None
    side: str | None = None  # "left" / "right" for one side of a unilateral exercise
    kind: str = SetKind.NORMAL  # a SetKind value (plain text in the files)
    tempo: str | None = None
    note: str = ""
    logged_at: str | None = None
    # Help from an assisted machine or counterweight (kg): on a body-weight exercise the
    # effective load is body weight + load_kg - assist_kg (analytics.effective_load).
    assist_kg: float | None = None

    def __post_init__(self) -> None:
        check_set(self)

    @property
    def warmup(self) -> bool:
        return self.kind == SetKind.WARMUP

    @property
    def volume_kg(self) -> float:
        """Tonnage of the set: reps × load (0 for body weight and holds)."""
        return (self.reps or 0) * (self.load_kg or 0.0)

    def to_dict(self) -> dict[str, Any]:
        # Every field is a plain value: a copy of the instance dict is what asdict() would
        # give, without its recursive deep copy (an import of a million sets calls this).
        return {name: self.__dict__[name] for name in _SET_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SetLog:
        """A set from its dict, checked like the constructor would.

        Opening ten years of history builds some 40,000 sets; filling the instance dict
        directly is three times faster than the generated frozen __init__.
        """
        values = dict(_SET_DEFAULTS)
        values.update(data)
        if len(values) != len(_SET_DEFAULTS):  # unknown keys (a newer file, an import): dropped
            values = {k: values[k] for k in _SET_DEFAULTS}
        record = object.__new__(cls)
        record.__dict__.update(values)
        check_set(record)
        return record


_NUMBER = (int, float)


def check_set(s: SetLog) -> None:
    """Raise InvalidRecord naming the first impossible field of a set."""
    # Fast path for the common, valid set (history loads check tens of thousands of them).
    # Chained comparisons are False for NaN and infinity, so those fall through.
    reps, load, secs, rpe = s.reps, s.load_kg, s.seconds, s.rpe
    if (type(s.exercise_id) is str and s.exercise_id and type(s.set_number) is int and 1 <= s.set_number <= 1000
            and (reps is None or (type(reps) is int and 0 <= reps <= MAX_REPS))
            and (load is None or (type(load) in _NUMBER and 0 <= load <= MAX_LOAD_KG))
            and (secs is None or (type(secs) in _NUMBER and 0 <= secs <= MAX_SECONDS))
            and (rpe is None or (type(rpe) in _NUMBER and 1 <= rpe <= 10))
            and (s.side is None or s.side in SIDES) and s.kind in SET_KINDS and type(s.note) is str
            and len(s.exercise_id) <= 200 and len(s.note) <= MAX_TEXT
            and (s.tempo is None or (type(s.tempo) is str and len(s.tempo) <= 40))
            and (s.logged_at is None or (type(s.logged_at) is str and len(s.logged_at) <= 40))
            and (s.assist_kg is None or (type(s.assist_kg) in _NUMBER and 0 <= s.assist_kg <= MAX_LOAD_KG))):
        return
    _explain_bad_set(s)


def _explain_bad_set(s: SetLog) -> None:
    def bad(name: str, why: str) -> InvalidRecord:
        return InvalidRecord(f"set {s.set_number} of {s.exercise_id or '?'}: {name} {why}")

    if not isinstance(s.exercise_id, str) or not s.exercise_id or len(s.exercise_id) > 200:
        raise bad("exercise", "is missing or not an id")
    if not is_int(s.set_number) or not 1 <= s.set_number <= 1000:
        raise bad("set number", f"must be 1–1000, not {s.set_number!r}")
    if s.reps is not None and (not is_int(s.reps) or not 0 <= s.reps <= MAX_REPS):
        raise bad("reps", f"must be a whole number 0–{MAX_REPS}, not {s.reps!r}")
    for name, value, limit in (("load", s.load_kg, MAX_LOAD_KG), ("seconds", s.seconds, MAX_SECONDS),
                               ("assistance", s.assist_kg, MAX_LOAD_KG)):
        if value is None:
            continue
        if not is_number(value) or not math.isfinite(value):
            raise bad(name, f"must be a number, not {value!r}")
        if not 0 <= value <= limit:
            raise bad(name, f"must be between 0 and {limit:g}, not {value:g}")
    if s.rpe is not None and (
        not is_number(s.rpe) or not math.isfinite(s.rpe) or not 1 <= s.rpe <= 10
    ):
        raise bad("RPE", f"must be between 1 and 10, not {s.rpe!r}")
    if s.side is not None and s.side not in SIDES:
        raise bad("side", f"must be left or right, not {s.side!r}")
    if s.kind not in SET_KINDS:
        raise bad("kind", f"must be one of {', '.join(SET_KINDS)}, not {s.kind!r}")
    if not isinstance(s.note, str) or len(s.note) > MAX_TEXT:
        raise bad("note", "must be text")
    if s.tempo is not None and (not isinstance(s.tempo, str) or len(s.tempo) > 40):
        raise bad("tempo", f"must be a short text, not {s.tempo!r:.60}")
    if s.logged_at is not None and (not isinstance(s.logged_at, str) or len(s.logged_at) > 40):
        raise bad("logged at", f"must be a time, not {s.logged_at!r:.60}")
    raise bad("a field", "is not valid")


@dataclass(frozen=True)
class SessionLog:
    started_at: str
    sets: tuple[SetLog, ...] = ()
    ended_at: str | None = None
    routine: str | None = None
    note: str = ""
    source: str = "backcoach"  # backcoach | strong | hevy | demo | json
    source_key: str | None = None  # identifies an imported session, so a re-import adds nothing
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        try:
            start = parse_time(self.started_at)
        except (TypeError, ValueError, OverflowError):
            raise InvalidRecord(f"session start {self.started_at!r} is not a date and time") from None
        if self.ended_at is not None:
            try:
                end = parse_time(self.ended_at)
            except (TypeError, ValueError, OverflowError):
                raise InvalidRecord(f"session end {self.ended_at!r} is not a date and time") from None
            if end < start:
                raise InvalidRecord(f"session ends ({self.ended_at}) before it starts ({self.started_at})")
        if not FIRST_YEAR <= start.year <= LAST_YEAR:
            raise InvalidRecord(f"session start {self.started_at!r} is outside the years {FIRST_YEAR}–{LAST_YEAR}")
        for name in ("id", "source"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value or len(value) > 200:
                raise InvalidRecord(f"session {name} must be a short text, not {value!r:.60}")
        for name in ("routine", "source_key"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT):
                raise InvalidRecord(f"session {name} must be text, not {value!r:.60}")
        if not isinstance(self.note, str) or len(self.note) > MAX_TEXT:
            raise InvalidRecord("session note must be text")
        if not isinstance(self.sets, tuple):
            object.__setattr__(self, "sets", tuple(self.sets))

    @property
    def start(self) -> datetime:
        return parse_time(self.started_at)

    @property
    def end(self) -> datetime | None:
        return parse_time(self.ended_at) if self.ended_at else None

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def duration_seconds(self) -> float | None:
        end = self.end
        return (end - self.start).total_seconds() if end else None

    @property
    def exercise_ids(self) -> list[str]:
        """The exercises in the order they were first trained."""
        return list(dict.fromkeys(s.exercise_id for s in self.sets))

    @property
    def work_sets(self) -> list[SetLog]:
        return [s for s in self.sets if not s.warmup]

    @property
    def volume_kg(self) -> float:
        return sum(s.volume_kg for s in self.work_sets)

    def with_sets(self, sets: tuple[SetLog, ...] | list[SetLog]) -> SessionLog:
        return replace(self, sets=tuple(sets))

    def to_dict(self) -> dict[str, Any]:
        data = {name: self.__dict__[name] for name in _SESSION_FIELDS}
        data["sets"] = [s.to_dict() for s in self.sets]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionLog:
        if not isinstance(data, dict):
            raise InvalidRecord(f"a session must be an object, not {type(data).__name__}")
        raw_sets = data.get("sets", [])
        if not isinstance(raw_sets, list) or not all(isinstance(s, dict) for s in raw_sets):
            raise InvalidRecord("a session's sets must be a list of objects")
        try:
            sets = tuple(SetLog.from_dict(s) for s in raw_sets)
            known = {k: data[k] for k in _SESSION_FIELDS if k in data and k != "sets"}
            return cls(sets=sets, **known)
        except TypeError as exc:
            raise InvalidRecord(f"a session has a missing or mistyped field: {exc}") from None


_SET_FIELDS = tuple(SetLog.__dataclass_fields__)
_SET_DEFAULTS = {name: (f.default if f.default is not MISSING else None) for name, f in SetLog.__dataclass_fields__.items()}
_SESSION_FIELDS = tuple(SessionLog.__dataclass_fields__)


@dataclass(frozen=True)
class CustomExercise:
    """An exercise the user (or an import) added that the shipped library lacks.

    An import knows only the name; the editor completes it with everything a library entry
    has (pattern, equipment, level, muscles, default prescription, tempo and movement).
    `library.custom_to_exercise` checks it with the library's own validation, so a complete
    one is an exercise like any other in routines, sessions, History and exports.
    """

    id: str  # "custom-<slug>", never clashes with a library id
    name: str
    source: str = "user"  # user | strong | hevy | fitnotes | stronglifts | backcoach
    pattern: str | None = None
    primary_muscles: tuple[str, ...] = ()
    secondary_muscles: tuple[str, ...] = ()
    timed: bool = False
    aliases: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    level: str | None = None
    unilateral: bool = False
    sets: int = 3
    reps: tuple[int, int] | None = (8, 12)  # for a reps exercise
    seconds: int | None = None  # for a timed one
    rest_seconds: int = 90
    tempo: str | None = None  # e.g. "3-1-1-1"; None: the library's default
    start: str | None = None  # movement: "concentric" | "eccentric"; None: the pattern's
    sides: str | None = None  # movement of a one-sided exercise; None: the pattern's
    increment_kg: float = 0.0
    progression: str | None = None  # None: follows from the mode and the load step
    notes: str = ""
    focus_cue: str = ""  # the one thing to think of during the set, shown big in the session

    @property
    def complete(self) -> bool:
        """Whether it has what an exercise needs to be trained (an import leaves these out)."""
        return bool(self.pattern and self.level and self.equipment and self.primary_muscles)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in _CUSTOM_LISTS:
            data[key] = list(getattr(self, key))
        data["reps"] = list(self.reps) if self.reps is not None else None
        return data

    def to_entry(self) -> dict[str, Any]:
        """The exercise as a library entry (the TOML's shape), for the library's validation."""
        entry: dict[str, Any] = {
            "id": self.id, "name": self.name, "aliases": list(self.aliases), "pattern": self.pattern or "",
            "equipment": list(self.equipment), "level": self.level or "",
            "primary_muscles": list(self.primary_muscles), "secondary_muscles": list(self.secondary_muscles),
            "unilateral": self.unilateral, "mode": "timed" if self.timed else "reps",
            "increment_kg": self.increment_kg,
        }
        if self.progression:
            entry["progression"] = self.progression
        prescription: dict[str, Any] = {"sets": self.sets, "rest_seconds": self.rest_seconds}
        if self.timed:
            if self.seconds is not None:
                prescription["seconds"] = self.seconds
        else:
            if self.reps is not None:
                prescription["reps"] = list(self.reps)
            if self.tempo:
                prescription["tempo"] = self.tempo
        entry["prescription"] = prescription
        movement = {k: v for k, v in (("start", self.start), ("sides", self.sides)) if v}
        if movement:
            entry["movement"] = movement
        if self.notes.strip():
            entry["tips"] = [self.notes.strip()]
        if self.focus_cue.strip():
            entry["focus_cue"] = self.focus_cue.strip()
        return entry

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CustomExercise:
        """A custom exercise from saved data; InvalidRecord names the first bad field."""
        if not isinstance(data, dict):
            raise InvalidRecord(f"a custom exercise must be an object, not {type(data).__name__}")
        known = {k: data[k] for k in CustomExercise.__dataclass_fields__ if k in data}
        for key in ("id", "name"):
            value = known.get(key)
            if not isinstance(value, str) or not value.strip() or len(value) > 200:
                raise InvalidRecord(f"{key} must be a short text, not {value!r:.60}")
        for key in ("source", "pattern", "level", "tempo", "start", "sides", "progression", "focus_cue"):
            value = known.get(key)
            if value is not None and (not isinstance(value, str) or len(value) > 200):
                raise InvalidRecord(f"{key} must be a short text, not {value!r:.60}")
        for key in _CUSTOM_LISTS:
            if key in known:
                value = known[key]
                if not isinstance(value, (list, tuple)) or len(value) > 50 or not all(
                        isinstance(m, str) and 0 < len(m) <= 200 for m in value):
                    raise InvalidRecord(f"{key.replace('_', ' ')} must be a list of short texts, not {value!r:.60}")
                known[key] = tuple(value)
        for key in ("timed", "unilateral"):
            if key in known and not isinstance(known[key], bool):
                raise InvalidRecord(f"{key} must be true or false, not {known[key]!r:.60}")
        for key, low, high in (("sets", 1, 10), ("rest_seconds", 0, 600), ("seconds", 1, MAX_SECONDS)):
            value = known.get(key)
            if key in known and not (value is None and key == "seconds") and (
                    type(value) is not int or not low <= value <= high):
                raise InvalidRecord(f"{key.replace('_', ' ')} must be a whole number {low}–{high}, not {value!r:.60}")
        if "reps" in known and known["reps"] is not None:
            reps = known["reps"]
            if (not isinstance(reps, (list, tuple)) or len(reps) != 2
                    or not all(type(r) is int for r in reps) or not 1 <= reps[0] <= reps[1] <= MAX_REPS):
                raise InvalidRecord(f"reps must be [low, high], not {reps!r:.60}")
            known["reps"] = (reps[0], reps[1])
        if "increment_kg" in known:
            value = known["increment_kg"]
            if type(value) not in (int, float) or not math.isfinite(value) or not 0 <= value <= MAX_LOAD_KG:
                raise InvalidRecord(f"increment kg must be a number, not {value!r:.60}")
            known["increment_kg"] = float(value)
        if "notes" in known and (not isinstance(known["notes"], str) or len(known["notes"]) > MAX_TEXT):
            raise InvalidRecord("notes must be text")
        return cls(**known)


_CUSTOM_LISTS = ("primary_muscles", "secondary_muscles", "aliases", "equipment")


@dataclass(frozen=True)
class BodyWeight:
    """The lifter's body weight on a day: what a pull-up really lifts (analytics.effective_load)."""

    day: str  # ISO date
    kg: float
    source: str = "user"  # user | stronglifts | ...

    def __post_init__(self) -> None:
        try:
            day = datetime.strptime(self.day, "%Y-%m-%d").date() if isinstance(self.day, str) else None
        except ValueError:
            day = None
        if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise InvalidRecord(f"body weight day {self.day!r:.40} is not a date (YYYY-MM-DD)")
        if type(self.kg) not in (int, float) or not math.isfinite(self.kg) or not MIN_BODY_KG <= self.kg <= MAX_BODY_KG:
            raise InvalidRecord(f"body weight {self.kg!r:.40} kg is outside {MIN_BODY_KG:g}–{MAX_BODY_KG:g} kg")
        if not isinstance(self.source, str) or not self.source or len(self.source) > 200:
            raise InvalidRecord(f"body weight source must be a short text, not {self.source!r:.60}")

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day, "kg": self.kg, "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BodyWeight:
        if not isinstance(data, dict):
            raise InvalidRecord(f"a body weight must be an object, not {type(data).__name__}")
        try:
            return cls(day=data["day"], kg=data["kg"], source=data.get("source", "user"))
        except KeyError as exc:
            raise InvalidRecord(f"a body weight needs {exc.args[0]!r}") from None
        except TypeError as exc:
            raise InvalidRecord(f"a body weight has a mistyped field: {exc}") from None


MIN_BODY_KG = 20.0
MAX_BODY_KG = 400.0


def custom_exercise_id(name: str) -> str:
    """A stable id for a custom exercise name: 'Zercher Row' -> 'custom-zercher-row'."""
    import re

    slug = re.sub(r"[\W_]+", "-", name.casefold()).strip("-") or "unnamed"  # keeps any script's letters
    return f"custom-{slug[:60]}"
