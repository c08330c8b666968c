"""Everything the History area shows, computed from logged sessions and the library.

Pure functions of their arguments: a list of `SessionLog` (in any order), the `Library`,
and, where the answer depends on "now", an explicit `today`. Nothing reads the clock, so
tests give exact expectations and the UI decides what "today" is.

Rules used everywhere (the UI's help text repeats them):

- **Work sets** are all sets except warm-ups. Warm-ups never count towards volume, records,
  progress or hard sets: they are preparation, not training stimulus.
- A **hard set** is a work set: normal, drop and failure sets all count. This is the usual
  definition in hypertrophy research (sets taken reasonably close to failure), and a logger
  cannot know proximity to failure better than the user's own choice to mark a set as a
  warm-up.
- A set done for **one side** (`side` is "left" or "right") counts as **half** a hard set,
  so "3 × 10 each side" logged as three left and three right sets is 3 hard sets, the same
  as the prescription reads. Its tonnage counts in full: both arms really lifted the load.
- **Dates** are the local date of a session's start, in the offset it was logged with: a
  session at 23:30 on Monday in Berlin belongs to Monday wherever the app runs later.
- **Weeks** are ISO weeks, Monday to Sunday.
- **Estimated one-rep max** uses the Epley formula (see `epley_1rm`).
- A **personal record** is a record at the moment it was set, in chronological order: it
  must beat everything done before it (equalling is not a record). The first session with an
  exercise sets the baseline and is not a record.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from backcoach.library import Library
from backcoach.model import SessionLog, SetLog
from backcoach.rules import PRIMARY_SET_SHARE, SECONDARY_SET_SHARE, SIDED_SET_SHARE, epley

EPLEY = "Epley"
"""The name of the 1RM formula, as the UI shows it."""

OTHER_PATTERN = "other"
"""Movement pattern of exercises the library does not know (custom or imported ones)."""

PR_KINDS = ("load", "e1rm", "reps", "volume", "hold")
"""Kinds of personal record, in the order the UI lists them."""

_EPS = 1e-9  # improvements smaller than this are float noise, not a record


# --- single sets ------------------------------------------------------------------------------

def epley_1rm(load_kg: float | None, reps: int | None) -> float | None:
    """Estimated one-rep max by the **Epley** formula: load × (1 + reps / 30).

    One rep is the load itself (the formula would add 3 %). There is no estimate without an
    external load (body-weight sets, `load_kg` None or 0) or without reps (holds, 0 reps).
    Epley is commonly used and fair up to about 10–12 reps; above that it overestimates,
    which is why records also keep the heaviest load and the best reps at each load.
    """
    if load_kg is None or load_kg <= 0 or reps is None or reps <= 0:
        return None
    return epley(load_kg, reps)


def is_hard_set(s: SetLog) -> bool:
    """A hard set is any work set: everything but warm-ups (drop and failure sets count)."""
    return s.kind != "warmup"


def hard_set_share(s: SetLog) -> float:
    """How much one logged set adds to a hard-set count: 0 for a warm-up, ½ for one side of
    a unilateral exercise (left + right make one set), 1 otherwise."""
    if s.kind == "warmup":
        return 0.0
    return SIDED_SET_SHARE if s.side is not None else 1.0


def session_date(session: SessionLog) -> date:
    """The local calendar date the session started on (in its own UTC offset)."""
    return session.start.date()


def week_start(day: date) -> date:
    """The Monday of the ISO week containing `day`."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class TopSet:
    """The best single set of an exercise in a session.

    The heaviest load, and at that load the most reps; for body-weight sets (no load) the
    most reps; for holds the longest hold. Only sets with reps > 0 count for load and reps.
    """

    load_kg: float | None = None
    reps: int | None = None
    seconds: float | None = None


