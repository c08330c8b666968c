"""Reading workout history exported by other apps (Strong, Hevy) into BackCoach sessions.

People switch apps with years of history behind them, so an import has to take the files the
apps really write: several generations of Strong's export (comma or semicolon separated,
decimal commas, the weight unit in the header, in a column of its own or nowhere), Hevy's
kilogram and pound exports with its two date styles, byte-order marks and Windows line ends.

An import never half-succeeds. Any row that cannot be read stops it with an
`ImportFormatError` whose message names the line and the problem ("line 14: weight '-20' is
negative"), and nothing is returned, so nothing half-done can be stored. Rows that are not
sets (Strong's rest-timer and note rows, sets with nothing filled in) are skipped and counted.

The store decides what is new: every session carries a `source_key` made from the file alone
(app, start time, workout title) and an id derived from it, so parsing the same file twice
gives identical sessions and a second import adds nothing.

Exercise names become our ids through `data/import_names.toml` first (the apps' own names,
checked against the library when loaded), then the library's names and aliases, then the
user's custom exercises; anything else becomes a new custom exercise, listed in the result.

Pure Python, no Qt: the UI hands over the file's bytes and shows `ImportResult.summary()`.
"""

from __future__ import annotations

import csv
import io
import math
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType

from backcoach.library import Library, LibraryError, normalize
from backcoach.model import (
    MAX_BODY_KG,
    MAX_LOAD_KG,
    MIN_BODY_KG,
    BodyWeight,
    MAX_REPS,
    MAX_SECONDS,
    CustomExercise,
    InvalidRecord,
    SessionLog,
    SetLog,
    custom_exercise_id,
    lb_to_kg,
)
from backcoach.resources import DATA_DIR

# Years of daily training are a few MB; anything this big is the wrong file, and reading it
# whole would only freeze the app.
MAX_IMPORT_BYTES = 50 * 1024 * 1024
# Bounds checked before any parsing, each far beyond a real export: a row is one set (a
# million sets is fifty years of heavy training), a real export has a dozen columns, and a
# lifter's whole career holds a few hundred different exercises.
MAX_IMPORT_ROWS = 1_000_000
MAX_COLUMNS = 100
MAX_HEADER_CHARS = 10_000
MAX_NEW_EXERCISES = 2_000
IMPORT_NAMES_PATH = DATA_DIR / "import_names.toml"
APPS = ("strong", "hevy", "fitnotes", "stronglifts")
APP_NAMES = {"strong": "Strong", "hevy": "Hevy", "fitnotes": "FitNotes", "stronglifts": "StrongLifts",
             "backcoach": "BackCoach CSV export", "json": "BackCoach backup"}
# Every format `backcoach import FILE` recognises, in the words of the message for a file it does not.
KNOWN_FORMATS = "Strong, Hevy, FitNotes (Android or iOS), StrongLifts, a BackCoach backup (JSON) or CSV export"

# A session's id is a uuid5 of its source_key in this namespace, so re-parsing a file gives
# the same ids (never change it: stored imports would no longer match a re-import).
_SESSION_NAMESPACE = uuid.UUID("5f0c7a2e-8a61-4d0b-9a57-1b3c2e4d6f80")
# A workout "lasting" longer than this is a timer left running, not a time worth keeping.
_MAX_WORKOUT_SECONDS = 24 * 3600
_MAX_NAME_LENGTH = 200
_PLAUSIBLE_YEARS = (1971, 2100)  # also keeps datetime.astimezone() inside what every OS handles

_NO_CUSTOM: Mapping[str, CustomExercise] = MappingProxyType({})


class ImportFormatError(ValueError):
    """The file cannot be imported as it is.

    The message is ready to show and names the line when there is one ("line 14: weight '-20'
    is negative"); `line` is that 1-based line number in the file, or None when the problem
    is the file as a whole (too big, not text).
    """

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _bad(line: int, problem: str) -> ImportFormatError:
    return ImportFormatError(f"line {line}: {problem}", line)


def _q(cell: str) -> str:
    """A cell quoted for a message, shortened: the user needs to find it, not to reread it."""
    return repr(cell if len(cell) <= 40 else cell[:37] + "...")


@dataclass(frozen=True)
class ImportResult:
    """What a file holds, ready for the store; nothing has been stored yet."""

    sessions: list[SessionLog]  # oldest first
    custom_exercises: list[CustomExercise]  # only the ones this import creates
    mapped: dict[str, str]  # every distinct exercise name in the file -> our exercise id
    created: list[str]  # the file's names that became new custom exercises, in file order
    skipped_rows: int  # rest timers, notes and empty sets: rows that are not sets
    warnings: list[str] = field(default_factory=list)  # things the user should know, in words
    body_weights: list[BodyWeight] = field(default_factory=list)  # days the file gives one (StrongLifts)
    skipped_cardio: int = 0  # cardio and distance-only rows: not strength sets (FitNotes)
    app: str = ""  # which app's format was read

    @property
    def rep_count(self) -> int:
        return sum(s.reps or 0 for session in self.sessions for s in session.sets)

    @property
    def volume_kg(self) -> float:
        """Tonnage of every set in the file (warm-ups included): reps × load."""
        return sum(s.volume_kg for session in self.sessions for s in session.sets)

    @property
    def set_count(self) -> int:
        return sum(len(s.sets) for s in self.sessions)

    def summary(self) -> list[str]:
        """A few lines for the user: what will be added and what was made up along the way."""
        lines: list[str] = []
        if self.sessions:
            first = self.sessions[0].start.date().isoformat()
            last = self.sessions[-1].start.date().isoformat()
            span = first if first == last else f"{first} to {last}"
            lines.append(f"{_count(len(self.sessions), 'workout')} with {_count(self.set_count, 'set')}, {span}.")
        else:
            lines.append("No workouts with sets were found in the file.")
        known = len(self.mapped) - len(self.created)
        if known:
            lines.append(f"{_count(known, 'exercise')} matched to exercises BackCoach already knows.")
        if self.created:
            lines.append(f"{_count(len(self.created), 'new custom exercise')}: {', '.join(self.created)}.")
        if self.skipped_rows:
            lines.append(f"{_count(self.skipped_rows, 'row')} skipped that were not sets "
                         "(rest timers, notes, sets with nothing filled in).")
        if self.skipped_cardio:
            lines.append(f"{_count(self.skipped_cardio, 'cardio or distance row')} skipped: they are not "
                         "strength sets.")
        if self.body_weights:
            lines.append(f"{_count(len(self.body_weights), 'body weight')} logged with the workouts.")
        return lines + list(self.warnings)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# --- the shared reading steps -------------------------------------------------------------

