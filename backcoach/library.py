"""The exercise library and the muscle catalogue: loading, validation, search and filters.

The shipped content is TOML under `data/` (see data/README.md for the format). Loading
checks every field and every cross-reference, and collects all problems before failing, so
whoever edits the files sees each mistake with its file, entry and field at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from enum import StrEnum
from functools import cached_property, lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from backcoach.movement import (
    DEFAULT_MOVEMENT, MAX_EXPLOSIVE_SECONDS, MAX_WORD, WORD_KINDS, Movement, SegmentKind, Sides, Start,
)
from backcoach.resources import DATA_DIR
from backcoach.rules import MAX_INCREMENT_KG
from backcoach.tempo import DEFAULT_TEMPO, Tempo, TempoError
from backcoach.validation import Fields, Problems, is_int, read_toml

MODES = ("reps", "timed")
FOCUS_CUE_MAX = 60
MUSCLE_GROUPS = ("superficial", "intermediate", "deep", "shoulders", "arms", "core", "hips", "legs")
MUSCLE_GROUP_NAMES = {
    "superficial": "Back, superficial layer",
    "intermediate": "Back, intermediate layer",
    "deep": "Back, deep layer",
    "shoulders": "Shoulders",
    "arms": "Arms",
    "core": "Core",
    "hips": "Hips",
    "legs": "Legs",
}


class Progression(StrEnum):
    """How an exercise gets harder from one session to the next (`backcoach.progression`).

    Stated in the data rather than guessed from the name or the equipment, because the
    same-looking entries progress differently: a negative pull-up by a longer lowering, a
    band-assisted one by a lighter band, a bird dog by a longer hold.
    """

    LOAD = "load"  # double progression: reps to the top of the range, then more load
    BODYWEIGHT = "bodyweight"  # reps, then a slower lowering, then reps beyond the range
    NEGATIVE = "negative"  # a longer lowering (to 8–10 s), reps capped near five
    BAND = "band"  # reps to the top of the range, then a lighter band
    HOLD = "hold"  # longer holds (a timed hold, or the hold inside each rep); never load


def default_progression(mode: str, increment_kg: float) -> Progression:
    """The progression an entry gets when it does not name one: holds for timed work, load
    when it has a load step, body weight otherwise."""
    if mode == "timed":
        return Progression.HOLD
    return Progression.LOAD if increment_kg > 0 else Progression.BODYWEIGHT


class LibraryError(Exception):
    """The shipped or user-edited content is invalid. `problems` lists every finding."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        shown = self.problems[:20]
        more = len(self.problems) - len(shown)
        text = "\n".join(shown) + (f"\n... and {more} more" if more else "")
        super().__init__(text)


@dataclass(frozen=True)
class Muscle:
    id: str
    name: str
    group: str
    function: str


