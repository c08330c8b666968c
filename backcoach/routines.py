"""The user's routines: what they are made of, how they are written in the editor, and
how they are saved.

A routine is a named, ordered list of items; an item is an exercise with its planned sets.
Sets may differ ("10/8/6", or a top set and back-off sets), so each planned set carries its
own reps (or hold seconds) and load. The editor shows them as short texts; `parse_reps` and
`parse_loads` turn those texts back into sets with clear messages for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from backcoach.model import MAX_LOAD_KG, new_id, now_iso
from backcoach.rules import MAX_INCREMENT_KG, MAX_WARMUP_SETS
from backcoach.store import Store
from backcoach.tempo import Tempo, TempoError
from backcoach.units import from_unit, to_unit
from backcoach.validation import is_int, is_number

MAX_SETS = 12
MAX_REPS = 100
MAX_HOLD_SECONDS = 600
MAX_REST_SECONDS = 900
MAX_ITEMS = 40
MAX_NAME = 80
MAX_NOTE = 1000
MAX_SESSIONS_PER_WEEK = 7


class Purpose(StrEnum):
    """What a routine is for, as its author declares it. Guidance judges a routine against
    its purpose: a mobility routine is not told to add a row, and a specialisation routine
    (lats only, lower back only) is not told to cover the whole back."""

    BALANCED = "balanced"  # a whole back day: every movement is expected
    SPECIALISATION = "specialisation"  # deliberately one or two movements
    MOBILITY = "mobility"  # drills and stretches: no hard sets, no frequency limit


PURPOSE_NAMES = {
    Purpose.BALANCED: "Whole back",
    Purpose.SPECIALISATION: "Specialisation",
    Purpose.MOBILITY: "Mobility",
}
"""How the editor names each purpose."""


class RoutineError(ValueError):
    """A value that cannot be part of a routine; the message says which and why."""


@dataclass(frozen=True)
class PlannedSet:
    """One set's target: reps as a range (low == high for a fixed number) or hold seconds,
    and the load in kg (None: body weight)."""

    reps: tuple[int, int] | None = (8, 12)
    seconds: int | None = None
    load_kg: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"reps": list(self.reps) if self.reps else None, "seconds": self.seconds, "load_kg": self.load_kg}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlannedSet:
        reps = data.get("reps")
        return cls(reps=tuple(reps) if reps else None, seconds=data.get("seconds"), load_kg=data.get("load_kg"))


@dataclass(frozen=True)
class RoutineItem:
    exercise_id: str
    sets: tuple[PlannedSet, ...] = (PlannedSet(),)
    tempo: str | None = None  # None: the exercise's default tempo
    rest_seconds: int = 90
    per_side: bool = False  # each planned set is done on the left, then the right
    warmup_sets: int = 0  # lighter sets before the work sets
    superset: str | None = None  # items sharing a label alternate set by set
    note: str = ""
    increment_kg: float | None = None  # overrides the exercise's step when progressing
    id: str = field(default_factory=new_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "exercise_id": self.exercise_id, "sets": [s.to_dict() for s in self.sets],
            "tempo": self.tempo, "rest_seconds": self.rest_seconds, "per_side": self.per_side,
            "warmup_sets": self.warmup_sets, "superset": self.superset, "note": self.note,
            "increment_kg": self.increment_kg,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RoutineItem:
        return cls(
            id=data.get("id") or new_id(), exercise_id=data["exercise_id"],
            sets=tuple(PlannedSet.from_dict(s) for s in data["sets"]), tempo=data.get("tempo"),
            rest_seconds=data.get("rest_seconds", 90), per_side=data.get("per_side", False),
            warmup_sets=data.get("warmup_sets", 0), superset=data.get("superset"),
            note=data.get("note", ""), increment_kg=data.get("increment_kg"),
        )

    @property
    def timed(self) -> bool:
        return any(s.seconds is not None for s in self.sets)


@dataclass(frozen=True)
class Routine:
    name: str
    items: tuple[RoutineItem, ...] = ()
    notes: str = ""
    sessions_per_week: int = 2
    template: str | None = None  # the template it was copied from, if any
    purpose: Purpose = Purpose.BALANCED
    equipment: tuple[str, ...] = ()  # the only equipment available; empty: any
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    id: str = field(default_factory=new_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "notes": self.notes, "sessions_per_week": self.sessions_per_week,
            "template": self.template, "purpose": str(self.purpose), "equipment": list(self.equipment),
            "created_at": self.created_at, "updated_at": self.updated_at,
            "items": [i.to_dict() for i in self.items],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Routine:
        return cls(
            id=data.get("id") or new_id(), name=data["name"], notes=data.get("notes", ""),
            sessions_per_week=data.get("sessions_per_week", 2), template=data.get("template"),
            purpose=Purpose(data.get("purpose") or Purpose.BALANCED), equipment=tuple(data.get("equipment") or ()),
            created_at=data.get("created_at") or now_iso(), updated_at=data.get("updated_at") or now_iso(),
            items=tuple(RoutineItem.from_dict(i) for i in data.get("items", [])),
        )

    def with_items(self, items: Iterable[RoutineItem]) -> Routine:
        return replace(self, items=tuple(items))


# --- checking -----------------------------------------------------------------------------

def check_item(item: RoutineItem, known_exercises: Iterable[str] | None = None) -> None:
    """Raise RoutineError naming the first impossible value of an item."""
    where = item.exercise_id or "an item"
    if not isinstance(item.exercise_id, str) or not item.exercise_id:
        raise RoutineError("an item has no exercise")
    if known_exercises is not None and item.exercise_id not in set(known_exercises):
        raise RoutineError(f"unknown exercise id {item.exercise_id!r}")
    if not isinstance(item.sets, tuple) or not 1 <= len(item.sets) <= MAX_SETS:
        raise RoutineError(f"{where}: an item needs 1 to {MAX_SETS} sets")
    for n, s in enumerate(item.sets, 1):
        if (s.reps is None) == (s.seconds is None):
            raise RoutineError(f"{where}, set {n}: give either reps or hold seconds")
        if s.reps is not None:
            low, high = s.reps
            if not all(is_int(v) for v in (low, high)) or not 1 <= low <= high <= MAX_REPS:
                raise RoutineError(f"{where}, set {n}: reps must be 1–{MAX_REPS}, low before high")
        if s.seconds is not None and (not is_int(s.seconds)
                                      or not 1 <= s.seconds <= MAX_HOLD_SECONDS):
            raise RoutineError(f"{where}, set {n}: a hold must be 1–{MAX_HOLD_SECONDS} seconds")
        if s.load_kg is not None and (not is_number(s.load_kg)
                                      or not 0 < s.load_kg <= MAX_LOAD_KG):
            raise RoutineError(f"{where}, set {n}: a load must be above 0 and at most {MAX_LOAD_KG:g} kg")
    if item.tempo is not None:
        try:
            Tempo.parse(item.tempo)
        except TempoError as exc:
            raise RoutineError(f"{where}: {exc}") from None
    if not is_int(item.rest_seconds) or not 0 <= item.rest_seconds <= MAX_REST_SECONDS:
        raise RoutineError(f"{where}: rest must be 0–{MAX_REST_SECONDS} seconds")
    if not is_int(item.warmup_sets) or not 0 <= item.warmup_sets <= MAX_WARMUP_SETS:
        raise RoutineError(f"{where}: warm-up sets must be 0–{MAX_WARMUP_SETS}")
    if item.superset is not None and (not isinstance(item.superset, str) or not re.fullmatch(r"[A-Z]", item.superset)):
        raise RoutineError(f"{where}: a superset group is one letter, A to Z")
    if not isinstance(item.per_side, bool):
        raise RoutineError(f"{where}: per side must be true or false")
    if not isinstance(item.note, str) or len(item.note) > MAX_NOTE:
        raise RoutineError(f"{where}: a note is text of at most {MAX_NOTE} characters")
    if item.increment_kg is not None and (not is_number(item.increment_kg)
                                          or not 0 <= item.increment_kg <= MAX_INCREMENT_KG):
        raise RoutineError(f"{where}: the load step must be 0–{MAX_INCREMENT_KG:g} kg")


def check_routine(routine: Routine, known_exercises: Iterable[str] | None = None) -> None:
    if not isinstance(routine.name, str) or not routine.name.strip():
        raise RoutineError("a routine needs a name")
    if len(routine.name) > MAX_NAME:
        raise RoutineError(f"a routine's name can have at most {MAX_NAME} characters")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in routine.name):
        raise RoutineError("a routine's name cannot contain line breaks or control characters")
    if not is_int(routine.sessions_per_week) \
            or not 1 <= routine.sessions_per_week <= MAX_SESSIONS_PER_WEEK:
        raise RoutineError(f"sessions per week must be 1–{MAX_SESSIONS_PER_WEEK}")
    if not isinstance(routine.notes, str) or len(routine.notes) > MAX_NOTE * 4:
        raise RoutineError("the routine's notes are too long")
    if len(routine.items) > MAX_ITEMS:
        raise RoutineError(f"a routine can have at most {MAX_ITEMS} exercises")
    known = set(known_exercises) if known_exercises is not None else None
    for item in routine.items:
        check_item(item, known)


# --- the editor's short texts ------------------------------------------------------------

_RANGE = re.compile(r"^\s*(\d{1,3})\s*(?:[-–—]|to)\s*(\d{1,3})\s*$")


def format_reps(sets: Sequence[PlannedSet]) -> str:
    """'8–12' when every set is the same, else '10/8/6'; holds as '30 s'."""
    def one(s: PlannedSet) -> str:
        if s.seconds is not None:
            return f"{s.seconds} s"
        low, high = s.reps or (0, 0)  # a set without seconds has reps (PlannedSet checks)
        return str(low) if low == high else f"{low}–{high}"
    texts = [one(s) for s in sets]
    return texts[0] if len(set(texts)) == 1 else "/".join(texts)


def parse_reps(text: str, set_count: int, timed: bool = False) -> list[tuple[tuple[int, int] | None, int | None]]:
    """Reps or holds for `set_count` sets from '8-12', '10', '10/8/6' or '30 s'.

    One value applies to every set; a list needs one value per set. Returns a
    (reps range, seconds) pair per set.
    """
    text = (text or "").strip()
    if not text:
        raise RoutineError("give the reps, e.g. 8-12, or 10/8/6 for different sets" if not timed
                           else "give the hold, e.g. 30 s")
    parts = [p.strip() for p in text.split("/")]
    if len(parts) > 1 and len(parts) != set_count:
        raise RoutineError(f"{len(parts)} values for {set_count} sets: give one per set, or a single one")
    values: list[tuple[tuple[int, int] | None, int | None]] = []
    for part in parts:
        hold = re.fullmatch(r"(\d{1,3})\s*(?:s|sec|secs|seconds?)", part, re.IGNORECASE)
        if hold or timed:
            digits = hold.group(1) if hold else part
            if not digits.isdecimal() or not 1 <= int(digits) <= MAX_HOLD_SECONDS:
                raise RoutineError(f"{part!r} is not a hold of 1–{MAX_HOLD_SECONDS} seconds")
            values.append((None, int(digits)))
            continue
        match = _RANGE.match(part)
        if match:
            low, high = int(match.group(1)), int(match.group(2))
        elif part.isdecimal():  # isdigit() would let "²" through to int()
            low = high = int(part)
        else:
            raise RoutineError(f"{part!r} is not a number of reps or a range like 8-12")
        if not 1 <= low <= high <= MAX_REPS:
            raise RoutineError(f"{part!r}: reps must be 1–{MAX_REPS}, the lower number first")
        values.append(((low, high), None))
    return values * set_count if len(values) == 1 else values


def format_loads(sets: Sequence[PlannedSet], unit: str) -> str:
    """'60', '80/70/70', or '' for body weight, in the user's unit."""
    def one(s: PlannedSet) -> str:
        if s.load_kg is None:
            return "BW"
        return f"{to_unit(s.load_kg, unit):.1f}".rstrip("0").rstrip(".")
    texts = [one(s) for s in sets]
    if all(t == "BW" for t in texts):
        return ""
    return texts[0] if len(set(texts)) == 1 else "/".join(texts)


