"""A guided session: the plan of sets, and the state machine that walks through it.

`plan_from_routine` (or `plan_for_exercise` for "start now" from the library) turns a
routine into `Step`s, one per set to perform, in the order they are done: warm-ups before an
item's work sets, supersets alternating set by set. `SessionFlow` then decides what comes
next, set by set:

    work --work_finished / end_early--> log --log--> rest --rest_finished / skip_rest--> work
                                          \\--log (nothing left)--> done --finish--> (committed)

The UI drives the clock (backcoach.timers); this module needs none. Every logged set is in
the store's journal (one fsynced line) before `log` returns, and the journal's meta always
holds the whole plan, which of its steps are logged and the index of the next set, so that
`SessionFlow.resume` after a crash, a kill or a power cut continues at exactly the next set.
No Qt here: the core stays testable without a display.
"""

from __future__ import annotations

import math
from enum import StrEnum
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from backcoach.analytics import (
    PRIMARY_SET_SHARE,
    SECONDARY_SET_SHARE,
    ExerciseComparison,
    PrEvent,
    compare_with_previous,
    hard_set_share,
    session_prs,
)
from backcoach.library import Exercise, Library
from backcoach.model import MAX_LOAD_KG, SessionLog, SetKind, SetLog, now_iso
from backcoach.plates import LoadKind, LoadRounding, load_kind
from backcoach.progression import Suggestion, next_prescription, suggestions_for_routine
from backcoach.routines import PlannedSet, Routine, RoutineItem, item_for_exercise
from backcoach.rules import DEFAULT_INCREMENT_KG, LB_STEP
from backcoach.movement import DEFAULT_MOVEMENT, Movement
from backcoach.tempo import DEFAULT_TEMPO, Tempo, TempoError
from backcoach.timers import MAX_REPS, SWITCH_SECONDS, Timeline, work_timeline
from backcoach.units import from_unit, to_unit
from backcoach.validation import is_int, is_number

__all__ = [
    "Step", "Stage", "LogPrefill", "SessionFlow", "SessionSummary", "SessionStateError", "plan_from_routine",
    "plan_for_exercise", "STAGES", "SUPERSET_MOVE_SECONDS", "WARMUP_REST_SECONDS",
]

SUPERSET_MOVE_SECONDS = 10
"""The rest between the exercises of a superset round: time to move to the next station.
The real rest comes after the last exercise of the round."""

WARMUP_FRACTIONS = (0.5, 0.7)
WARMUP_REPS = (8, 5)
"""Two warm-ups at about 50 % and 70 % of the first work set's load, for 8 and 5 reps; more
warm-ups spread evenly between those, fewer take the first."""

WARMUP_REST_SECONDS = 60
"""A warm-up is light: it never needs more rest than this (less if the item rests less)."""

WARMUP_STEP_KG = DEFAULT_INCREMENT_KG  # warm-up loads land on the usual load steps
WARMUP_STEP_LB = LB_STEP

META_VERSION = 1


if TYPE_CHECKING:
    from backcoach.journal import Journal, JournalState


class SessionStore(Protocol):
    """What a guided session needs of the store (`backcoach.store.Store`; tests may pass a
    fake): the journal of the session in progress, its commit, and the history."""

    read_only: bool
    journal: Journal

    def sessions(self) -> list[SessionLog]: ...

    def start_session(self, routine: str | None = None, started_at: str | None = None,
                      meta: dict[str, Any] | None = None) -> JournalState: ...

    def log_set(self, set_log: SetLog) -> None: ...

    def unfinished_session(self) -> JournalState | None: ...

    def finish_session(self, ended_at: str | None = None) -> SessionLog: ...

    def discard_session(self) -> None: ...


class Stage(StrEnum):
    """Where the session is: a set being done, being logged, the rest after it, or done."""

    WORK = "work"
    LOG = "log"
    REST = "rest"
    DONE = "done"


STAGES: tuple[Stage, ...] = tuple(Stage)


class SessionStateError(RuntimeError):
    """A call that does not fit the session's current stage (e.g. logging while the set is
    still running, or finishing twice). The message says what to do instead."""


# --- the plan ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class LogPrefill:
    """What the log form shows for the current set before the lifter changes anything."""

    reps: int | None
    load_kg: float | None
    seconds: float | None
    rpe: float | None = None
    note: str = ""
    failed: bool = False  # the set was ended early: it is logged as taken to failure

    def failure_text(self, timed: bool) -> str:
        """The line under the form: 'Failed at rep 6: 5 done, …' (the rep that failed is the
        one after the last completed), or why it will count as a failure; empty otherwise."""
        if not self.failed:
            return ""
        if not timed and self.reps is not None:
            return f"Failed at rep {self.reps + 1}: {self.reps} done, logged as a set taken to failure."
        return "Ended early: it will be logged as a set taken to failure."


