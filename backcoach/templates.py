"""Shipped routine templates: ready-made routines a user copies and then makes their own.

The templates are data, `data/templates.toml` (its header explains the format). Loading
checks every field, collects every problem before failing, and names the template, the item
and the field, as the library loader does. Beyond the types it checks that each template
keeps the programming guidance it was written from:

- it has an exercise of every movement pattern it promises (`covers`);
- no exercise is above the template's level, and only the equipment it allows is needed;
- beginner templates keep to 2–3 work sets and at most 2 sessions a week (3 for an
  intermediate template, 5 for an advanced one), except for mobility templates;
- it declares its purpose (balanced, specialisation or mobility), which the routine keeps,
  and the guidance of `backcoach.guidance` has nothing to say about it (a test checks);
- per-side sets only for one-sided exercises, holds only for timed exercises, a tempo only
  for rep exercises;
- heavy hinge work (8 reps or fewer with load) rests 120–180 s;
- a superset group has at least two exercises.

A template is never edited: `routine_from_template` makes a fresh copy with new ids and a
name not yet used in the user's routines. Pure Python, no Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from importlib.resources.abc import Traversable

from backcoach.library import Exercise, Library
from backcoach.model import now_iso
from backcoach.resources import DATA_DIR
from backcoach.routines import (
    MAX_ITEMS,
    MAX_NAME,
    MAX_NOTE,
    MAX_REST_SECONDS,
    MAX_SESSIONS_PER_WEEK,
    MAX_SETS,
    Purpose,
    Routine,
    RoutineBook,
    RoutineError,
    RoutineItem,
    build_sets,
    check_routine,
    new_id,
    parse_loads,
    parse_reps,
)
from backcoach.rules import (
    BEGINNER_TEMPLATE_SETS,
    HEAVY_HINGE_MAX_REPS,
    HEAVY_HINGE_REST_SECONDS,
    MAX_WARMUP_SETS,
    max_sessions_per_week,
)
from backcoach.tempo import Tempo, TempoError
from backcoach.validation import Fields, Problems, read_toml

TEMPLATES_FILE = "templates.toml"

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TEMPLATE_KEYS = {"id", "name", "level", "sessions_per_week", "purpose", "covers", "equipment", "description", "item"}
_ITEM_KEYS = {"exercise_id", "sets", "reps", "hold", "load", "tempo", "rest_seconds", "per_side", "warmup_sets",
              "superset", "note"}


class TemplateError(ValueError):
    """The templates file is invalid; `problems` lists every finding."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        shown = self.problems[:20]
        more = len(self.problems) - len(shown)
        super().__init__("\n".join(shown) + (f"\n... and {more} more" if more else ""))


@dataclass(frozen=True)
class Template:
    """A ready-made routine. `routine` is the template's own copy: never save or edit it,
    copy it with `routine_from_template`."""

    id: str
    name: str
    description: str
    level: str
    routine: Routine
    covers: tuple[str, ...] = ()  # movement patterns the template promises
    equipment: tuple[str, ...] = ()  # the only equipment allowed; empty: any

    @property
    def sessions_per_week(self) -> int:
        return self.routine.sessions_per_week

    def exercise_ids(self) -> list[str]:
        return [item.exercise_id for item in self.routine.items]


def load_templates(library: Library, path: Path | None = None) -> list[Template]:
    """The shipped templates (or those in `path`), checked; TemplateError lists every problem."""
    source: Traversable = Path(path) if path is not None else DATA_DIR / TEMPLATES_FILE
    problems = Problems()
    data = read_toml(source, problems, source.name)
    templates: list[Template] = []
    if data is None:
        raise TemplateError(problems.items)
    for key in data:
        if key != "template":
            problems.add(source.name, f"unknown top-level key {key!r} (templates are [[template]] tables)")
    entries = data.get("template")
    if not isinstance(entries, list) or not entries:
        problems.add(source.name, "has no [[template]] entries")
        entries = []
    ids: set[str] = set()
    names: set[str] = set()
    for index, raw in enumerate(entries, 1):
        ident = raw.get("id") if isinstance(raw, dict) else None
        where = f"{source.name}, template {ident if isinstance(ident, str) and ident else '#' + str(index)}"
        template = _load_template(raw, where, problems, library)
        if template is None:
            continue
        if template.id in ids:
            problems.add(f"{where}, field 'id'", f"duplicate template id {template.id!r}")
            continue
        if template.name.casefold() in names:
            problems.add(f"{where}, field 'name'", f"another template is already called {template.name!r}")
            continue
        ids.add(template.id)
        names.add(template.name.casefold())
        templates.append(template)
    if problems.items:
        raise TemplateError(problems.items)
    return templates


