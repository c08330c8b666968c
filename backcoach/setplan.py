"""`backcoach set-plan`: one working set's timeline, exactly as the guided session runs it.

The plan comes from the same functions the session uses: the exercise's "start now" step
(`session.plan_for_exercise`) and `session.step_timeline`, so a word, a length or a side
printed here is what the screen shows and the voice says. The get-ready countdown is left
out: the plan starts with the first rep (or hold).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from backcoach.library import Exercise, Library
from backcoach.movement import SegmentKind
from backcoach.session import Step, plan_for_exercise, step_timeline
from backcoach.settings import SETTINGS
from backcoach.tempo import Tempo, TempoError
from backcoach.timers import MAX_REPS, Segment

DEFAULT_TEMPO_SETTING = next(s.default for s in SETTINGS if s.key == "default_tempo")


class SetPlanError(ValueError):
    """A request the plan cannot answer (unknown exercise, bad tempo, reps for a hold)."""


def working_step(exercise: Exercise, *, reps: int | None = None, tempo: str | None = None,
                 seconds: int | None = None) -> Step:
    """The first working set of "start now" on the exercise, with the given changes."""
    step = next(s for s in plan_for_exercise(exercise, [], "kg", DEFAULT_TEMPO_SETTING) if not s.warmup)
    if exercise.is_timed:
        if reps is not None or tempo is not None:
            raise SetPlanError(f"{exercise.id} is a timed hold: give --seconds, not --reps or --tempo")
        if seconds is not None:
            if not 1 <= seconds <= 3600:
                raise SetPlanError(f"--seconds must be 1–3600, not {seconds}")
            step = replace(step, seconds=seconds)
        return step
    if seconds is not None:
        raise SetPlanError(f"{exercise.id} is done in reps: give --reps and --tempo, not --seconds")
    if reps is not None:
        if not 1 <= reps <= MAX_REPS:
            raise SetPlanError(f"--reps must be 1–{MAX_REPS}, not {reps}")
        step = replace(step, target_reps=reps)
    if tempo is not None:
        try:
            step = replace(step, tempo=str(Tempo.parse(tempo)))
        except TempoError as exc:
            raise SetPlanError(str(exc)) from None
    return step


@dataclass(frozen=True)
class SetPlan:
    exercise: Exercise
    step: Step
    segments: tuple[Segment, ...]

    def to_dict(self) -> dict[str, object]:
        """As `backcoach set-plan --json` prints it."""
        return {"exercise": self.exercise.id, "segments": [s.to_dict() for s in self.segments]}


def set_plan(library: Library, exercise_id: str, *, reps: int | None = None, tempo: str | None = None,
             seconds: int | None = None) -> SetPlan:
    """The segments of one working set after the get-ready, as the session runs them."""
    exercise = library.exercises.get(exercise_id)
    if exercise is None:
        raise SetPlanError(f"unknown exercise id {exercise_id!r} (try 'backcoach exercises')")
    step = working_step(exercise, reps=reps, tempo=tempo, seconds=seconds)
    timeline = step_timeline(step, library, get_ready=0, default_tempo=DEFAULT_TEMPO_SETTING)
    return SetPlan(exercise, step, tuple(s for s in timeline.segments if s.phase is not SegmentKind.GET_READY))


def describe_set(plan: SetPlan) -> str:
    """e.g. 'Goblet squat: 12 reps, tempo 3-2-1-1, starts with the lowering, both sides at once'."""
    exercise, step = plan.exercise, plan.step
    m = exercise.movement.for_step(step.per_side)
    if step.seconds is not None:
        parts = [f"{step.seconds} s hold"]
    else:
        start = "starts with the lowering" if m.start == "eccentric" else "starts with the lift"
        parts = [f"{step.target_reps} reps", f"tempo {step.tempo}", start]
    sides = {"both": "both sides at once", "one-then-other": "one side, then the other",
             "alternating": "alternating sides every rep"}[m.sides]
    if m.sides != "both":
        parts[0] += " each side"
        parts.append(sides)
    return f"{exercise.name}: " + ", ".join(parts)


def format_plan(plan: SetPlan) -> str:
    """A readable table: when each part starts, its kind, the word, how long, rep and side."""
    segments = plan.segments
    lines = [describe_set(plan), ""]
    lines.append(f"{'at':>7}  {'kind':<16} {'word':<12} {'seconds':>7}  {'rep':>3}  side")
    for s in segments:
        lines.append(f"{_clock(s.start - segments[0].start):>7}  {s.phase.value:<16} {s.word:<12} "
                     f"{s.duration:>7g}  {s.rep if s.rep is not None else '':>3}  {s.side or ''}".rstrip())
    total = segments[-1].end - segments[0].start
    lines.append(f"{'':>7}  total {_clock(total)} ({total:g} s)")
    return "\n".join(lines)


def _clock(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"
