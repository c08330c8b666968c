"""Live advice while a routine is being edited: what is missing, too much or too little.

Every rule is a pure function of the routine, the library, the lifter's level and (for the
"same routine for weeks" rules) the logged history, so the editor can call `advise` after
every change and tests can expect exact answers. Advice never blocks anything: each piece
explains itself in one sentence and, where it helps, offers exercises to add or swap in.

Where the rules come from (facts from the source articles, worded by us):

- A complete back routine pulls from overhead (a vertical pull) and towards the chest (a
  horizontal row), and has accessory work for the rear delts and the lower back.
- Back sessions a week: beginners one or two, intermediate lifters up to three, advanced
  lifters four or five. Nobody needs the back trained (nearly) every day.
- Progress comes from load, reps or a slower tempo (see `backcoach.progression`), and from
  changing exercises now and then rather than running one list forever.

The weekly-set ranges are not from the articles but from common hypertrophy guidance; see
`SETS_FLOOR`, `SETS_TYPICAL` and `SETS_CEILING`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backcoach.analytics import PRIMARY_SET_SHARE, SECONDARY_SET_SHARE, exercise_name, week_start
from backcoach.library import Exercise, Library
from backcoach.model import SessionLog
from backcoach.routines import Routine

WARNING = "warning"
TIP = "tip"
SEVERITIES = (WARNING, TIP)
"""Warnings point at a gap or an excess in the plan; tips are optional improvements.
`advise` lists warnings first."""

ADVICE_KINDS = (
    "empty-routine",
    "no-vertical-pull",
    "no-horizontal-row",
    "no-rear-delts",
    "no-lower-back",
    "frequency-above-level",
    "back-every-day",
    "sets-far-below",
    "sets-far-above",
    "unchanged-routine",
    "stalled-exercise",
    "unilateral-not-per-side",
)
"""Every stable `Advice.kind`, so the UI can key icons or "don't show again" on them."""

LEVELS = ("beginner", "intermediate", "advanced")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

SESSIONS_PER_WEEK_BY_LEVEL = {"beginner": (1, 2), "intermediate": (1, 3), "advanced": (4, 5)}
"""Back sessions a week that suit each level (the articles' frequencies). Only going above
the maximum is flagged: fewer sessions than the range is a choice, not a mistake."""

_LEVEL_RANGE_TEXT = {"beginner": "one or two", "intermediate": "up to three", "advanced": "four or five"}

RECOVERY_LIMIT = 6
"""From six back sessions a week on, the back gets at most one rest day whatever the level;
that is flagged for everyone (instead of the level's own limit, never both)."""

VERTICAL_PULL = "vertical-pull"
HORIZONTAL_ROW = "horizontal-row"
HINGE = "hinge"
REAR_DELTS = "rear-delts"
LOWER_BACK_MUSCLES = ("erector-spinae", "multifidus")

MAJOR_BACK_MUSCLES = ("lats", "traps-middle", "rhomboid-major", "erector-spinae", "rear-delts")
"""The muscles whose weekly sets are checked against the floor: the ones a back routine is
for. Every muscle is checked against the ceiling."""

SETS_FLOOR = 4.0
SETS_TYPICAL = (10, 20)
SETS_CEILING = 25.0
"""Planned hard sets per muscle per week. The usual hypertrophy advice is about 10–20 hard
sets per muscle each week; around 4 is often quoted as enough to keep what one has but not
to grow. Below `SETS_FLOOR` a major back muscle gets a warning ("far below"); above
`SETS_CEILING` any muscle does ("far above"), because extra sets past that mostly add
fatigue. The thresholds are deliberately wide: the point is to catch plans that are far
off, not to nag about a set or two. Sets are counted as in `analytics.weekly_sets_by_muscle`
(1 for each primary muscle, 0.5 for each secondary one) so the plan and the history's
heatmap agree."""

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
    "lats": ("no-vertical-pull", "no-horizontal-row"),
    "traps-middle": ("no-horizontal-row",),
    "rhomboid-major": ("no-horizontal-row",),
    "erector-spinae": ("no-lower-back",),
    "rear-delts": ("no-rear-delts",),
}


@dataclass(frozen=True)
class Advice:
    """One piece of advice for the routine being edited.

    `kind` is a stable id (one of `ADVICE_KINDS`); `message` is one self-explaining
    sentence; `suggestions` are exercise ids the editor can offer to add (or swap in);
    `subject` is the muscle id or routine item id the advice is about, if any, so the
    editor can point at it.
    """

    kind: str
    severity: str
    message: str
    suggestions: tuple[str, ...] = ()
    subject: str | None = None


def planned_weekly_sets(routine: Routine, library: Library) -> dict[str, float]:
    """Planned hard sets per week for every muscle of the catalogue (0.0 when untrained).

    Each planned work set of an item counts 1 for every primary muscle of its exercise and
    0.5 for every secondary one, times the routine's sessions per week. A per-side set is
    one set (left and right together), as the prescription reads and as the history counts
    it; warm-up sets are preparation and do not count. Exercises the library does not know
    (custom ones) add nothing, since their muscles are unknown.
    """
    totals = dict.fromkeys(library.muscles, 0.0)
    for item in routine.items:
        ex = library.exercises.get(item.exercise_id)
        if ex is None:
            continue
        sets = len(item.sets) * routine.sessions_per_week
        for muscles, share in ((ex.primary_muscles, PRIMARY_SET_SHARE), (ex.secondary_muscles, SECONDARY_SET_SHARE)):
            for m in muscles:
                if m in totals:
                    totals[m] += sets * share
    return totals


def advise(routine: Routine, library: Library, level: str, history: Sequence[SessionLog] = (),
           today: date | None = None) -> list[Advice]:
    """All advice for `routine` as the lifter at `level` would do it: warnings first, then
    tips, each group in the order of the rules below (stable for the same input).

    `history` is the logged sessions (any order; only those whose `routine` is this
    routine's name count for the "unchanged" and "stalled" rules). `today` bounds the
    history; without it, the latest logged session of the routine stands for today, so
    nothing here reads the clock.
    """
    if level not in LEVEL_RANK:
        raise ValueError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    known = [(item, library.exercises.get(item.exercise_id)) for item in routine.items]
    in_routine = {item.exercise_id for item in routine.items}

    out: list[Advice] = []
    if not routine.items:
        out.append(Advice(
            "empty-routine", TIP,
            "This routine has no exercises yet: a balanced back day starts with a vertical pull, "
            "a row, something for the rear delts and something for the lower back.",
        ))
    else:
        out += _coverage(known, library, level, in_routine)
    out += _frequency(routine.sessions_per_week, level)
    if routine.items:
        fired = {a.kind for a in out}
        out += _volume(planned_weekly_sets(routine, library), library, level, in_routine, fired)
        sessions = _routine_sessions(routine, history, today)
        out += _unchanged(routine, known, sessions, library, level, in_routine)
        out += _stalled(routine, known, sessions, library, level, in_routine)
        out += _unilateral(known)
    return sorted(out, key=lambda a: SEVERITIES.index(a.severity))  # sort is stable


# --- rule a: the four movements of a complete back routine --------------------------------

def _coverage(known: list, library: Library, level: str, in_routine: set[str]) -> list[Advice]:
    exercises = [ex for _, ex in known if ex is not None]
    out = []
    # A hang is grip and shoulder work, not a pull: only rep exercises count as a vertical pull.
    if not any(ex.pattern == VERTICAL_PULL and not ex.is_timed for ex in exercises):
        out.append(Advice(
            "no-vertical-pull", WARNING,
            "No vertical pull: add a pull-up or a lat pulldown so the lats are trained pulling from overhead.",
            _offer(library, level, in_routine, lambda e: e.pattern == VERTICAL_PULL and not e.is_timed),
        ))
    if not any(ex.pattern == HORIZONTAL_ROW for ex in exercises):
        out.append(Advice(
            "no-horizontal-row", WARNING,
            "No horizontal row: add a row so the middle back learns to pull the shoulder blades together.",
            _offer(library, level, in_routine, lambda e: e.pattern == HORIZONTAL_ROW),
        ))
    if not any(REAR_DELTS in ex.muscles for ex in exercises):
        out.append(Advice(
            "no-rear-delts", WARNING,
            "Nothing works the rear delts: a face pull or a reverse fly keeps the back of the shoulders "
            "in balance with the front.",
            _offer(library, level, in_routine, lambda e: REAR_DELTS in e.primary_muscles),
        ))
    if not any(ex.pattern == HINGE or set(ex.primary_muscles) & set(LOWER_BACK_MUSCLES) for ex in exercises):
        out.append(Advice(
            "no-lower-back", WARNING,
            "Nothing trains the lower back: a hinge such as a back extension or a Romanian deadlift "
            "strengthens the muscles that hold the spine straight.",
            _offer(library, level, in_routine,
                   lambda e: e.pattern == HINGE and "erector-spinae" in e.primary_muscles),
        ))
    return out


# --- rule b: sessions a week for the level ----------------------------------------------

def _frequency(sessions: int, level: str) -> list[Advice]:
    if sessions >= RECOVERY_LIMIT:
        return [Advice(
            "back-every-day", WARNING,
            f"{sessions} back sessions a week leave the back almost no day to recover, and muscles grow "
            "while they recover, so keep at least two rest days.",
        )]
    high = SESSIONS_PER_WEEK_BY_LEVEL[level][1]
    if sessions > high:
        return [Advice(
            "frequency-above-level", WARNING,
            f"{sessions} back sessions a week is more than the {_LEVEL_RANGE_TEXT[level]} that suit "
            f"{'an' if level[0] in 'aeiou' else 'a'} {level} lifter, and without the recovery between "
            "sessions the extra work does not pay off.",
        )]
    return []


# --- rule d: planned weekly hard sets per muscle --------------------------------------------

def _volume(planned: dict[str, float], library: Library, level: str, in_routine: set[str],
            fired: set[str]) -> list[Advice]:
    low, high = SETS_TYPICAL
    out = []
    for muscle_id, sets in planned.items():  # catalogue order
        name = _lower_first(library.muscles[muscle_id].name)
        if muscle_id in MAJOR_BACK_MUSCLES and sets < SETS_FLOOR:
            if sets == 0 and fired & set(_SPOKEN_FOR.get(muscle_id, ())):
                continue  # the coverage warning already says nothing trains it
            out.append(Advice(
                "sets-far-below", WARNING,
                f"{'No' if sets == 0 else 'Only ' + _count(sets)} planned hard sets a week reach the {name}, "
                f"under the {SETS_FLOOR:g} or so that merely keep a muscle where it is ({low}–{high} is the "
                "usual range for growth).",
                _offer(library, level, in_routine, lambda e, m=muscle_id: m in e.primary_muscles),
                subject=muscle_id,
            ))
        elif sets > SETS_CEILING:
            out.append(Advice(
                "sets-far-above", WARNING,
                f"{_count(sets)} planned hard sets a week land on the {name}, far above the {low}–{high} most "
                f"lifters grow on, and beyond about {SETS_CEILING:g} extra sets mostly add fatigue.",
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


def _unchanged(routine: Routine, known: list, sessions: list[SessionLog], library: Library, level: str,
               in_routine: set[str]) -> list[Advice]:
    """Counted back from the latest session while each session trained exactly the routine's
    exercises (warm-ups aside): the calendar weeks that run spans. Editing the routine (a
    swap, an added exercise) ends the run at once, so the tip disappears as soon as it is
    acted on."""
    current = frozenset(in_routine)
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
        for candidate in _swaps(ex, library, level, in_routine):
            if candidate not in swaps:
                swaps.append(candidate)
                break
    return [Advice(
        "unchanged-routine", TIP,
        f"Same exercises for {weeks} weeks: swapping one or two for a variation of the same movement "
        "gives the back a fresh challenge while keeping the plan balanced.",
        tuple(swaps),
    )]


def _stalled(routine: Routine, known: list, sessions: list[SessionLog], library: Library, level: str,
             in_routine: set[str]) -> list[Advice]:
    """An exercise whose best (heaviest load, then most reps at it; or the longest hold) in
    this routine has not improved for `STALLED_WEEKS` weeks of training. Tempo changes are
    not visible in the log as progress, so a lifter slowing the tempo may see this tip; it
    is a tip, not a warning, for that reason."""
    out = []
    for item, ex in known:
        if ex is not None and ex.pattern == "mobility":
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
        if last_progress is None or (last_day - last_progress) < timedelta(weeks=STALLED_WEEKS):
            continue
        weeks = (last_day - last_progress).days // 7
        name = exercise_name(item.exercise_id, library)
        out.append(Advice(
            "stalled-exercise", TIP,
            f"No new best on the {_lower_first(name)} in {weeks} weeks: a variation of the same movement "
            "can get progress going again.",
            _swaps(ex, library, level, in_routine)[:MAX_SUGGESTIONS] if ex is not None else (),
            subject=item.id,
        ))
    return out


# --- rule e: small things ----------------------------------------------------------------

def _unilateral(known: list) -> list[Advice]:
    return [
        Advice(
            "unilateral-not-per-side", TIP,
            f"The {_lower_first(ex.name)} works one side at a time: mark it as done per side so both "
            "sides get every planned set.",
            subject=item.id,
        )
        for item, ex in known
        if ex is not None and ex.unilateral and not item.per_side
    ]


# --- helpers ------------------------------------------------------------------------------

def _offer(library: Library, level: str, exclude: set[str], wanted) -> tuple[str, ...]:
    """Up to `MAX_SUGGESTIONS` exercises matching `wanted`, not already in the routine and
    not above the lifter's level; those at the lifter's level first, then easier ones, each
    group in library order (the library lists the usual choices first)."""
    rank = LEVEL_RANK[level]
    found = [ex for ex in library.exercises.values()
             if ex.id not in exclude and wanted(ex) and LEVEL_RANK.get(ex.level, 0) <= rank]
    found.sort(key=lambda ex: rank - LEVEL_RANK.get(ex.level, 0))  # stable: library order within
    return tuple(ex.id for ex in found[:MAX_SUGGESTIONS])


def _swaps(ex: Exercise, library: Library, level: str, exclude: set[str]) -> tuple[str, ...]:
    """Same-pattern alternatives to `ex`: the same mode (reps or timed), within one level of
    it and not above the lifter's level; the exercise's own level first, then library order."""
    user = LEVEL_RANK[level]
    own = LEVEL_RANK.get(ex.level, 0)
    found = [c for c in library.exercises.values()
             if c.id != ex.id and c.id not in exclude and c.pattern == ex.pattern and c.mode == ex.mode
             and abs(LEVEL_RANK.get(c.level, 0) - own) <= 1 and LEVEL_RANK.get(c.level, 0) <= user]
    found.sort(key=lambda c: abs(LEVEL_RANK.get(c.level, 0) - own))
    return tuple(c.id for c in found)


def _count(sets: float) -> str:
    """3.0 -> '3', 4.5 -> '4.5': planned sets are halves at most, so one decimal is exact."""
    return f"{round(sets, 1):g}"


def _lower_first(text: str) -> str:
    """'Rear deltoids' -> 'rear deltoids' inside a sentence; an acronym ('TRX row') stays."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]