@dataclass(frozen=True)
class Step:
    """One set to perform."""

    exercise_id: str
    set_number: int  # 1-based among this exercise's sets today (warm-ups first)
    warmup: bool
    target_reps: int | None  # pre-filled in the log form (None for a hold)
    rep_range: tuple[int, int] | None
    seconds: int | None  # hold length for a timed set
    load_kg: float | None  # pre-filled (progression suggestion, else the routine's)
    tempo: str | None  # the tempo to guide (item's, else exercise's, else settings); None for a hold
    rest_seconds: int
    per_side: bool
    superset: str | None
    item_id: str | None  # the routine item it comes from (None for "start now")

    def __post_init__(self) -> None:
        if not isinstance(self.exercise_id, str) or not self.exercise_id:
            raise ValueError("a step needs an exercise id")
        number = self.set_number
        if not is_int(number) or not 1 <= number <= 1000:
            raise ValueError(f"step of {self.exercise_id}: set number must be 1–1000, not {self.set_number!r}")
        if not is_int(self.rest_seconds) or self.rest_seconds < 0:
            raise ValueError(f"step of {self.exercise_id}: rest must be whole seconds ≥ 0, not {self.rest_seconds!r}")
        if self.rep_range is not None and not isinstance(self.rep_range, tuple):
            object.__setattr__(self, "rep_range", tuple(self.rep_range))

    @property
    def timed(self) -> bool:
        return self.seconds is not None and self.target_reps is None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rep_range"] = list(self.rep_range) if self.rep_range else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        if known.get("rep_range"):
            known["rep_range"] = tuple(known["rep_range"])
        return cls(**known)


def plan_from_routine(routine: Routine, library: Library, history: Iterable[SessionLog], unit: str = "kg",
                      default_tempo: str = "3-2-1-2", rounding: LoadRounding | None = None) -> list[Step]:
    """The sets of `routine` in the order they are done today.

    Targets and loads come from the progression suggestions (`suggestions_for_routine`),
    falling back to the routine's planned sets. Warm-ups come before an item's work sets.
    Items sharing a superset letter alternate set by set (A1 s1, A2 s1, A1 s2, A2 s2…), with
    `SUPERSET_MOVE_SECONDS` between the exercises of a round and the last member's rest
    after it; their warm-ups are done first, one item after the other. With `rounding`
    every load (warm-ups too) is one the user's plates, dumbbells or stack can make.
    """
    default = _tempo_text(default_tempo, None) or str(DEFAULT_TEMPO)
    suggestions = suggestions_for_routine(routine, library, list(history), unit)
    built: dict[str, tuple[list[Step], list[Step]]] = {}
    for item in routine.items:
        built[item.id] = _item_steps(item, library.exercises.get(item.exercise_id), suggestions.get(item.id),
                                     default, unit, rounding)
    out: list[Step] = []
    placed: set[str] = set()
    for item in routine.items:
        if item.id in placed:
            continue
        members = [it for it in routine.items if item.superset and it.superset == item.superset] or [item]
        placed.update(m.id for m in members)
        if len(members) == 1:
            warmups, works = built[item.id]
            out += warmups + works
            continue
        for m in members:  # warm-ups first, one exercise after the other
            out += built[m.id][0]
        round_rest = members[-1].rest_seconds
        rounds = max(len(built[m.id][1]) for m in members)
        for r in range(rounds):
            this_round = [built[m.id][1][r] for m in members if r < len(built[m.id][1])]
            for k, step in enumerate(this_round):
                last = k == len(this_round) - 1
                out.append(replace(step, rest_seconds=round_rest if last else SUPERSET_MOVE_SECONDS))
    return _numbered(out)


def step_movement(step: Step, library: Library | None) -> Movement:
    """How the step's exercise moves (a row's movement for an exercise the library lacks)."""
    exercise = library.exercises.get(step.exercise_id) if library is not None else None
    return exercise.movement if exercise is not None else DEFAULT_MOVEMENT


def step_timeline(step: Step, library: Library | None, *, get_ready: float, switch_gap: float = SWITCH_SECONDS,
                  default_tempo: str = "3-2-1-2") -> Timeline:
    """The timeline of one set as the guided session runs it: the step's reps at its tempo,
    played in the order its exercise's movement performs them, or its hold. The session and
    `backcoach set-plan` both call this, so what the command prints is what the screen does."""
    movement = step_movement(step, library)
    if step.seconds is not None:
        return work_timeline(reps=None, tempo=None, hold_seconds=step.seconds, per_side=step.per_side,
                             get_ready=get_ready, switch_gap=switch_gap, movement=movement)
    tempo = Tempo.parse(step.tempo or default_tempo)
    reps = max(1, step.target_reps or (step.rep_range[1] if step.rep_range else 8))
    return work_timeline(reps=reps, tempo=tempo, hold_seconds=None, per_side=step.per_side,
                         get_ready=get_ready, switch_gap=switch_gap, movement=movement)


