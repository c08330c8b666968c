"""The whole workout at a glance, without Qt: a routine's preview before starting (exercises,
sets, last done, estimated duration), where a set stands among its exercise's sets, what a
session did per exercise for the summary, and swap suggestions ranked by similarity.

The guided session's screens call these; the rules live here so the widgets only show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from backcoach.analytics import ExerciseComparison, PrEvent
from backcoach.library import Exercise, Library
from backcoach.model import SessionLog, SetLog
from backcoach.session import Step, step_timeline
from backcoach.tempo import TempoError
from backcoach.units import format_tonnage

# Seconds a lifter spends on the log form after a set: a few taps and Enter. Part of the
# preview's estimate only; nothing waits for it.
LOG_SECONDS = 15
# Swap ranking weights: the movement pattern matters most, then the muscles it trains, then
# whether the same kit is at hand, then a level close to the current one.
SWAP_WEIGHTS = {"pattern": 4.0, "primary": 3.0, "equipment": 1.5, "level": 1.0}


# --- where a set stands -----------------------------------------------------------------------

@dataclass(frozen=True)
class SetPosition:
    """"Warm-up 1 of 2" or "Set 2 of 3": warm-ups are counted apart from work sets."""

    warmup: bool
    number: int
    of: int

    def text(self) -> str:
        return f"{'Warm-up' if self.warmup else 'Set'} {self.number} of {self.of}"


def set_position(steps: Sequence[Step], step: Step) -> SetPosition:
    """Where `step` stands among its exercise's steps of the same kind (same routine item)."""
    same = [s for s in steps if s.exercise_id == step.exercise_id and s.item_id == step.item_id
            and s.warmup == step.warmup]
    number = next((i for i, s in enumerate(same, 1) if s is step), None)
    if number is None:  # an equal copy rather than the very step: match by value
        number = next((i for i, s in enumerate(same, 1) if s == step), 1)
    return SetPosition(step.warmup, number, max(1, len(same)))


def work_step_count(steps: Sequence[Step]) -> int:
    return sum(1 for s in steps if not s.warmup)


# --- the session's sets, for the summary ------------------------------------------------------

@dataclass(frozen=True)
class ExerciseDone:
    """One exercise's sets in a finished session, in the order they were done. A per-side set
    (left and right) is one set."""

    exercise_id: str
    work_sets: tuple[SetLog, ...]  # one per set (the left side stands for a left/right pair)
    warmup_sets: int


def _pairs_once(sets: Iterable[SetLog]) -> list[SetLog]:
    return [s for s in sets if s.side != "right"]


def sets_by_exercise(sets: Iterable[SetLog]) -> list[ExerciseDone]:
    """Work sets and the number of warm-ups per exercise, exercises in the order first done."""
    order: list[str] = []
    work: dict[str, list[SetLog]] = {}
    warm: dict[str, int] = {}
    for s in _pairs_once(sets):
        if s.exercise_id not in work:
            order.append(s.exercise_id)
            work[s.exercise_id], warm[s.exercise_id] = [], 0
        if s.warmup:
            warm[s.exercise_id] += 1
        else:
            work[s.exercise_id].append(s)
    return [ExerciseDone(e, tuple(work[e]), warm[e]) for e in order]


@dataclass(frozen=True)
class SetCounts:
    """Work sets and warm-ups, counted the same way (a left/right pair once). The volume a
    summary shows next to `work` is the work sets' volume, so the two always agree."""

    work: int
    warmups: int


def set_counts(session: SessionLog) -> SetCounts:
    kept = _pairs_once(session.sets)
    warm = sum(1 for s in kept if s.warmup)
    return SetCounts(len(kept) - warm, warm)


# --- a routine's preview ----------------------------------------------------------------------

@dataclass(frozen=True)
class PreviewLine:
    exercise_id: str
    name: str
    work_sets: int
    warmup_sets: int
    dose: str  # "8 reps" / "8–10 reps" / "30 s hold", from the first work set
    last_done: str | None  # ISO date of the latest session with this exercise, None if never
    load_kg: float | None = None  # the heaviest work set's planned load (None: body weight or a hold)


@dataclass(frozen=True)
class RoutinePreview:
    lines: tuple[PreviewLine, ...]
    estimated_seconds: float  # sets as guided, the log form and the rests between them

    @property
    def estimated_minutes(self) -> int:
        return max(1, round(self.estimated_seconds / 60))


def estimate_seconds(steps: Sequence[Step], library: Library | None, *, get_ready: float,
                     default_tempo: str = "3-2-1-2") -> float:
    """How long `steps` take when guided: each set's timeline, `LOG_SECONDS` to log it, and
    the rest after every set but the last."""
    total = 0.0
    for i, step in enumerate(steps):
        try:
            total += step_timeline(step, library, get_ready=get_ready, default_tempo=default_tempo).total
        except (TempoError, ValueError):
            total += 60.0  # a set whose tempo cannot be read still takes about a minute
        total += LOG_SECONDS
        if i < len(steps) - 1:
            total += step.rest_seconds or 0
    return total