@dataclass(frozen=True)
class Prescription:
    """The default dose of an exercise: what a sensible first routine would use."""

    sets: int
    rest_seconds: int
    reps: tuple[int, int] | None = None
    seconds: int | None = None
    tempo: Tempo | None = None

    def describe(self, unilateral: bool = False) -> str:
        """e.g. '3 × 8–12 reps · rest 90 s' or '3 × 30 s each side · rest 60 s'."""
        if self.reps is not None:
            low, high = self.reps
            dose = f"{low}" if low == high else f"{low}–{high}"
            dose += " reps"
        else:
            dose = f"{self.seconds} s"
        if unilateral:
            dose += " each side"
        return f"{self.sets} × {dose} · rest {self.rest_seconds} s"


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    aliases: tuple[str, ...]
    pattern: str
    equipment: tuple[str, ...]
    level: str
    primary_muscles: tuple[str, ...]
    secondary_muscles: tuple[str, ...]
    unilateral: bool
    mode: str
    prescription: Prescription
    steps: tuple[str, ...]
    tips: tuple[str, ...]
    mistakes: tuple[str, ...]
    focus_cue: str
    harder: tuple[str, ...]
    increment_kg: float
    sources: tuple[str, ...]
    source_file: str = ""
    easier: tuple[str, ...] = ()
    movement: Movement = DEFAULT_MOVEMENT
    progression: Progression | None = None  # None: follows from the mode and load step

    def __post_init__(self) -> None:
        if self.progression is None:
            object.__setattr__(self, "progression", default_progression(self.mode, self.increment_kg))

    @property
    def is_timed(self) -> bool:
        return self.mode == "timed"

    @property
    def muscles(self) -> tuple[str, ...]:
        return self.primary_muscles + self.secondary_muscles

    @cached_property
    def search_keys(self) -> tuple[str, ...]:
        return tuple(normalize(n) for n in (self.name, *self.aliases))

    @cached_property
    def search_forms(self) -> _SearchForms:
        return _SearchForms.of((self.name, *self.aliases))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary, as `backcoach exercises --json` prints it."""
        p = self.prescription
        return {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "pattern": self.pattern,
            "equipment": list(self.equipment),
            "level": self.level,
            "primary_muscles": list(self.primary_muscles),
            "secondary_muscles": list(self.secondary_muscles),
            "unilateral": self.unilateral,
            "mode": self.mode,
            "prescription": {
                "sets": p.sets,
                "reps": list(p.reps) if p.reps else None,
                "seconds": p.seconds,
                "tempo": str(p.tempo) if p.tempo else None,
                "rest_seconds": p.rest_seconds,
            },
            "movement": self.movement.to_dict(),
            "focus_cue": self.focus_cue,
            "easier": list(self.easier),
            "harder": list(self.harder),
            "progression": str(self.progression),
        }


def normalize(text: str) -> str:
    """Fold case and drop everything but letters and digits: 'Pull-Up' == 'pull up' == 'pullup'."""
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


@dataclass(frozen=True)
class Library:
    muscles: dict[str, Muscle]
    exercises: dict[str, Exercise]
    patterns: dict[str, str]
    levels: dict[str, str]
    equipment: dict[str, str]
    _by_muscle: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.exercises)

    def exercise(self, exercise_id: str) -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise KeyError(f"unknown exercise id {exercise_id!r}") from None

    def search(self, query: str) -> list[Exercise]:
        """Exercises whose name or an alias matches, best match first.

        Matching ignores case, spaces, punctuation and plurals, so 'pullups', 'pull ups' and
        'Pull-Up' find the same entry. A query of several words matches when every word is
        found, in any order; a small typo ('pulup') still matches, ranked after exact
        matches. When no exercise has every word, those with some of them are offered.
        """
        return self.filter(query=query)

    def filter(
        self,
        query: str = "",
        muscle: str | None = None,
        pattern: str | None = None,
        equipment: str | None = None,
        level: str | None = None,
    ) -> list[Exercise]:
        query_words = _words(query)
        ranked: list[tuple[float, int, Exercise]] = []
        partial: list[tuple[float, int, Exercise]] = []
        for order, ex in enumerate(self.exercises.values()):
            if muscle and muscle not in ex.muscles:
                continue
            if pattern and ex.pattern != pattern:
                continue
            if equipment and equipment not in ex.equipment:
                continue
            if level and ex.level != level:
                continue
            rank = ex.search_forms.rank(query_words) if query_words else 0
            if rank is None:
                continue
            if muscle:  # exercises that work the muscle hardest come first
                rank = rank * 2 + (0 if muscle in ex.primary_muscles else 1)
            (partial if rank >= _SOME_WORDS else ranked).append((rank, order, ex))
        ranked = ranked or partial  # nothing has every word: offer what has some
        ranked.sort(key=lambda item: (item[0], item[1]))
        return [ex for _, _, ex in ranked]

    def find(self, name: str) -> Exercise | None:
        """The exercise whose name or alias equals `name` (ignoring case and punctuation)."""
        key = normalize(name)
        for ex in self.exercises.values():
            if key in ex.search_keys:
                return ex
        return None

    def exercises_for_muscle(self, muscle_id: str) -> list[Exercise]:
        return [self.exercises[i] for i in self._by_muscle.get(muscle_id, ())]

    def with_custom(self, customs: Iterable[Any]) -> Library:
        """A copy of the library with the user's complete custom exercises beside the shipped
        ones, so routines, sessions, History and exports treat them alike. Incomplete ones
        (imported names waiting for the editor) and any that fail the checks stay out."""
        copy = replace(self, exercises=dict(self.exercises), _by_muscle=dict(self._by_muscle))
        copy.set_custom(customs)
        return copy

    def set_custom(self, customs: Iterable[Any]) -> list[str]:
        """Replace the custom exercises of this copy in place (after the editor saved one);
        returns the problems of any left out, in words."""
        for ex_id in [i for i in self.exercises if i.startswith(CUSTOM_PREFIX)]:
            del self.exercises[ex_id]
        problems: list[str] = []
        for custom in customs:
            if not custom.complete:
                continue
            exercise, found = custom_to_exercise(custom, self)
            if exercise is None:
                problems.extend(found)
            else:
                self.exercises[exercise.id] = exercise
        by_muscle: dict[str, list[str]] = {m: [] for m in self.muscles}
        for ex in self.exercises.values():
            for m in ex.muscles:
                by_muscle.setdefault(m, []).append(ex.id)
        self._by_muscle.clear()
        self._by_muscle.update({m: tuple(v) for m, v in by_muscle.items()})
        return problems

    def progression_chain(self, exercise_id: str) -> list[Exercise]:
        """A line of progressions through the exercise, easiest first.

        Follows the first easier link back to the start of the chain and the first harder
        link forward; branches are visible through each exercise's `easier`/`harder`.
        """
        ex = self.exercise(exercise_id)
        before: list[Exercise] = []
        seen = {ex.id}
        cur = ex
        while cur.easier and cur.easier[0] not in seen:
            cur = self.exercises[cur.easier[0]]
            seen.add(cur.id)
            before.append(cur)
        after: list[Exercise] = []
        cur = ex
        while cur.harder and cur.harder[0] not in seen:
            cur = self.exercises[cur.harder[0]]
            seen.add(cur.id)
            after.append(cur)
        return [*reversed(before), ex, *after]


_FUZZY_SCORE = 80  # rapidfuzz ratio (0–100) from which a word counts as a small typo of another
_SOME_WORDS = 100  # ranks from here on: only some of the query's words were found


def exercise_name(exercise_id: str, library: Library | None = None, names: Mapping[str, str] | None = None) -> str:
    """The one name a person sees for an exercise, on every screen and in every export: the
    library's (complete custom exercises included), then `names` (custom exercises known
    only by name, e.g. imported), else one made from the id ('custom-zercher-row' → 'Zercher
    row'), never the raw id."""
    ex = library.exercises.get(exercise_id) if library is not None else None
    if ex is not None:
        return ex.name
    if names and exercise_id in names:
        return names[exercise_id]
    text = exercise_id.removeprefix("custom-").replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else exercise_id


def _singular(word: str) -> str:
    """'rows' → 'row', 'flies' → 'fly', 'deadlifts' → 'deadlift'; 'press' stays."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    """Search words, singular; a lone letter joins the next word ('T-bar' → 'tbar', as 'Y raise' → 'yraise')."""
    words: list[str] = []
    pending = ""
    for w in re.findall(r"[0-9a-z]+", text.casefold()):
        if len(w) == 1 and w.isalpha():
            pending += w
            continue
        words.append(_singular(pending + w))
        pending = ""
    if pending:
        words.append(pending)
    return words


@dataclass(frozen=True)
class _SearchForms:
    """An exercise's names as search sees them: each name's words (singular), each name
    joined ('pullup'), and where its words start in the joined form."""

    joined: tuple[str, ...]  # one per name, the exercise's own name first
    starts: tuple[frozenset[int], ...]
    pieces: tuple[tuple[str, ...], ...]  # per name: every word and every two adjacent words joined

    @classmethod
    def of(cls, names: Sequence[str]) -> _SearchForms:
        joined: list[str] = []
        starts: list[frozenset[int]] = []
        pieces: list[tuple[str, ...]] = []
        for name in names:
            words = _words(name)
            offsets, at = set(), 0
            for w in words:
                offsets.add(at)
                at += len(w)
            joined.append("".join(words))
            starts.append(frozenset(offsets))
            pieces.append(tuple(dict.fromkeys(words + [a + b for a, b in zip(words, words[1:])])))
        return cls(tuple(joined), tuple(starts), tuple(pieces))

    def rank(self, query_words: list[str]) -> float | None:
        """0 exact name, 1 exact alias, 2 start of the name (2.5 of an alias), 3 whole words inside
        the name (3.5 inside an alias),
        4–5 every word somewhere, 5–6 every word with small typos (closer first),
        100+ only some words (fewer found is later); None no match."""
        whole = _singular("".join(query_words))  # 'pull ups' is 'pullup'
        best: float | None = None
        for i, (key, starts) in enumerate(zip(self.joined, self.starts)):
            rank: float
            if key == whole:
                rank = 0 if i == 0 else 1
            elif key.startswith(whole):
                rank = 2 if i == 0 else 2.5  # the exercise's own name before another app's name for it
            elif any(key.startswith(whole, at) for at in starts):
                rank = 3 if i == 0 else 3.5  # at a word's start: 't-bar' is not inside 'deadlift (barbell)'
            else:
                continue
            best = rank if best is None else min(best, rank)
        if best is not None:
            return best
        # Every word must be found in one and the same name: 'reverse' from one alias and 'ly'
        # from another ('Lying T raise') is not a match for 'reverse ly' (a typo of Reverse fly).
        per_name = [[self._word_score(w, pieces) for w in query_words] for pieces in self.pieces]
        scores = max(per_name, key=lambda sc: (sum(v >= _FUZZY_SCORE for v in sc), min(sc)))
        found = sum(score >= _FUZZY_SCORE for score in scores)
        if not found:
            return None
        from rapidfuzz import fuzz

        # Among equals, the name closest to the whole query first ('pul up': Pull-up before
        # Band-assisted pull-up); the fraction never reaches the next rank.
        tiebreak = (100 - max(fuzz.ratio(whole, key) for key in self.joined)) / 250
        if found == len(scores):
            return (4 if min(scores) == 100 else 5 + (100 - min(scores)) / 200) + tiebreak
        return _SOME_WORDS + len(scores) - found + tiebreak

    @staticmethod
    def _word_score(word: str, pieces: tuple[str, ...]) -> float:
        if any(piece.startswith(word) for piece in pieces):
            return 100
        if len(word) < 3:  # too short to tell a typo from another word
            return 0
        from rapidfuzz import fuzz, process  # small, and only typed searches need it

        match = process.extractOne(word, pieces, scorer=fuzz.ratio)
        return match[1] if match else 0


# --- loading and validation -------------------------------------------------------------

# The problem collector, the typed field reader and the TOML reader live in
# backcoach.validation (templates use them too); these names keep this module's code short.
_Problems = Problems
_Entry = Fields
_read_toml = read_toml


_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_EXERCISE_KEYS = {
    "id", "name", "aliases", "pattern", "equipment", "level", "primary_muscles",
    "secondary_muscles", "unilateral", "mode", "focus_cue", "steps", "tips", "mistakes",
    "harder", "increment_kg", "progression", "sources", "prescription", "movement",
}
_MOVEMENT_KEYS = {"start", "sides", "words", "explosive_seconds"}


@dataclass(frozen=True)
class _MovementDefaults:
    """A pattern's movement from the vocabulary; `sides` is how its one-sided exercises work."""

    start: Start = Start.CONCENTRIC
    sides: Sides = Sides.ONE_THEN_OTHER
    words: tuple[tuple[SegmentKind, str], ...] = ()
    explosive_seconds: float = 1.0


def _movement_fields(m: _Entry, one_sided_only: bool = False) -> dict[str, Any]:
    """The fields of a movement table that are present, checked (problems recorded on `m`)."""
    out: dict[str, Any] = {}
    if "start" in m.data:
        value = m.choice("start", [s.value for s in Start])
        if value in {s.value for s in Start}:
            out["start"] = Start(value)
    if "sides" in m.data:
        allowed = [s.value for s in Sides if not (one_sided_only and s is Sides.BOTH)]
        value = m.choice("sides", allowed)
        if value in allowed:
            out["sides"] = Sides(value)
    if "words" in m.data:
        words = m.get("words", dict)
        if isinstance(words, dict):
            kinds = [str(k) for k in WORD_KINDS]
            good = []
            for kind, word in words.items():
                if kind not in kinds:
                    m.fail("words", f"{kind!r} is not a part of a rep (parts: {', '.join(kinds)})")
                elif not isinstance(word, str) or not word.strip():
                    m.fail("words", f"the word for {kind!r} must be non-empty text, not {word!r}")
                elif len(word) > MAX_WORD or word != word.upper():
                    m.fail("words", f"the word for {kind!r} must be at most {MAX_WORD} capital letters, "
                                    f"not {word!r}")
                else:
                    good.append((SegmentKind(kind), word))
            out["words"] = tuple(good)
    if "explosive_seconds" in m.data:
        value = m.get("explosive_seconds", float)
        if value is not None and not 0 <= value <= MAX_EXPLOSIVE_SECONDS:
            m.fail("explosive_seconds", f"{value} is outside the sensible range 0–{MAX_EXPLOSIVE_SECONDS:g} s")
        elif value is not None:
            out["explosive_seconds"] = value
    m.unknown_keys(_MOVEMENT_KEYS)
    return out


def _load_movements(data: dict[str, Any], patterns: dict[str, str], where: str,
                    problems: _Problems) -> dict[str, _MovementDefaults]:
    """[movement.<pattern>] tables: each pattern's start, words and how its one-sided
    exercises work their sides. A pattern without one moves like a row."""
    table = data.get("movement", {})
    if not isinstance(table, dict):
        problems.add(f"{where}, table [movement]", "must be a table of [movement.<pattern>] tables")
        return {}
    out: dict[str, _MovementDefaults] = {}
    for pattern, raw in table.items():
        label = f"{where}, [movement.{pattern}]"
        if pattern not in patterns:
            problems.add(label, f"unknown pattern {pattern!r} (patterns: {', '.join(patterns)})")
            continue
        if not isinstance(raw, dict):
            problems.add(label, "is not a table")
            continue
        fields = _movement_fields(_Entry(raw, label, problems), one_sided_only=True)
        out[pattern] = _MovementDefaults(**fields)
    return out


def _exercise_movement(raw: Any, where: str, problems: _Problems, defaults: _MovementDefaults,
                       unilateral: bool) -> Movement | None:
    """The pattern's movement with the exercise's `[exercise.movement]` overrides. Sides
    follow `unilateral`: both at once for a two-sided exercise, else the pattern's way or the
    exercise's own."""
    fields: dict[str, Any] = {}
    m = None
    if raw is not None:
        if not isinstance(raw, dict):
            problems.add(f"{where}, field 'movement'", "expected a table")
            return None
        m = _Entry(raw, f"{where}, movement", problems)
        fields = _movement_fields(m)
        if not m.ok:
            return None
    words = dict(DEFAULT_MOVEMENT.words)
    words.update(dict(defaults.words))
    words.update(dict(fields.get("words", ())))
    sides = fields.get("sides", defaults.sides if unilateral else Sides.BOTH)
    if m is not None and "sides" in fields and (sides is Sides.BOTH) == bool(unilateral):
        m.fail("sides", f"{sides.value!r} does not fit unilateral = {str(bool(unilateral)).lower()}: "
                        "a one-sided exercise is 'one-then-other' or 'alternating', a two-sided one 'both'")
        return None
    return Movement(start=fields.get("start", defaults.start), sides=sides, words=words,
                    explosive_seconds=fields.get("explosive_seconds", defaults.explosive_seconds))
_PRESCRIPTION_KEYS = {"sets", "reps", "seconds", "tempo", "rest_seconds"}


def _load_vocabulary(path: Traversable, problems: _Problems) -> tuple[dict[str, str], dict[str, str], dict[str, str],
                                                               dict[str, _MovementDefaults]]:
    data = _read_toml(path, problems, path.name) or {}
    unknown = set(data) - {"patterns", "levels", "equipment", "movement"}
    if unknown:
        problems.add(path.name, f"unknown tables: {', '.join(sorted(unknown))}")
    tables = []
    for name in ("patterns", "levels", "equipment"):
        table = data.get(name)
        if not isinstance(table, dict) or not table:
            problems.add(f"{path.name}, table [{name}]", "missing or empty")
            table = {}
        for key, value in table.items():
            if not _ID.match(key) or not isinstance(value, str) or not value.strip():
                problems.add(f"{path.name}, [{name}] {key!r}", "needs a lowercase-hyphenated id and a non-empty name")
        tables.append(dict(table))
    return tables[0], tables[1], tables[2], _load_movements(data, tables[0], path.name, problems)


def _load_muscles(path: Traversable, problems: _Problems) -> dict[str, Muscle]:
    data = _read_toml(path, problems, path.name)
    muscles: dict[str, Muscle] = {}
    if data is None:
        return muscles
    entries = data.get("muscle")
    if not isinstance(entries, list) or not entries:
        problems.add(path.name, "has no [[muscle]] entries")
        return muscles
    for index, raw in enumerate(entries, 1):
        label = raw.get("id") if isinstance(raw, dict) else None
        entry = _Entry(raw if isinstance(raw, dict) else {}, f"{path.name}, muscle {label or '#' + str(index)!s}", problems)
        muscle_id = entry.text("id")
        if muscle_id and not _ID.match(muscle_id):
            entry.fail("id", f"{muscle_id!r} must be lowercase words joined by hyphens")
        name = entry.text("name")
        group = entry.choice("group", MUSCLE_GROUPS)
        function = entry.text("function")
        entry.unknown_keys({"id", "name", "group", "function"})
        if muscle_id in muscles:
            entry.fail("id", f"duplicate muscle id {muscle_id!r}")
        elif entry.ok:
            muscles[muscle_id] = Muscle(muscle_id, name, group, function)
    return muscles


def _load_exercise(
    raw: Any, where: str, problems: _Problems, muscles: dict[str, Muscle],
    patterns: dict[str, str], levels: dict[str, str], equipment: dict[str, str], source_file: str,
    movements: dict[str, _MovementDefaults] | None = None, custom: bool = False,
) -> Exercise | None:
    """One exercise entry, checked field by field. `custom`: a user's own exercise, which has
    a `custom-` id and may leave out the coaching texts (steps, tips, mistakes, focus cue)."""
    if not isinstance(raw, dict):
        problems.add(where, "is not a table")
        return None
    e = _Entry(raw, where, problems)
    ex_id = e.text("id")
    if custom:
        if ex_id and (not ex_id.startswith(CUSTOM_PREFIX) or len(ex_id) > 80 or any(c.isspace() for c in ex_id)):
            e.fail("id", f"{ex_id!r} must start with {CUSTOM_PREFIX!r} and have no spaces")
    elif ex_id and not _ID.match(ex_id):
        e.fail("id", f"{ex_id!r} must be lowercase words joined by hyphens")
    name = e.text("name")
    aliases = e.texts("aliases", required=False)
    if name and normalize(name) in {normalize(a) for a in aliases}:
        e.fail("aliases", "repeats the exercise's own name")
    pattern = e.choice("pattern", patterns)
    equip = e.ids("equipment", equipment, "equipment", min_items=1)
    level = e.choice("level", levels)
    primary = e.ids("primary_muscles", muscles, "muscle", min_items=1)
    secondary = e.ids("secondary_muscles", muscles, "muscle", required=False)
    both = set(primary) & set(secondary)
    if both:
        e.fail("secondary_muscles", f"also listed as primary: {', '.join(sorted(both))}")
    unilateral = e.get("unilateral", bool)
    mode = e.choice("mode", MODES)
    focus_cue = e.text("focus_cue", required=not custom, max_len=FOCUS_CUE_MAX)
    steps = e.texts("steps", required=not custom, min_items=0 if custom else 3)
    tips = e.texts("tips", required=not custom, min_items=0 if custom else 1)
    mistakes = e.texts("mistakes", required=not custom, min_items=0 if custom else 1)
    harder = e.texts("harder", required=False)
    if ex_id in harder:
        e.fail("harder", "links the exercise to itself")
    increment = e.get("increment_kg", float, required=False, default=0.0)
    if increment is not None and not 0 <= increment <= MAX_INCREMENT_KG:
        e.fail("increment_kg", f"{increment} is outside the sensible range 0–{MAX_INCREMENT_KG:g} kg")
    # Left out (a user's file, a test fixture), it follows from the mode and the load step;
    # every shipped entry states it (a test checks), since negatives and bands cannot be guessed.
    if "progression" in raw:
        progression = e.choice("progression", [p.value for p in Progression])
    else:
        progression = default_progression(mode, increment or 0.0)
    if progression == Progression.LOAD and increment == 0:
        e.fail("progression", "progresses by load but has no `increment_kg` load step")
    if progression in (Progression.LOAD, Progression.BAND, Progression.NEGATIVE) and mode == "timed":
        e.fail("progression", f"{progression!r} needs reps, but this is a timed exercise (use 'hold')")
    sources = e.texts("sources", required=False)
    e.unknown_keys(_EXERCISE_KEYS)

    prescription = None
    raw_p = e.get("prescription", dict)
    if isinstance(raw_p, dict):
        p = _Entry(raw_p, f"{where}, prescription", problems)
        sets = p.positive_int("sets", 1, 10)
        rest = p.positive_int("rest_seconds", 0, 600)
        reps = seconds = tempo = None
        if mode == "timed":
            seconds = p.positive_int("seconds", 5, 600)
            for key in ("reps", "tempo"):
                if key in raw_p:
                    p.fail(key, "a timed exercise has `seconds`, not reps or a tempo")
        elif mode == "reps":
            raw_reps = p.get("reps", list)
            if raw_reps is not None:
                if (len(raw_reps) != 2 or not all(is_int(r) for r in raw_reps)
                        or not 1 <= raw_reps[0] <= raw_reps[1] <= 100):
                    p.fail("reps", f"expected [low, high] with 1 <= low <= high <= 100, got {raw_reps!r}")
                else:
                    reps = (raw_reps[0], raw_reps[1])
            raw_tempo = p.get("tempo", str, required=False)
            if raw_tempo:
                try:
                    tempo = Tempo.parse(raw_tempo)
                except TempoError as exc:
                    p.fail("tempo", str(exc))
            else:
                tempo = DEFAULT_TEMPO
            if "seconds" in raw_p:
                p.fail("seconds", "a reps exercise has `reps`, not seconds")
        p.unknown_keys(_PRESCRIPTION_KEYS)
        if p.ok and sets is not None and rest is not None:
            prescription = Prescription(sets=sets, rest_seconds=rest, reps=reps, seconds=seconds, tempo=tempo)
        else:
            e.ok = False

    movement = _exercise_movement(raw.get("movement"), where, problems,
                                  (movements or {}).get(pattern, _MovementDefaults()), bool(unilateral))
    if movement is None:
        e.ok = False

    if not e.ok or prescription is None or movement is None:
        return None
    return Exercise(
        movement=movement,
        id=ex_id, name=name, aliases=aliases, pattern=pattern, equipment=equip, level=level,
        primary_muscles=primary, secondary_muscles=secondary, unilateral=unilateral, mode=mode,
        prescription=prescription, steps=steps, tips=tips, mistakes=mistakes, focus_cue=focus_cue,
        harder=harder, increment_kg=increment, sources=sources, source_file=source_file,
        progression=Progression(progression),
    )


CUSTOM_PREFIX = "custom-"
MAX_CUSTOM_NAME = 80


@lru_cache(maxsize=1)
def _shipped_movements() -> dict[str, _MovementDefaults]:
    problems = _Problems()
    return _load_vocabulary(DATA_DIR / "vocabulary.toml", problems)[3]


def custom_to_exercise(custom: Any, library: Library) -> tuple[Exercise | None, list[str]]:
    """A user's custom exercise (model.CustomExercise) checked by the shipped library's rules.

    Returns the exercise, or None and every problem in words. The checks are the ones a
    library entry passes (pattern, equipment, level and muscles from the catalogue, one
    primary muscle at least, a sensible prescription, a tempo that parses, a movement that
    fits one- or two-sided work, a load step when it progresses by load), plus a name that
    no shipped exercise already uses, so imports and searches never mistake one for the other.
    """
    problems = _Problems()
    where = f"custom exercise {custom.name!r}"
    name = custom.name.strip()
    if not name:
        problems.add(where, "needs a name")
    elif len(name) > MAX_CUSTOM_NAME:
        problems.add(where, f"the name is longer than {MAX_CUSTOM_NAME} characters")
    for text in (custom.name, *custom.aliases):
        found = library.find(text) if normalize(text) else None
        if found is not None and found.id != custom.id and not found.id.startswith(CUSTOM_PREFIX):
            problems.add(where, f"{text!r} is already the library's {found.name!r}; pick that one or another name")
    if not normalize(name):
        problems.add(where, "the name needs a letter or a digit")
    exercise = _load_exercise(custom.to_entry(), where, problems, library.muscles, library.patterns, library.levels,
                              library.equipment, "custom exercises", _shipped_movements(), custom=True)
    messages = [item.removeprefix(where).lstrip(",: ") for item in problems.items]
    return (exercise if not messages else None), messages


def _check_links(exercises: dict[str, Exercise], problems: _Problems) -> dict[str, tuple[str, ...]]:
    """Resolve `harder` links, derive `easier` ones, and reject cycles."""
    easier: dict[str, list[str]] = {i: [] for i in exercises}
    for ex in exercises.values():
        for target in ex.harder:
            if target not in exercises:
                problems.add(f"{ex.source_file}, exercise {ex.id}, field 'harder'",
                             f"links to unknown exercise id {target!r}")
            else:
                easier[target].append(ex.id)
    # The first easier link is the one a progression line follows: prefer an exercise that
    # names this one first among its harder links, then the one sharing most of its name.
    def words(ex_id: str) -> set[str]:
        return set(ex_id.split("-"))
    for target, sources in easier.items():
        sources.sort(key=lambda src: (exercises[src].harder.index(target), -len(words(src) & words(target))))
    # Depth-first search for a cycle; report the loop itself.
    state: dict[str, int] = {}
    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in exercises[node].harder:
            if nxt not in exercises:
                continue
            if state.get(nxt) == 1:
                loop = path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt]
                ex = exercises[node]
                problems.add(f"{ex.source_file}, exercise {ex.id}, field 'harder'",
                             f"progression links form a loop: {' -> '.join(loop)}")
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2
    for node in exercises:
        if node not in state:
            visit(node, [node])
    return {k: tuple(v) for k, v in easier.items()}


