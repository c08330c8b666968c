"""What to do next time, per exercise, from what was logged: progressive overload as rules.

The articles name three ways to make a back exercise harder over time: more load, more
reps, or a slower tempo. This module turns the last session (or two) of an exercise into a
concrete next prescription with a one-sentence reason; the user accepts it
(`apply_suggestion`) or types something else. Pure functions of their arguments: no clock,
no I/O, loads in kilograms (the unit only decides rounding and the text).

The rules, in the order they are checked. How an exercise gets harder is its library
`progression` (load, bodyweight, negative, band or hold); the numbers are in `backcoach.rules`.

1. No logged work set of the exercise: **start** with the planned sets.
2. A planned set fell short (below the bottom of its range, a shorter hold, or not done):
   **keep** the prescription. If the session before also fell short, **deload**: about
   10 % less load (or a shorter hold), rounded to a sensible step, to build back up. A miss
   right after the load was already lowered gets one more try first.
3. Every set reached the top of its range (or its fixed reps), by progression:
   - load (or any exercise done with a load, except holds, negatives and bands): **add-load**
     by the item's step, else the exercise's, else 2.5 kg (5 lb steps in pounds), and aim for
     the bottom of the range again ("double progression"). Only here does effort matter: if
     the first work set, or the average of them, was harder than RPE 9, **keep** instead,
     since more load on a set with nothing in reserve is a guess;
   - bodyweight: **slower-eccentric**, one second slower lowering, while the lowering is
     under 5 s; after that **add-rep** beyond the range (and name the harder variation);
   - negative: **slower-eccentric** one second at a time up to 10 s (the aim is 8–10 s),
     with the reps never planned above five; at 10 s, **keep** and name the full exercise;
   - band: **lighter-band**, the next lighter band and back to the bottom of the range;
   - hold: timed holds **add-seconds**, 5 s or 10 % (in 5 s steps), whichever is more;
     drills with a hold in each rep **longer-hold**, 2 s more at the end position up to
     10 s, then the harder variation. Never load.
4. Otherwise, inside a range: **add-rep**, one more rep per set until the top (for a
   negative, until five).

Sets are matched in order: the item's n-th planned set with the n-th logged work set.
Warm-ups are preparation and drop sets are extras after a planned set, so neither is
matched. For a per-side exercise the n-th left and the n-th right set together are the n-th
set, done only when both sides made it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from itertools import zip_longest

from backcoach.library import Exercise, Library, Progression, default_progression, exercise_name
from backcoach.model import SessionLog, SetLog
from backcoach.routines import MAX_HOLD_SECONDS, MAX_REPS, PlannedSet, Routine, RoutineItem
from backcoach.rules import (
    DEFAULT_INCREMENT_KG,
    DELOAD_FACTOR,
    HOLD_GROWTH,
    HOLD_STEP_SECONDS,
    LB_STEP,
    MAX_ECCENTRIC_SECONDS,
    NEGATIVE_LOWERING_SECONDS,
    NEGATIVE_MAX_REPS,
    REP_HOLD_MAX_SECONDS,
    REP_HOLD_STEP_SECONDS,
    SLOW_ECCENTRIC_SECONDS,
    TARGET_RPE,
)
from backcoach.tempo import DEFAULT_TEMPO, Tempo, TempoError
from backcoach.units import UNITS, format_load, from_unit, to_unit

class Step(StrEnum):
    """What a suggestion changes for next time."""

    ADD_LOAD = "add-load"
    ADD_REP = "add-rep"
    SLOWER_ECCENTRIC = "slower-eccentric"
    ADD_SECONDS = "add-seconds"
    LONGER_HOLD = "longer-hold"
    LIGHTER_BAND = "lighter-band"
    KEEP = "keep"
    DELOAD = "deload"
    START = "start"


KINDS = tuple(k.value for k in Step)

START_REASON = "First time: find a load you can lift for the top of the range with clean form."

_TOP, _WITHIN, _SHORT, _MISSING = "top", "within", "short", "missing"
_EPS = 1e-6


@dataclass(frozen=True)
class Suggestion:
    """The next prescription for one routine item.

    `sets` are the planned sets to use next time, one per planned set of the item: the
    ranges stay as they are (a double progression needs the bottom of the range later),
    loads and hold seconds change. `targets` are the reps to aim for in each set next time
    (None for a hold, or when there is nothing to go by yet). `tempo` is the item's tempo
    to use (None: the exercise's default). `unit` is the unit the reason is written in.
    """

    exercise_id: str
    kind: Step
    sets: tuple[PlannedSet, ...]
    reason: str
    targets: tuple[int | None, ...] = ()
    tempo: str | None = None
    unit: str = "kg"

    def summary(self, unit: str | None = None) -> str:
        """Short text for the routine list, e.g. 'next time: 62.5 kg × 8'.

        Identical sets are shown once; different ones as '80 kg × 5 / 70 kg × 8'. A
        changed tempo is added ('next time: 10 reps, lower in 4 s').
        """
        unit = unit or self.unit
        targets = self.targets or (None,) * len(self.sets)
        texts = [_set_text(s, t, unit) for s, t in zip(self.sets, targets)]
        text = texts[0] if len(set(texts)) == 1 else " / ".join(texts)
        if self.kind == Step.SLOWER_ECCENTRIC and self.tempo:
            text += f", lower in {Tempo.parse(self.tempo).eccentric} s"
        elif self.kind == Step.LONGER_HOLD and self.tempo:
            tempo = Tempo.parse(self.tempo)
            text += f", hold {max(tempo.pause_stretched or 0, tempo.pause_contracted or 0)} s"
        elif self.kind == Step.LIGHTER_BAND:
            text += ", lighter band"
        prefix = "first time" if self.kind == Step.START else "next time"
        return f"{prefix}: {text}"


def next_prescription(item: RoutineItem, exercise: Exercise | None, history: Sequence[SessionLog],
                      unit: str = "kg", *, library: Library | None = None) -> Suggestion:
    """The next prescription for `item` from its most recent logged sessions (see the module
    docstring for the rules). `exercise` may be None for a custom exercise the library
    does not know; `library` only supplies names for the reasons (a harder variation)."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}: use one of {', '.join(UNITS)}")
    recent = _recent_sessions(history, {item.exercise_id}, keep=2).get(item.exercise_id, [])
    if not recent:
        return Suggestion(item.exercise_id, Step.START, item.sets, START_REASON, (None,) * len(item.sets),
                          item.tempo, unit)
    rules = _Rules(item, exercise, unit, library)
    latest = _evaluate(item, recent[0])
    previous = _evaluate(item, recent[1]) if len(recent) > 1 else None
    return rules.decide(latest, previous)