def _decode(data: bytes) -> str:
    """The file's text; refuses huge files before reading them and anything that is not UTF-8."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected the file's bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFormatError(
            f"the file is {len(data) / 2**20:.0f} MB; a workout export is far smaller than the "
            f"{MAX_IMPORT_BYTES // 2**20} MB limit, so this is probably not the right file"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFormatError("the file is not UTF-8 text (it is UTF-16); save it as UTF-8 (or CSV UTF-8) "
                                "and import it again", 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFormatError(
            f"the file is not UTF-8 text (line {line} has the byte 0x{data[exc.start]:02X}); export it from the "
            "app again, or save it as UTF-8 before importing", line,
        ) from None
    if not text.strip():
        raise ImportFormatError("the file is empty")
    nul = text.find("\x00")
    if nul >= 0:
        raise _bad(text.count("\n", 0, nul) + 1, "the file contains binary data, not CSV text")
    return text


@dataclass
class _Table:
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]  # (line where the row starts, cells)
    delimiter: str

    def __post_init__(self) -> None:
        self.keys: dict[str, int] = {}
        for i, cell in enumerate(self.header):
            self.keys.setdefault(_header_key(cell), i)

    def column(self, *names: str) -> int | None:
        for name in names:
            if name in self.keys:
                return self.keys[name]
        return None

    def column_with_unit(self, base: str) -> tuple[int | None, str | None]:
        """The column called `base` or `base (unit)`, with the unit named in the header."""
        if base in self.keys:
            return self.keys[base], None
        for key, i in self.keys.items():
            m = _HEADER_UNIT.fullmatch(key)
            if m and m.group(1) == base:
                return i, m.group(2)
        return None, None

    @property
    def decimal_comma(self) -> bool:
        # European exports separate cells with ';' and write 62,5; in a comma-separated file
        # "1,000" would be ambiguous, so a comma is a decimal mark only in the former.
        return self.delimiter != ","


_HEADER_UNIT = re.compile(r"(.*?)\s*\(\s*(.*?)\s*\)")


def _header_key(cell: str) -> str:
    """'Weight (kg)' -> 'weight (kg)', 'exercise_title' -> 'exercise title'."""
    return " ".join(cell.replace("\ufeff", "").replace("_", " ").casefold().split())


def _read_table(text: str) -> _Table:
    lines_in_file = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines_in_file - 1 > MAX_IMPORT_ROWS:  # the header is not a set
        raise ImportFormatError(
            f"the file has {lines_in_file - 1:,} rows; BackCoach imports up to {MAX_IMPORT_ROWS:,} "
            "(one row per set), so split the file and import the parts one after the other")
    start = len(text) - len(text.lstrip())
    first = next(iter(text[start:start + MAX_HEADER_CHARS + 2].splitlines()), "")
    if len(first) > MAX_HEADER_CHARS:
        raise _bad(text.count("\n", 0, start) + 1,
                   f"the header line is over {MAX_HEADER_CHARS:,} characters long; a workout export's header "
                   "is a few hundred at most, so this is not a workout app's export")

    def columns(delimiter: str) -> int:
        try:
            return len(next(csv.reader([first], delimiter=delimiter), []))
        except csv.Error:
            return 0

    # The delimiter is whichever splits the header into the most columns (',' on a tie).
    delimiter = max((",", ";", "\t"), key=columns)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: tuple[int, list[str]] | None = None
    rows: list[tuple[int, list[str]]] = []
    previous_end = 0
    try:
        for cells in reader:
            line = previous_end + 1  # a quoted cell may span lines: report where the row starts
            previous_end = reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank lines and rows of empty cells carry nothing
            if header is None:
                header = (line, cells)
            else:
                if len(cells) > MAX_COLUMNS:
                    raise _bad(line, f"the row has {len(cells):,} cells (the limit is {MAX_COLUMNS})")
                rows.append((line, cells))
    except csv.Error as exc:
        raise _bad(previous_end + 1, f"the CSV cannot be read ({exc})") from None
    if header is None:
        raise ImportFormatError("the file is empty")
    if len(header[1]) > MAX_COLUMNS:
        raise _bad(header[0], f"the header has {len(header[1]):,} columns; a workout export has a dozen or so "
                              f"(the limit is {MAX_COLUMNS}), so this is not a workout app's export")
    return _Table(header=header[1], header_line=header[0], rows=rows, delimiter=delimiter)


def _cell_getter(table: _Table, line: int, cells: list[str]) -> Callable[[int | None], str]:
    width = len(table.header)
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        raise _bad(line, f"the row has {len(cells)} cells but the header has {width}; a name or note "
                         f"containing '{table.delimiter}' may have lost its quotes")

    def get(index: int | None) -> str:
        return cells[index].strip() if index is not None and index < len(cells) else ""

    return get


_STRONGLIFTS_SET = re.compile(r"set \d+ \((?:reps|kg|kgs|lb|lbs)\)")


def _format_of(keys: set[str]) -> str | None:
    """Which app wrote a header, from its column names (as `_header_key` spells them)."""
    if "date (yyyy/mm/dd)" in keys or any(_STRONGLIFTS_SET.fullmatch(k) for k in keys):
        return "stronglifts"
    if {"session start", "exercise id", "session id"} <= keys:
        return "backcoach"
    if keys & {"exercise title", "start time", "set index", "set type"}:
        return "hevy"
    if keys & {"exercise name", "set order", "workout name"}:
        return "strong"
    if "exercise" in keys and "category" in keys:
        return "fitnotes"
    return None


def _looks_like(table: _Table) -> str | None:
    return _format_of(set(table.keys))


def _wrong_columns(app: str, missing: list[str], table: _Table) -> ImportFormatError:
    name = APP_NAMES[app]
    cols = "column" if len(missing) == 1 else "columns"
    verb = "is" if len(missing) == 1 else "are"
    message = f"this is not a {name} export: the {cols} {', '.join(missing)} {verb} missing. "
    looks = _looks_like(table)
    if looks == app:
        message += f"It looks like a damaged {name} export; export it from {name} again."
    elif looks is not None:
        message += f"It looks like a {APP_NAMES[looks]} export; import it as {APP_NAMES[looks]} instead."
    else:
        message += f"It does not look like a workout export BackCoach reads ({KNOWN_FORMATS})."
    return _bad(table.header_line, message)


# --- cells ---------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def _number(text: str, what: str, line: int, decimal_comma: bool) -> float | None:
    """A non-negative number, or None for an empty cell."""
    if not text:
        return None
    plain = text.replace(",", ".") if decimal_comma and _DECIMAL_COMMA.fullmatch(text) else text
    if not _NUMBER.fullmatch(plain):
        raise _bad(line, f"{what} {_q(text)} is not a number")
    value = float(plain)
    if not math.isfinite(value):
        raise _bad(line, f"{what} {_q(text)} is not a sensible number")
    if value < 0:
        raise _bad(line, f"{what} {_q(text)} is negative")
    return value + 0.0  # no -0.0


def _reps(text: str, line: int, comma: bool) -> int | None:
    value = _number(text, "reps", line, comma)
    if not value:
        return None  # the apps write 0 for "no reps" (holds, cardio)
    if not value.is_integer():
        raise _bad(line, f"reps {_q(text)} is not a whole number")
    if value > MAX_REPS:
        raise _bad(line, f"reps {_q(text)} is more than {MAX_REPS}")
    return int(value)


def _load_kg(text: str, unit: str, line: int, comma: bool) -> float | None:
    value = _number(text, "weight", line, comma)
    if not value:
        return None  # body weight
    kg = round(lb_to_kg(value) if unit == "lb" else value, 2)
    if kg > MAX_LOAD_KG:
        raise _bad(line, f"weight {_q(text)} {unit} is more than {MAX_LOAD_KG:g} kg")
    return kg or None


def _seconds(text: str, line: int, comma: bool) -> float | None:
    value = _number(text, "seconds", line, comma)
    if not value:
        return None
    if value > MAX_SECONDS:
        raise _bad(line, f"seconds {_q(text)} is more than 24 hours")
    return value


def _rpe(text: str, line: int, comma: bool) -> float | None:
    value = _number(text, "RPE", line, comma)
    if not value:
        return None  # some exports write 0 for "not rated"
    if not 1 <= value <= 10:
        raise _bad(line, f"RPE {_q(text)} is not between 1 and 10")
    return value


def _weight_unit(text: str) -> str | None:
    unit = text.strip().strip(".").casefold()
    if unit in ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"):
        return "kg"
    if unit in ("lb", "lbs", "pound", "pounds", "#"):
        return "lb"
    return None


def _distance_unit(text: str) -> str:
    unit = text.strip().casefold()
    return {"meters": "m", "metres": "m", "meter": "m", "metre": "m", "kilometers": "km", "kilometres": "km",
            "miles": "mi", "mile": "mi", "feet": "ft", "yards": "yd"}.get(unit, unit)


def _text(value: str, what: str, line: int) -> str:
    if len(value) > _MAX_NAME_LENGTH:
        raise _bad(line, f"the {what} is longer than {_MAX_NAME_LENGTH} characters")
    return value


# --- dates and durations -------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")), 1)
    for name in names
}
_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([ap])\.?m\.?)?"
# Month names are matched here, not with strptime's %b, which follows the process locale
# (Qt sets it from the system): a German desktop would otherwise refuse "1 May 2024".
_DATE_FORMS = (
    ("ymd", re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T]" + _TIME, re.I)),      # Strong, 12-hour clock
    ("dmy", re.compile(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4}),?\s+(?:at\s+)?" + _TIME, re.I)),  # Hevy
    ("mdy", re.compile(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(?:at\s+)?" + _TIME, re.I)),
)


def _parse_when(text: str, what: str, line: int) -> datetime:
    """A date and time as written by Strong or Hevy; naive (local) unless the file gave an offset."""
    clean = " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())
    moment = _iso_or_none(clean) or _written_or_none(clean)
    if moment is None:
        raise _bad(line, f"{what} {_q(text)} is not a date and time" if text else f"the {what} is empty")
    if not _PLAUSIBLE_YEARS[0] <= moment.year <= _PLAUSIBLE_YEARS[1]:
        raise _bad(line, f"{what} {_q(text)} is not a plausible date")
    return moment


def _iso_or_none(text: str) -> datetime | None:
    if not text[:4].isdigit():
        return None
    try:
        return datetime.fromisoformat(text)
    except (ValueError, OverflowError):
        return None


def _written_or_none(text: str) -> datetime | None:
    for order, pattern in _DATE_FORMS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        g = m.groups()
        if order == "ymd":
            year, month, day = int(g[0]), int(g[1]), int(g[2])
        elif order == "dmy":
            day, month, year = int(g[0]), _MONTHS.get(g[1].casefold(), 0), int(g[2])
        else:
            month, day, year = _MONTHS.get(g[0].casefold(), 0), int(g[1]), int(g[2])
        hour, minute, second, half = int(g[3]), int(g[4]), int(g[5] or 0), g[6]
        if half:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if half.casefold() == "p" else 0)
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    return None


def _aware(moment: datetime) -> datetime:
    """File times have no zone: they are the local time the workout happened."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