def load_library(data_dir: Traversable | Path | None = None, cache_dir: Path | None = None) -> Library:
    """Load and validate the library; raise LibraryError listing every problem found.

    With `cache_dir`, the validated library is kept there as JSON in a file named after the
    app version and a hash of the data files and of the loader's own source, so a start-up
    parses and checks the TOML again only after something changed. The cache is a speed-up
    only: a missing, stale, corrupt or unwritable one falls back to the files, silently.
    JSON rather than pickle because the cache folder is writable by whoever owns it: a
    tampered file can at worst fail its shape check and be rebuilt, never run code.
    """
    if data_dir is None:
        data_dir = DATA_DIR
    elif isinstance(data_dir, (str, os.PathLike)):
        data_dir = Path(data_dir)
    if cache_dir is None:
        return _load_library(data_dir)
    key = _content_key(data_dir)
    cache_file = Path(cache_dir) / f"{_CACHE_PREFIX}{key}.json"
    try:
        return _library_from_json(json.loads(cache_file.read_text(encoding="utf-8")), key)
    except Exception:  # missing, truncated, edited or from another layout: rebuild it
        pass
    library = _load_library(data_dir)
    _write_cache(cache_file, _library_to_json(library, key))
    return library


_CACHE_FORMAT = 2  # bump when the JSON layout below changes
_CACHE_PREFIX = "library-"