def suggestions_for_routine(routine: Routine, library: Library, history: Iterable[SessionLog],
                            unit: str = "kg") -> dict[str, Suggestion]:
    """`next_prescription` for every item of the routine, keyed by item id.

    The history is sorted once and only the two latest sessions of each exercise are
    kept, so ten years of history cost one pass.
    """
    wanted = {item.exercise_id for item in routine.items}
    recent = _recent_sessions(history, wanted, keep=2)
    return {
        item.id: next_prescription(item, library.exercises.get(item.exercise_id), recent.get(item.exercise_id, []),
                                   unit, library=library)
        for item in routine.items
    }


def apply_suggestion(item: RoutineItem, suggestion: Suggestion) -> RoutineItem:
    """A new item with the suggested sets and tempo; everything else (id, rest, note…) stays."""
    if suggestion.exercise_id != item.exercise_id:
        raise ValueError(f"a suggestion for {suggestion.exercise_id!r} cannot change an item of {item.exercise_id!r}")
    if len(suggestion.sets) != len(item.sets):
        raise ValueError(f"the suggestion has {len(suggestion.sets)} sets, the item {len(item.sets)}")
    return replace(item, sets=suggestion.sets, tempo=suggestion.tempo)


# --- what was done ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Done:
    """One performed set as matched to a planned set: for a per-side exercise the weaker
    side's reps and hold and the lighter load (the set only counts as far as both sides
    went), the harder side's RPE. `complete` is False when only one side was logged."""

    reps: int | None
    load_kg: float | None
    seconds: float | None
    rpe: float | None
    complete: bool = True
    sided: bool = False


