"""Routine files: routines written to a JSON file to share or keep, and read back in.

A routine file is one JSON object:

    {"format": "backcoach-routines", "version": 1, "exported_at": "2026-01-05T18:30:00+01:00",
     "routines": [<Routine.to_dict()>, ...]}

Reading is all or nothing. The whole file is checked before anything is saved: its size
(before it is read), that it is UTF-8 JSON with our format marker and a version this code
understands, then every field of every routine, types first (so nothing half-built ever
reaches a dataclass) and then the limits `check_routine` keeps. Every problem is collected
and reported at once, each naming the routine (by name, or by position when it has none)
and the field. `import_routines` saves the routines in one write, with new ids, and gives a
routine whose name is already used a numbered name instead of overwriting anything.

Pure Python, no Qt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from backcoach.model import MAX_LOAD_KG, now_iso
from backcoach.routines import (
    MAX_HOLD_SECONDS,
    MAX_ITEMS,
    MAX_NAME,
    MAX_NOTE,
    MAX_REPS,
    MAX_REST_SECONDS,
    MAX_SESSIONS_PER_WEEK,
    MAX_SETS,
    PlannedSet,
    Purpose,
    Routine,
    RoutineBook,
    RoutineError,
    RoutineItem,
    check_routine,
    new_id,
)
from backcoach.rules import MAX_INCREMENT_KG, MAX_WARMUP_SETS
from backcoach.storage import atomic_write, encode
from backcoach.tempo import Tempo, TempoError
from backcoach.validation import is_int

FORMAT = "backcoach-routines"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_ROUTINES_PER_FILE = 200
MAX_SHOWN_PROBLEMS = 20

_TOP_KEYS = {"format", "version", "exported_at", "routines"}
# id, created_at and updated_at are read past: an imported routine is a new one.
_ROUTINE_KEYS = {"id", "name", "notes", "sessions_per_week", "template", "purpose", "equipment", "created_at",
                 "updated_at", "items"}
_ITEM_KEYS = {"id", "exercise_id", "sets", "tempo", "rest_seconds", "per_side", "warmup_sets", "superset",
              "note", "increment_kg"}
_SET_KEYS = {"reps", "seconds", "load_kg"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RoutineFileError(ValueError):
    """A routines file that cannot be imported; `problems` lists every finding."""

    def __init__(self, problems: Sequence[str], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        shown = self.problems[:MAX_SHOWN_PROBLEMS]
        more = len(self.problems) - len(shown)
        head = f"{source} cannot be imported" if source else "The routines file cannot be imported"
        count = len(self.problems)
        text = f"{head} ({count} problem{'s' if count != 1 else ''}):\n" + "\n".join(f"- {p}" for p in shown)
        if more:
            text += f"\n... and {more} more"
        super().__init__(text)


# --- writing ------------------------------------------------------------------------------

def export_routines(routines: Sequence[Routine]) -> dict[str, Any]:
    """The routines as a JSON-ready routines-file object."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": now_iso(),
        "routines": [r.to_dict() for r in routines],
    }


def write_routines(routines: Sequence[Routine], path: Path | str) -> None:
    """Write a routines file atomically (a crash leaves the old file or the new one).

    Refuses, writing nothing, when the file would be larger than a routines file may be,
    so everything exported can be imported again.
    """
    payload = encode(export_routines(routines))
    if len(payload) > MAX_FILE_BYTES:
        raise RoutineFileError(
            [f"{len(routines)} routines make a file of {_size(len(payload))}; a routines file can be at most "
             f"{_LIMIT}: export fewer at a time"],
            source=Path(path).name,
        )
    atomic_write(Path(path), payload)


# --- reading ------------------------------------------------------------------------------