def top_set(sets: Iterable[SetLog]) -> TopSet | None:
    """The top set among `sets` (warm-ups ignored); None if there is no work set at all."""
    best_load: float | None = None
    best_reps: int | None = None
    best_seconds: float | None = None
    any_work = False
    for s in sets:
        if s.kind == "warmup":
            continue
        any_work = True
        if s.reps:
            load = s.load_kg or None
            if load is not None:
                if best_load is None or load > best_load or (load == best_load and s.reps > (best_reps or 0)):
                    best_load, best_reps = load, s.reps
            elif best_load is None and s.reps > (best_reps or 0):
                best_reps = s.reps
        if s.seconds is not None and (best_seconds is None or s.seconds > best_seconds):
            best_seconds = s.seconds
    if not any_work:
        return None
    return TopSet(load_kg=best_load, reps=best_reps, seconds=best_seconds)


# --- shared plumbing --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Dated:
    moment: datetime
    day: date
    session: SessionLog


def _chronological(sessions: Iterable[SessionLog]) -> list[_Dated]:
    """Sessions oldest first (ties broken by id so the order is stable), times parsed once."""
    dated = []
    for s in sessions:
        moment = s.start
        dated.append(_Dated(moment, moment.date(), s))
    dated.sort(key=lambda d: (d.moment, d.session.id))
    return dated


def _pattern_of(library: Library) -> dict[str, str]:
    return {ex_id: ex.pattern for ex_id, ex in library.exercises.items()}


# --- progress of one exercise ----------------------------------------------------------------

@dataclass(frozen=True)
class ProgressPoint:
    """One training day of an exercise, for its progress chart.

    Two sessions on the same day with the same exercise make one point (best of both,
    volumes added), so the chart has one value per date. `is_pr` marks a day whose best
    estimated 1RM beat every earlier day (the first day is the baseline, not a record).
    """

    date: date
    session_ids: tuple[str, ...]
    best_e1rm: float | None
    top_set: TopSet
    volume_kg: float
    hard_sets: float
    is_pr: bool


def exercise_progress(sessions: Iterable[SessionLog], exercise_id: str) -> list[ProgressPoint]:
    """Per date the exercise was trained (oldest first): best e1RM, top set, volume, PRs."""
    by_day: dict[date, list] = {}  # day -> [session ids, sets]
    for d in _chronological(sessions):
        sets = [s for s in d.session.sets if s.exercise_id == exercise_id and s.kind != "warmup"]
        if not sets:
            continue
        entry = by_day.setdefault(d.day, [[], []])
        entry[0].append(d.session.id)
        entry[1].extend(sets)
    points: list[ProgressPoint] = []
    best_so_far: float | None = None
    for day, (ids, sets) in by_day.items():  # insertion order is chronological
        e1rms = [e for e in (epley_1rm(s.load_kg, s.reps) for s in sets) if e is not None]
        best = max(e1rms) if e1rms else None
        is_pr = best is not None and best_so_far is not None and best > best_so_far + _EPS
        if best is not None and (best_so_far is None or best > best_so_far):
            best_so_far = best
        points.append(ProgressPoint(
            date=day,
            session_ids=tuple(ids),
            best_e1rm=best,
            top_set=top_set(sets) or TopSet(),
            volume_kg=sum(s.volume_kg for s in sets),
            hard_sets=sum(hard_set_share(s) for s in sets),
            is_pr=is_pr,
        ))
    return points


# --- personal records ------------------------------------------------------------------------

@dataclass(frozen=True)
class Best:
    """A record: its value, when and in which session it was set, and the set behind it.

    `value` is the load for the heaviest lift, the reps for rep records, the estimate for
    e1RM and the session's tonnage for volume (which has no single set: load and reps None).
    """

    value: float
    date: date
    session_id: str
    load_kg: float | None = None
    reps: int | None = None


@dataclass(frozen=True)
class Records:
    """All-time records of one exercise, from work sets only; of equal lifts the earliest
    is the record (a later equal lift is no new record).

    `heaviest` is the heaviest load with the most reps done with it. `most_reps` is the
    most reps in any one set, at whatever load. `reps_by_load` maps each load to the most
    reps done with it, lightest first; key 0.0 stands for body weight (no external load).
    `best_volume` is the most tonnage of the exercise in one session.
    """

    exercise_id: str
    heaviest: Best | None
    most_reps: Best | None
    best_e1rm: Best | None
    best_volume: Best | None
    reps_by_load: dict[float, Best] = field(default_factory=dict)
    longest_hold: Best | None = None  # timed sets (holds, stretches): the longest, in seconds