def _matched(sets: Sequence[SetLog]) -> list[_Done]:
    if not any(s.side for s in sets):
        return [_Done(s.reps, s.load_kg or None, s.seconds, s.rpe) for s in sets]
    lefts = [s for s in sets if s.side == "left"]
    rights = [s for s in sets if s.side == "right"]
    out = []
    for left, right in zip_longest(lefts, rights):
        both = [s for s in (left, right) if s is not None]
        reps = [s.reps for s in both if s.reps is not None]
        secs = [s.seconds for s in both if s.seconds is not None]
        loads = [s.load_kg for s in both if s.load_kg]
        rpes = [s.rpe for s in both if s.rpe is not None]
        out.append(_Done(min(reps) if reps else None, min(loads) if loads else None, min(secs) if secs else None,
                         max(rpes) if rpes else None, complete=len(both) == 2, sided=True))
    out += [_Done(s.reps, s.load_kg or None, s.seconds, s.rpe) for s in sets if s.side is None]
    return out


def _is_matched(s: SetLog) -> bool:
    return s.kind not in ("warmup", "drop")


def _recent_sessions(history: Iterable[SessionLog], exercise_ids: set[str], keep: int) -> dict[str, list[SessionLog]]:
    """Per exercise, the `keep` latest sessions with a matched set of it, newest first."""
    out: dict[str, list[SessionLog]] = {}
    for session in sorted(history, key=lambda s: (s.start, s.id), reverse=True):
        for ex_id in {s.exercise_id for s in session.sets if s.exercise_id in exercise_ids and _is_matched(s)}:
            found = out.setdefault(ex_id, [])
            if len(found) < keep:
                found.append(session)
    return out


@dataclass(frozen=True)
class _Evaluation:
    """A logged session against the item's planned sets, set by set."""

    done: tuple[_Done | None, ...]  # one per planned set; None: not done
    status: tuple[str, ...]
    loads: tuple[float | None, ...]  # the load each set was done with (planned if not logged)

    @property
    def short(self) -> list[int]:
        return [i for i, st in enumerate(self.status) if st in (_SHORT, _MISSING)]

    @property
    def top_load(self) -> float:
        return max((x for x in self.loads if x), default=0.0)


def _evaluate(item: RoutineItem, session: SessionLog) -> _Evaluation:
    performed = _matched([s for s in session.sets if s.exercise_id == item.exercise_id and _is_matched(s)])
    done = tuple(performed[i] if i < len(performed) else None for i in range(len(item.sets)))
    status = tuple(_status(p, d) for p, d in zip(item.sets, done))
    loads = tuple((d.load_kg if d is not None and d.load_kg else None) or p.load_kg for p, d in zip(item.sets, done))
    return _Evaluation(done, status, loads)


def _reps_of(done: _Done | None) -> int:
    """Reps a logged set made; 0 for a set not done (or logged without reps)."""
    return (done.reps or 0) if done is not None else 0


def _status(planned: PlannedSet, done: _Done | None) -> str:
    if done is None or not done.complete:
        return _MISSING
    if planned.seconds is not None:
        return _TOP if (done.seconds or 0) >= planned.seconds else _SHORT
    low, high = planned.reps or (0, 0)  # a set without seconds plans reps (PlannedSet checks)
    reps = done.reps or 0
    return _TOP if reps >= high else _WITHIN if reps >= low else _SHORT