# Digit runs are bounded: int() refuses strings of more than 4300 digits.
_DURATION_WORDS = re.compile(r"(?:(\d{1,6})\s*h[a-z]*)?\s*(?:(\d{1,6})\s*m[a-z]*)?\s*(?:(\d{1,6})\s*s[a-z]*)?")
_DURATION_CLOCK = re.compile(r"(\d{1,6}):(\d{1,2})(?::(\d{1,2}))?")


def _parse_duration(text: str, unit: str | None, line: int) -> int | None:
    """Seconds from '1h 5m', '45m', '1h', '1:05:00', or a bare number in the header's unit."""
    clean = text.strip().casefold()
    if not clean:
        return None
    m = _DURATION_WORDS.fullmatch(clean)
    if m and any(m.groups()):
        hours, minutes, seconds = (int(x or 0) for x in m.groups())
        return hours * 3600 + minutes * 60 + seconds
    m = _DURATION_CLOCK.fullmatch(clean)
    if m:
        return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)
    if _NUMBER.fullmatch(clean) and not clean.startswith("-"):
        # Strong's newer export has "Duration (sec)"; a bare number with no unit is seconds too.
        # (Capped: an absurd length only means "no end time", see _session.)
        value = min(float(clean), 1e9)
        return round(value * (60 if unit in ("min", "mins", "minutes") else 1))
    raise _bad(line, f"workout duration {_q(text)} is not a duration like '1h 5m' or '45m'")


# --- exercise names ------------------------------------------------------------------------