@dataclass(frozen=True)
class PrEvent:
    """A personal record set in a session, as it stood at that moment.

    kind "load": heavier than ever (value = load, with its reps).
    kind "e1rm": a higher estimated 1RM (value = estimate, from load × reps).
    kind "reps": more reps than ever before at this load or any heavier one (value = reps);
        a lighter load than ever tried is not a rep record, nor is a first try at a new
        heaviest load (that is a load record).
    kind "volume": more tonnage for the exercise in one session (value = kg).
    kind "hold": a longer hold than ever (value = seconds), for timed exercises.
    `previous` is the record it beat.
    """

    session_id: str
    date: date
    exercise_id: str
    kind: str
    value: float
    previous: float
    load_kg: float | None = None
    reps: int | None = None


class _RepFrontier:
    """The best reps at each load, reduced to the loads where no heavier load had as many
    reps: loads rising, reps strictly falling. Answers "most reps at this load or heavier"
    with one bisection, so rep records stay fast over thousands of sessions."""

    def __init__(self) -> None:
        self.loads: list[float] = []
        self.reps: list[int] = []

    def best_at_or_above(self, load: float) -> int | None:
        i = bisect_left(self.loads, load - _EPS)
        return self.reps[i] if i < len(self.loads) else None

    def add(self, load: float, reps: int) -> None:
        """Add a set that beats `best_at_or_above(load)` (the caller has checked)."""
        i = bisect_left(self.loads, load - _EPS)
        # Lighter loads with no more reps than this one are now dominated.
        j = i
        while j > 0 and self.reps[j - 1] <= reps:
            j -= 1
        if i < len(self.loads) and abs(self.loads[i] - load) <= _EPS:
            i += 1  # replace the entry for this very load
        self.loads[j:i] = [load]
        self.reps[j:i] = [reps]


class _ExerciseState:
    """Running records of one exercise during the chronological pass.

    Plain tuples, turned into `Best` records only at the end: the pass touches tens of
    thousands of sets and frozen dataclasses are slow to build.
    """

    __slots__ = ("heaviest", "most_reps", "best_e1rm", "best_volume", "reps_by_load", "frontier", "longest_hold")

    def __init__(self) -> None:
        self.heaviest: tuple[float, int, date, str] | None = None  # load, reps, day, session
        self.most_reps: tuple[int, float, date, str] | None = None  # reps, load, day, session
        self.best_e1rm: tuple[float, float, int, date, str] | None = None  # e1rm, load, reps, ...
        self.best_volume: tuple[float, date, str] | None = None
        self.longest_hold: tuple[float, date, str] | None = None  # seconds, day, session
        self.reps_by_load: dict[float, tuple[int, date, str]] = {}
        self.frontier = _RepFrontier()

    def records(self, exercise_id: str) -> Records:
        h, m, e, v, hold = self.heaviest, self.most_reps, self.best_e1rm, self.best_volume, self.longest_hold
        return Records(
            longest_hold=Best(hold[0], hold[1], hold[2]) if hold else None,
            exercise_id=exercise_id,
            heaviest=Best(h[0], h[2], h[3], h[0], h[1]) if h else None,
            most_reps=Best(m[0], m[2], m[3], m[1] or None, m[0]) if m else None,
            best_e1rm=Best(e[0], e[3], e[4], e[1], e[2]) if e else None,
            best_volume=Best(v[0], v[1], v[2]) if v else None,
            reps_by_load={load: Best(r, d, sid, load or None, r)
                          for load, (r, d, sid) in sorted(self.reps_by_load.items())},
        )