# --- the rules -----------------------------------------------------------------------------

class _Rules:
    """The decision for one item; methods share the item, exercise, unit and load step."""

    def __init__(self, item: RoutineItem, exercise: Exercise | None, unit: str, library: Library | None):
        self.item, self.exercise, self.unit, self.library = item, exercise, unit, library
        # 0 means "not set" here: body-weight exercises carry 0 in the library, and the user
        # who adds a plate to one still needs a step.
        self.step_kg = item.increment_kg or (exercise.increment_kg if exercise else 0.0) or DEFAULT_INCREMENT_KG
        self.step_lb = max(LB_STEP, _round_to(to_unit(self.step_kg, "lb"), LB_STEP))
        if exercise is not None:
            self.progression = exercise.progression
        else:  # a custom exercise: guess from the item, as the library does for a file without it
            self.progression = default_progression("timed" if item.timed else "reps",
                                                   item.increment_kg or 0.0)

    def suggestion(self, kind: Step, sets, reason: str, targets, tempo: str | None = None) -> Suggestion:
        return Suggestion(self.item.exercise_id, kind, tuple(sets), reason, tuple(targets),
                          tempo if tempo is not None else self.item.tempo, self.unit)

    def decide(self, latest: _Evaluation, previous: _Evaluation | None) -> Suggestion:
        if latest.short:
            # Two misses in a row call for a deload, unless the latest was already lighter
            # than the one before (the user lowered the load): that load gets a fair try.
            if previous is not None and previous.short and latest.top_load >= previous.top_load - _EPS:
                return self.deload(latest)
            return self.keep_short(latest)
        kind = self.progression
        if kind == Progression.NEGATIVE:
            return self.negative(latest)
        if not all(st == _TOP for st in latest.status):
            return self.add_rep(latest)
        if self.item.timed:
            return self.add_seconds(latest)
        if kind == Progression.HOLD:
            return self.longer_hold(latest)
        if kind == Progression.BAND:
            return self.lighter_band(latest)
        if kind == Progression.LOAD or any(latest.loads):
            if self.too_hard(latest):
                return self.keep_hard(latest)
            return self.add_load(latest)
        return self.body_weight_at_top(latest)

    def too_hard(self, ev: _Evaluation) -> bool:
        """The effort that decides a load increase: the first work set's RPE, or the average
        of the work sets' RPE, above the target. A hard last set alone is normal fatigue."""
        rpes = [d.rpe for d in ev.done if d is not None and d.rpe is not None]
        if not rpes:
            return False  # a set without RPE counts as on target
        first = ev.done[0].rpe if ev.done and ev.done[0] is not None else None
        return (first is not None and first > TARGET_RPE) or sum(rpes) / len(rpes) > TARGET_RPE

    # Sets as they were done, as the basis of the next ones.
    def same_sets(self, ev: _Evaluation) -> list[PlannedSet]:
        return [replace(p, load_kg=load) for p, load in zip(self.item.sets, ev.loads)]

    def keep_targets(self, ev: _Evaluation) -> list[int | None]:
        """Repeat what each set did (within its range); a short set aims for its bottom."""
        out: list[int | None] = []
        for p, d, st in zip(self.item.sets, ev.done, ev.status):
            if p.reps is None:
                out.append(None)
            elif st in (_SHORT, _MISSING):
                out.append(p.reps[0])
            else:
                out.append(min(max(_reps_of(d), p.reps[0]), p.reps[1]))
        return out

    def keep_short(self, ev: _Evaluation) -> Suggestion:
        reason = f"{_capital(_join(self.shortfalls(ev)))}: repeat the same prescription next time."
        return self.suggestion(Step.KEEP, self.same_sets(ev), reason, self.keep_targets(ev))

    def shortfalls(self, ev: _Evaluation) -> list[str]:
        out = []
        for n, (p, d, st) in enumerate(zip(self.item.sets, ev.done, ev.status), 1):
            if st == _MISSING:
                out.append(f"set {n} was not done" if d is None else f"set {n} was done on one side only")
            elif st == _SHORT and p.seconds is not None:
                out.append(f"hold {n} lasted {_num(d.seconds or 0 if d is not None else 0)} of {p.seconds} s")
            elif st == _SHORT and p.reps is not None:
                side = " on the weaker side" if d is not None and d.sided else ""
                out.append(f"set {n} reached {_reps_of(d)} of {p.reps[0]} reps{side}")
        return out

    def keep_hard(self, ev: _Evaluation) -> Suggestion:
        rpes = [d.rpe for d in ev.done if d is not None and d.rpe is not None]
        average = sum(rpes) / len(rpes)
        first = ev.done[0].rpe if ev.done[0] is not None else None
        if first is not None and first > TARGET_RPE:
            effort = f"the first set was already at RPE {_num(first)}"
        else:
            effort = f"the sets averaged RPE {_num(round(average, 1))}"
        reason = (f"{self.done_text(ev, effort=False)}, but {effort}: repeat the same load until it feels like "
                  f"RPE {TARGET_RPE:g} or easier before adding more.")
        return self.suggestion(Step.KEEP, self.same_sets(ev), reason, self.keep_targets(ev))

    def done_text(self, ev: _Evaluation, effort: bool = True) -> str:
        """'All 3 × 8 done at RPE 8' / 'All 3 sets reached 12, the top of 8–12' …"""
        n = len(self.item.sets)
        reps = {p.reps for p in self.item.sets}
        rpes = [d.rpe for d in ev.done if d is not None and d.rpe is not None]
        effort_text = f" at RPE {_num(max(rpes))}" if rpes and effort else ""
        sides = " on both sides" if any(d is not None and d.sided for d in ev.done) else ""
        only = next(iter(reps)) if len(reps) == 1 else None
        if only is not None:
            low, high = only
            if low == high:
                return f"All {n} × {high} done{sides}{effort_text}"
            return f"All {n} sets reached {high}{sides}, the top of {low}–{high},{effort_text}".rstrip(",")
        return f"Every set made its reps{sides}{effort_text}"

    def add_load(self, ev: _Evaluation) -> Suggestion:
        sets = [replace(p, load_kg=self.heavier(load) if load else None) for p, load in zip(self.item.sets, ev.loads)]
        targets = [p.reps[0] if p.reps else None for p in self.item.sets]
        step = f"{self.step_lb:g} lb" if self.unit == "lb" else format_load(self.step_kg, "kg")
        if self.unit == "lb" and any(
                abs(_clean(to_unit(s.load_kg or 0.0, "lb")) - _clean(to_unit(load, "lb")) - self.step_lb) > 0.05
                for s, load in zip(sets, ev.loads) if load):
            # A load that was not on a 5 lb mark (entered in kg) lands on one: say where.
            step = "move up to " + _uniform_or_list([s.load_kg for s in sets if s.load_kg],
                                                    lambda v: format_load(v, "lb"))
        else:
            step = f"add {step}"
        back = ""
        ranges = {p.reps for p in self.item.sets if p.reps and p.reps[0] != p.reps[1]}
        if len(ranges) == 1:
            back = f" and go back to {next(iter(ranges))[0]} reps"
        elif ranges:
            back = " and go back to the bottom of each range"
        return self.suggestion(Step.ADD_LOAD, sets, f"{self.done_text(ev)}: {step}{back}.", targets)

    def heavier(self, load_kg: float) -> float:
        if self.unit == "lb":
            current = _clean(to_unit(load_kg, "lb"))
            new = _round_to(current + self.step_lb, LB_STEP)
            while new <= current + _EPS:
                new += LB_STEP
            return from_unit(new, "lb")
        return round(load_kg + self.step_kg, 3)

    def lighter(self, load_kg: float) -> float | None:
        """About 10 % less, on the load's step (5 lb in pounds); None when the load is too
        light to take anything off."""
        unit_value = _clean(to_unit(load_kg, self.unit))
        step = LB_STEP if self.unit == "lb" else self.step_kg
        new = _round_to(_clean(unit_value * DELOAD_FACTOR), step)
        if new >= unit_value - _EPS:
            new = unit_value - step
        if new <= _EPS:
            return None
        return from_unit(round(new, 3), self.unit)

    def deload(self, ev: _Evaluation) -> Suggestion:
        targets = [p.reps[0] if p.reps else None for p in self.item.sets]
        if self.item.timed:
            sets = [replace(p, seconds=_shorter_hold(p.seconds)) if p.seconds else p for p in self.item.sets]
            if sets != list(self.item.sets):
                holds = _uniform_or_list([s.seconds for s in sets if s.seconds], lambda v: f"{v} s")
                return self.suggestion(Step.DELOAD, sets, (
                    f"Two sessions in a row fell short (last time {_join(self.shortfalls(ev))}): hold {holds} "
                    "for a while and build back up."), targets)
        elif any(ev.loads):
            lighter = [self.lighter(load) if load else None for load in ev.loads]
            if any(lighter):
                sets = [replace(p, load_kg=new or load) for p, load, new in zip(self.item.sets, ev.loads, lighter)]
                loads = _uniform_or_list([s.load_kg for s in sets if s.load_kg], lambda v: format_load(v, self.unit))
                return self.suggestion(Step.DELOAD, sets, (
                    f"Two sessions in a row fell short (last time {_join(self.shortfalls(ev))}): drop to {loads}, "
                    "about 10 % lighter, and build back up from there."), targets)
        # Body weight (or a load too light to reduce): nothing to take off but the variation.
        easier = self.exercise.easier[0] if self.exercise and self.exercise.easier else None
        option = f", or step back to the {_lower_first(self._name(easier))} for a few weeks" if easier else ""
        reason = (f"Two sessions in a row fell short (last time {_join(self.shortfalls(ev))}): keep aiming for the "
                  f"planned reps{option}.")
        return self.suggestion(Step.KEEP, self.same_sets(ev), reason, self.keep_targets(ev))

    def add_rep(self, ev: _Evaluation) -> Suggestion:
        targets = []
        for p, d in zip(self.item.sets, ev.done):
            targets.append(None if p.reps is None else min(max(_reps_of(d), p.reps[0]) + 1, p.reps[1]))
        got = "/".join(str(_reps_of(d)) for d, p in zip(ev.done, self.item.sets) if p.reps)
        aim = "/".join(str(t) for t in targets if t is not None)
        ranges = {p.reps for p in self.item.sets if p.reps}
        where = f" of {_range(next(iter(ranges)))}" if len(ranges) == 1 else ""
        load = " at the same load" if any(ev.loads) else ""
        reason = f"Last time {got} reps{where}: aim for {aim}{load}, one more rep per set until the top."
        return self.suggestion(Step.ADD_REP, self.same_sets(ev), reason, targets)

    def body_weight_at_top(self, ev: _Evaluation) -> Suggestion:
        tempo = self.tempo()
        old = tempo.eccentric or 0
        if old < SLOW_ECCENTRIC_SECONDS:
            new = min(old + 1, MAX_ECCENTRIC_SECONDS)
            targets = [p.reps[1] if p.reps else None for p in self.item.sets]
            reason = (f"{self.done_text(ev)}: lower in {new} s instead of {old} s to make every rep harder "
                      "without adding load.")
            return self.suggestion(Step.SLOWER_ECCENTRIC, self.same_sets(ev), reason, targets,
                                   str(replace(tempo, eccentric=new)))
        # Already slow: more reps beyond the range; the range grows with them.
        sets, targets = [], []
        for p, d in zip(self.item.sets, ev.done):
            if p.reps is None:
                sets.append(p)
                targets.append(None)
                continue
            low, high = p.reps
            target = min(max(_reps_of(d), high) + 1, MAX_REPS)
            sets.append(replace(p, reps=(target, target) if low == high else (low, target)))
            targets.append(target)
        aim = _uniform_or_list(targets, str)
        harder = self.exercise.harder[0] if self.exercise and self.exercise.harder else None
        option = f", or move on to the {_lower_first(self._name(harder))}" if harder else ""
        reason = f"{self.done_text(ev)}, with a {old} s lowering already: aim for {aim} reps{option}."
        return self.suggestion(Step.ADD_REP, sets, reason, targets)

    def add_seconds(self, ev: _Evaluation) -> Suggestion:
        sets = [replace(p, seconds=_longer_hold(p.seconds)) if p.seconds else p for p in self.item.sets]
        targets = [None] * len(sets)
        old = _uniform_or_list([p.seconds for p in self.item.sets if p.seconds], lambda v: f"{v} s")
        if sets == list(self.item.sets):
            return self.suggestion(Step.KEEP, sets, (
                f"All holds done, and {old} is already the longest hold a routine plans: keep it, "
                "or pick a harder variation."), targets)
        new = _uniform_or_list([s.seconds for s in sets if s.seconds], lambda v: f"{v} s")
        n = len(self.item.sets)
        reason = f"All {n} hold{'s' if n != 1 else ''} of {old} done: hold {new} next time."
        return self.suggestion(Step.ADD_SECONDS, sets, reason, targets)

    def negative(self, ev: _Evaluation) -> Suggestion:
        """Reps up to the top of the range (never above `NEGATIVE_MAX_REPS`), then a
        one-second longer lowering each time up to the longest, then the full exercise."""
        caps = [min(p.reps[1], NEGATIVE_MAX_REPS) if p.reps else None for p in self.item.sets]
        below = [i for i, (c, d) in enumerate(zip(caps, ev.done)) if c is not None and (_reps_of(d)) < c]
        if below:
            targets = [None if c is None or p.reps is None else min(max(_reps_of(d), p.reps[0]) + 1, c)
                       for p, d, c in zip(self.item.sets, ev.done, caps)]
            got = "/".join(str(_reps_of(d)) for d, c in zip(ev.done, caps) if c is not None)
            aim = "/".join(str(t) for t in targets if t is not None)
            reason = (f"Last time {got} reps: aim for {aim}, one more rep per set up to "
                      f"{_uniform_or_list([c for c in caps if c], str)}; after that the lowering gets longer.")
            return self.suggestion(Step.ADD_REP, self.same_sets(ev), reason, targets)
        tempo = self.tempo()
        old = tempo.eccentric or 0
        low, high = NEGATIVE_LOWERING_SECONDS
        targets = caps
        if old < high:
            new = old + 1
            reason = (f"{self.done_text(ev)}: lower in {new} s instead of {old} s; the aim is a steady "
                      f"{low}–{high} s lowering for about {NEGATIVE_MAX_REPS} reps.")
            return self.suggestion(Step.SLOWER_ECCENTRIC, self.same_sets(ev), reason, targets,
                                   str(replace(tempo, eccentric=new)))
        harder = self.exercise.harder[0] if self.exercise and self.exercise.harder else None
        option = (f"try the {_lower_first(self._name(harder))} for your first reps" if harder
                  else "try full reps")
        reason = (f"{self.done_text(ev)} with a {old} s lowering, the longest a negative needs: {option}, "
                  "and keep a set of negatives after them.")
        return self.suggestion(Step.KEEP, self.same_sets(ev), reason, targets)

    def lighter_band(self, ev: _Evaluation) -> Suggestion:
        targets = [p.reps[0] if p.reps else None for p in self.item.sets]
        back = _uniform_or_list([t for t in targets if t is not None], str)
        reason = (f"{self.done_text(ev)}: switch to the next lighter band and go back to {back} reps; "
                  "with the lightest band done, try negatives or a first full rep.")
        return self.suggestion(Step.LIGHTER_BAND, self.same_sets(ev), reason, targets)

    def longer_hold(self, ev: _Evaluation) -> Suggestion:
        """A hold inside every rep (bird dog, a mobility drill) grows, never the load: 2 s
        more at the end position up to the longest, then the harder variation."""
        tempo = self.tempo()
        # The hold is the longer of the rep's two pauses (the contracted one on a tie): a
        # drill may hold at the reach or at the stretch, as its movement says.
        field = "pause_stretched" if (tempo.pause_stretched or 0) > (tempo.pause_contracted or 0) else "pause_contracted"
        old = getattr(tempo, field) or 0
        targets = [p.reps[1] if p.reps else None for p in self.item.sets]
        if old < REP_HOLD_MAX_SECONDS:
            new = min(old + REP_HOLD_STEP_SECONDS, REP_HOLD_MAX_SECONDS)
            reason = (f"{self.done_text(ev)}: hold each rep's end position for {new} s instead of {old} s; "
                      "longer holds, not load, make this harder.")
            return self.suggestion(Step.LONGER_HOLD, self.same_sets(ev), reason, targets,
                                   str(replace(tempo, **{field: new})))
        harder = self.exercise.harder[0] if self.exercise and self.exercise.harder else None
        option = f": move on to the {_lower_first(self._name(harder))}" if harder else ": keep it as it is"
        reason = f"{self.done_text(ev)} with a {old} s hold, the longest this drill needs{option}."
        return self.suggestion(Step.KEEP, self.same_sets(ev), reason, targets)

    def tempo(self) -> Tempo:
        """The tempo the item is done at: its own, else the exercise's default, else the app's."""
        if self.item.tempo:
            try:
                return Tempo.parse(self.item.tempo)
            except TempoError:
                pass  # a saved item is checked; fall back rather than fail on a bad import
        if self.exercise is not None and self.exercise.prescription.tempo is not None:
            return self.exercise.prescription.tempo
        return DEFAULT_TEMPO

    def _name(self, exercise_id: str) -> str:
        return exercise_name(exercise_id, self.library)


