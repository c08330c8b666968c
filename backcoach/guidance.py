"""Live advice while a routine is being edited: what is missing, too much or too little.

Every rule is a pure function of the routine, the library, the lifter's level and (for the
"same routine for weeks" rules) the logged history, so the editor can call `advise` after
every change and tests can expect exact answers. Advice never blocks anything: each piece
explains itself in one sentence and, where it helps, offers exercises to add or swap in.
The numbers behind the rules live in `backcoach.rules`.

Where the rules come from (facts from the source articles and conventional guidance, worded
by us):

- A complete back routine pulls from overhead (a vertical pull) and towards the chest (a
  horizontal row), and has accessory work for the rear delts and the lower back. A routine
  declared as a specialisation (lats only, lower back only) or as mobility is judged on what
  it sets out to do, not told to become a whole back day.
- Back sessions a week: beginners one or two, intermediate lifters up to three, advanced
  lifters four or five. One session over the range is a tip (ACSM puts novices at two or
  three full-body days), more than that a warning.
- Mobility drills and stretches are not hard sets: they count neither toward the weekly
  sets of a muscle nor toward how often the back is trained.
- About 10–20 hard sets per muscle a week is the usual range for growth; from about 25 the
  extra sets mostly add fatigue (a tip), above 30 a warning. More than about 10 hard sets
  for one muscle in a single session is better spread over the week (a tip).
- Progress comes from load, reps, a slower tempo or longer holds (see
  `backcoach.progression`), and from changing exercises now and then rather than running
  one list forever.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from backcoach.analytics import week_start
from backcoach.library import Exercise, Library, exercise_name
from backcoach.model import SessionLog
from backcoach.routines import Purpose, Routine
from backcoach.rules import (
    BACK_EVERY_DAY_SESSIONS,
    LEVEL_RANK,
    LEVELS,
    PRIMARY_SET_SHARE,
    SECONDARY_SET_SHARE,
    SESSION_SETS_TIP,
    SESSIONS_ABOVE_LEVEL_TIP,
    SESSIONS_RANGE_TEXT,
    WEEKLY_SETS_FLOOR,
    WEEKLY_SETS_TIP,
    WEEKLY_SETS_TYPICAL,
    WEEKLY_SETS_WARNING,
    max_sessions_per_week,
)


class Severity(StrEnum):
    """Warnings point at a gap or an excess in the plan; tips are optional improvements.
    `advise` lists warnings first."""

    WARNING = "warning"
    TIP = "tip"


WARNING = Severity.WARNING
TIP = Severity.TIP
SEVERITIES = tuple(Severity)


class Rule(StrEnum):
    """Every rule that can speak, so the UI can key icons or "don't show again" on them."""

    EMPTY_ROUTINE = "empty-routine"
    NO_VERTICAL_PULL = "no-vertical-pull"
    NO_HORIZONTAL_ROW = "no-horizontal-row"
    NO_REAR_DELTS = "no-rear-delts"
    NO_LOWER_BACK = "no-lower-back"
    FREQUENCY_ABOVE_LEVEL = "frequency-above-level"
    BACK_EVERY_DAY = "back-every-day"
    SETS_FAR_BELOW = "sets-far-below"
    SETS_HIGH = "sets-high"
    SETS_FAR_ABOVE = "sets-far-above"
    SESSION_SETS_HIGH = "session-sets-high"
    UNCHANGED_ROUTINE = "unchanged-routine"
    STALLED_EXERCISE = "stalled-exercise"
    UNILATERAL_NOT_PER_SIDE = "unilateral-not-per-side"


ADVICE_KINDS = tuple(r.value for r in Rule)

VERTICAL_PULL = "vertical-pull"
HORIZONTAL_ROW = "horizontal-row"
HINGE = "hinge"
MOBILITY = "mobility"
REAR_DELTS = "rear-delts"
LOWER_BACK_MUSCLES = ("erector-spinae", "multifidus")

MAJOR_BACK_MUSCLES = ("lats", "traps-middle", "rhomboid-major", "erector-spinae", "rear-delts")
"""The muscles whose weekly sets are checked against the floor: the ones a back routine is
for. Every muscle is checked against the ceiling."""

UNCHANGED_WEEKS = 8
"""A routine done with exactly the same exercises across this many calendar weeks earns a
tip to swap one or two for variations of the same movement."""

STALLED_WEEKS = 12
"""An exercise of the routine that has gone this long without beating its best load or reps
earns a tip to try a variation."""

MAX_SUGGESTIONS = 3

# For a muscle that no exercise trains at all, the coverage warning already says so; the
# "far below" warning would repeat it. This maps each major muscle to the coverage warnings
# that speak for it when its planned sets are zero.
_SPOKEN_FOR = {
    "lats": (Rule.NO_VERTICAL_PULL, Rule.NO_HORIZONTAL_ROW),
    "traps-middle": (Rule.NO_HORIZONTAL_ROW,),
    "rhomboid-major": (Rule.NO_HORIZONTAL_ROW,),
    "erector-spinae": (Rule.NO_LOWER_BACK,),
    "rear-delts": (Rule.NO_REAR_DELTS,),
}


@dataclass(frozen=True)
class Advice:
    """One piece of advice for the routine being edited.

    `rule` says which rule spoke (stable, see `Rule`); `text` is one self-explaining
    sentence; `suggestions` are exercise ids the editor can offer to add (or swap in);
    `subject` is the muscle id or routine item id the advice is about, if any, so the
    editor can point at it.
    """

    rule: Rule
    severity: Severity
    text: str
    suggestions: tuple[str, ...] = ()
    subject: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """As `backcoach routines check --json` prints it."""
        return {"rule": str(self.rule), "severity": str(self.severity), "text": self.text,
                "suggestions": list(self.suggestions)}


def is_hard_set_exercise(exercise: Exercise) -> bool:
    """Mobility drills and stretches are practice, not hard sets: they add no weekly sets and
    do not make a session count toward how often the back is trained."""
    return exercise.pattern != MOBILITY


def planned_weekly_sets(routine: Routine, library: Library) -> dict[str, float]:
    """Planned hard sets per week for every muscle of the catalogue (0.0 when untrained).

    Each planned work set of an item counts 1 for every primary muscle of its exercise and
    0.5 for every secondary one, times the routine's sessions per week. A per-side set is
    one set (left and right together), as the prescription reads and as the history counts
    it; warm-up sets are preparation and mobility drills are practice, so neither counts.
    Exercises the library does not know (custom ones) add nothing, since their muscles are
    unknown.
    """
    per_session = planned_session_sets(routine, library)
    return {m: v * routine.sessions_per_week for m, v in per_session.items()}


def planned_session_sets(routine: Routine, library: Library) -> dict[str, float]:
    """Planned hard sets per muscle in one session of the routine, counted as above."""
    totals = dict.fromkeys(library.muscles, 0.0)
    for item in routine.items:
        ex = library.exercises.get(item.exercise_id)
        if ex is None or not is_hard_set_exercise(ex):
            continue
        sets = len(item.sets)
        for muscles, share in ((ex.primary_muscles, PRIMARY_SET_SHARE), (ex.secondary_muscles, SECONDARY_SET_SHARE)):
            for m in muscles:
                if m in totals:
                    totals[m] += sets * share
    return totals


def merge_stalled(advice: Sequence[Advice], routine: Routine, name_of: Callable[[str], str]) -> list[Advice]:
    """The guidance panel's list: several stalled exercises become one tip naming them all
    (so the panel stays readable); everything else as it is. `name_of` names an exercise id."""
    stalled = [a for a in advice if a.rule == Rule.STALLED_EXERCISE]
    if len(stalled) <= 1:
        return list(advice)
    exercise_of = {i.id: i.exercise_id for i in routine.items}
    names = [name_of(exercise_of.get(a.subject or "", a.subject or "")) for a in stalled]
    merged = Advice(Rule.STALLED_EXERCISE, Severity.TIP,
                    f"No new best for a long while on {', '.join(names[:-1])} and {names[-1]}: "
                    "a variation of the same movement can get progress going again.")
    return [a for a in advice if a.rule != Rule.STALLED_EXERCISE] + [merged]


def advise(routine: Routine, library: Library, level: str, history: Sequence[SessionLog] = (),
           today: date | None = None) -> list[Advice]:
    """All advice for `routine` as the lifter at `level` would do it: warnings first, then
    tips, each group in the order of the rules below (stable for the same input).

    The routine's `purpose` decides which rules apply: a balanced routine is checked for
    every movement of a back day; a specialisation routine is not asked to cover what it
    leaves out on purpose; a mobility routine has no hard sets to count and no frequency
    limit. Suggestions only name exercises the routine's `equipment` allows (any, if it
    declares none) and never one above the lifter's level.

    `history` is the logged sessions (any order; only those whose `routine` is this
    routine's name count for the "unchanged" and "stalled" rules). `today` bounds the
    history; without it, the latest logged session of the routine stands for today, so
    nothing here reads the clock.
    """
    if level not in LEVEL_RANK:
        raise ValueError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    known = [(item, library.exercises.get(item.exercise_id)) for item in routine.items]
    pool = _Pool(library, level, {item.exercise_id for item in routine.items}, frozenset(routine.equipment))
    hard = [ex for _, ex in known if ex is None or is_hard_set_exercise(ex)]

    out: list[Advice] = []
    if not routine.items:
        out.append(Advice(
            Rule.EMPTY_ROUTINE, TIP,
            "This routine has no exercises yet: a balanced back day starts with a vertical pull, "
            "a row, something for the rear delts and something for the lower back.",
        ))
    elif routine.purpose == Purpose.BALANCED:
        out += _coverage(known, pool)
    # Drills and stretches are not back training: a routine of nothing else has no limit.
    if routine.purpose != Purpose.MOBILITY and (hard or not routine.items):
        out += _frequency(routine.sessions_per_week, level)
    if routine.items:
        fired = {a.rule for a in out}
        out += _volume(routine, library, pool, fired)
        sessions = _routine_sessions(routine, history, today)
        out += _unchanged(routine, known, sessions, pool)
        out += _stalled(routine, known, sessions, library, pool)
        out += _unilateral(known)
    return sorted(out, key=lambda a: SEVERITIES.index(a.severity))  # sort is stable


# --- rule a: the four movements of a complete back routine --------------------------------

def _coverage(known: list, pool: _Pool) -> list[Advice]:
    exercises = [ex for _, ex in known if ex is not None and is_hard_set_exercise(ex)]
    out = []
    # A hang is grip and shoulder work, not a pull: only rep exercises count as a vertical pull.
    if not any(ex.pattern == VERTICAL_PULL and not ex.is_timed for ex in exercises):
        out.append(Advice(
            Rule.NO_VERTICAL_PULL, WARNING,
            "No vertical pull: add a pull-up or a lat pulldown so the lats are trained pulling from overhead.",
            pool.offer(lambda e: e.pattern == VERTICAL_PULL and not e.is_timed),
        ))
    if not any(ex.pattern == HORIZONTAL_ROW for ex in exercises):
        out.append(Advice(
            Rule.NO_HORIZONTAL_ROW, WARNING,
            "No horizontal row: add a row so the middle back learns to pull the shoulder blades together.",
            pool.offer(lambda e: e.pattern == HORIZONTAL_ROW),
        ))
    if not any(REAR_DELTS in ex.muscles for ex in exercises):
        out.append(Advice(
            Rule.NO_REAR_DELTS, WARNING,
            "Nothing works the rear delts: a face pull or a reverse fly keeps the back of the shoulders "
            "in balance with the front.",
            pool.offer(lambda e: REAR_DELTS in e.primary_muscles and is_hard_set_exercise(e)),
        ))
    if not any(ex.pattern == HINGE or set(ex.primary_muscles) & set(LOWER_BACK_MUSCLES) for ex in exercises):
        out.append(Advice(
            Rule.NO_LOWER_BACK, WARNING,
            "Nothing trains the lower back: a hinge such as a back extension or a Romanian deadlift "
            "strengthens the muscles that hold the spine straight.",
            pool.offer(lambda e: e.pattern == HINGE and "erector-spinae" in e.primary_muscles),
        ))
    return out


# --- rule b: sessions a week for the level ----------------------------------------------

def _frequency(sessions: int, level: str) -> list[Advice]:
    """One session above the level's range is a tip, more than that a warning; from
    `BACK_EVERY_DAY_SESSIONS` on, the warning says why (no rest days) instead."""
    over = sessions - max_sessions_per_week(level)
    if over <= 0:
        return []
    severity = TIP if over <= SESSIONS_ABOVE_LEVEL_TIP else WARNING
    if severity == WARNING and sessions >= BACK_EVERY_DAY_SESSIONS:
        return [Advice(
            Rule.BACK_EVERY_DAY, WARNING,
            f"{sessions} back sessions a week leave the back almost no day to recover, and muscles grow "
            "while they recover, so keep at least two rest days.",
        )]
    article = "an" if level[0] in "aeiou" else "a"
    if severity == TIP:
        text = (f"{sessions} back sessions a week is one more than the {SESSIONS_RANGE_TEXT[level]} that suit "
                f"{article} {level} lifter: fine if you recover well, otherwise drop a day and add a set elsewhere.")
    else:
        text = (f"{sessions} back sessions a week is more than the {SESSIONS_RANGE_TEXT[level]} that suit "
                f"{article} {level} lifter, and without the recovery between sessions the extra work does not pay off.")
    return [Advice(Rule.FREQUENCY_ABOVE_LEVEL, severity, text)]


# --- rule d: planned hard sets per muscle, a week and a session ------------------------------

def _volume(routine: Routine, library: Library, pool: _Pool, fired: set[Rule]) -> list[Advice]:
    low, high = WEEKLY_SETS_TYPICAL
    planned = planned_weekly_sets(routine, library)
    per_session = planned_session_sets(routine, library)
    out = []
    for muscle_id, sets in planned.items():  # catalogue order
        name = _lower_first(library.muscles[muscle_id].name)
        if (routine.purpose == Purpose.BALANCED and muscle_id in MAJOR_BACK_MUSCLES
                and sets < WEEKLY_SETS_FLOOR):
            if sets == 0 and fired & set(_SPOKEN_FOR.get(muscle_id, ())):
                continue  # the coverage warning already says nothing trains it
            out.append(Advice(
                Rule.SETS_FAR_BELOW, WARNING,
                f"{'No' if sets == 0 else 'Only ' + _count(sets)} planned hard sets a week reach the {name}, "
                f"under the {WEEKLY_SETS_FLOOR:g} or so that merely keep a muscle where it is ({low}–{high} is the "
                "usual range for growth).",
                pool.offer(lambda e, m=muscle_id: m in e.primary_muscles and is_hard_set_exercise(e)),
                subject=muscle_id,
            ))
        elif sets > WEEKLY_SETS_WARNING:
            out.append(Advice(
                Rule.SETS_FAR_ABOVE, WARNING,
                f"{_count(sets)} planned hard sets a week land on the {name}, far above the {low}–{high} most "
                f"lifters grow on; past about {WEEKLY_SETS_TIP:g} extra sets mostly add fatigue.",
                subject=muscle_id,
            ))
        elif sets >= WEEKLY_SETS_TIP:
            out.append(Advice(
                Rule.SETS_HIGH, TIP,
                f"{_count(sets)} planned hard sets a week land on the {name}, above the {low}–{high} most lifters "
                "grow on: a set or two less is likely to cost nothing and recover better.",
                subject=muscle_id,
            ))
        if per_session[muscle_id] > SESSION_SETS_TIP:
            out.append(Advice(
                Rule.SESSION_SETS_HIGH, TIP,
                f"{_count(per_session[muscle_id])} hard sets for the {name} in one session: past about "
                f"{SESSION_SETS_TIP:g} the later sets do little, so move some to another day or drop them.",
                subject=muscle_id,
            ))
    return out


# --- rule c: the same routine (or exercise) for many weeks ------------------------------

def _routine_sessions(routine: Routine, history: Iterable[SessionLog], today: date | None) -> list[SessionLog]:
    """The routine's logged sessions up to `today`, oldest first (ties by id, for stability)."""
    name = routine.name.strip().casefold()
    mine = [s for s in history if (s.routine or "").strip().casefold() == name]
    if today is not None:
        mine = [s for s in mine if s.start.date() <= today]
    return sorted(mine, key=lambda s: (s.start, s.id))


def _work_exercises(session: SessionLog) -> frozenset[str]:
    return frozenset(s.exercise_id for s in session.sets if s.kind != "warmup")


def _unchanged(routine: Routine, known: list, sessions: list[SessionLog], pool: _Pool) -> list[Advice]:
    """Counted back from the latest session while each session trained exactly the routine's
    exercises (warm-ups aside): the calendar weeks that run spans. Editing the routine (a
    swap, an added exercise) ends the run at once, so the tip disappears as soon as it is
    acted on."""
    current = frozenset(pool.exclude)
    run: list[SessionLog] = []
    for s in reversed(sessions):
        done = _work_exercises(s)
        if not done:
            continue  # an empty or warm-up-only log says nothing about the exercises
        if done != current:
            break
        run.append(s)
    if not run:
        return []
    weeks = (week_start(run[0].start.date()) - week_start(run[-1].start.date())).days // 7 + 1
    if weeks < UNCHANGED_WEEKS:
        return []
    swaps: list[str] = []
    for _, ex in known:
        if ex is None:
            continue
        for candidate in pool.swaps(ex):
            if candidate not in swaps:
                swaps.append(candidate)
                break
    return [Advice(
        Rule.UNCHANGED_ROUTINE, TIP,
        f"Same exercises for {weeks} weeks: swapping one or two for a variation of the same movement "
        "gives the back a fresh challenge while keeping the plan balanced.",
        tuple(swaps),
    )]


def _stalled(routine: Routine, known: list, sessions: list[SessionLog], library: Library,
             pool: _Pool) -> list[Advice]:
    """An exercise whose best (heaviest load, then most reps at it; or the longest hold) in
    this routine has not improved for `STALLED_WEEKS` weeks of training. Tempo changes are
    not visible in the log as progress, so a lifter slowing the tempo may see this tip; it
    is a tip, not a warning, for that reason."""
    out = []
    for item, ex in known:
        if ex is not None and not is_hard_set_exercise(ex):
            continue  # stretches and drills are for moving well, not for setting records
        best = None
        last_progress: date | None = None
        last_day: date | None = None
        for s in sessions:
            sets = [st for st in s.sets if st.exercise_id == item.exercise_id and st.kind != "warmup"]
            if not sets:
                continue
            top_load = max((st.load_kg or 0.0) for st in sets)
            reps_at_top = sum(st.reps or 0 for st in sets if (st.load_kg or 0.0) == top_load)
            hold = max((st.seconds or 0.0) for st in sets)
            score = (top_load, reps_at_top, hold)
            day = s.start.date()
            if best is None or score > best:
                best, last_progress = score, day
            last_day = day
        if last_progress is None or last_day is None or (last_day - last_progress) < timedelta(weeks=STALLED_WEEKS):
            continue
        weeks = (last_day - last_progress).days // 7
        name = exercise_name(item.exercise_id, library)
        out.append(Advice(
            Rule.STALLED_EXERCISE, TIP,
            f"No new best on the {_lower_first(name)} in {weeks} weeks: a variation of the same movement "
            "can get progress going again.",
            pool.swaps(ex)[:MAX_SUGGESTIONS] if ex is not None else (),
            subject=item.id,
        ))
    return out


# --- rule e: small things ----------------------------------------------------------------

def _unilateral(known: list) -> list[Advice]:
    return [
        Advice(
            Rule.UNILATERAL_NOT_PER_SIDE, TIP,
            f"The {_lower_first(ex.name)} works one side at a time: mark it as done per side so both "
            "sides get every planned set.",
            subject=item.id,
        )
        for item, ex in known
        if ex is not None and ex.unilateral and not item.per_side
    ]


# --- helpers ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Pool:
    """Where suggestions come from: the library minus what the routine already has, within
    the lifter's level and the routine's equipment (any, when it declares none)."""

    library: Library
    level: str
    exclude: set[str]
    equipment: frozenset[str]

    def allowed(self, ex: Exercise) -> bool:
        return (ex.id not in self.exclude and LEVEL_RANK.get(ex.level, 0) <= LEVEL_RANK[self.level]
                and (not self.equipment or set(ex.equipment) <= self.equipment))

    def offer(self, wanted) -> tuple[str, ...]:
        """Up to `MAX_SUGGESTIONS` exercises matching `wanted`; those at the lifter's level
        first, then easier ones, each group in library order (the usual choices first)."""
        rank = LEVEL_RANK[self.level]
        found = [ex for ex in self.library.exercises.values() if self.allowed(ex) and wanted(ex)]
        found.sort(key=lambda ex: rank - LEVEL_RANK.get(ex.level, 0))  # stable: library order within
        return tuple(ex.id for ex in found[:MAX_SUGGESTIONS])

    def swaps(self, ex: Exercise) -> tuple[str, ...]:
        """Same-pattern alternatives to `ex`: the same mode (reps or timed), within one level
        of it; the exercise's own level first, then library order."""
        own = LEVEL_RANK.get(ex.level, 0)
        found = [c for c in self.library.exercises.values()
                 if c.id != ex.id and self.allowed(c) and c.pattern == ex.pattern and c.mode == ex.mode
                 and abs(LEVEL_RANK.get(c.level, 0) - own) <= 1]
        found.sort(key=lambda c: abs(LEVEL_RANK.get(c.level, 0) - own))
        return tuple(c.id for c in found)


def _count(sets: float) -> str:
    """3.0 -> '3', 4.5 -> '4.5': planned sets are halves at most, so one decimal is exact."""
    return f"{round(sets, 1):g}"


def _lower_first(text: str) -> str:
    """'Rear deltoids' -> 'rear deltoids' inside a sentence; an acronym ('TRX row') stays."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]
