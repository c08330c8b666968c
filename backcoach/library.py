"""The exercise library and the muscle catalogue: loading, validation, search and filters.

The shipped content is TOML under `data/` (see data/README.md for the format). Loading
checks every field and every cross-reference, and collects all problems before failing, so
whoever edits the files sees each mistake with its file, entry and field at once.
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from backcoach.resources import DATA_DIR, LIBRARY_CACHE_DIR
from backcoach.tempo import DEFAULT_TEMPO, Tempo, TempoError

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

    @property
    def group_name(self) -> str:
        return MUSCLE_GROUP_NAMES[self.group]


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
            "focus_cue": self.focus_cue,
            "easier": list(self.easier),
            "harder": list(self.harder),
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
    pieces: tuple[str, ...]  # every word and every two adjacent words joined

    @classmethod
    def of(cls, names: Sequence[str]) -> _SearchForms:
        joined, starts, pieces = [], [], []
        for name in names:
            words = _words(name)
            offsets, at = set(), 0
            for w in words:
                offsets.add(at)
                at += len(w)
            joined.append("".join(words))
            starts.append(frozenset(offsets))
            pieces += words + [a + b for a, b in zip(words, words[1:])]
        return cls(tuple(joined), tuple(starts), tuple(dict.fromkeys(pieces)))

    def rank(self, query_words: list[str]) -> float | None:
        """0 exact name, 1 exact alias, 2 start of a name, 3 whole words inside a name,
        4–5 every word somewhere, 5–6 every word with small typos (closer first),
        100+ only some words (fewer found is later); None no match."""
        whole = _singular("".join(query_words))  # 'pull ups' is 'pullup'
        best: float | None = None
        for i, (key, starts) in enumerate(zip(self.joined, self.starts)):
            if key == whole:
                rank = 0 if i == 0 else 1
            elif key.startswith(whole):
                rank = 2
            elif any(key.startswith(whole, at) for at in starts):
                rank = 3  # at a word's start: 't-bar' is not inside 'deadlift (barbell)'
            else:
                continue
            best = rank if best is None else min(best, rank)
        if best is not None:
            return best
        scores = [self._word_score(w) for w in query_words]
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

    def _word_score(self, word: str) -> float:
        if any(piece.startswith(word) for piece in self.pieces):
            return 100
        if len(word) < 3:  # too short to tell a typo from another word
            return 0
        from rapidfuzz import fuzz, process  # small, and only typed searches need it

        match = process.extractOne(word, self.pieces, scorer=fuzz.ratio)
        return match[1] if match else 0


# --- loading and validation -------------------------------------------------------------

class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def _read_toml(path: Path, problems: _Problems, label: str) -> dict[str, Any] | None:
    import tomllib  # only when the files are really read (not when the cache answers)

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        problems.add(label, "file not found")
    except tomllib.TOMLDecodeError as exc:
        problems.add(label, f"not valid TOML: {exc}")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(label, f"cannot be read: {exc}")
    return None


_TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a table"}


class _Entry:
    """Typed access to one TOML table, recording problems instead of raising."""

    def __init__(self, data: dict[str, Any], where: str, problems: _Problems):
        self.data = data
        self.where = where
        self.problems = problems
        self.ok = True

    def fail(self, key: str, message: str) -> None:
        self.ok = False
        self.problems.add(f"{self.where}, field '{key}'", message)

    def get(self, key: str, kind: type, required: bool = True, default: Any = None) -> Any:
        if key not in self.data:
            if required:
                self.fail(key, "missing")
            return default
        value = self.data[key]
        wrong = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if wrong:
            expected = _TYPE_NAMES.get(kind, "a number" if kind is float else kind.__name__)
            self.fail(key, f"expected {expected}, got {value!r}")
            return default
        return value

    def text(self, key: str, required: bool = True, max_len: int | None = None) -> str:
        value = self.get(key, str, required, "")
        if required and isinstance(value, str) and key in self.data and not value.strip():
            self.fail(key, "must not be empty")
        if max_len is not None and len(value) > max_len:
            self.fail(key, f"must be at most {max_len} characters, has {len(value)}")
        return value

    def texts(self, key: str, required: bool = True, min_items: int = 0) -> tuple[str, ...]:
        value = self.get(key, list, required, [])
        if not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, "every item must be non-empty text")
            return ()
        if key in self.data and len(value) < min_items:
            self.fail(key, f"needs at least {min_items} item{'s' if min_items != 1 else ''}, has {len(value)}")
        if len(set(value)) != len(value):
            self.fail(key, "has the same item twice")
        return tuple(value)

    def choice(self, key: str, allowed: Iterable[str]) -> str:
        value = self.text(key)
        allowed = list(allowed)
        if value and value not in allowed:
            self.fail(key, f"{value!r} is not one of: {', '.join(allowed)}")
        return value

    def ids(self, key: str, known: Iterable[str], what: str, required: bool = True, min_items: int = 0) -> tuple[str, ...]:
        values = self.texts(key, required, min_items)
        known = set(known)
        for v in values:
            if v not in known:
                self.fail(key, f"unknown {what} id {v!r}")
        return values

    def positive_int(self, key: str, low: int, high: int, required: bool = True) -> int | None:
        value = self.get(key, int, required)
        if value is not None and not low <= value <= high:
            self.fail(key, f"{value} is outside the sensible range {low}–{high}")
        return value

    def unknown_keys(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.fail(key, f"unknown field (allowed: {', '.join(sorted(allowed))})")


_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_EXERCISE_KEYS = {
    "id", "name", "aliases", "pattern", "equipment", "level", "primary_muscles",
    "secondary_muscles", "unilateral", "mode", "focus_cue", "steps", "tips", "mistakes",
    "harder", "increment_kg", "sources", "prescription",
}
_PRESCRIPTION_KEYS = {"sets", "reps", "seconds", "tempo", "rest_seconds"}


def _load_vocabulary(path: Path, problems: _Problems) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    data = _read_toml(path, problems, path.name) or {}
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
    return tables[0], tables[1], tables[2]


def _load_muscles(path: Path, problems: _Problems) -> dict[str, Muscle]:
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
) -> Exercise | None:
    if not isinstance(raw, dict):
        problems.add(where, "is not a table")
        return None
    e = _Entry(raw, where, problems)
    ex_id = e.text("id")
    if ex_id and not _ID.match(ex_id):
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
    focus_cue = e.text("focus_cue", max_len=FOCUS_CUE_MAX)
    steps = e.texts("steps", min_items=3)
    tips = e.texts("tips", min_items=1)
    mistakes = e.texts("mistakes", min_items=1)
    harder = e.texts("harder", required=False)
    if ex_id in harder:
        e.fail("harder", "links the exercise to itself")
    increment = e.get("increment_kg", float, required=False, default=0.0)
    if increment is not None and not 0 <= increment <= 20:
        e.fail("increment_kg", f"{increment} is outside the sensible range 0–20 kg")
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
                if (len(raw_reps) != 2 or not all(isinstance(r, int) and not isinstance(r, bool) for r in raw_reps)
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

    if not e.ok or prescription is None:
        return None
    return Exercise(
        id=ex_id, name=name, aliases=aliases, pattern=pattern, equipment=equip, level=level,
        primary_muscles=primary, secondary_muscles=secondary, unilateral=unilateral, mode=mode,
        prescription=prescription, steps=steps, tips=tips, mistakes=mistakes, focus_cue=focus_cue,
        harder=harder, increment_kg=increment, sources=sources, source_file=source_file,
    )


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


def load_library(data_dir: Path | None = None, cache_dir: Path | None = None) -> Library:
    """Load and validate the library; raise LibraryError listing every problem found.

    With `cache_dir`, the validated library is kept there as a pickle together with the
    sizes and times of the data files and of the loader itself, so a start-up parses and
    checks the TOML again only after something changed (like Python's .pyc files). The
    cache is a speed-up only: any problem with it falls back to the files.
    """
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    if cache_dir is None:
        return _load_library(data_dir)
    cache_file = Path(cache_dir) / "library.pickle"
    signature = _signature(data_dir)
    try:
        with cache_file.open("rb") as fh:
            cached_signature, cached = pickle.load(fh)
        if cached_signature == signature and isinstance(cached, Library):
            return cached
    except Exception:  # missing, truncated or from another version: rebuild it
        pass
    library = _load_library(data_dir)
    _write_cache(cache_file, (signature, library))
    return library


def _signature(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    here = Path(__file__).resolve().parent
    sources = [here / "library.py", here / "tempo.py"]
    sources += [data_dir / "vocabulary.toml", data_dir / "muscles.toml"]
    sources += sorted((data_dir / "exercises").glob("*.toml"))
    out = []
    for path in sources:
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _write_cache(cache_file: Path, payload: object) -> None:
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache_file)
    except OSError:
        pass  # a read-only install only costs speed


def _load_library(data_dir: Path) -> Library:
    problems = _Problems()
    patterns, levels, equipment = _load_vocabulary(data_dir / "vocabulary.toml", problems)
    muscles = _load_muscles(data_dir / "muscles.toml", problems)

    exercises: dict[str, Exercise] = {}
    first_seen: dict[str, str] = {}
    alias_owner: dict[str, str] = {}
    folder = data_dir / "exercises"
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
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
            ex = _load_exercise(raw, where, problems, muscles, patterns, levels, equipment, label)
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