def routine_from_template(template: Template, book: RoutineBook) -> Routine:
    """A new routine copied from the template, ready to save in `book`: new ids for it and its
    items, the template's name (numbered if the book already has it), and `template` set."""
    stamp = now_iso()
    return replace(
        template.routine, id=new_id(), name=book.unique_name(template.name), template=template.id,
        created_at=stamp, updated_at=stamp, items=tuple(replace(item, id=new_id()) for item in template.routine.items),
    )


# --- loading -----------------------------------------------------------------------------

def _load_template(raw: Any, where: str, problems: Problems, library: Library) -> Template | None:
    if not isinstance(raw, dict):
        problems.add(where, "is not a table")
        return None
    e = Fields(raw, where, problems)
    template_id = e.text("id")
    if template_id and not _ID.match(template_id):
        e.fail("id", f"{template_id!r} must be lowercase words joined by hyphens")
    name = e.text("name", max_len=MAX_NAME)
    level = e.choice("level", library.levels)
    sessions = e.positive_int("sessions_per_week", 1, MAX_SESSIONS_PER_WEEK)
    # Left out, a template is a balanced back day, judged on every movement.
    purpose = e.choice("purpose", [p.value for p in Purpose]) if "purpose" in raw else Purpose.BALANCED.value
    covers = e.ids("covers", library.patterns, "pattern", min_items=1)
    equipment = e.ids("equipment", library.equipment, "equipment", required=False)
    description = e.text("description", max_len=MAX_NOTE * 4)
    if description and not 2 <= _sentences(description) <= 3:
        e.fail("description", f"should be 2–3 sentences (who it is for, how to progress), has {_sentences(description)}")
    e.unknown_keys(_TEMPLATE_KEYS)

    raw_items = e.get("item", list)
    items: list[RoutineItem] = []
    exercises: list[Exercise] = []
    if isinstance(raw_items, list):
        if not 1 <= len(raw_items) <= MAX_ITEMS:
            e.fail("item", f"needs 1 to {MAX_ITEMS} exercises, has {len(raw_items)}")
        for m, raw_item in enumerate(raw_items, 1):
            ex_id = raw_item.get("exercise_id") if isinstance(raw_item, dict) else None
            label = f"{where}, item {m}" + (f" ({ex_id})" if isinstance(ex_id, str) and ex_id else "")
            loaded = _load_item(raw_item, label, problems, library, level, set(equipment))
            if loaded is None:
                e.ok = False
                continue
            item, exercise = loaded
            items.append(item)
            exercises.append(exercise)
    if not e.ok:
        return None

    # Guidance across the items.
    patterns = {ex.pattern for ex in exercises}
    for pattern in covers:
        if pattern not in patterns:
            e.fail("covers", f"promises {library.patterns[pattern].lower()} ({pattern}) but has no such exercise")
    most = max_sessions_per_week(level)
    if purpose != Purpose.MOBILITY and sessions is not None and sessions > most:
        e.fail("sessions_per_week", f"{sessions} is more than a {level} template should ask for (at most {most})")
    groups: dict[str, int] = {}
    for item in items:
        if item.superset:
            groups[item.superset] = groups.get(item.superset, 0) + 1
    for letter, count in sorted(groups.items()):
        if count < 2:
            e.fail("item", f"superset {letter} has only one exercise; a superset alternates two or more")
    if not e.ok or sessions is None:
        return None
    routine = Routine(name=name, items=tuple(items), notes=description, sessions_per_week=sessions,
                      template=template_id, purpose=Purpose(purpose), equipment=tuple(equipment))
    try:
        check_routine(routine, library.exercises)
    except RoutineError as exc:
        problems.add(where, str(exc))
        return None
    return Template(id=template_id, name=name, description=description, level=level, routine=routine,
                    covers=covers, equipment=equipment)