def _walk_records(sessions: Iterable[SessionLog]) -> tuple[dict[str, _ExerciseState], dict[str, list[PrEvent]]]:
    """One chronological pass that keeps every record and notes when each was beaten.

    A session is compared with everything before it, as a whole: two sets at a new best
    load in one session make one load record. Records are updated after the comparison.
    """
    states: dict[str, _ExerciseState] = {}
    events: dict[str, list[PrEvent]] = {}
    for d in _chronological(sessions):
        session = d.session
        by_exercise: dict[str, list[SetLog]] = {}
        for s in session.sets:
            if s.kind != "warmup":
                by_exercise.setdefault(s.exercise_id, []).append(s)
        found: list[PrEvent] = []
        for ex_id, sets in by_exercise.items():
            known = states.get(ex_id)
            baseline = known is None
            state = states[ex_id] = known if known is not None else _ExerciseState()
            _session_records(state, ex_id, sets, session.id, d.day, None if baseline else found)
        if found:
            events[session.id] = found
    return states, events


def _session_records(state: _ExerciseState, ex_id: str, sets: list[SetLog], sid: str, day: date,
                     found: list[PrEvent] | None) -> None:
    """Compare one session's sets of an exercise with the records so far, note the records
    it beat in `found` (None for the baseline session), then update the records."""
    heaviest: tuple[float, int] | None = None
    most_reps: tuple[int, float] | None = None
    best_e1rm: tuple[float, float, int] | None = None
    volume = 0.0
    hold = 0.0
    reps_at: dict[float, int] = {}
    for s in sets:  # the hot loop of the records pass: kept to plain comparisons
        if s.seconds is not None and s.seconds > hold:
            hold = s.seconds
        reps = s.reps
        if not reps:
            continue
        load = s.load_kg or 0.0
        if reps_at.get(load, 0) < reps:
            reps_at[load] = reps
        if most_reps is None or reps > most_reps[0]:
            most_reps = (reps, load)
        if load <= 0:
            continue
        volume += reps * load
        if heaviest is None or load > heaviest[0] or (load == heaviest[0] and reps > heaviest[1]):
            heaviest = (load, reps)
        e = epley(load, reps)
        if best_e1rm is None or e > best_e1rm[0]:
            best_e1rm = (e, load, reps)

    if heaviest is not None:
        old = state.heaviest
        if old is None or heaviest[0] > old[0] + _EPS:
            if old is not None and found is not None:
                found.append(PrEvent(sid, day, ex_id, "load", heaviest[0], old[0], heaviest[0], heaviest[1]))
            state.heaviest = (heaviest[0], heaviest[1], day, sid)
        elif heaviest[0] >= old[0] - _EPS and heaviest[1] > old[1]:
            # The same top load for more reps: the entry improves, and it is a rep record.
            state.heaviest = (old[0], heaviest[1], day, sid)
    if best_e1rm is not None:
        old_e1rm = state.best_e1rm
        if old_e1rm is None or best_e1rm[0] > old_e1rm[0] + _EPS:
            if old_e1rm is not None and found is not None:
                found.append(PrEvent(sid, day, ex_id, "e1rm", best_e1rm[0], old_e1rm[0], best_e1rm[1], best_e1rm[2]))
            state.best_e1rm = (*best_e1rm, day, sid)
    if most_reps is not None and (state.most_reps is None or most_reps[0] > state.most_reps[0]):
        state.most_reps = (most_reps[0], most_reps[1], day, sid)
    if reps_at:
        frontier = state.frontier
        loads = sorted(reps_at, reverse=True)
        if found is not None:
            # A rep record against the frontier from before this session; when sets at
            # several loads qualify, the heaviest one is reported.
            for load in loads:
                before = frontier.best_at_or_above(load)
                if before is not None and reps_at[load] > before:
                    found.append(PrEvent(sid, day, ex_id, "reps", reps_at[load], before, load or None, reps_at[load]))
                    break
        by_load = state.reps_by_load
        for load in loads:
            reps = reps_at[load]
            old_reps = by_load.get(load)
            if old_reps is None or reps > old_reps[0]:
                by_load[load] = (reps, day, sid)
            before = frontier.best_at_or_above(load)
            if before is None or reps > before:
                frontier.add(load, reps)
    if hold > 0:
        old_hold = state.longest_hold
        if old_hold is None or hold > old_hold[0] + _EPS:
            if old_hold is not None and found is not None:
                found.append(PrEvent(sid, day, ex_id, "hold", hold, old_hold[0]))
            state.longest_hold = (hold, day, sid)
    if volume > 0:
        old_volume = state.best_volume
        if old_volume is None or volume > old_volume[0] + _EPS:
            if old_volume is not None and found is not None:
                found.append(PrEvent(sid, day, ex_id, "volume", volume, old_volume[0]))
            state.best_volume = (volume, day, sid)