def _library_files(data_dir: Traversable) -> list[Traversable]:
    """The TOML files the library is made of, exercises sorted by file name."""
    folder = data_dir / "exercises"
    exercises = [p for p in folder.iterdir() if p.name.endswith(".toml")] if folder.is_dir() else []
    return [data_dir / "vocabulary.toml", data_dir / "muscles.toml", *sorted(exercises, key=lambda p: p.name)]


def _content_key(data_dir: Traversable) -> str:
    """`<version>-<hash>`: the hash covers every data file and the loader's source (absent
    in a frozen bundle, whose version already pins it)."""
    from backcoach import __version__
    from backcoach.resources import PACKAGE

    digest = hashlib.sha256(f"format {_CACHE_FORMAT}\n".encode())
    for source in (PACKAGE / "library.py", PACKAGE / "tempo.py", PACKAGE / "movement.py", *_library_files(data_dir)):
        try:
            content = source.read_bytes()
        except OSError:
            continue  # a missing file is reported by the loader itself
        digest.update(f"{source.name} {len(content)}\n".encode())
        digest.update(content)
    return f"{__version__}-{digest.hexdigest()[:24]}"


def _write_cache(cache_file: Path, payload: dict[str, Any]) -> None:
    """Write atomically, then drop this version's older caches; any OSError only costs speed."""
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_name(f"{cache_file.name}.tmp{os.getpid()}")
        tmp.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, cache_file)
        version = cache_file.name[len(_CACHE_PREFIX):].rsplit("-", 1)[0]
        for old in cache_file.parent.glob(f"{_CACHE_PREFIX}{version}-*.json"):
            if old != cache_file:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full cache folder