def _load_item(raw: Any, where: str, problems: Problems, library: Library, level: str,
               allowed_equipment: set[str]) -> tuple[RoutineItem, Exercise] | None:
    if not isinstance(raw, dict):
        problems.add(where, "is not a table")
        return None
    e = Fields(raw, where, problems)
    exercise_id = e.text("exercise_id")
    exercise = library.exercises.get(exercise_id) if exercise_id else None
    if exercise_id and exercise is None:
        e.fail("exercise_id", f"unknown exercise id {exercise_id!r}")
    sets = e.positive_int("sets", 1, MAX_SETS)
    if sets is not None and not 1 <= sets <= MAX_SETS:
        sets = None  # reported; no sets can be built from it
    reps_text = e.get("reps", str, required=False)
    hold_text = e.get("hold", str, required=False)
    load_text = e.get("load", str, required=False, default="")
    tempo = e.get("tempo", str, required=False)
    rest = e.positive_int("rest_seconds", 0, MAX_REST_SECONDS, required=False)
    per_side = e.get("per_side", bool, required=False)
    warmups = e.positive_int("warmup_sets", 0, MAX_WARMUP_SETS, required=False)
    superset = e.get("superset", str, required=False)
    note = e.text("note", required=False, max_len=MAX_NOTE)
    e.unknown_keys(_ITEM_KEYS)
    if superset is not None and not re.fullmatch(r"[A-Z]", superset):
        e.fail("superset", f"{superset!r} is not a group: use one capital letter, A to Z")
    if exercise is None:
        return None

    # What the exercise allows.
    name = exercise.name
    if exercise.is_timed:
        if "reps" in raw:
            e.fail("reps", f"{name} is a timed exercise: give `hold`, e.g. \"30 s\"")
        elif "hold" not in raw:
            e.fail("hold", f"missing ({name} is a timed exercise: give a hold, e.g. \"30 s\")")
        if "tempo" in raw:
            e.fail("tempo", f"{name} is a timed exercise, which has no tempo")
    else:
        if "hold" in raw:
            e.fail("hold", f"{name} is counted in reps: give `reps`, e.g. \"8-12\"")
        elif "reps" not in raw:
            e.fail("reps", f"missing (give the reps for {name}, e.g. \"8-12\")")
    if per_side and not exercise.unilateral:
        e.fail("per_side", f"{name} works both sides at once; per_side is only for one-sided exercises")
    ranks = list(library.levels)
    if level in ranks and ranks.index(exercise.level) > ranks.index(level):
        e.fail("exercise_id", f"{name} is an {exercise.level} exercise, above this {level} template")
    if allowed_equipment:
        missing = [q for q in exercise.equipment if q not in allowed_equipment]
        if missing:
            e.fail("exercise_id", f"{name} needs {', '.join(missing)}, which this template does not allow "
                                  f"(only {', '.join(sorted(allowed_equipment))})")
    if level == "beginner" and sets is not None and not BEGINNER_TEMPLATE_SETS[0] <= sets <= BEGINNER_TEMPLATE_SETS[1]:
        e.fail("sets", f"{sets} sets: a beginner template keeps to {BEGINNER_TEMPLATE_SETS[0]}–{BEGINNER_TEMPLATE_SETS[1]} work sets")
    if tempo is not None and not exercise.is_timed:
        try:
            Tempo.parse(tempo)
        except TempoError as exc:
            e.fail("tempo", str(exc))

    # The sets, from the same short texts the editor reads.
    text_key = "hold" if exercise.is_timed else "reps"
    text = hold_text if exercise.is_timed else reps_text
    planned = None
    if sets is not None and isinstance(text, str) and isinstance(load_text, str):
        texts_ok = True
        try:
            values = parse_reps(text, sets, timed=exercise.is_timed)
            if not exercise.is_timed and any(seconds is not None for _, seconds in values):
                e.fail("reps", f"{text!r} is a hold, but {name} is counted in reps")
                texts_ok = False
        except RoutineError as exc:
            e.fail(text_key, str(exc))
            texts_ok = False
        try:
            parse_loads(load_text, sets, "kg")
        except RoutineError as exc:
            e.fail("load", str(exc))
            texts_ok = False
        if texts_ok:
            try:
                planned = build_sets(text, load_text, sets, "kg", timed=exercise.is_timed)
            except RoutineError as exc:  # the checks above should already have caught it
                e.fail(text_key, str(exc))
    if planned is None or not e.ok:
        e.ok = False
        return None

    rest = rest if rest is not None else exercise.prescription.rest_seconds
    top_reps = max((s.reps[1] for s in planned if s.reps), default=None)
    heavy_hinge = (exercise.pattern == "hinge" and exercise.increment_kg > 0 and top_reps is not None
                   and top_reps <= HEAVY_HINGE_MAX_REPS)
    low, high = HEAVY_HINGE_REST_SECONDS
    if heavy_hinge and not low <= rest <= high:
        e.fail("rest_seconds", f"{rest} s: heavy hinge work ({HEAVY_HINGE_MAX_REPS} reps or fewer) rests {low}–{high} s")
    if not e.ok:
        return None
    item = RoutineItem(
        exercise_id=exercise.id, sets=planned, tempo=tempo, rest_seconds=rest,
        per_side=exercise.unilateral if per_side is None else per_side,
        warmup_sets=warmups or 0, superset=superset, note=note,
    )
    return item, exercise


def _sentences(text: str) -> int:
    """Sentences in a description: runs of text ending in . ! or ? (a number like 2.5 is not an end)."""
    return len(re.findall(r"[.!?](?=\s|$)", text.strip()))