def plan_for_exercise(exercise: Exercise, history: Iterable[SessionLog], unit: str = "kg",
                      default_tempo: str = "3-2-1-2", rounding: LoadRounding | None = None) -> list[Step]:
    """"Start now" from the library: the exercise's default prescription, with loads and
    targets from its history when there is any."""
    default = _tempo_text(default_tempo, None) or str(DEFAULT_TEMPO)
    item = item_for_exercise(exercise, unit)
    suggestion = next_prescription(item, exercise, list(history), unit)
    warmups, works = _item_steps(item, exercise, suggestion, default, unit, rounding)
    return _numbered([replace(s, item_id=None) for s in warmups + works])


def _item_steps(item: RoutineItem, exercise: Exercise | None, suggestion: Suggestion | None, default_tempo: str,
                unit: str, rounding: LoadRounding | None = None) -> tuple[list[Step], list[Step]]:
    """An item's warm-up steps and work steps (set numbers not assigned yet)."""
    kind = load_kind(exercise.equipment) if exercise is not None else LoadKind.FREE

    def made(load_kg: float | None) -> float | None:
        return rounding.round_kg(load_kg, kind) if rounding is not None and load_kg else load_kg

    planned: Sequence[PlannedSet] = item.sets
    targets: Sequence[int | None] = ()
    if suggestion is not None and len(suggestion.sets) == len(item.sets):
        planned = suggestion.sets
        targets = suggestion.targets
    tempo = _first_tempo(
        suggestion.tempo if suggestion is not None else None, item.tempo,
        str(exercise.prescription.tempo) if exercise is not None and exercise.prescription.tempo else None,
        default_tempo,
    )
    works = []
    for i, ps in enumerate(planned):
        timed = ps.seconds is not None or (exercise is not None and exercise.is_timed)
        if timed:
            seconds = ps.seconds or (exercise.prescription.seconds if exercise is not None else None) or 30
            target, rep_range = None, None
        else:
            seconds = None
            rep_range = ps.reps
            target = targets[i] if i < len(targets) and targets[i] is not None else (ps.reps[1] if ps.reps else None)
        works.append(Step(
            exercise_id=item.exercise_id, set_number=1, warmup=False, target_reps=target, rep_range=rep_range,
            seconds=seconds, load_kg=made(ps.load_kg), tempo=None if timed else tempo, rest_seconds=item.rest_seconds,
            per_side=item.per_side, superset=item.superset, item_id=item.id,
        ))
    warmups = []
    n = item.warmup_sets
    if n and works:
        first = works[0]
        for k in range(n):
            fraction = WARMUP_FRACTIONS[0] if n == 1 else (
                WARMUP_FRACTIONS[0] + (WARMUP_FRACTIONS[1] - WARMUP_FRACTIONS[0]) * k / (n - 1))
            reps = WARMUP_REPS[0] if n == 1 else int(
                WARMUP_REPS[0] + (WARMUP_REPS[1] - WARMUP_REPS[0]) * k / (n - 1) + 0.5)
            if first.load_kg:
                load = _warmup_load(first.load_kg, fraction, unit)
                rounded = made(load)
                load = rounded if rounded is not None and rounded <= first.load_kg + 1e-9 else load
                target = None if first.timed else reps
            else:  # body weight: the same reps as the work set
                load, target = None, first.target_reps
            warmups.append(replace(first, warmup=True, target_reps=target, rep_range=None, load_kg=load,
                                   rest_seconds=min(item.rest_seconds, WARMUP_REST_SECONDS)))
    return warmups, works


def _warmup_load(work_kg: float, fraction: float, unit: str) -> float:
    """`fraction` of the work load on a 2.5 kg (5 lb) mark; at least one step, never above
    the work load."""
    if unit == "lb":
        step, value = WARMUP_STEP_LB, to_unit(work_kg, "lb")
    else:
        step, value = WARMUP_STEP_KG, work_kg
    rounded = math.floor(value * fraction / step + 0.5) * step
    rounded = min(max(rounded, step), value)
    kg = from_unit(rounded, "lb") if unit == "lb" else rounded
    return round(min(kg, work_kg, MAX_LOAD_KG), 3)


def _numbered(steps: list[Step]) -> list[Step]:
    """Set numbers per exercise in the order the sets are done (warm-ups come first)."""
    count: dict[str, int] = {}
    out = []
    for s in steps:
        count[s.exercise_id] = count.get(s.exercise_id, 0) + 1
        out.append(replace(s, set_number=count[s.exercise_id]))
    return out


def _tempo_text(text: str | None, fallback: str | None) -> str | None:
    if text:
        try:
            return str(Tempo.parse(text))
        except TempoError:
            pass
    return fallback


def _first_tempo(*candidates: str | None) -> str | None:
    for c in candidates:
        t = _tempo_text(c, None)
        if t is not None:
            return t
    return None


