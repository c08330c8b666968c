"""A plausible synthetic training history: for newcomers to explore History, for tests and
for benchmarks.

The simulated trainee follows a back-focused plan: three routines rotated in order
(a vertical-pull day, a hinge-and-row day, a back-and-core day) of 5–7 exercises with 2–4
sets each, about four sessions a week in the evening, Central European time (UTC+1 in
winter, +2 in summer). Exercise variants change every few months. Loads follow double
progression: reps climb through the prescription's range, then the load goes up by the
exercise's `increment_kg` and reps start again at the bottom. Progress gets harder near a
plausible ceiling, so it stalls; after four stalled sessions the load drops about 10 %
(a deload). Holidays, Christmas and a sick month leave gaps, after which loads drop a little.
Pull-ups progress from band-assisted to body weight to weighted. Heavy barbell lifts get
warm-up sets; unilateral exercises are logged as a left and a right set; holds are logged
in seconds; some sets carry an RPE, some are drop or failure sets.

Everything comes from one `random.Random(seed)` and the given `today`, so the same
arguments always give the same history (ids included).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from datetime import date, datetime, timedelta, timezone

from backcoach.library import Exercise, Library
from backcoach.model import SessionLog, SetLog

if TYPE_CHECKING:
    from backcoach.routines import Routine

DEMO_SOURCE = "demo"

# (start, ceiling) of the working load in kg for the staples; others get equipment defaults.
_LOADS: dict[str, tuple[float, float]] = {
    "deadlift": (60, 190),
    "barbell-row": (40, 105),
    "pendlay-row": (40, 100),
    "reverse-grip-barbell-row": (40, 100),
    "landmine-row": (20, 60),
    "good-morning": (30, 80),
    "lat-pulldown": (35, 85),
    "wide-grip-lat-pulldown": (31, 79),
    "underhand-lat-pulldown": (35, 85),
    "single-arm-lat-pulldown": (15, 41),
    "straight-arm-pulldown": (15, 41),
    "seated-cable-row": (35, 91),
    "wide-grip-cable-row": (31, 75),
    "single-arm-cable-row": (15, 41),
    "one-arm-dumbbell-row": (16, 50),
    "dumbbell-bent-over-row": (12, 36),
    "chest-supported-row": (12, 36),
    "face-pull": (12, 36),
    "reverse-fly": (6, 16),
    "kettlebell-romanian-deadlift": (16, 48),
    "pallof-press": (10, 26),
    "weighted-pull-up": (2.5, 40),
}
_EQUIPMENT_LOADS = {"barbell": (40, 100), "cable": (20, 60), "kettlebell": (12, 32), "dumbbell": (10, 30)}
_DEFAULT_LOAD = (10.0, 30.0)

# Routines: name and slots of (pattern, candidate exercise ids, sets). The first candidate
# is the usual choice; the others rotate in for some blocks. A missing id falls back to
# another exercise of the same pattern, so the demo works with any library.
_PULL_UP_CHAIN = ("band-assisted-pull-up", "pull-up", "weighted-pull-up")
_ROUTINES: tuple[tuple[str, tuple[tuple[str, tuple[str, ...], int], ...]], ...] = (
    ("Pull A: vertical", (
        ("vertical-pull", _PULL_UP_CHAIN, 4),
        ("vertical-pull", ("lat-pulldown", "wide-grip-lat-pulldown", "underhand-lat-pulldown"), 3),
        ("horizontal-row", ("one-arm-dumbbell-row", "single-arm-cable-row"), 3),
        ("upper-back", ("face-pull",), 3),
        ("hinge", ("back-extension", "prisoner-back-extension"), 3),
        ("vertical-pull", ("dead-hang",), 2),
    )),
    ("Pull B: hinge and row", (
        ("hinge", ("deadlift",), 3),
        ("horizontal-row", ("barbell-row", "pendlay-row", "reverse-grip-barbell-row"), 3),
        ("vertical-pull", ("straight-arm-pulldown",), 3),
        ("upper-back", ("reverse-fly", "face-pull"), 3),
        ("hinge", ("bird-dog", "superman"), 2),
    )),
    ("Back and core", (
        ("horizontal-row", ("seated-cable-row", "wide-grip-cable-row"), 4),
        ("horizontal-row", ("chest-supported-row", "dumbbell-bent-over-row"), 3),
        ("vertical-pull", ("underhand-lat-pulldown", "lat-pulldown", "single-arm-lat-pulldown"), 3),
        ("hinge", ("kettlebell-romanian-deadlift", "good-morning"), 3),
        ("core", ("pallof-press", "plank-with-reach"), 2),
        ("mobility", ("half-kneeling-hip-flexor-stretch", "thread-the-needle"), 1),
    )),
)
# Sessions per week and the weekdays (0 = Monday) they fall on.
_WEEK_SIZES = (2, 3, 4, 5)
_WEEK_WEIGHTS = (5, 20, 55, 20)
_WEEKDAYS = {
    2: ((1, 4), (0, 3)),
    3: ((0, 2, 4), (1, 3, 5), (0, 2, 5)),
    4: ((0, 1, 3, 4), (0, 2, 4, 6), (1, 2, 4, 5)),
    5: ((0, 1, 2, 3, 4), (0, 1, 3, 4, 5)),
}
_STALLS_BEFORE_DELOAD = 4
_SESSIONS_AT_TOP_TO_ADVANCE = 3
_CET = timezone(timedelta(hours=1))
_CEST = timezone(timedelta(hours=2))


@dataclass
class _Progress:
    """Where the trainee stands on one exercise."""

    start_kg: float
    ceiling_kg: float
    increment_kg: float
    reps: int  # target reps of the first work set
    seconds: float  # target hold
    steps: int = 0  # load = start + steps × increment
    best_steps: int = 0  # the heaviest load reached so far; below it, progress comes back fast
    stalls: int = 0
    at_top: int = 0  # sessions in a row at the top of the rep range

    @property
    def load_kg(self) -> float:
        return self.start_kg + self.steps * self.increment_kg


@dataclass
class _Plan:
    rng: random.Random
    library: Library
    progress: dict[str, _Progress] = field(default_factory=dict)
    chain_step: int = 0
    variants: dict[tuple[int, int], str] = field(default_factory=dict)

    def state(self, ex: Exercise) -> _Progress:
        st = self.progress.get(ex.id)
        if st is None:
            start, ceiling = _LOADS.get(ex.id) or next(
                (_EQUIPMENT_LOADS[e] for e in ex.equipment if e in _EQUIPMENT_LOADS), _DEFAULT_LOAD)
            low = ex.prescription.reps[0] if ex.prescription.reps else 0
            st = _Progress(float(start), float(ceiling), ex.increment_kg, reps=low,
                           seconds=float(ex.prescription.seconds or 0))
            self.progress[ex.id] = st
        return st


def generate_history(library: Library, years: float = 1, seed: int | str = 0, today: date | None = None) -> list[SessionLog]:
    """About 190 sessions a year of ~21 logged sets each, oldest first, ending yesterday.

    `today` defaults to the real date (only for the CLI; tests and benchmarks pass one).
    Sessions have source "demo". Every exercise id comes from `library`.
    """
    if years < 0:
        raise ValueError(f"years must not be negative, not {years}")
    if today is None:
        today = date.today()
    rng = random.Random(seed)
    plan = _Plan(rng, library)
    first_day = today - timedelta(days=round(365.25 * years))
    last_day = today - timedelta(days=1)
    if years == 0 or first_day > last_day:
        return []
    off = _days_off(rng, first_day, last_day, years)

    sessions: list[SessionLog] = []
    routine_index = 0
    last_trained: date | None = None
    monday = first_day - timedelta(days=first_day.weekday())
    block_ends = monday  # variants are chosen anew at the start of each block
    while monday <= last_day:
        if monday >= block_ends:
            _choose_variants(plan)
            block_ends = monday + timedelta(weeks=rng.randint(10, 20))
        size = rng.choices(_WEEK_SIZES, _WEEK_WEIGHTS)[0]
        for offset in rng.choice(_WEEKDAYS[size]):
            day = monday + timedelta(days=offset)
            if day < first_day or day > last_day or day in off:
                continue
            gap = (day - last_trained).days if last_trained else 0
            if gap >= 14:
                _detrain(plan, 0.15 if gap >= 25 else 0.08)
            name, slots = _ROUTINES[routine_index % len(_ROUTINES)]
            sessions.append(_session(plan, routine_index % len(_ROUTINES), name, slots, day,
                                     note="First session back after a break." if gap >= 14 else ""))
            routine_index += 1
            last_trained = day
        monday += timedelta(days=7)
    return sessions


def _days_off(rng: random.Random, first: date, last: date, years: float) -> set[date]:
    """Summer holidays, most Christmases and a sick month every few years."""
    off: set[date] = set()

    def add(start: date, days: int) -> None:
        off.update(start + timedelta(days=i) for i in range(days))

    for year in range(first.year, last.year + 1):
        add(date(year, 7, 1) + timedelta(days=rng.randint(0, 50)), rng.randint(7, 16))
        if rng.random() < 0.8:
            add(date(year, 12, 23), 10)
    span = (last - first).days
    for _ in range(max(1, round(years / 4)) if years >= 1 else 0):
        add(first + timedelta(days=rng.randint(60, max(60, span - 40))), rng.randint(24, 35))
    return off


def _choose_variants(plan: _Plan) -> None:
    """Pick this block's exercise for every routine slot."""
    rng, exercises = plan.rng, plan.library.exercises
    for r, (_, slots) in enumerate(_ROUTINES):
        for i, (pattern, candidates, _sets) in enumerate(slots):
            if candidates is _PULL_UP_CHAIN:
                continue  # the chain advances by ability, not by block
            present = [c for c in candidates if c in exercises]
            if not present:
                present = [ex.id for ex in exercises.values() if ex.pattern == pattern]
            if not present:
                plan.variants.pop((r, i), None)
                continue
            plan.variants[(r, i)] = present[0] if rng.random() < 0.6 or len(present) == 1 else rng.choice(present[1:])