def load_import_names(library: Library, path: Path | None = None) -> dict[str, dict[str, str]]:
    """The apps' exercise names that mean one of our exercises: {app: {normalized name: id}}.

    `data/import_names.toml` has a [common] table for names both apps use and [strong] /
    [hevy] tables that win over it for their app. Every target must be a library exercise;
    like the library itself, all problems are collected and raised together as a
    LibraryError naming the file, table and entry.
    """
    import tomllib

    source: Traversable = IMPORT_NAMES_PATH if path is None else Path(path)
    label = source.name
    try:
        with source.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise LibraryError([f"{label}: file not found"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LibraryError([f"{label}: not valid TOML: {exc}"]) from None
    problems: list[str] = []
    sections = ("common", *APPS)
    for extra in sorted(set(data) - set(sections)):
        problems.append(f"{label}: unknown table [{extra}] (allowed: {', '.join(sections)})")
    tables: dict[str, dict[str, str]] = {}
    for section in sections:
        raw = data.get(section, {})
        if not isinstance(raw, dict):
            problems.append(f"{label}, [{section}]: must be a table of \"name\" = \"exercise-id\"")
            raw = {}
        seen: dict[str, tuple[str, str]] = {}
        for name, target in raw.items():
            where = f"{label}, [{section}] {name!r}"
            key = normalize(name)
            if not isinstance(target, str) or not target:
                problems.append(f"{where}: must map to an exercise id (text), not {target!r}")
            elif target not in library.exercises:
                problems.append(f"{where}: unknown exercise id {target!r}")
            elif not key:
                problems.append(f"{where}: the name has no letters or digits")
            elif key in seen and seen[key][1] != target:
                problems.append(f"{where}: is the same name as {seen[key][0]!r} (ignoring case and "
                                f"punctuation) but maps to {target!r}, not {seen[key][1]!r}")
            else:
                seen[key] = (name, target)
        tables[section] = {key: target for key, (_, target) in seen.items()}
    if problems:
        raise LibraryError(problems)
    return {app: {**tables["common"], **tables[app]} for app in APPS}


def _custom_key(name: str) -> str:
    # Unlike library.normalize this keeps letters of every script, so two Cyrillic or
    # Japanese names stay two exercises.
    return re.sub(r"[\W_]+", "", name.casefold())


class _ExerciseNames:
    """Turns the file's exercise names into our ids, creating custom exercises as needed."""

    def __init__(self, app: str, library: Library, existing_custom: Mapping[str, CustomExercise],
                 mapping: Mapping[str, str] | None = None):
        self.app = app
        self.table = load_import_names(library)[app] if app in APPS else {}
        self.mapping = dict(mapping or {})
        for name, target in self.mapping.items():
            if target not in library.exercises and target not in existing_custom:
                raise ImportFormatError(f"{name!r} is mapped to {target!r}, which is not an exercise BackCoach knows")
        self.library = library
        self.custom = {_custom_key(c.name): c.id for c in existing_custom.values()}
        self.taken = {c.id for c in existing_custom.values()} | set(existing_custom)
        self.created: list[CustomExercise] = []
        self._next_suffix: dict[str, int] = {}  # slug -> the next number to try (keeps this linear)

    def resolve(self, name: str, timed: bool) -> tuple[str, bool]:
        """(our id, True when a new custom exercise was made for it)."""
        if name in self.mapping:  # the lifter chose in the preview
            return self.mapping[name], False
        key = normalize(name)
        if key and key in self.table:
            return self.table[key], False
        found = self.library.find(name) if key else None
        if found is not None:
            return found.id, False
        ckey = _custom_key(name)
        if ckey in self.custom:
            return self.custom[ckey], False
        if len(self.created) >= MAX_NEW_EXERCISES:
            raise ImportFormatError(
                f"the file names more than {MAX_NEW_EXERCISES:,} exercises BackCoach does not know; a real "
                "training log has a few hundred at most, so this is probably not a workout app's export")
        base = new_id = custom_exercise_id(name)
        n = self._next_suffix.get(base, 2)
        while new_id in self.taken:  # another name with the same slug (or none: non-Latin)
            new_id = f"{base}-{n}"
            n += 1
        self._next_suffix[base] = n
        self.taken.add(new_id)
        self.custom[ckey] = new_id
        self.created.append(CustomExercise(id=new_id, name=name, source=self.app, timed=timed))
        return new_id, True


# --- from rows to sessions -----------------------------------------------------------------

@dataclass
class _Row:
    """One set as read from the file, before exercise names become ids."""

    line: int
    start: datetime
    title: str
    exercise: str
    kind: str
    order: float | None  # the file's own set number, when it gives one
    reps: int | None
    load_kg: float | None
    seconds: float | None
    rpe: float | None
    note: str
    extra: str  # facts we have no field for (distance), kept in the note
    session_note: str
    duration: int | None = None  # Strong: the workout's length in seconds
    end: datetime | None = None  # Hevy: when the workout ended
    assist_kg: float | None = None


def _assemble(app: str, rows: list[_Row], note_rows: dict[tuple[datetime, str], list[str]], skipped: int,
              library: Library, existing_custom: Mapping[str, CustomExercise],
              mapping: Mapping[str, str] | None = None, *, body_weights: list[BodyWeight] | None = None,
              skipped_cardio: int = 0) -> ImportResult:
    names = _ExerciseNames(app, library, existing_custom, mapping)
    by_name: dict[str, list[_Row]] = {}
    for row in rows:
        by_name.setdefault(row.exercise, []).append(row)
    mapped: dict[str, str] = {}
    created: list[str] = []
    for name, its_rows in by_name.items():
        timed = all(r.seconds is not None and r.reps is None for r in its_rows)
        mapped[name], new = names.resolve(name, timed)
        if new:
            created.append(name)

    groups: dict[tuple[datetime, str], list[_Row]] = {}
    for row in rows:
        groups.setdefault((row.start, row.title), []).append(row)
    dropped_ends = 0
    sessions: list[SessionLog] = []
    for (start, title), its_rows in groups.items():
        session, dropped = _session(app, start, title, its_rows, mapped, note_rows.get((start, title), []))
        sessions.append(session)
        dropped_ends += dropped
    sessions.sort(key=lambda s: s.start)  # stable: same start keeps file order
    warnings = []
    if dropped_ends:
        warnings.append(f"{_count(dropped_ends, 'workout')} had an end time before the start or more than 24 hours "
                        "after it (a timer left running?); the end time was left out.")
    return ImportResult(sessions=sessions, custom_exercises=names.created, mapped=mapped, created=created,
                        skipped_rows=skipped, warnings=warnings, body_weights=list(body_weights or []),
                        skipped_cardio=skipped_cardio, app=app)


def _in_file_set_order(rows: list[_Row]) -> list[_Row]:
    """The rows, with each exercise's sets put in the order of the file's own set numbers.

    Strong has been seen writing an exercise's sets out of order (4, 3, 1, 2). When every set
    of the exercise has a distinct number we trust the numbers; otherwise (warm-ups marked W,
    an exercise done in two blocks that restart at 1) the file's row order stands. Other
    exercises keep their places, so supersets stay interleaved.
    """
    places: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        places.setdefault(row.exercise, []).append(i)
    out = list(rows)
    for indexes in places.values():
        group = [rows[i] for i in indexes]
        orders = [r.order for r in group]
        if None in orders or len(set(orders)) != len(orders):
            continue
        for i, row in zip(indexes, sorted(group, key=lambda r: r.order or 0.0)):  # none is None here
            out[i] = row
    return out


_ASSISTED = re.compile(r"\bassist", re.IGNORECASE)


def _session(app: str, start: datetime, title: str, rows: list[_Row], mapped: dict[str, str],
             note_rows: list[str]) -> tuple[SessionLog, int]:
    counters: dict[tuple[str, bool], int] = {}
    last_note: dict[str, str] = {}
    sets: list[SetLog] = []
    for row in _in_file_set_order(rows):
        exercise_id = mapped[row.exercise]
        # Strong numbers warm-ups apart: W, 1, 2 is a warm-up and work sets 1 and 2.
        key = (exercise_id, app == "strong" and row.kind == "warmup")
        counters[key] = number = counters.get(key, 0) + 1
        # The apps repeat an exercise's note on each of its rows: keep it once per run.
        note = row.note
        if note and last_note.get(row.exercise) == note:
            note = ""
        elif note:
            last_note[row.exercise] = note
        load: float | None = row.load_kg
        if load and _ASSISTED.search(row.exercise):
            # On an assisted machine the weight is help, not load: more kg is easier.
            # Kept in the note so nothing is lost, and out of records and volume.
            note = " · ".join(part for part in (note, f"assisted by {load:g} kg") if part)
            assist: float | None = load
            load = None
        else:
            assist = row.assist_kg
        note = " · ".join(part for part in (note, row.extra) if part)
        try:
            sets.append(SetLog(exercise_id=exercise_id, set_number=number, reps=row.reps, load_kg=load,
                               seconds=row.seconds, rpe=row.rpe, kind=row.kind, note=note, assist_kg=assist))
        except InvalidRecord as exc:
            raise _bad(row.line, str(exc)) from None

    began = _aware(start)
    end: datetime | None = None
    dropped = 0
    ended = next((r.end for r in rows if r.end is not None), None)  # Hevy
    duration = next((r.duration for r in rows if r.duration), None)  # Strong
    if ended is not None:
        end = _aware(ended)
    elif duration is not None:
        if duration <= _MAX_WORKOUT_SECONDS:
            end = began + timedelta(seconds=duration)
            if start.tzinfo is None:
                end = end.astimezone()  # the local offset at the end: a workout may cross a clock change
        else:
            dropped = 1
    if end is not None and not 0 <= (end - began).total_seconds() <= _MAX_WORKOUT_SECONDS:
        end, dropped = None, 1

    session_notes = list(dict.fromkeys(r.session_note for r in rows if r.session_note)) + note_rows
    source_key = f"{app}|{_iso(start)}|{title}"
    try:
        session = SessionLog(
            started_at=_iso(began), sets=tuple(sets), ended_at=_iso(end) if end else None, routine=title or None,
            note="\n".join(session_notes), source=app, source_key=source_key,
            id=uuid.uuid5(_SESSION_NAMESPACE, source_key).hex,
        )
    except InvalidRecord as exc:
        raise _bad(rows[0].line, str(exc)) from None
    return session, dropped


# --- Strong --------------------------------------------------------------------------------

_STRONG_KINDS = {"w": "warmup", "d": "drop", "f": "failure"}


def _strong_set_order(text: str, line: int) -> tuple[str, float | None]:
    """(kind, set number) from Strong's Set Order: 3, W (warm-up), D (drop), F (failure),
    or the non-set rows 'rest' (Rest Timer) and 'note' (Note)."""
    value = " ".join(text.casefold().split())
    if value in ("rest timer", "rest", "resttimer"):
        return "rest", None
    if value in ("note", "notes"):
        return "note", None
    if not value:
        return "normal", None
    if re.fullmatch(r"\d+(?:\.0*)?", value):
        return "normal", float(value)
    m = re.fullmatch(r"([wdf])\d*", value)
    if m:
        return _STRONG_KINDS[m.group(1)], None
    raise _bad(line, f"set order {_q(text)} is not a set number, W, D, F, Rest Timer or Note")


def parse_strong(data: bytes, library: Library, existing_custom: Mapping[str, CustomExercise] = _NO_CUSTOM,
                 *, weight_unit: str = "kg", mapping: Mapping[str, str] | None = None) -> ImportResult:
    """Read a Strong CSV export (any of its generations).

    The weight unit comes from a `Weight Unit` column, else from the header (`Weight (lbs)`),
    else `weight_unit`: Strong's plain `Weight` column is in whatever unit the app was set to,
    and the file does not say which.
    """
    if weight_unit not in ("kg", "lb"):
        raise ValueError(f"weight_unit must be 'kg' or 'lb', not {weight_unit!r}")
    table = _read_table(_decode(data))
    c_date = table.column("date")
    c_title = table.column("workout name")
    c_exercise = table.column("exercise name")
    c_order = table.column("set order")
    c_weight, header_unit = table.column_with_unit("weight")
    c_reps = table.column("reps")
    required = {"Date": c_date, "Workout Name": c_title, "Exercise Name": c_exercise, "Set Order": c_order,
                "Weight": c_weight, "Reps": c_reps}
    missing = [label for label, index in required.items() if index is None]
    if missing:
        raise _wrong_columns("strong", missing, table)
    file_unit = weight_unit
    if header_unit is not None:
        file_unit = _weight_unit(header_unit) or ""
        if not file_unit:
            raise _bad(table.header_line, f"the weight unit {_q(header_unit)} in the header is not kg or lbs")
    c_weight_unit = table.column("weight unit")
    c_seconds = table.column("seconds")
    c_distance, header_distance_unit = table.column_with_unit("distance")
    c_distance_unit = table.column("distance unit")
    c_rpe = table.column("rpe")
    c_notes = table.column("notes")
    c_workout_notes = table.column("workout notes")
    c_duration, duration_unit = table.column_with_unit("duration")
    if c_duration is None:
        c_duration, duration_unit = table.column_with_unit("workout duration")
    comma = table.decimal_comma

    rows: list[_Row] = []
    note_rows: dict[tuple[datetime, str], list[str]] = {}
    skipped = 0
    for line, cells in table.rows:
        get = _cell_getter(table, line, cells)
        kind, order = _strong_set_order(get(c_order), line)
        start = _parse_when(get(c_date), "date", line)
        title = get(c_title)
        exercise = _text(get(c_exercise), "exercise name", line)
        if kind == "rest":
            skipped += 1  # its Seconds is the rest that was set, not a set
            continue
        if kind == "note":
            skipped += 1
            note = get(c_notes)
            if note:
                note_rows.setdefault((start, title), []).append(f"{exercise}: {note}" if exercise else note)
            continue
        unit = file_unit
        if c_weight_unit is not None and get(c_weight_unit):
            unit = _weight_unit(get(c_weight_unit)) or ""
            if not unit:
                raise _bad(line, f"weight unit {_q(get(c_weight_unit))} is not kg or lbs")
        load = _load_kg(get(c_weight), unit, line, comma)
        reps = _reps(get(c_reps), line, comma)
        seconds = _seconds(get(c_seconds), line, comma)
        rpe = _rpe(get(c_rpe), line, comma)
        distance = _number(get(c_distance), "distance", line, comma)
        duration = _parse_duration(get(c_duration), duration_unit, line)
        if load is None and reps is None and seconds is None and not distance:
            skipped += 1  # a set with nothing filled in (or a rest timer written as one)
            continue
        if not exercise:
            raise _bad(line, "the exercise name is empty")
        extra = ""
        if distance:
            d_unit = _distance_unit(get(c_distance_unit) or header_distance_unit or "")
            extra = f"distance {_plain(distance)} {d_unit}".strip()
        rows.append(_Row(line=line, start=start, title=title, exercise=exercise, kind=kind, order=order, reps=reps,
                         load_kg=load, seconds=seconds, rpe=rpe, note=get(c_notes), extra=extra,
                         session_note=get(c_workout_notes), duration=duration))
    return _assemble("strong", rows, note_rows, skipped, library, existing_custom, mapping)


def _plain(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


# --- Hevy ----------------------------------------------------------------------------------

_HEVY_KINDS = {"normal": "normal", "warmup": "warmup", "warm up": "warmup", "warm-up": "warmup",
               "dropset": "drop", "drop set": "drop", "drop": "drop", "failure": "failure", "": "normal"}


def parse_hevy(data: bytes, library: Library, existing_custom: Mapping[str, CustomExercise] = _NO_CUSTOM,
               *, mapping: Mapping[str, str] | None = None) -> ImportResult:
    """Read a Hevy CSV export (weight_kg or weight_lbs; either of its date styles)."""
    table = _read_table(_decode(data))
    c_title = table.column("title")
    c_start = table.column("start time")
    c_exercise = table.column("exercise title")
    c_reps = table.column("reps")
    c_weight, unit = table.column("weight kg"), "kg"
    if c_weight is None:
        c_weight, unit = table.column("weight lbs", "weight lb"), "lb"
    required = {"title": c_title, "start_time": c_start, "exercise_title": c_exercise,
                "weight_kg (or weight_lbs)": c_weight, "reps": c_reps}
    missing = [label for label, index in required.items() if index is None]
    if missing:
        raise _wrong_columns("hevy", missing, table)
    c_end = table.column("end time")
    c_description = table.column("description")
    c_notes = table.column("exercise notes")
    c_index = table.column("set index")
    c_type = table.column("set type")
    c_distance, distance_unit = table.column("distance km"), "km"
    if c_distance is None:
        c_distance, distance_unit = table.column("distance miles", "distance mi"), "mi"
    if c_distance is None:
        c_distance, distance_unit = table.column("distance meters", "distance m"), "m"
    c_seconds = table.column("duration seconds")
    c_rpe = table.column("rpe")
    comma = table.decimal_comma

    rows: list[_Row] = []
    skipped = 0
    for line, cells in table.rows:
        get = _cell_getter(table, line, cells)
        start = _parse_when(get(c_start), "start_time", line)
        end = _parse_when(get(c_end), "end_time", line) if get(c_end) else None
        title = get(c_title)
        exercise = _text(get(c_exercise), "exercise name", line)
        set_type = " ".join(get(c_type).casefold().split())
        if set_type not in _HEVY_KINDS:
            raise _bad(line, f"set_type {_q(get(c_type))} is not normal, warmup, dropset or failure")
        index = _number(get(c_index), "set_index", line, comma)
        if index is not None and not index.is_integer():
            raise _bad(line, f"set_index {_q(get(c_index))} is not a whole number")
        load = _load_kg(get(c_weight), unit, line, comma)
        reps = _reps(get(c_reps), line, comma)
        seconds = _seconds(get(c_seconds), line, comma)
        rpe = _rpe(get(c_rpe), line, comma)
        distance = _number(get(c_distance), "distance", line, comma)
        if load is None and reps is None and seconds is None and not distance:
            skipped += 1
            continue
        if not exercise:
            raise _bad(line, "the exercise name is empty")
        extra = f"distance {_plain(distance)} {distance_unit}" if distance else ""
        rows.append(_Row(line=line, start=start, title=title, exercise=exercise, kind=_HEVY_KINDS[set_type],
                         order=index, reps=reps, load_kg=load, seconds=seconds, rpe=rpe, note=get(c_notes),
                         extra=extra, session_note=get(c_description), end=end))
    return _assemble("hevy", rows, {}, skipped, library, existing_custom, mapping)





# --- FitNotes ------------------------------------------------------------------------------

_CARDIO_CATEGORIES = {"cardio", "cardiovascular"}
_DAY = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])\.?m\.?", re.I)
_HMS = re.compile(r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})")
# A file that gives a day but no time: the session is put at midday, so the day stays the
# same in any time zone the history is later read in.
_DAY_ONLY_HOUR = 12