def _dose(step: Step) -> str:
    if step.seconds is not None:
        dose = f"{step.seconds:g} s hold"
    elif step.target_reps is not None:
        dose = f"{step.target_reps} reps"
    elif step.rep_range:
        dose = f"{step.rep_range[0]}–{step.rep_range[1]} reps"
    else:
        dose = "reps to taste"
    return dose + (" each side" if step.per_side else "")


def last_done(history: Iterable[SessionLog], exercise_id: str) -> str | None:
    """The date (YYYY-MM-DD) of the latest session in which `exercise_id` has a set."""
    latest = None
    for session in history:
        if any(s.exercise_id == exercise_id for s in session.sets):
            if latest is None or session.started_at > latest:
                latest = session.started_at
    return latest[:10] if latest else None


def preview(steps: Sequence[Step], library: Library, history: Iterable[SessionLog], *, get_ready: float,
            default_tempo: str = "3-2-1-2") -> RoutinePreview:
    """What a routine will ask for today, from the same plan the session runs (`steps`, made
    by `session.plan_from_routine`): per exercise its sets and dose and when it was last
    done, and how long the whole takes."""
    history = list(history)
    order: list[tuple[str, str | None]] = []
    by_item: dict[tuple[str, str | None], list[Step]] = {}
    for s in steps:
        key = (s.exercise_id, s.item_id)
        if key not in by_item:
            order.append(key)
            by_item[key] = []
        by_item[key].append(s)
    lines = []
    for key in order:
        mine = by_item[key]
        work = [s for s in mine if not s.warmup]
        exercise = library.exercises.get(key[0])
        lines.append(PreviewLine(
            exercise_id=key[0], name=exercise.name if exercise else key[0], work_sets=len(work),
            warmup_sets=len(mine) - len(work), dose=_dose(work[0] if work else mine[0]),
            last_done=last_done(history, key[0]),
            load_kg=max((s.load_kg for s in work if s.load_kg), default=None)))
    return RoutinePreview(tuple(lines), estimate_seconds(steps, library, get_ready=get_ready,
                                                         default_tempo=default_tempo))


# --- swap suggestions -------------------------------------------------------------------------

def swap_similarity(current: Exercise, other: Exercise, levels: Sequence[str]) -> float:
    """How well `other` stands in for `current`: same pattern, shared primary muscles (their
    overlap), shared equipment, and a close level, weighted by `SWAP_WEIGHTS`."""
    score = SWAP_WEIGHTS["pattern"] * (other.pattern == current.pattern)
    mine, theirs = set(current.primary_muscles), set(other.primary_muscles)
    if mine or theirs:
        score += SWAP_WEIGHTS["primary"] * len(mine & theirs) / len(mine | theirs)
    if set(current.equipment) & set(other.equipment):
        score += SWAP_WEIGHTS["equipment"]
    levels = list(levels)
    if current.level in levels and other.level in levels:
        gap = abs(levels.index(current.level) - levels.index(other.level))
        score += SWAP_WEIGHTS["level"] * (1 - gap / max(1, len(levels) - 1))
    return score


def ranked_swaps(current: Exercise, library: Library, *, same_pattern_only: bool = True) -> list[Exercise]:
    """Exercises to swap `current` for, the most similar first (ties by name, so the order is
    stable). By default only the same movement pattern is offered, as the session promises."""
    levels = list(library.levels)
    options = [e for e in library.exercises.values()
               if e.id != current.id and (not same_pattern_only or e.pattern == current.pattern)]
    return sorted(options, key=lambda e: (-swap_similarity(current, e, levels), e.name))


# --- the summary's comparisons --------------------------------------------------------------

RECORD_WORDS = {"load": "heaviest load", "e1rm": "best estimated 1RM", "reps": "most reps",
                "volume": "most volume", "hold": "longest hold"}


def records_by_exercise(prs: Iterable[PrEvent]) -> dict[str, list[str]]:
    """The session's personal records per exercise, in words ('heaviest load', …)."""
    out: dict[str, list[str]] = {}
    for p in prs:
        out.setdefault(p.exercise_id, []).append(RECORD_WORDS.get(p.kind, p.kind))
    return out


def comparison_text(c: ExerciseComparison, unit: str) -> str | None:
    """One exercise against last time, for the summary: 'first time', the hold's change,
    the volume's change, or the best set's reps; None when there is nothing to compare."""
    now, before = c.top_set, c.previous_top_set
    if c.previous_session_id is None:
        return "first time"
    if now is not None and now.seconds and before is not None and before.seconds:
        change = now.seconds - before.seconds
        return f"longest hold {now.seconds:g} s ({'+' if change >= 0 else '−'}{abs(change):g} s)"
    if c.volume_kg or c.previous_volume_kg:
        change_kg = c.volume_change_kg or 0.0
        return f"volume {'+' if change_kg >= 0 else '−'}{format_tonnage(abs(change_kg), unit)} on last time"
    if now is not None and now.reps and before is not None and before.reps:
        return f"best set {now.reps} reps (last time {before.reps})"
    return None