def _library_to_json(library: Library, key: str) -> dict[str, Any]:
    def exercise(ex: Exercise) -> dict[str, Any]:
        out = {f.name: getattr(ex, f.name) for f in fields(Exercise)}
        p = ex.prescription
        out["prescription"] = {"sets": p.sets, "rest_seconds": p.rest_seconds, "reps": p.reps,
                               "seconds": p.seconds, "tempo": str(p.tempo) if p.tempo else None}
        out["movement"] = ex.movement.to_dict()
        out["progression"] = str(ex.progression)
        return out

    return {
        "format": _CACHE_FORMAT, "key": key,
        "muscles": [asdict(m) for m in library.muscles.values()],
        "exercises": [exercise(ex) for ex in library.exercises.values()],
        "patterns": library.patterns, "levels": library.levels, "equipment": library.equipment,
        "by_muscle": library._by_muscle,
    }


def _library_from_json(data: Any, key: str) -> Library:
    """The Library a cache file describes; ValueError unless every field has its exact type."""
    def check(value: Any, kind: type) -> Any:
        if type(value) is not kind:
            raise ValueError(f"expected {kind.__name__}, found {type(value).__name__}")
        return value

    def texts(value: Any) -> tuple[str, ...]:
        return tuple(check(v, str) for v in check(value, list))

    def table(value: Any) -> dict[str, str]:
        return {check(k, str): check(v, str) for k, v in check(value, dict).items()}

    def optional_int(value: Any) -> int | None:
        return None if value is None else check(value, int)

    def exact_keys(raw: Any, names: Iterable[str]) -> dict[str, Any]:
        if set(check(raw, dict)) != set(names):
            raise ValueError("fields differ")
        return raw

    if check(data, dict).get("format") != _CACHE_FORMAT or data.get("key") != key:
        raise ValueError("another cache layout or content")
    muscles = {}
    for raw in check(data["muscles"], list):
        m = Muscle(**{name: check(v, str) for name, v in exact_keys(raw, _MUSCLE_FIELDS).items()})
        muscles[m.id] = m
    exercises = {}
    for raw in check(data["exercises"], list):
        values = exact_keys(raw, _EXERCISE_FIELDS)
        p = exact_keys(values["prescription"], ("sets", "rest_seconds", "reps", "seconds", "tempo"))
        reps_list = None if p["reps"] is None else [check(v, int) for v in check(p["reps"], list)]
        if reps_list is not None and len(reps_list) != 2:
            raise ValueError("reps is a range of two numbers")
        reps = None if reps_list is None else (reps_list[0], reps_list[1])
        tempo = None if p["tempo"] is None else Tempo.parse(check(p["tempo"], str))
        prescription = Prescription(sets=check(p["sets"], int), rest_seconds=check(p["rest_seconds"], int),
                                    reps=reps, seconds=optional_int(p["seconds"]), tempo=tempo)
        increment = values["increment_kg"]
        if type(increment) not in (int, float):
            raise ValueError("increment_kg is a number")
        fields_: dict[str, Any] = {name: (texts(v) if name in _EXERCISE_TUPLES else check(v, str))
                   for name, v in values.items()
                   if name not in ("prescription", "unilateral", "increment_kg", "movement", "progression")}
        ex = Exercise(**fields_, prescription=prescription, unilateral=check(values["unilateral"], bool),
                      increment_kg=float(increment), movement=Movement.from_dict(values["movement"]),
                      progression=Progression(check(values["progression"], str)))
        exercises[ex.id] = ex
    by_muscle = {check(m, str): texts(ids) for m, ids in check(data["by_muscle"], dict).items()}
    return Library(muscles=muscles, exercises=exercises, patterns=table(data["patterns"]),
                   levels=table(data["levels"]), equipment=table(data["equipment"]), _by_muscle=by_muscle)