def _parse_day(text: str, what: str, line: int) -> datetime:
    """A date as FitNotes (2024-01-15) or StrongLifts (2024/01/15) write it, at midday."""
    clean = text.strip()
    m = _DAY.fullmatch(clean) or _DAY.fullmatch(clean.split(" ")[0].split("T")[0])
    if not m:
        raise _bad(line, f"{what} {_q(text)} is not a date like 2024-01-15" if clean else f"the {what} is empty")
    try:
        day = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), _DAY_ONLY_HOUR)
    except ValueError:
        raise _bad(line, f"{what} {_q(text)} is not a real date") from None
    if not _PLAUSIBLE_YEARS[0] <= day.year <= _PLAUSIBLE_YEARS[1]:
        raise _bad(line, f"{what} {_q(text)} is not a plausible date")
    return day


def _fitnotes_time(text: str, line: int) -> float | None:
    """FitNotes' Time column: h:mm:ss or mm:ss (or plain seconds); None when empty or zero."""
    clean = text.strip()
    if not clean:
        return None
    m = _HMS.fullmatch(clean)
    if m:
        hours, minutes, seconds = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
        if seconds >= 60 or (m.group(1) and minutes >= 60):
            raise _bad(line, f"time {_q(text)} is not a duration like 0:01:30")
        value = float(hours * 3600 + minutes * 60 + seconds)
    else:
        value = _number(clean, "time", line, False) or 0.0
    if value > MAX_SECONDS:
        raise _bad(line, f"time {_q(text)} is more than 24 hours")
    return value or None