def personal_records(sessions: Iterable[SessionLog]) -> dict[str, Records]:
    """All-time records per exercise id, for every exercise with at least one work set."""
    states, _ = _walk_records(sessions)
    return {ex_id: state.records(ex_id) for ex_id, state in states.items()}


def session_prs(sessions: Iterable[SessionLog]) -> dict[str, list[PrEvent]]:
    """The records each session set when it was done, by session id.

    Sessions without a record are absent, so `session.id in prs` flags a row in the list.
    Events follow the session's exercise order, and per exercise the order of PR_KINDS.
    """
    _, events = _walk_records(sessions)
    return events



# --- weekly volume ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PatternVolume:
    hard_sets: float
    tonnage_kg: float


@dataclass(frozen=True)
class WeekVolume:
    """One ISO week (Monday `week_start`): hard sets and tonnage per movement pattern.

    `by_pattern` holds only patterns trained that week, in the library's pattern order with
    "other" last; a week without training has an empty mapping (so charts keep gaps).
    """

    week_start: date
    iso_year: int
    iso_week: int
    by_pattern: dict[str, PatternVolume]

    @property
    def hard_sets(self) -> float:
        return sum(v.hard_sets for v in self.by_pattern.values())

    @property
    def tonnage_kg(self) -> float:
        return sum(v.tonnage_kg for v in self.by_pattern.values())


def weekly_volume_by_pattern(sessions: Iterable[SessionLog], library: Library, *,
                             start: date | None = None, end: date | None = None) -> list[WeekVolume]:
    """Every ISO week from the first to the last trained one (or the weeks containing
    `start`..`end` when given), oldest first, with per-pattern hard sets and tonnage.

    Exercises missing from the library (custom or imported) count under "other".
    """
    pattern_of = _pattern_of(library)
    rank = {p: i for i, p in enumerate(library.patterns)}
    rank[OTHER_PATTERN] = len(rank)
    weeks: dict[date, dict[str, list[float]]] = {}
    first_allowed = week_start(start) if start else None
    last_allowed = week_start(end) if end else None
    for s in sessions:
        monday = week_start(s.start.date())
        if (first_allowed and monday < first_allowed) or (last_allowed and monday > last_allowed):
            continue
        week = weeks.setdefault(monday, {})
        for st in s.sets:
            if st.kind == "warmup":
                continue
            pattern = pattern_of.get(st.exercise_id, OTHER_PATTERN)
            if pattern not in rank:
                pattern = OTHER_PATTERN
            acc = week.get(pattern)
            if acc is None:
                acc = week[pattern] = [0.0, 0.0]
            acc[0] += SIDED_SET_SHARE if st.side is not None else 1.0
            acc[1] += st.volume_kg
    if not weeks and not (start and end):
        return []
    first = first_allowed or min(weeks)
    last = last_allowed or max(weeks)
    out: list[WeekVolume] = []
    monday = first
    while monday <= last:
        week = weeks.get(monday, {})
        iso = monday.isocalendar()
        out.append(WeekVolume(
            week_start=monday,
            iso_year=iso.year,
            iso_week=iso.week,
            by_pattern={p: PatternVolume(v[0], v[1]) for p, v in sorted(week.items(), key=lambda kv: rank[kv[0]])},
        ))
        monday += timedelta(days=7)
    return out


HEAT_FULL_SETS = 14.0
"""Sets a week at which a muscle's shade is at its strongest (about 14 is a lot: the middle
of the usual 10–20)."""

HEAT_LEGEND: tuple[tuple[float, str], ...] = ((0, "none"), (3, "3"), (8, "8"), (HEAT_FULL_SETS, "14+"))


