"""Last time at a glance: what was done the most recent time an exercise was trained.

One presenter for every place that shows it (the set screen, the log form, the routine
editor), so the words and the choice of "best set" are the same everywhere. The best set is
the one with the highest estimated 1RM (Epley), else the most reps, else the longest hold.
Warm-ups are left out: they say nothing about where the lifter stands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from backcoach.analytics import epley_1rm
from backcoach.model import SessionLog, SetLog
from backcoach.units import format_load


@dataclass(frozen=True)
class LastTime:
    """The exercise's most recent session, condensed."""

    exercise_id: str
    day: date
    sets: tuple[SetLog, ...]  # work sets, one per set (for a per-side exercise the weaker side)
    best: SetLog
    top_rpe: float | None
    per_side: bool

    def sets_text(self, unit: str) -> str:
        """'3 × 8 @ 60 kg', '8, 8, 7 @ 60 kg', '60 kg × 8, 62.5 kg × 6', '3 × 30 s'."""
        loads = {s.load_kg for s in self.sets}
        side = " each side" if self.per_side else ""
        if all(s.seconds is not None and s.reps is None for s in self.sets):
            held = {s.seconds for s in self.sets}
            if len(held) == 1:
                return f"{len(self.sets)} × {_num(self.sets[0].seconds)} s{side}"
            return ", ".join(f"{_num(s.seconds)} s" for s in self.sets) + side
        if len(loads) == 1:
            reps = [s.reps or 0 for s in self.sets]
            dose = f"{len(reps)} × {reps[0]}" if len(set(reps)) == 1 else ", ".join(str(r) for r in reps)
            load = next(iter(loads))
            return f"{dose}{side}" + (f" @ {format_load(load, unit)}" if load else "")
        return ", ".join(_set_text(s, unit) for s in self.sets) + side

    def best_text(self, unit: str) -> str:
        return _set_text(self.best, unit)

    def describe(self, unit: str, today: date | None = None) -> str:
        """'3 × 8 @ 60 kg · RPE 8 · best 62.5 kg × 8 (12 Mar)': one line for the set screen."""
        parts = [self.sets_text(unit)]
        if self.top_rpe is not None:
            parts.append(f"RPE {self.top_rpe:g}")
        best = self.best_text(unit)
        if len(self.sets) > 1 and best:
            parts.append(f"best {best}")
        when = f"{self.day.day} {self.day.strftime('%b')}"
        if today is not None and self.day.year != today.year:
            when += f" {self.day.year}"
        return " · ".join(parts) + f" ({when})"


def last_time(exercise_id: str, history: Iterable[SessionLog], *, before: str | None = None) -> LastTime | None:
    """The most recent session (started before `before`, an ISO time, when given) with work
    sets of `exercise_id`; None when there is none."""
    latest: SessionLog | None = None
    for session in history:
        if before is not None and session.started_at >= before:
            continue
        if latest is not None and session.started_at <= latest.started_at:
            continue
        if any(s.exercise_id == exercise_id and not s.warmup for s in session.sets):
            latest = session
    if latest is None:
        return None
    work = [s for s in latest.sets if s.exercise_id == exercise_id and not s.warmup]
    per_side = any(s.side for s in work)
    sets = _one_per_set(work) if per_side else work
    best = max(sets, key=_strength)
    rpes = [s.rpe for s in work if s.rpe is not None]
    return LastTime(exercise_id, date.fromisoformat(latest.started_at[:10]), tuple(sets), best,
                    max(rpes) if rpes else None, per_side)


def _one_per_set(sets: list[SetLog]) -> list[SetLog]:
    """A per-side exercise's sides as one set each: the weaker side (it is what the set made)."""
    by_number: dict[int, list[SetLog]] = {}
    for s in sets:
        by_number.setdefault(s.set_number, []).append(s)
    return [min(group, key=_strength) for _, group in sorted(by_number.items())]


def _strength(s: SetLog) -> tuple[float, float, float]:
    return (epley_1rm(s.load_kg, s.reps) or 0.0 if s.load_kg else 0.0, float(s.reps or 0), float(s.seconds or 0))


def _set_text(s: SetLog, unit: str) -> str:
    if s.reps is None and s.seconds is not None:
        return f"{_num(s.seconds)} s" + (f" @ {format_load(s.load_kg, unit)}" if s.load_kg else "")
    if s.load_kg:
        return f"{format_load(s.load_kg, unit)} × {s.reps or 0}"
    return f"{s.reps or 0} reps"


def _num(value: float | None) -> str:
    return f"{value or 0:g}"