def parse_fitnotes(data: bytes, library: Library, existing_custom: Mapping[str, CustomExercise] = _NO_CUSTOM,
                   *, mapping: Mapping[str, str] | None = None) -> ImportResult:
    """Read a FitNotes CSV export: Android (a `Weight Unit` column, kgs or lbs on each row) or
    iOS (the unit in the header, `Weight (kgs)`). FitNotes keeps days, not times: each day is
    one session. Cardio and distance-only rows are not strength sets; they are counted, not kept.
    """
    table = _read_table(_decode(data))
    c_date = table.column("date")
    c_exercise = table.column("exercise")
    c_category = table.column("category")
    c_weight, header_unit = table.column_with_unit("weight")
    c_reps = table.column("reps")
    c_unit = table.column("weight unit")
    required = {"Date": c_date, "Exercise": c_exercise, "Category": c_category, "Weight": c_weight, "Reps": c_reps}
    missing = [label for label, index in required.items() if index is None]
    if missing:
        raise _wrong_columns("fitnotes", missing, table)
    file_unit = None
    if header_unit is not None:
        file_unit = _weight_unit(header_unit)
        if file_unit is None:
            raise _bad(table.header_line, f"the weight unit {_q(header_unit)} in the header is not kg or lbs")
    elif c_unit is None:
        raise _wrong_columns("fitnotes", ["Weight Unit (or the unit in the Weight header)"], table)
    c_distance = table.column("distance")
    c_distance_unit = table.column("distance unit")
    c_time = table.column("time")
    c_comment = table.column("comment", "comments", "notes")

    rows: list[_Row] = []
    skipped = cardio = 0
    for line, cells in table.rows:
        get = _cell_getter(table, line, cells)
        start = _parse_day(get(c_date), "date", line)
        exercise = _text(get(c_exercise), "exercise name", line)
        category = " ".join(get(c_category).casefold().split())
        unit = file_unit
        if unit is None:
            unit = _weight_unit(get(c_unit)) if get(c_unit) else "kg"
            if unit is None:
                raise _bad(line, f"weight unit {_q(get(c_unit))} is not kgs or lbs")
        load = _load_kg(get(c_weight), unit, line, False)
        reps = _reps(get(c_reps), line, False)
        distance = _number(get(c_distance), "distance", line, False)
        seconds = _fitnotes_time(get(c_time), line)
        if category in _CARDIO_CATEGORIES or (distance and load is None and reps is None):
            cardio += 1
            continue
        if load is None and reps is None and seconds is None:
            skipped += 1
            continue
        if not exercise:
            raise _bad(line, "the exercise name is empty")
        extra = ""
        if distance:
            extra = f"distance {_plain(distance)} {_distance_unit(get(c_distance_unit))}".strip()
        rows.append(_Row(line=line, start=start, title="", exercise=exercise, kind="normal", order=None, reps=reps,
                         load_kg=load, seconds=seconds, rpe=None, note=get(c_comment), extra=extra, session_note=""))
    return _assemble("fitnotes", rows, {}, skipped, library, existing_custom, mapping, skipped_cardio=cardio)