_MUSCLE_FIELDS = tuple(f.name for f in fields(Muscle))
_EXERCISE_FIELDS = tuple(f.name for f in fields(Exercise))
_EXERCISE_TUPLES = ("aliases", "equipment", "primary_muscles", "secondary_muscles", "steps", "tips",
                    "mistakes", "harder", "sources", "easier")


def _load_library(data_dir: Traversable) -> Library:
    problems = _Problems()
    patterns, levels, equipment, movements = _load_vocabulary(data_dir / "vocabulary.toml", problems)
    muscles = _load_muscles(data_dir / "muscles.toml", problems)

    exercises: dict[str, Exercise] = {}
    first_seen: dict[str, str] = {}
    alias_owner: dict[str, str] = {}
    files = _library_files(data_dir)[2:]
    if not files:
        problems.add("exercises/", "no exercise files (*.toml) found")
    for path in files:
        label = f"exercises/{path.name}"
        data = _read_toml(path, problems, label)
        if data is None:
            continue
        entries = data.get("exercise")
        if not isinstance(entries, list) or not entries:
            problems.add(label, "has no [[exercise]] entries")
            continue
        unknown_top = set(data) - {"exercise"}
        if unknown_top:
            problems.add(label, f"unknown top-level keys: {', '.join(sorted(unknown_top))}")
        for index, raw in enumerate(entries, 1):
            ident = raw.get("id") if isinstance(raw, dict) else None
            where = f"{label}, exercise {ident if isinstance(ident, str) and ident else '#' + str(index)}"
            ex = _load_exercise(raw, where, problems, muscles, patterns, levels, equipment, label, movements)
            if ex is None:
                continue
            if ex.id in exercises:
                problems.add(f"{where}, field 'id'", f"duplicate exercise id (first defined in {first_seen[ex.id]})")
                continue
            for key in ex.search_keys:
                owner = alias_owner.get(key)
                if owner is not None and owner != ex.id:
                    problems.add(f"{where}, field 'aliases'",
                                 f"name or alias {key!r} is already used by exercise {owner!r}")
                alias_owner.setdefault(key, ex.id)
            exercises[ex.id] = ex
            first_seen[ex.id] = label

    easier = _check_links(exercises, problems)
    if problems.items:
        raise LibraryError(problems.items)
    # Listed in the vocabulary's pattern order (pulls first), then as written in the files.
    pattern_rank = {p: i for i, p in enumerate(patterns)}
    ordered = sorted(exercises.values(), key=lambda ex: pattern_rank[ex.pattern])
    final = {ex.id: _with_easier(ex, easier[ex.id]) for ex in ordered}
    by_muscle: dict[str, list[str]] = {m: [] for m in muscles}
    for ex in final.values():
        for m in ex.muscles:
            by_muscle[m].append(ex.id)
    return Library(
        muscles=muscles, exercises=final, patterns=patterns, levels=levels, equipment=equipment,
        _by_muscle={m: tuple(v) for m, v in by_muscle.items()},
    )


def _with_easier(ex: Exercise, easier: tuple[str, ...]) -> Exercise:
    return replace(ex, easier=easier)