def _slot_exercise(plan: _Plan, r: int, i: int, candidates: tuple[str, ...]) -> Exercise | None:
    exercises = plan.library.exercises
    if candidates is _PULL_UP_CHAIN:
        chain = [c for c in _PULL_UP_CHAIN if c in exercises]
        if chain:
            return exercises[chain[min(plan.chain_step, len(chain) - 1)]]
        fallback = next((ex for ex in exercises.values() if ex.pattern == "vertical-pull"), None)
        return fallback
    ex_id = plan.variants.get((r, i))
    return exercises.get(ex_id) if ex_id else None


def _detrain(plan: _Plan, fraction: float) -> None:
    """After a break the trainee comes back a little weaker."""
    for st in plan.progress.values():
        if st.increment_kg > 0:
            st.steps = max(0, st.steps - max(1, round(fraction * st.load_kg / st.increment_kg)))
        if st.reps:
            st.reps = max(1, st.reps - 2)
        st.stalls = st.at_top = 0


def _local_offset(day: date) -> timezone:
    """Central European time: summer time from the last Sunday of March to that of October."""
    def last_sunday(month: int) -> date:
        d = date(day.year, month, 31)
        return d - timedelta(days=(d.weekday() + 1) % 7)
    return _CEST if last_sunday(3) <= day < last_sunday(10) else _CET