# --- small helpers ----------------------------------------------------------------------------

def _round_to(value: float, step: float) -> float:
    """Nearest multiple of `step`, halves rounded up (a lifter rounds 202.5 lb to 205)."""
    return round(math.floor(value / step + 0.5) * step, 3)


def _clean(value: float) -> float:
    """Drop float noise from unit conversions (134.99999 lb is 135 lb)."""
    return round(value, 2)


def _longer_hold(seconds: int) -> int:
    grow = max(HOLD_STEP_SECONDS, int(_round_to(seconds * HOLD_GROWTH, HOLD_STEP_SECONDS)))
    return min(seconds + grow, MAX_HOLD_SECONDS)


def _shorter_hold(seconds: int) -> int:
    new = int(_round_to(seconds * DELOAD_FACTOR, HOLD_STEP_SECONDS))
    if new >= seconds:
        new = seconds - HOLD_STEP_SECONDS
    return max(new, min(seconds, HOLD_STEP_SECONDS))


def _set_text(s: PlannedSet, target: int | None, unit: str) -> str:
    if s.seconds is not None:
        return f"{s.seconds} s"
    reps = str(target) if target is not None else _range(s.reps or (0, 0))
    return f"{format_load(s.load_kg, unit)} × {reps}" if s.load_kg else f"{reps} reps"


def _range(reps: tuple[int, int]) -> str:
    low, high = reps
    return str(low) if low == high else f"{low}–{high}"


def _uniform_or_list(values: Sequence, text) -> str:
    texts = [text(v) for v in values]
    return texts[0] if len(set(texts)) == 1 else "/".join(texts)


def _num(value: float) -> str:
    return f"{value:g}"


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]