# --- the summary ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SessionSummary:
    """What the end-of-session screen shows."""

    session: SessionLog
    duration_seconds: float | None
    sets: int  # sets done, warm-ups included; the two sides of a per-side set count once
    volume_kg: float  # tonnage of the work sets
    prs: list[PrEvent] = field(default_factory=list)  # records this session set
    muscles: dict[str, float] = field(default_factory=dict)  # hard sets per muscle (primary 1, secondary 0.5)
    comparison: list[ExerciseComparison] = field(default_factory=list)
    time_under_tension_seconds: float = 0.0  # the work sets' reps and holds, timed as they were guided


def time_under_tension(sets: Iterable[SetLog], library: Library | None) -> float:
    """Seconds of work in the logged work sets: each side's reps timed by the same timeline
    the guided set runs (its tempo in its movement's order, without get-ready or switch), or
    the hold. A set logged without a tempo (imported history) counts only if it is a hold."""
    total = 0.0
    for s in sets:
        if s.warmup:
            continue
        if s.seconds:
            total += s.seconds
            continue
        if not s.reps or not s.tempo:
            continue
        exercise = library.exercises.get(s.exercise_id) if library is not None else None
        movement = exercise.movement if exercise is not None else DEFAULT_MOVEMENT
        try:
            timeline = work_timeline(reps=min(s.reps, MAX_REPS), tempo=s.tempo, hold_seconds=None, per_side=False,
                                     get_ready=0, movement=movement)
        except (TempoError, ValueError):
            continue
        total += timeline.total
    return total


def _muscle_sets(sets: Iterable[SetLog], library: Library) -> dict[str, float]:
    out: dict[str, float] = {}
    for s in sets:
        share = hard_set_share(s)  # 0 for a warm-up, ½ per side: a left/right pair counts once
        ex = library.exercises.get(s.exercise_id)
        if not share or ex is None:
            continue
        for m in ex.primary_muscles:
            out[m] = out.get(m, 0.0) + share * PRIMARY_SET_SHARE
        for m in ex.secondary_muscles:
            out[m] = out.get(m, 0.0) + share * SECONDARY_SET_SHARE
    return out


def _set_count(sets: Iterable[SetLog]) -> int:
    return sum(1 for s in sets if s.side != "right")


# --- the state machine ------------------------------------------------------------------------