# --- StrongLifts ---------------------------------------------------------------------------

_SET_COLUMN = re.compile(r"set (\d{1,3}) \((reps|kg|kgs|lb|lbs)\)")


def _clock(text: str, what: str, line: int) -> tuple[int, int] | None:
    """(hour, minute) from '7:37 PM' or '19:37'; None when empty."""
    clean = " ".join(text.replace("\u202f", " ").split())
    if not clean:
        return None
    m = _CLOCK.fullmatch(clean)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2))
        if not 1 <= hour <= 12 or minute > 59:
            raise _bad(line, f"{what} {_q(text)} is not a time of day")
        return hour % 12 + (12 if m.group(4).casefold() == "p" else 0), minute
    m = _HMS.fullmatch(clean)
    if m and not m.group(1):
        hour, minute = int(m.group(2)), int(m.group(3))
        if hour <= 23 and minute <= 59:
            return hour, minute
    raise _bad(line, f"{what} {_q(text)} is not a time of day like 7:37 PM")


def parse_stronglifts(data: bytes, library: Library, existing_custom: Mapping[str, CustomExercise] = _NO_CUSTOM,
                      *, mapping: Mapping[str, str] | None = None) -> ImportResult:
    """Read a StrongLifts CSV export: one row per exercise, with `Set N (Reps)` and
    `Set N (KG)` (or LB) columns; 0 or empty reps is a set that was not done. Start and end
    times are on a 12-hour clock; the body weight of the day is kept as a body-weight entry."""
    table = _read_table(_decode(data))
    c_date = table.column("date (yyyy/mm/dd)", "date")
    c_exercise = table.column("exercise")
    c_workout = table.column("workout")
    c_title = table.column("workout name")
    sets: dict[int, dict[str, int]] = {}
    load_unit = None
    for key, index in table.keys.items():
        m = _SET_COLUMN.fullmatch(key)
        if m:
            kind = "reps" if m.group(2) == "reps" else "load"
            sets.setdefault(int(m.group(1)), {})[kind] = index
            if kind == "load":
                unit = _weight_unit(m.group(2))
                if load_unit is not None and unit != load_unit:
                    raise _bad(table.header_line, "the set columns mix kg and lb")
                load_unit = unit
    required = {"Date": c_date, "Exercise": c_exercise, "Set 1 (Reps)": sets.get(1, {}).get("reps")}
    missing = [label for label, index in required.items() if index is None]
    if missing:
        raise _wrong_columns("stronglifts", missing, table)
    c_body, body_unit_text = None, None
    for key, index in table.keys.items():
        m = _HEADER_UNIT.fullmatch(key)
        if m and m.group(1) == "body weight":
            c_body, body_unit_text = index, m.group(2)
    body_unit = _weight_unit(body_unit_text or "kg") or "kg"
    c_start = table.column_with_unit("start time")[0]
    c_end = table.column_with_unit("end time")[0]
    c_notes = table.column("notes")

    rows: list[_Row] = []
    weights: dict[str, BodyWeight] = {}
    skipped = 0
    for line, cells in table.rows:
        get = _cell_getter(table, line, cells)
        day = _parse_day(get(c_date), "date", line)
        exercise = _text(get(c_exercise), "exercise name", line)
        title = _text(get(c_title), "workout name", line) or get(c_workout)
        started = _clock(get(c_start), "start time", line)
        start = day.replace(hour=started[0], minute=started[1]) if started else day
        end = None
        ended = _clock(get(c_end), "end time", line)
        if started and ended:
            end = day.replace(hour=ended[0], minute=ended[1])
            if end < start:
                end += timedelta(days=1)  # a workout across midnight
        body = _number(get(c_body), "body weight", line, False)
        if body:
            kg = round(lb_to_kg(body) if body_unit == "lb" else body, 2)
            if not MIN_BODY_KG <= kg <= MAX_BODY_KG:
                raise _bad(line, f"body weight {_q(get(c_body))} is outside {MIN_BODY_KG:g}–{MAX_BODY_KG:g} kg")
            weights[day.date().isoformat()] = BodyWeight(day=day.date().isoformat(), kg=kg, source="stronglifts")
        did_any = False
        for number in sorted(sets):
            columns = sets[number]
            reps = _reps(get(columns.get("reps")), line, False)
            load = _load_kg(get(columns.get("load")), load_unit or "kg", line, False)
            if reps is None:
                if get(columns.get("reps")) or get(columns.get("load")):
                    skipped += 1  # 0 reps: the set was planned but not done
                continue
            if not exercise:
                raise _bad(line, "the exercise name is empty")
            did_any = True
            rows.append(_Row(line=line, start=start, title=title, exercise=exercise, kind="normal", order=number,
                             reps=reps, load_kg=load, seconds=None, rpe=None, note="", extra="",
                             session_note=get(c_notes), end=end))
        if not did_any and not any(get(c.get("reps")) for c in sets.values()):
            skipped += 1
    return _assemble("stronglifts", rows, {}, skipped, library, existing_custom, mapping,
                     body_weights=sorted(weights.values(), key=lambda b: b.day))