def _session(plan: _Plan, r: int, name: str, slots, day: date, note: str) -> SessionLog:
    rng = plan.rng
    minute = rng.randrange(17 * 60 + 30, 20 * 60 + 31, 5)
    start = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=_local_offset(day))
    drafts: list[dict] = []  # set fields plus "_seconds": time it took including rest
    for i, (_pattern, candidates, sets) in enumerate(slots):
        ex = _slot_exercise(plan, r, i, candidates)
        if ex is not None:
            drafts.extend(_exercise_sets(plan, ex, sets))
    # Set times: natural effort + rest, stretched or squeezed into a 45–90 minute session.
    elapsed = 300.0  # general warm-up before the first set
    done_at = []
    for d in drafts:
        elapsed += d.pop("_seconds")
        done_at.append(elapsed)
    natural = elapsed + 180.0
    duration = min(90 * 60.0, max(45 * 60.0, natural * rng.uniform(0.9, 1.15)))
    scale = (duration - 180.0) / (done_at[-1] if done_at else 1.0)
    sets = tuple(
        SetLog(**d, logged_at=(start + timedelta(seconds=round(t * scale))).isoformat(timespec="seconds"))
        for d, t in zip(drafts, done_at)
    )
    return SessionLog(
        started_at=start.isoformat(timespec="seconds"),
        ended_at=(start + timedelta(seconds=round(duration))).isoformat(timespec="seconds"),
        sets=sets,
        routine=name,
        note=note,
        source=DEMO_SOURCE,
        id=uuid.UUID(int=rng.getrandbits(128), version=4).hex,
    )