def parse_loads(text: str, set_count: int, unit: str) -> list[float | None]:
    """Loads in kg for `set_count` sets from '60', '62.5', '80/70/70', 'BW' or ''."""
    text = (text or "").strip()
    if not text or text.lower() in ("bw", "body weight", "bodyweight"):
        return [None] * set_count
    parts = [p.strip() for p in text.split("/")]
    if len(parts) > 1 and len(parts) != set_count:
        raise RoutineError(f"{len(parts)} loads for {set_count} sets: give one per set, or a single one")
    loads: list[float | None] = []
    for part in parts:
        if part.lower() in ("bw", ""):
            loads.append(None)
            continue
        cleaned = re.sub(r"\s*(kg|lb|lbs)$", "", part, flags=re.IGNORECASE).replace(",", ".")
        try:
            value = float(cleaned)
        except ValueError:
            raise RoutineError(f"{part!r} is not a load; write a number like 62.5 (or BW)") from None
        kg = from_unit(value, unit)
        if not 0 < kg <= MAX_LOAD_KG or value != value:
            raise RoutineError(f"{part!r} is not a sensible load (above 0, at most {to_unit(MAX_LOAD_KG, unit):g} {unit})")
        loads.append(kg)
    return loads * set_count if len(loads) == 1 else loads