def heat_level(sets_per_week: float) -> float | None:
    """How strongly a muscle is shaded for its weekly sets: None for none (the neutral
    colour), else from 0.25 (a little) to 1.0 (HEAT_FULL_SETS or more)."""
    if sets_per_week <= 0:
        return None
    return 0.25 + 0.75 * min(sets_per_week / HEAT_FULL_SETS, 1.0)


def neglected_muscles(sets_by_muscle: Mapping[str, float], library: Library) -> list[str]:
    """The muscles of `sets_by_muscle` with no sets that some exercise trains (the breathing
    sheets no exercise works are never 'neglected'), in the mapping's order."""
    return [m for m, v in sets_by_muscle.items() if v <= 0 and library.exercises_for_muscle(m)]


def weekly_sets_by_muscle(sessions: Iterable[SessionLog], library: Library, *, weeks: int = 4,
                          today: date) -> dict[str, float]:
    """Average hard sets per week for every muscle of the library, over the last `weeks`
    weeks: the 7 × `weeks` days ending with `today` (a rolling window, so a half-done
    current week does not drag the average down).

    A hard set counts 1 for each primary muscle of its exercise and 0.5 for each secondary
    one: secondary muscles assist but are not the limiting factor (the common "fractional
    sets" convention). Sets of exercises missing from the library are not counted.
    """
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, not {weeks}")
    first = today - timedelta(days=7 * weeks - 1)
    totals = dict.fromkeys(library.muscles, 0.0)
    shares: dict[str, tuple[tuple[str, float], ...]] = {}
    for ex_id, ex in library.exercises.items():
        shares[ex_id] = tuple((m, PRIMARY_SET_SHARE) for m in ex.primary_muscles) + tuple(
            (m, SECONDARY_SET_SHARE) for m in ex.secondary_muscles)
    for s in sessions:
        day = s.start.date()
        if not first <= day <= today:
            continue
        for st in s.sets:
            if st.kind == "warmup":
                continue
            muscles = shares.get(st.exercise_id)
            if not muscles:
                continue
            weight = SIDED_SET_SHARE if st.side is not None else 1.0
            for muscle, share in muscles:
                if muscle in totals:
                    totals[muscle] += weight * share
    return {m: v / weeks for m, v in totals.items()}


# --- calendar and streaks --------------------------------------------------------------------

def training_days_in_year(days: Iterable[date], today: date) -> int:
    """Training days in the 365 days ending with `today` (the Consistency tab's count)."""
    year_ago = today.toordinal() - 365
    return sum(1 for d in days if d.toordinal() > year_ago)


def training_calendar(sessions: Iterable[SessionLog], today: date, days: int = 365) -> dict[date, float]:
    """Hard sets per training day over the `days` days ending with `today`.

    Only days with a session appear (a day whose sessions were all warm-ups maps to 0);
    any other day in the range is a rest day. Sessions after `today` are ignored.
    """
    first = today - timedelta(days=days - 1)
    out: dict[date, float] = {}
    for s in sessions:
        day = s.start.date()
        if not first <= day <= today:
            continue
        out[day] = out.get(day, 0.0) + sum(hard_set_share(st) for st in s.sets)
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class Streaks:
    """Runs of consecutive ISO weeks with at least one session.

    `current_weeks` is the run ending this week, or last week when this week has no
    session yet (the week is not over, so it does not break the streak); otherwise 0.
    """

    current_weeks: int
    longest_weeks: int


def weekly_streaks(sessions: Iterable[SessionLog], today: date) -> Streaks:
    """Current and longest weekly streaks; sessions after `today` are ignored."""
    trained = {week_start(d) for d in (s.start.date() for s in sessions) if d <= today}
    if not trained:
        return Streaks(0, 0)
    longest = 0
    for monday in trained:
        if monday - timedelta(days=7) in trained:
            continue  # not the start of a run
        length = 1
        while monday + timedelta(days=7 * length) in trained:
            length += 1
        longest = max(longest, length)
    this_week = week_start(today)
    cursor = this_week if this_week in trained else this_week - timedelta(days=7)
    current = 0
    while cursor in trained:
        current += 1
        cursor -= timedelta(days=7)
    return Streaks(current, longest)