def _exercise_sets(plan: _Plan, ex: Exercise, n_sets: int) -> list[dict]:
    rng = plan.rng
    st = plan.state(ex)
    rest = float(ex.prescription.rest_seconds)
    sides = ("left", "right") if ex.unilateral else (None,)
    out: list[dict] = []
    number = 0

    def add(kind: str = "normal", seconds_taken: float = 40.0, **fields) -> None:
        for side in sides:
            out.append({"exercise_id": ex.id, "set_number": number, "kind": kind, "side": side,
                        "_seconds": seconds_taken if side != "right" else seconds_taken * 0.5, **fields})

    if ex.is_timed:
        for _ in range(n_sets):
            number += 1
            hold = max(5.0, st.seconds + 5 * rng.randint(-1, 1))
            add(seconds=hold, seconds_taken=hold + rest)
        if rng.random() < 0.3:
            st.seconds = min(2.0 * (ex.prescription.seconds or 30), st.seconds + 5)
        return out

    low, high = ex.prescription.reps or (8, 12)
    loaded = ex.increment_kg > 0
    load = round(st.load_kg, 2) if loaded else 0.0
    barbell = "barbell" in ex.equipment
    main_lift = loaded and barbell and load >= 50
    if main_lift:
        warmups = sorted({max(20.0, _floor_to(load * f, 2.5)) for f in (0.4, 0.6, 0.8)})
        for w, reps in zip((w for w in warmups if w < load), (8, 5, 3)):
            number += 1
            add("warmup", 60.0, reps=reps, load_kg=w)
    target = min(high, max(low, st.reps))
    for k in range(n_sets):
        number += 1
        reps = target if k == 0 else max(low, target - (1 if rng.random() < 0.2 * k else 0))
        rpe = None
        if main_lift and k == n_sets - 1:
            rpe = rng.choice((7.5, 8.0, 8.5, 9.0, 9.5) if st.stalls else (7.0, 7.5, 8.0, 8.5))
        elif rng.random() < 0.15:
            rpe = rng.choice((6.5, 7.0, 7.5, 8.0, 8.5, 9.0))
        kind = "failure" if not main_lift and k == n_sets - 1 and rng.random() < 0.08 else "normal"
        add(kind, reps * 3.0 + rest, reps=reps, load_kg=load if loaded else None, rpe=rpe)
    if loaded and "cable" in ex.equipment and rng.random() < 0.12:
        drop = _floor_to(load * 0.75, ex.increment_kg)
        if drop > 0:
            number += 1
            add("drop", high * 3.0 + 15.0, reps=high, load_kg=drop)
    _progress(plan, ex, st, low, high, loaded)
    return out


def _progress(plan: _Plan, ex: Exercise, st: _Progress, low: int, high: int, loaded: bool) -> None:
    """Double progression with a soft ceiling, stalls and deloads."""
    rng = plan.rng
    if loaded and st.steps < st.best_steps:
        p_success = 0.9  # rebuilding after a deload or a break
    elif loaded:
        room = min(1.0, max(0.0, (st.load_kg - st.start_kg) / max(1e-9, st.ceiling_kg - st.start_kg)))
        p_success = 0.15 + 0.7 * (1.0 - room) ** 1.5
    else:
        p_success = 0.4
    if rng.random() < p_success:
        st.stalls = 0
        if st.reps < high:
            st.reps += 1
        elif loaded:
            st.steps += 1
            st.best_steps = max(st.best_steps, st.steps)
            st.reps = low
    elif loaded:
        st.stalls += 1
        if st.stalls >= _STALLS_BEFORE_DELOAD:
            st.steps = max(0, st.steps - max(1, round(0.1 * st.load_kg / st.increment_kg)))
            st.reps = low
            st.stalls = 0
    if not loaded and ex.id in _PULL_UP_CHAIN:
        st.at_top = st.at_top + 1 if st.reps >= high else 0
        if st.at_top >= _SESSIONS_AT_TOP_TO_ADVANCE:
            plan.chain_step += 1
            st.at_top = 0


def _floor_to(value: float, step: float) -> float:
    return round(step * int(value / step + 1e-9), 2) if step > 0 else value


def demo_routines(library: Library, sessions: Sequence[SessionLog]) -> list[Routine]:
    """The routines the demo history follows, as the user would have them saved: one per
    routine name, built from its latest session (exercises in order, sets, last loads), so
    the Routines area shows real progression suggestions for the demo."""
    from backcoach.routines import PlannedSet, Routine, RoutineItem, item_for_exercise

    latest: dict[str, SessionLog] = {}
    for s in sessions:
        if s.routine and (s.routine not in latest or s.start > latest[s.routine].start):
            latest[s.routine] = s
    routines = []
    for name, session in sorted(latest.items()):
        items = []
        for ex_id in session.exercise_ids:
            exercise = library.exercises.get(ex_id)
            if exercise is None:
                continue
            work = [x for x in session.sets if x.exercise_id == ex_id and x.kind != "warmup"]
            template = item_for_exercise(exercise)
            count = max(1, len({x.set_number for x in work}))
            loads: list[float | None] = [x.load_kg for x in work if x.load_kg] or [None]
            first = template.sets[0]
            planned = PlannedSet(reps=first.reps, seconds=first.seconds, load_kg=loads[0])
            warmups = len({x.set_number for x in session.sets if x.exercise_id == ex_id and x.kind == "warmup"})
            items.append(RoutineItem(exercise_id=ex_id, sets=(planned,) * count, tempo=template.tempo,
                                     rest_seconds=template.rest_seconds, per_side=template.per_side,
                                     warmup_sets=min(warmups, 5)))
        routines.append(Routine(name=name, items=tuple(items), sessions_per_week=2,
                                notes="Made up with the demo history."))
    return routines