def read_routines(path: Path | str, library: Any) -> list[Routine]:
    """The routines in the file at `path`, all checked; RoutineFileError if anything is wrong.

    `library` is the exercise library (or any collection of known exercise ids, e.g. the
    library's plus the user's own exercises).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise RoutineFileError(["it is not a file"], source=path.name)
        if size > MAX_FILE_BYTES:
            raise RoutineFileError(
                [f"the file is {_size(size)}; a routines file can be at most {_LIMIT}"],
                source=path.name,
            )
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)  # it may have grown since stat()
    except FileNotFoundError:
        raise RoutineFileError(["the file does not exist"], source=path.name) from None
    except OSError as exc:
        raise RoutineFileError([f"the file cannot be read ({exc.strerror or exc})"], source=path.name) from None
    return parse_routines(data, library, source=path.name)


def parse_routines(data: bytes | bytearray | memoryview | str, library: Any, source: str | None = None) -> list[Routine]:
    """The routines in a routines file's content; RoutineFileError listing every problem.

    Nothing is returned unless everything is right, so a caller never imports half a file.
    """
    known = _known_ids(library)
    document = _decode(data, source)
    problems: list[str] = []
    raw_routines = _check_envelope(document, problems, source)
    routines: list[Routine] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(raw_routines, 1):
        routine = _parse_routine(raw, n, known, problems)
        name = raw.get("name") if isinstance(raw, dict) else None
        if isinstance(name, str) and name.strip():
            key = name.strip().casefold()
            if key in seen:
                problems.append(f"{_routine_label(n, name)}, field 'name': routine {seen[key]} has the same name; "
                                "the routines in one file need different names")
                continue
            seen[key] = n
        if routine is not None:
            routines.append(routine)
    if problems:
        raise RoutineFileError(problems, source)
    return routines


def _known_ids(library: Any) -> set[str] | None:
    if library is None:
        return None
    exercises = getattr(library, "exercises", None)
    if isinstance(exercises, dict):
        return set(exercises)
    return set(library)


class _BadConstant(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _BadConstant(name)


def _decode(data: Any, source: str | None) -> Any:
    def fail(message: str) -> RoutineFileError:
        return RoutineFileError([message], source)

    if isinstance(data, str):
        text = data
        if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
            raise fail(f"the file is larger than {_LIMIT}, the most a routines file can be")
    else:
        raw = bytes(data)
        if len(raw) > MAX_FILE_BYTES:
            raise fail(f"the file is {_size(len(raw))}; a routines file can be at most {_LIMIT}")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise fail(f"the file is not UTF-8 text (an invalid byte at position {exc.start}); "
                       "it is not a BackCoach routines file") from None
    if not text.strip():
        raise fail("the file is empty")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise fail(f"the file is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
                   "it is not a BackCoach routines file") from None
    except _BadConstant as exc:
        raise fail(f"the file is not valid JSON: {exc} is not a number JSON allows") from None
    except RecursionError:
        raise fail("the file is not a BackCoach routines file: its JSON is nested far too deeply") from None
    except ValueError:  # an integer with thousands of digits (Python refuses to convert it)
        raise fail("the file holds a number with thousands of digits; it is not a BackCoach routines file") from None


def _check_envelope(document: Any, problems: list[str], source: str | None) -> list[Any]:
    """The raw routine entries of a well-formed file; stops at once for a foreign or newer file."""
    if not isinstance(document, dict):
        raise RoutineFileError([f"not a BackCoach routines file: it holds {_kind(document)}, "
                                f"not an object with \"format\": \"{FORMAT}\""], source)
    if "format" not in document:
        raise RoutineFileError(["not a BackCoach routines file: it has no 'format' field"], source)
    if document["format"] != FORMAT:
        raise RoutineFileError([f"not a BackCoach routines file: its format is {_show(document['format'])}, "
                                f"expected {FORMAT!r}"], source)
    version = document.get("version")
    if "version" not in document:
        raise RoutineFileError(["field 'version' is missing"], source)
    if not _is_int(version):
        raise RoutineFileError([f"field 'version': expected a whole number, got {_show(version)}"], source)
    if version > FORMAT_VERSION:
        raise RoutineFileError([
            f"this file was written by a newer version of BackCoach (routines format version {version}; "
            f"this version reads up to {FORMAT_VERSION}). Update BackCoach to import it"], source)
    if version < 1:
        raise RoutineFileError([f"field 'version': {version} is not a routines format version"], source)
    for key in document:
        if key not in _TOP_KEYS:
            problems.append(f"unknown field {_show(key)} (allowed: {', '.join(sorted(_TOP_KEYS))})")
    if "exported_at" in document and document["exported_at"] is not None:
        _check_text(document["exported_at"], "field 'exported_at'", problems, max_len=100, one_line=True)
    if "routines" not in document:
        problems.append("field 'routines' is missing")
        return []
    routines = document["routines"]
    if not isinstance(routines, list):
        problems.append(f"field 'routines': expected a list of routines, got {_kind(routines)}")
        return []
    if len(routines) > MAX_ROUTINES_PER_FILE:
        problems.append(f"field 'routines': {len(routines)} routines; a file can hold at most "
                        f"{MAX_ROUTINES_PER_FILE}")
    return routines


# --- one routine --------------------------------------------------------------------------

def routine_problems(documents: Sequence[Any], known: set[str] | None = None) -> list[str]:
    """Every problem of saved routine documents (a backup's), found exactly as a routines
    file's routines are checked; empty when all of them are sound."""
    problems: list[str] = []
    for n, raw in enumerate(documents, 1):
        _parse_routine(raw, n, known, problems)
    return problems


def _parse_routine(raw: Any, n: int, known: set[str] | None, problems: list[str]) -> Routine | None:
    if not isinstance(raw, dict):
        problems.append(f"routine {n}: expected an object with a name and items, got {_kind(raw)}")
        return None
    start = len(problems)
    name = raw.get("name")
    label = _routine_label(n, name if isinstance(name, str) else None)
    f = _Fields(raw, label, problems)
    f.unknown(_ROUTINE_KEYS)
    name = f.text("name", required=True, max_len=MAX_NAME, one_line=True)
    notes = f.text("notes", default="", max_len=MAX_NOTE * 4)
    sessions = f.integer("sessions_per_week", 1, MAX_SESSIONS_PER_WEEK, default=2)
    template = f.text("template", default=None, max_len=MAX_NAME, one_line=True, nullable=True)
    purpose = f.text("purpose", default=Purpose.BALANCED.value, max_len=MAX_NAME, one_line=True)
    if purpose not in {p.value for p in Purpose}:
        problems.append(f"{label}, field 'purpose': {_show(purpose)} is not one of: "
                        f"{', '.join(p.value for p in Purpose)}")
    equipment = f.get("equipment", list, "a list of equipment ids", required=False) or []
    if not all(isinstance(q, str) and re.fullmatch(r"[a-z0-9-]{1,40}", q) for q in equipment):
        problems.append(f"{label}, field 'equipment': every item must be an equipment id such as \"dumbbell\"")
    raw_items = f.get("items", list, "a list of exercises", required=True)
    items: list[RoutineItem] = []
    if isinstance(raw_items, list):
        if len(raw_items) > MAX_ITEMS:
            problems.append(f"{label}, field 'items': {len(raw_items)} exercises; a routine can have at most "
                            f"{MAX_ITEMS}")
        for m, raw_item in enumerate(raw_items, 1):
            item = _parse_item(raw_item, f"{label}, item {m}", known, problems)
            if item is not None:
                items.append(item)
    if len(problems) > start:
        return None
    routine = Routine(name=name, items=tuple(items), notes=notes, sessions_per_week=sessions, template=template,
                      purpose=Purpose(purpose), equipment=tuple(equipment))
    try:  # the model's own limits, as a last line (the checks above should already cover them)
        check_routine(routine, known)
    except RoutineError as exc:
        problems.append(f"{label}: {exc}")
        return None
    return routine


def _parse_item(raw: Any, where: str, known: set[str] | None, problems: list[str]) -> RoutineItem | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected an object with an exercise_id and sets, got {_kind(raw)}")
        return None
    start = len(problems)
    exercise_id = raw.get("exercise_id")
    if isinstance(exercise_id, str) and re.fullmatch(r"[\w.-]{1,60}", exercise_id):
        where = f"{where} ({exercise_id})"
    f = _Fields(raw, where, problems)
    f.unknown(_ITEM_KEYS)
    exercise_id = f.text("exercise_id", required=True, max_len=100, one_line=True)
    if exercise_id and known is not None and exercise_id not in known:
        f.fail("exercise_id", f"unknown exercise id {_show(exercise_id)} (not in this BackCoach's library)")
    raw_sets = f.get("sets", list, "a list of sets", required=True)
    sets: list[PlannedSet] = []
    if isinstance(raw_sets, list):
        if not 1 <= len(raw_sets) <= MAX_SETS:
            f.fail("sets", f"{len(raw_sets)} sets; an exercise needs 1 to {MAX_SETS}")
        for k, raw_set in enumerate(raw_sets, 1):
            planned = _parse_set(raw_set, f"{where}, set {k}", problems)
            if planned is not None:
                sets.append(planned)
    tempo = f.text("tempo", default=None, max_len=40, one_line=True, nullable=True)
    if tempo is not None:
        try:
            Tempo.parse(tempo)
        except TempoError as exc:
            f.fail("tempo", str(exc))
    rest = f.integer("rest_seconds", 0, MAX_REST_SECONDS, default=90, unit=" seconds")
    per_side = f.boolean("per_side", default=False)
    warmups = f.integer("warmup_sets", 0, MAX_WARMUP_SETS, default=0)
    superset = f.text("superset", default=None, max_len=40, one_line=True, nullable=True)
    if superset is not None and not re.fullmatch(r"[A-Z]", superset):
        f.fail("superset", f"{_show(superset)} is not a superset group: use one capital letter, A to Z")
    note = f.text("note", default="", max_len=MAX_NOTE)
    increment = f.number("increment_kg", 0.0, MAX_INCREMENT_KG, default=None, low_inclusive=True, unit=" kg")
    if len(problems) > start:
        return None
    return RoutineItem(
        exercise_id=exercise_id, sets=tuple(sets), tempo=tempo, rest_seconds=rest, per_side=per_side,
        warmup_sets=warmups, superset=superset, note=note, increment_kg=increment,
    )


def _parse_set(raw: Any, where: str, problems: list[str]) -> PlannedSet | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected an object with reps or seconds, got {_kind(raw)}")
        return None
    start = len(problems)
    f = _Fields(raw, where, problems)
    f.unknown(_SET_KEYS)
    reps = None
    raw_reps = raw.get("reps")
    if raw_reps is not None:
        if (not isinstance(raw_reps, list) or len(raw_reps) != 2 or not all(_is_int(v) for v in raw_reps)):
            f.fail("reps", f"expected [low, high], two whole numbers, got {_show(raw_reps)}")
        elif not 1 <= raw_reps[0] <= raw_reps[1] <= MAX_REPS:
            f.fail("reps", f"{_show(raw_reps)} is not a sensible range: reps must be 1–{MAX_REPS}, low before high")
        else:
            reps = (raw_reps[0], raw_reps[1])
    seconds = f.integer("seconds", 1, MAX_HOLD_SECONDS, default=None, nullable=True, unit=" seconds")
    load = f.number("load_kg", 0.0, MAX_LOAD_KG, default=None, low_inclusive=False, unit=" kg")
    if raw_reps is None and raw.get("seconds") is None:
        problems.append(f"{where}: give either reps or hold seconds")
    elif raw_reps is not None and raw.get("seconds") is not None:
        problems.append(f"{where}: give either reps or hold seconds, not both")
    if len(problems) > start:
        return None
    return PlannedSet(reps=reps, seconds=seconds, load_kg=load)


class _Fields:
    """Typed access to one JSON object's fields, recording problems instead of raising."""

    def __init__(self, data: dict[str, Any], where: str, problems: list[str]):
        self.data = data
        self.where = where
        self.problems = problems

    def fail(self, key: str, message: str) -> None:
        self.problems.append(f"{self.where}, field '{key}': {message}")

    def unknown(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.problems.append(f"{self.where}: unknown field {_show(key)}")

    def get(self, key: str, kind: type | tuple[type, ...], expected: str, required: bool = False, default: Any = None,
            nullable: bool = False) -> Any:
        if key not in self.data or (nullable and self.data[key] is None):
            if required and key not in self.data:
                self.fail(key, "missing")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.fail(key, f"expected {expected}, got {_show(value)}")
            return default
        return value

    def text(self, key: str, required: bool = False, default: Any = "", max_len: int = MAX_NOTE,
             one_line: bool = False, nullable: bool = False) -> Any:
        value = self.get(key, str, "text", required, default, nullable)
        if not isinstance(value, str) or key not in self.data:
            return value
        before = len(self.problems)
        _check_text(value, f"{self.where}, field '{key}'", self.problems, max_len, one_line)
        if required and not value.strip():
            self.fail(key, "must not be empty")
        return value if len(self.problems) == before else default

    def integer(self, key: str, low: int, high: int, default: Any, nullable: bool = False, unit: str = "") -> Any:
        value = self.get(key, int, "a whole number", default=default, nullable=nullable)
        if _is_int(value) and key in self.data and not low <= value <= high:
            self.fail(key, f"{value}{unit} is outside the sensible range {low}–{high}{unit}")
            return default
        return value

    def number(self, key: str, low: float, high: float, default: Any, low_inclusive: bool, unit: str = "") -> Any:
        value = self.get(key, (int, float), "a number", default=default, nullable=True)
        if value is None:
            return value
        ok = (low <= value if low_inclusive else low < value) and value <= high
        if not ok:
            bound = "at least" if low_inclusive else "above"
            self.fail(key, f"{_show(value)}{unit} is not sensible: it must be {bound} {low:g} and at most {high:g}{unit}")
            return default
        return float(value)

    def boolean(self, key: str, default: bool) -> Any:
        return self.get(key, bool, "true or false", default=default)


def _check_text(value: Any, where: str, problems: list[str], max_len: int, one_line: bool) -> None:
    if not isinstance(value, str):
        problems.append(f"{where}: expected text, got {_show(value)}")
        return
    if len(value) > max_len:
        problems.append(f"{where}: at most {max_len} characters, has {len(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        problems.append(f"{where}: contains an invalid character (a lone UTF-16 surrogate)")
        return
    if (_CONTROL if one_line else _CONTROL_BUT_LINES).search(value):
        problems.append(f"{where}: contains control characters" + (" or line breaks" if one_line else ""))


# --- importing ----------------------------------------------------------------------------

def import_routines(book: RoutineBook, routines: Sequence[Routine]) -> list[tuple[str, str]]:
    """Save `routines` into the book in one all-or-nothing write; return (name in file, saved name).

    Each routine and item gets a new id, so importing a file twice gives two copies. A name
    already in the book (ignoring case) gets a number, 'Pull day (2)'; nothing is overwritten.
    """
    if not routines:
        return []
    taken = {n.casefold() for n in book.names()}
    chosen: list[str | None] = [None] * len(routines)
    # Names that are free keep them; only then are the clashing ones numbered, so a file
    # holding 'Pull day' and 'Pull day (2)' keeps the second name as it is.
    for i, r in enumerate(routines):
        if r.name.casefold() not in taken:
            chosen[i] = r.name
            taken.add(r.name.casefold())
    for i, r in enumerate(routines):
        if chosen[i] is None:
            wanted = book.unique_name(r.name)
            if wanted.casefold() in taken or len(wanted) > MAX_NAME:
                wanted = _free_name(r.name, taken)
            chosen[i] = wanted
            taken.add(wanted.casefold())
    names = [name for name in chosen if name is not None]  # every routine has one by now
    stamp = now_iso()
    fresh = [
        replace(r, id=new_id(), name=name, created_at=stamp, updated_at=stamp,
                items=tuple(replace(item, id=new_id()) for item in r.items))
        for r, name in zip(routines, names)
    ]
    book.save_many(fresh)
    return [(r.name, name) for r, name in zip(routines, names)]


def _free_name(wanted: str, taken: Iterable[str]) -> str:
    """'wanted (n)' with the smallest free n >= 2, shortened to fit MAX_NAME."""
    taken = set(taken)
    base = re.sub(r"\s*\(\d+\)$", "", wanted).strip() or wanted.strip()
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = base[:MAX_NAME - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in taken:
            return candidate
        n += 1


# --- small helpers -----------------------------------------------------------------------

_is_int = is_int  # backcoach.validation: a whole number, not a bool


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _show(value: Any) -> str:
    """A value as JSON would show it, shortened for a message."""
    if isinstance(value, str):
        text = repr(value[:40] + ("…" if len(value) > 40 else ""))
    elif isinstance(value, bool) or value is None:
        text = json.dumps(value)
    elif isinstance(value, int):
        text = str(value) if value.bit_length() < 64 else "a very large number"
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, list) and len(value) <= 4 and all(
            v is None or isinstance(v, (bool, int, float, str)) for v in value):
        text = "[" + ", ".join(_show(v) for v in value) + "]"
    elif isinstance(value, list):
        text = f"a list of {len(value)} values"
    else:
        text = _kind(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _routine_label(n: int, name: str | None) -> str:
    if isinstance(name, str) and name.strip():
        return f"routine {n} {_show(name.strip())}"
    return f"routine {n}"


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 10_000_000 else f"{n / 1_000_000:,.0f} MB"


_LIMIT = f"{MAX_FILE_BYTES / 1_000_000:g} MB ({MAX_FILE_BYTES:,} bytes)"