class SessionFlow:
    """The session's set-level state machine. The UI drives the clock; this decides what
    comes next and makes every logged set durable through the store's journal.

    `index` is the current step: the set being done (stage "work"), being logged ("log"),
    or just logged and rested after ("rest"; `next_step` is the one coming). In "done"
    every step is logged and `index` is `len(steps)`. The next set after a log is the first
    step after the current one not logged yet, else the first earlier one left out (by
    `go_forward`), else the session is done.
    """

    def __init__(self, store: SessionStore, library: Library, steps: list[Step], routine_name: str | None = None, *,
                 session_id: str | None = None, started_at: str | None = None, logged: Sequence[SetLog] = (),
                 done: Sequence[bool] | None = None, index: int = 0):
        self.store = store
        self.library = library
        self.steps: list[Step] = list(steps)
        self.routine_name = routine_name
        self.session_id = session_id
        self.started_at = started_at
        self.logged: list[SetLog] = list(logged)
        self._done: list[bool] = list(done) if done is not None else [False] * len(self.steps)
        if len(self._done) != len(self.steps):
            raise ValueError("one done flag per step is needed")
        self.index = min(max(index, 0), len(self.steps))
        self.stage: Stage = Stage.WORK
        if self.index >= len(self.steps) or all(self._done):
            self.stage, self.index = Stage.DONE, len(self.steps)
        self.finished = False  # committed (finish) or discarded
        self._failed = False
        self._reps_override: int | None = None
        self._seconds_override: float | None = None
        self.rounding: LoadRounding | None = None  # the user's equipment: a swap's loads are ones it makes

    # --- starting and resuming ----------------------------------------------------------------
    @classmethod
    def start(cls, store: SessionStore, library: Library, steps: Sequence[Step], routine_name: str | None = None,
              started_at: str | None = None) -> SessionFlow:
        """Begin a new session with `steps`; the plan goes into the journal at once."""
        steps = list(steps)
        if not steps:
            raise ValueError("a session needs at least one set to do")
        flow = cls(store, library, steps, routine_name)
        state = store.start_session(routine=routine_name, started_at=started_at, meta=flow._meta())
        flow.session_id, flow.started_at = state.session_id, state.started_at
        return flow

    @classmethod
    def resume(cls, store: SessionStore, library: Library) -> SessionFlow | None:
        """The interrupted session, at exactly the next set; None if there is none.

        A journal whose plan cannot be read (not a guided session, or damaged) resumes with an
        empty plan in stage "done": its sets are there to finish or discard.
        """
        state = store.unfinished_session()
        if state is None:
            return None
        meta = state.meta
        try:
            steps = [Step.from_dict(d) for d in meta["steps"]]
            index = int(meta.get("index", 0))
            done = [bool(d) for d in meta.get("done", [i < index for i in range(len(steps))])]
            if len(done) != len(steps):
                raise ValueError("done flags do not match the steps")
        except (KeyError, TypeError, ValueError):
            steps, done, index = [], [], 0
        flow = cls(store, library, steps, state.routine, session_id=state.session_id,
                   started_at=state.started_at, logged=state.sets, done=done, index=index)
        in_meta = meta.get("sets")
        flow._reconcile(in_meta if is_int(in_meta) else len(state.sets))
        return flow

    def _reconcile(self, sets_in_meta: int) -> None:
        """A crash between a set's journal line and the meta line after it: the extra sets
        belong to the step being logged. A whole step (both sides of a per-side one) counts
        as logged; a lone side was never acknowledged and is taken out, to be logged again."""
        extra = len(self.logged) - sets_in_meta
        if extra <= 0 or self.stage == Stage.DONE or not 0 <= self.index < len(self.steps):
            return
        if self.store.read_only:
            return
        step = self.steps[self.index]
        if extra >= (2 if step.per_side else 1):
            self._done[self.index] = True
            nxt = self._following(self.index)
            if nxt is None:
                self.stage, self.index = Stage.DONE, len(self.steps)
            else:
                self.index = nxt
        else:
            for k in reversed(range(sets_in_meta, len(self.logged))):
                self.store.journal.remove_set(k)
                del self.logged[k]
        self._save()

    # --- where we are -------------------------------------------------------------------------
    @property
    def current(self) -> Step | None:
        return self.steps[self.index] if self.stage != Stage.DONE and 0 <= self.index < len(self.steps) else None

    @property
    def next_step(self) -> Step | None:
        """The set that comes after the current one (during a rest: the one rested for)."""
        if self.stage == Stage.DONE:
            return None
        nxt = self._following(self.index)
        return self.steps[nxt] if nxt is not None else None

    @property
    def step_after_next(self) -> Step | None:
        """The set after `next_step` (during a rest, the screen's "Then:" line)."""
        if self.stage == Stage.DONE:
            return None
        nxt = self._following(self.index)
        if nxt is None:
            return None
        after = self._following(nxt)
        return self.steps[after] if after is not None and after not in (nxt, self.index) else None

    def current_rest_seconds(self) -> int:
        """The rest after the current step (during a rest: after the set just logged); 0 when
        every set is done."""
        step = self.current
        return step.rest_seconds if step is not None else 0

    @property
    def logged_steps(self) -> tuple[bool, ...]:
        """Per step, whether it has been logged."""
        return tuple(self._done)

    @property
    def progress(self) -> float:
        """0..1 of the steps logged, for the session bar."""
        if not self.steps:
            return 1.0 if self.stage == Stage.DONE else 0.0
        return sum(self._done) / len(self.steps)

    @property
    def prefill(self) -> LogPrefill:
        """The log form's values for the current step."""
        step = self._require_current("fill in the log form")
        return LogPrefill(
            reps=self._reps_override if self._reps_override is not None else step.target_reps,
            load_kg=step.load_kg,
            seconds=self._seconds_override if self._seconds_override is not None else step.seconds,
            failed=self._failed,
        )

    # --- the set ------------------------------------------------------------------------------
    def work_finished(self) -> None:
        """The set's timeline ended: "work" -> "log"."""
        self._require_stage(Stage.WORK, "finish the set's work")
        self.stage = Stage.LOG

    def end_early(self, completed_reps: int, seconds: float | None = None) -> None:
        """Failed at rep `completed_reps` (or a hold ended after `seconds`): "work" -> "log"
        with those pre-filled and the set marked failed."""
        self._require_stage(Stage.WORK, "end the set early")
        if not is_int(completed_reps) or completed_reps < 0:
            raise ValueError(f"completed reps must be a whole number ≥ 0, not {completed_reps!r}")
        if seconds is not None and (not is_number(seconds)
                                    or not 0 <= seconds):
            raise ValueError(f"seconds must be a number ≥ 0, not {seconds!r}")
        self.stage = Stage.LOG
        self._failed = True
        self._reps_override = completed_reps
        self._seconds_override = seconds

    def log(self, reps: int | None, load_kg: float | None, seconds: float | None = None, rpe: float | None = None,
            note: str = "", failed: bool = False, assist_kg: float | None = None) -> list[SetLog]:
        """Log the current step: "log" -> "rest" (or "done" after the last step).

        A per-side step logs two sets, left then right, with the same set number. Every set
        is in the journal (fsynced) before this returns; then the journal's meta records the
        next set for a resume. A step that was logged already (after `go_back`) is logged
        again: the new sets are added, nothing is replaced.
        """
        self._require_stage(Stage.LOG, "log the set")
        step = self.current
        if step is None:  # the log stage always has a current step
            raise SessionStateError("there is no set to log")
        kind = SetKind.WARMUP if step.warmup else SetKind.FAILURE if failed else SetKind.NORMAL
        when = now_iso()
        sets = [
            SetLog(step.exercise_id, step.set_number, reps=reps, load_kg=load_kg, seconds=seconds, rpe=rpe,
                   side=side, kind=kind, tempo=step.tempo, note=note, logged_at=when, assist_kg=assist_kg)
            for side in (("left", "right") if step.per_side else (None,))
        ]  # built (and checked) before anything is written
        before = len(self.logged)
        try:
            for s in sets:
                self.store.log_set(s)
                self.logged.append(s)
        except BaseException:
            self._undo_partial(before)
            raise
        self._done[self.index] = True
        self._failed, self._reps_override, self._seconds_override = False, None, None
        if self._following(self.index) is None:
            self.stage, self.index = Stage.DONE, len(self.steps)
        else:
            self.stage = Stage.REST
        self._save(plan=False)
        return sets

    def _undo_partial(self, before: int) -> None:
        """A write failed after some sides were journaled: take them out again if possible,
        so that retrying does not log a side twice."""
        for k in reversed(range(before, len(self.logged))):
            try:
                self.store.journal.remove_set(k)
            except Exception:
                break
            del self.logged[k]

    def rest_finished(self) -> None:
        """The rest ended: "rest" -> "work" on the next set (or "done" if the plan changed
        and nothing is left)."""
        self._require_stage(Stage.REST, "end the rest")
        nxt = self._following(self.index)
        if nxt is None:
            self.stage, self.index = Stage.DONE, len(self.steps)
        else:
            self.stage, self.index = Stage.WORK, nxt

    def skip_rest(self) -> None:
        self.rest_finished()

    # --- moving around ------------------------------------------------------------------------
    def go_back(self) -> None:
        """To the previous step (stage "work"), without logging anything."""
        self._require_open()
        if self.index <= 0 or not self.steps:
            raise SessionStateError("this is the first set; there is nothing before it")
        self._move_to(self.index - 1)

    def go_forward(self) -> None:
        """To the following step (stage "work"), leaving the current one as it is."""
        self._require_open()
        if self.index >= len(self.steps) - 1:
            raise SessionStateError("this is the last set; finish the session instead")
        self._move_to(self.index + 1)

    def _move_to(self, index: int) -> None:
        self.index, self.stage = index, Stage.WORK
        self._failed, self._reps_override, self._seconds_override = False, None, None
        self.store.journal.set_meta(index=self._resume_index())

    # --- changing the plan --------------------------------------------------------------------
    def add_set(self) -> Step:
        """One more set of the current exercise: a copy of its last step, after it (in a
        superset, after the superset's last set, with the round's rest)."""
        step = self._require_current("add a set")
        mine = self._positions(step)
        last = mine[-1]
        source = self.steps[last]
        number = self._max_set_number(step.exercise_id) + 1
        if number > 1000:
            raise ValueError("an exercise can have at most 1000 sets")
        new = replace(source, set_number=number)
        at = last + 1
        if source.superset is not None:
            while at < len(self.steps) and self.steps[at].superset == source.superset and not self.steps[at].warmup:
                at += 1
            if at - 1 != last:
                new = replace(new, rest_seconds=max(source.rest_seconds, self.steps[at - 1].rest_seconds))
        self.steps.insert(at, new)
        self._done.insert(at, False)
        if at <= self.index:
            self.index += 1
        self._save()
        return new

    def remove_set(self) -> Step:
        """Drop the current exercise's last set not logged yet. ValueError if every set of
        it is logged."""
        step = self._require_current("remove a set")
        open_ = [p for p in self._positions(step) if not self._done[p]]
        if not open_:
            raise ValueError(f"every set of {step.exercise_id} is logged; there is no set left to remove")
        removed = self.steps[open_[-1]]
        self._remove_positions([open_[-1]])
        self._save()
        return removed

    def skip_exercise(self) -> None:
        """Drop the current exercise's remaining (unlogged) sets and move on to the next
        exercise. During a rest, the rest goes on (before the next exercise)."""
        step = self._require_current("skip the exercise")
        open_ = [p for p in self._positions(step) if not self._done[p]]
        self._remove_positions(open_)
        if self.stage in (Stage.WORK, Stage.LOG) and self.index < len(self.steps) and self._done[self.index] \
                and self.steps[self.index].exercise_id == step.exercise_id:
            # On a logged set of the exercise (after go_back): on to the next exercise.
            nxt = self._following(self.index)
            if nxt is None:
                self.stage, self.index = Stage.DONE, len(self.steps)
            else:
                self.stage, self.index = Stage.WORK, nxt
        self._save()

    def swap_exercise(self, new_exercise_id: str) -> list[Step]:
        """Do another exercise of the same pattern for the current exercise's remaining
        sets. Set numbers and rests stay; reps become holds (or the reverse) when the new
        exercise is timed (or not); the tempo is the new exercise's; loads are the new
        exercise's latest (none for body weight). Returns the changed steps."""
        step = self._require_current("swap the exercise")
        new = self.library.exercises.get(new_exercise_id)
        if new is None:
            raise ValueError(f"unknown exercise id {new_exercise_id!r}")
        if new.id == step.exercise_id:
            raise ValueError(f"{new.id} is already the exercise being done")
        old = self.library.exercises.get(step.exercise_id)
        if old is not None and old.pattern != new.pattern:
            raise ValueError(f"{new.name} is a {new.pattern} exercise; {old.name} can only be swapped for "
                             f"another {old.pattern} exercise")
        positions = [p for p in self._positions(step) if not self._done[p]]
        if not positions:
            raise ValueError(f"every set of {step.exercise_id} is logged; there is nothing left to swap")
        latest = self._latest_load(new.id)
        others = [s for i, s in enumerate(self.steps) if s.exercise_id == new.id and i not in positions]
        used = {s.set_number for s in others} | {s.set_number for s in self.logged if s.exercise_id == new.id}
        # Set numbers stay (they continue the logged ones), unless the new exercise has those
        # numbers today already: then the swapped sets continue after its last one.
        renumber = any(self.steps[p].set_number in used for p in positions)
        number = max(used, default=0)
        reference = next((self.steps[p].load_kg for p in positions if not self.steps[p].warmup), None)
        changed = []
        for p in positions:
            s = self._swapped(self.steps[p], new, latest, reference)
            if renumber:
                number += 1
                s = replace(s, set_number=number)
            self.steps[p] = s
            changed.append(s)
        self._save()
        return changed

    def swap_options(self) -> list[Exercise]:
        """Library exercises of the current one's pattern, the most similar first (shared
        primary muscles, equipment, a close level: `workout.ranked_swaps`)."""
        from backcoach.workout import ranked_swaps  # workout builds on this module

        step = self._require_current("swap the exercise")
        current = self.library.exercises.get(step.exercise_id)
        if current is None:
            return []
        return ranked_swaps(current, self.library)

    def jump_to(self, index: int) -> None:
        """To step `index` (stage "work"), from the workout overview; a logged step refuses."""
        self._require_open()
        if not 0 <= index < len(self.steps):
            raise SessionStateError(f"there is no set {index + 1} in this session")
        if self._done[index]:
            raise SessionStateError("that set is already logged")
        self._move_to(index)

    def _swapped(self, step: Step, new: Exercise, latest: float | None, reference: float | None) -> Step:
        p = new.prescription
        if new.is_timed:
            seconds = step.seconds if step.seconds is not None else p.seconds
            target, rep_range, tempo = None, None, None
        else:
            seconds = None
            if step.target_reps is None and step.rep_range is None:  # a hold becomes reps
                rep_range = p.reps
                target = p.reps[1] if p.reps else None
            else:
                rep_range, target = step.rep_range, step.target_reps
            tempo = _first_tempo(str(p.tempo) if p.tempo else None, step.tempo, str(DEFAULT_TEMPO))
        if new.increment_kg == 0:  # body weight ("body-weight exercises carry 0 in the library")
            load = None
        elif latest is None:
            load = step.load_kg
        elif step.warmup and step.load_kg and reference:
            load = _warmup_load(latest, step.load_kg / reference, "kg")
        else:
            load = latest
        if self.rounding is not None and load:
            load = self.rounding.round_kg(load, load_kind(new.equipment))
        return replace(step, exercise_id=new.id, target_reps=target, rep_range=rep_range, seconds=seconds,
                       load_kg=load, tempo=tempo, per_side=new.unilateral)

    def _latest_load(self, exercise_id: str) -> float | None:
        """The heaviest work-set load of the exercise's latest session (today first)."""
        today = [s.load_kg for s in self.logged if s.exercise_id == exercise_id and s.kind != "warmup" and s.load_kg]
        if today:
            return max(today)
        for session in self.store.sessions():  # newest first
            loads = [s.load_kg for s in session.sets
                     if s.exercise_id == exercise_id and s.kind != "warmup" and s.load_kg]
            if loads:
                return max(loads)
        return None

    def _positions(self, step: Step) -> list[int]:
        """The steps of the current exercise: same exercise and same routine item."""
        return [i for i, s in enumerate(self.steps) if s.exercise_id == step.exercise_id and s.item_id == step.item_id]

    def _max_set_number(self, exercise_id: str) -> int:
        numbers = [s.set_number for s in self.steps if s.exercise_id == exercise_id]
        numbers += [s.set_number for s in self.logged if s.exercise_id == exercise_id]
        return max(numbers, default=0)

    def _remove_positions(self, positions: Sequence[int]) -> None:
        """Remove steps (none of them logged); the step before a removed superset step takes
        over its rest if longer (so a round still ends with the round's rest); the current
        index follows."""
        current_removed = False
        for p in sorted(positions, reverse=True):
            removed = self.steps[p]
            if p > 0:
                prev = self.steps[p - 1]
                if prev.superset is not None and prev.superset == removed.superset \
                        and removed.rest_seconds > prev.rest_seconds:
                    self.steps[p - 1] = replace(prev, rest_seconds=removed.rest_seconds)
            del self.steps[p]
            del self._done[p]
            if p < self.index:
                self.index -= 1
            elif p == self.index and self.stage in (Stage.WORK, Stage.LOG):
                current_removed = True
        if current_removed:
            self._failed, self._reps_override, self._seconds_override = False, None, None
            start = self.index
            candidates = [j for j in range(start, len(self.steps)) if not self._done[j]]
            candidates += [j for j in range(0, min(start, len(self.steps))) if not self._done[j]]
            if candidates:
                self.stage, self.index = Stage.WORK, candidates[0]
            else:
                self.stage, self.index = Stage.DONE, len(self.steps)

    # --- ending -------------------------------------------------------------------------------
    def finish(self, ended_at: str | None = None) -> SessionSummary:
        """Commit the session to history (from any stage) and sum it up. A session without a
        logged set is discarded, not saved (its summary has 0 sets)."""
        self._require_open()
        if not self.logged:
            session = SessionLog(started_at=self.started_at or now_iso(), ended_at=ended_at or now_iso(),
                                 routine=self.routine_name)
            if self.session_id:
                session = replace(session, id=self.session_id)
            self.store.discard_session()
            self._closed()
            return SessionSummary(session=session, duration_seconds=session.duration_seconds, sets=0, volume_kg=0.0)
        before = self.store.sessions()
        session = self.store.finish_session(ended_at)
        self._closed()
        prs = session_prs([*before, session]).get(session.id, [])
        return SessionSummary(
            session=session, duration_seconds=session.duration_seconds, sets=_set_count(session.sets),
            volume_kg=session.volume_kg, prs=list(prs), muscles=_muscle_sets(session.sets, self.library),
            comparison=compare_with_previous(before, session),
            time_under_tension_seconds=time_under_tension(session.sets, self.library),
        )

    def discard(self) -> None:
        """Throw the session away (nothing goes to history)."""
        self._require_open()
        self.store.discard_session()
        self._closed()

    def _closed(self) -> None:
        self.finished = True
        self.stage, self.index = Stage.DONE, len(self.steps)

    # --- helpers ------------------------------------------------------------------------------
    def _following(self, i: int) -> int | None:
        """The next step to do after step i: the first unlogged one after it, else the first
        unlogged one before it."""
        for j in range(i + 1, len(self.steps)):
            if not self._done[j]:
                return j
        for j in range(0, min(i, len(self.steps))):
            if not self._done[j]:
                return j
        return None

    def _resume_index(self) -> int:
        """Where a resume continues: the current step while it is being done or logged, the
        next one during a rest, len(steps) when done."""
        if self.stage in (Stage.WORK, Stage.LOG):
            return self.index
        if self.stage == Stage.REST:
            nxt = self._following(self.index)
            return nxt if nxt is not None else len(self.steps)
        return len(self.steps)

    def _meta(self, plan: bool = True) -> dict[str, Any]:
        progress = {"done": list(self._done), "index": self._resume_index(), "sets": len(self.logged)}
        if not plan:  # the plan is not written again, so not turned into dicts either (a set's end)
            return progress
        return {"v": META_VERSION, "kind": "guided", "steps": [s.to_dict() for s in self.steps], **progress}

    def _save(self, plan: bool = True) -> None:
        """One journal line with everything a resume needs (the plan only when it changed)."""
        self.store.journal.set_meta(**self._meta(plan))

    def _require_open(self) -> None:
        if self.finished:
            raise SessionStateError("the session has ended (finished or discarded); start a new one")

    def _require_stage(self, stage: Stage, action: str) -> None:
        self._require_open()
        if self.stage != stage:
            hint = {
                "work": "the set is still in progress: call work_finished() or end_early() first",
                "log": "the set is waiting to be logged: call log() first",
                "rest": "this is the rest after a set: call rest_finished() or skip_rest() first",
                "done": "every set is done: finish() the session (or go_back() to redo a set)",
            }[self.stage]
            raise SessionStateError(f"cannot {action} in stage '{self.stage}' (needs '{stage}'); {hint}")

    def _require_current(self, action: str) -> Step:
        self._require_open()
        step = self.current
        if step is None:
            raise SessionStateError(f"cannot {action}: every set is done (go_back() to a set first)")
        return step