# --- BackCoach's own CSV export -------------------------------------------------------------

def parse_backcoach_csv(data: bytes, library: Library,
                        existing_custom: Mapping[str, CustomExercise] = _NO_CUSTOM,
                        *, mapping: Mapping[str, str] | None = None) -> ImportResult:
    """Read a CSV that `backcoach export csv` wrote (one row per set), e.g. to move a history to
    another computer without the settings. Sessions keep their ids: a second import adds nothing."""
    from backcoach.exporting import CSV_COLUMNS, read_text_cell

    table = _read_table(_decode(data))
    index = {c: table.column(c.replace("_", " ")) for c in CSV_COLUMNS}
    missing = [c for c in ("session_start", "exercise_id", "exercise_name", "set_number", "session_id")
               if index[c] is None]
    if missing:
        raise _wrong_columns("backcoach", missing, table)
    names = _ExerciseNames("backcoach", library, existing_custom, mapping)
    known = set(library.exercises) | set(existing_custom)
    by_session: dict[str, dict] = {}
    mapped: dict[str, str] = {}
    created: list[str] = []
    for line, cells in table.rows:
        get = _cell_getter(table, line, cells)

        def cell(column: str, get: Callable[[int | None], str] = get) -> str:  # bound to this row
            return get(index[column])

        sid = cell("session_id")
        if not re.fullmatch(r"[0-9a-zA-Z_-]{1,64}", sid):
            raise _bad(line, f"session_id {_q(sid)} is not a BackCoach session id")
        start = _parse_when(cell("session_start"), "session_start", line)
        ex_id = read_text_cell(cell("exercise_id"))
        name = _text(read_text_cell(cell("exercise_name")), "exercise name", line)
        if name in names.mapping:
            target = names.mapping[name]
        elif ex_id in known:
            target = ex_id
        else:
            if not (name or ex_id):
                raise _bad(line, "the exercise is empty")
            target, new = names.resolve(name or ex_id, False)
            if new and (name or ex_id) not in created:
                created.append(name or ex_id)
        mapped[name or ex_id] = target
        number = _number(cell("set_number"), "set_number", line, False)
        if number is None or not number.is_integer() or not 1 <= number <= 1000:
            raise _bad(line, f"set_number {_q(cell('set_number'))} is not a whole number 1–1000")
        kind = cell("kind") or ("warmup" if cell("warmup") == "true" else "normal")
        side = cell("side") or None
        try:
            set_log = SetLog(exercise_id=target, set_number=int(number), reps=_reps(cell("reps"), line, False),
                             load_kg=_load_kg(cell("load_kg"), "kg", line, False),
                             seconds=_seconds(cell("seconds"), line, False), rpe=_rpe(cell("rpe"), line, False),
                             side=side, kind=kind, tempo=read_text_cell(cell("tempo")) or None,
                             note=read_text_cell(cell("note")))
        except InvalidRecord as exc:
            raise _bad(line, str(exc)) from None
        entry = by_session.setdefault(sid, {"line": line, "start": start, "end": cell("session_end"),
                                            "routine": read_text_cell(cell("routine")),
                                            "note": read_text_cell(cell("session_note")), "sets": []})
        if entry["start"] != start:
            raise _bad(line, f"session {sid} starts at two different times in the file")
        entry["sets"].append(set_log)
    sessions = []
    for sid, entry in by_session.items():
        end = _parse_when(entry["end"], "session_end", entry["line"]) if entry["end"] else None
        try:
            sessions.append(SessionLog(started_at=_iso(_aware(entry["start"])), sets=tuple(entry["sets"]),
                                       ended_at=_iso(_aware(end)) if end else None, routine=entry["routine"] or None,
                                       note=entry["note"], source="backcoach", id=sid))
        except InvalidRecord as exc:
            raise _bad(entry["line"], str(exc)) from None
    sessions.sort(key=lambda x: x.start)
    return ImportResult(sessions=sessions, custom_exercises=names.created, mapped=mapped, created=created,
                        skipped_rows=0, app="backcoach")


IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "strong": parse_strong, "hevy": parse_hevy, "fitnotes": parse_fitnotes, "stronglifts": parse_stronglifts,
    "backcoach": parse_backcoach_csv,
}


def detect_format(data: bytes) -> str:
    """Which app wrote the file, from its first bytes: one of IMPORTERS, or "json" for a
    BackCoach backup. Raises ImportFormatError naming the formats BackCoach reads."""
    head = bytes(data[: MAX_HEADER_CHARS * 4]).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "json"
    text = head.decode("utf-8", "replace")
    first = next((ln for ln in text.splitlines() if ln.strip()), "")[:MAX_HEADER_CHARS]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        cells = next(csv.reader([first], delimiter=delimiter), [])
    except csv.Error:
        cells = []
    found = _format_of({_header_key(c) for c in cells[:MAX_COLUMNS]})
    if found is None:
        raise ImportFormatError(f"BackCoach cannot tell which app wrote this file; it reads exports from {KNOWN_FORMATS}.")
    return found