# --- one session -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ExerciseComparison:
    """An exercise of a session next to the last time it was done before.

    The previous fields are None when the exercise is new (or had only warm-ups before).
    """

    exercise_id: str
    top_set: TopSet | None
    volume_kg: float
    previous_session_id: str | None
    previous_date: date | None
    previous_top_set: TopSet | None
    previous_volume_kg: float | None

    @property
    def volume_change_kg(self) -> float | None:
        return None if self.previous_volume_kg is None else self.volume_kg - self.previous_volume_kg


def compare_with_previous(sessions: Iterable[SessionLog], session: SessionLog) -> list[ExerciseComparison]:
    """For each exercise of `session` (in order), its top set and volume against the most
    recent earlier session with a work set of it. `session` itself may or may not be in
    `sessions`; sessions starting after it are never "previous"."""
    start = session.start
    wanted = set(session.exercise_ids)
    latest: dict[str, tuple[tuple[datetime, str], SessionLog, list[SetLog]]] = {}
    for other in sessions:
        if other.id == session.id:
            continue
        key = (other.start, other.id)
        if key >= (start, session.id):
            continue
        per_exercise: dict[str, list[SetLog]] = {}
        for s in other.sets:
            if s.exercise_id in wanted and s.kind != "warmup":
                per_exercise.setdefault(s.exercise_id, []).append(s)
        for ex_id, sets in per_exercise.items():
            current = latest.get(ex_id)
            if current is None or key > current[0]:
                latest[ex_id] = (key, other, sets)
    out = []
    for ex_id in session.exercise_ids:
        sets = [s for s in session.sets if s.exercise_id == ex_id and s.kind != "warmup"]
        prev = latest.get(ex_id)
        out.append(ExerciseComparison(
            exercise_id=ex_id,
            top_set=top_set(sets),
            volume_kg=sum(s.volume_kg for s in sets),
            previous_session_id=prev[1].id if prev else None,
            previous_date=prev[0][0].date() if prev else None,
            previous_top_set=top_set(prev[2]) if prev else None,
            previous_volume_kg=sum(s.volume_kg for s in prev[2]) if prev else None,
        ))
    return out


# --- effective load on body-weight exercises --------------------------------------------------

def lifts_body_weight(exercise: Any) -> bool:
    """Whether a set of this exercise lifts the lifter's whole body (a pull-up, weighted or
    assisted), so its load is body weight + added - assistance (rules.BODY_WEIGHT_EQUIPMENT)."""
    from backcoach.rules import BODY_WEIGHT_EQUIPMENT

    return exercise is not None and exercise.mode == "reps" and bool(BODY_WEIGHT_EQUIPMENT & set(exercise.equipment))


def body_weight_on(day: date, weights: Sequence[Any]) -> float | None:
    """The body weight that applied on `day`: the latest logged on or before it, else the
    first one logged after it (a lifter who starts logging late still gets a figure)."""
    best = None
    for entry in weights:  # oldest first
        if entry.day <= day.isoformat():
            best = entry.kg
        elif best is None:
            return entry.kg
        else:
            break
    return best


def effective_load(s: SetLog, body_kg: float | None) -> float | None:
    """Body weight + added load - assistance, never below zero; None without a body weight."""
    if body_kg is None:
        return s.load_kg
    return max(0.0, round(body_kg + (s.load_kg or 0.0) - (s.assist_kg or 0.0), 2))


def with_effective_loads(sessions: Iterable[SessionLog], library: Library,
                         weights: Sequence[Any]) -> list[SessionLog]:
    """The sessions with each body-weight exercise's sets carrying their effective load, for
    e1RM, records and progress. Other sets, and every set when no body weight is logged,
    are left as they were."""
    sessions = list(sessions)
    if not weights:
        return sessions
    lifting = {i for i, ex in library.exercises.items() if lifts_body_weight(ex)}
    out = []
    for session in sessions:
        if not any(s.exercise_id in lifting for s in session.sets):
            out.append(session)
            continue
        body = body_weight_on(session.start.date(), weights)
        out.append(session.with_sets([
            replace(s, load_kg=effective_load(s, body) or None, assist_kg=None) if s.exercise_id in lifting else s
            for s in session.sets]))
    return out