def build_sets(reps_text: str, loads_text: str, set_count: int, unit: str, timed: bool = False) -> tuple[PlannedSet, ...]:
    """The planned sets an editor row describes."""
    if not 1 <= set_count <= MAX_SETS:
        raise RoutineError(f"sets must be 1–{MAX_SETS}")
    reps = parse_reps(reps_text, set_count, timed)
    loads = parse_loads(loads_text, set_count, unit)
    return tuple(PlannedSet(reps=r, seconds=s, load_kg=load) for (r, s), load in zip(reps, loads))


def item_for_exercise(exercise, unit: str = "kg") -> RoutineItem:
    """A new item with the exercise's default prescription from the library."""
    p = exercise.prescription
    planned = PlannedSet(reps=None, seconds=p.seconds) if exercise.is_timed else PlannedSet(reps=p.reps)
    return RoutineItem(
        exercise_id=exercise.id, sets=(planned,) * p.sets, tempo=str(p.tempo) if p.tempo else None,
        rest_seconds=p.rest_seconds, per_side=exercise.unilateral,
    )


# --- saving -----------------------------------------------------------------------------

class RoutineBook:
    """The user's routines: checked `Routine`s over the store's routines table
    (`Store.routines`, the only code that touches it)."""

    def __init__(self, store: Store, known_exercises: Iterable[str] | None = None):
        self.store = store
        self.known = set(known_exercises) if known_exercises is not None else None

    def all(self) -> list[Routine]:
        routines = [Routine.from_dict(d) for d in self.store.routines.documents()]
        return sorted(routines, key=lambda r: r.name.casefold())

    def get(self, routine_id: str) -> Routine:
        for r in self.all():
            if r.id == routine_id:
                return r
        raise KeyError(routine_id)

    def names(self) -> set[str]:
        return {r.name for r in self.all()}

    def unique_name(self, wanted: str) -> str:
        """`wanted`, or 'wanted (2)', 'wanted (3)'… if the name is taken."""
        taken = {n.casefold() for n in self.names()}
        wanted = wanted[:MAX_NAME]
        if wanted.casefold() not in taken:
            return wanted
        base = re.sub(r"\s*\(\d+\)$", "", wanted)
        n = 2
        while True:
            suffix = f" ({n})"
            candidate = base[: MAX_NAME - len(suffix)] + suffix  # stays within the name limit
            if candidate.casefold() not in taken:
                return candidate
            n += 1

    def save(self, routine: Routine) -> Routine:
        """Add or replace a routine (by id) after checking it; returns what was saved."""
        check_routine(routine, self.known)
        clash = [r for r in self.all() if r.name.casefold() == routine.name.casefold() and r.id != routine.id]
        if clash:
            raise RoutineError(f"a routine called {routine.name!r} already exists")
        saved = replace(routine, updated_at=now_iso())
        self.store.routines.put(saved.to_dict())
        return saved

    def save_many(self, routines: Sequence[Routine]) -> None:
        """Add several routines in one all-or-nothing write (they are checked first)."""
        for r in routines:
            check_routine(r, self.known)
        self.store.routines.add(replace(r, updated_at=now_iso()).to_dict() for r in routines)

    def delete(self, routine_id: str) -> Routine:
        old = self.get(routine_id)
        self.store.routines.remove(routine_id)
        return old

    def duplicate(self, routine_id: str) -> Routine:
        old = self.get(routine_id)
        copy = replace(old, id=new_id(), name=self.unique_name(f"{old.name} (copy)"), created_at=now_iso(),
                       items=tuple(replace(i, id=new_id()) for i in old.items))
        return self.save(copy)
