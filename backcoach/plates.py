"""Plates: what a barbell load is made of, and rounding every suggested load to what the
lifter can actually put on the bar (or pick off the dumbbell rack, or pin on the stack).

A barbell load is the bar plus the same plates on each side. With the user's plates (any
number of pairs of each) some totals can be made and others cannot: 61 kg on a 20 kg bar with
25/20/15/10/5/2.5/1.25 kg plates cannot, 60 and 62.5 can. Every load the app suggests or
pre-fills for a barbell exercise goes through `LoadRounding.round_kg`, so the log form never
proposes a load the user would have to round in their head. Dumbbells and machines move in
fixed steps instead (2 kg dumbbells, 5 kg pins), set in Settings.

Pure Python, no Qt: `backcoach plates` and the session both use it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from backcoach.units import from_unit, to_unit

DEFAULT_BARS = {"kg": (20.0,), "lb": (45.0,)}
DEFAULT_PLATES = {"kg": (25.0, 20.0, 15.0, 10.0, 5.0, 2.5, 1.25), "lb": (45.0, 35.0, 25.0, 10.0, 5.0, 2.5)}
DEFAULT_DUMBBELL_STEP = {"kg": 2.0, "lb": 5.0}
DEFAULT_MACHINE_STEP = {"kg": 5.0, "lb": 10.0}

MAX_PLATES_PER_SIDE_KG = 400.0
"""The heaviest side we compute plates for: beyond any back exercise, and it bounds the work."""
MAX_WEIGHT = 1000.0
"""No bar or plate in either unit is heavier than this; larger numbers are typing mistakes."""
_SCALE = 1000  # weights are handled in thousandths (1.25 kg = 1250) so sums are exact


class LoadKind(StrEnum):
    """How an exercise's load is made, which decides how it is rounded."""

    BARBELL = "barbell"  # bar + plates a side
    DUMBBELL = "dumbbell"  # dumbbells and kettlebells, in fixed steps
    MACHINE = "machine"  # cable stacks and machines, in fixed steps
    FREE = "free"  # anything else (a dip belt, a vest): not rounded


BARBELL_EQUIPMENT = frozenset({"barbell", "landmine", "trap-bar", "ez-bar"})
DUMBBELL_EQUIPMENT = frozenset({"dumbbell", "kettlebell"})
MACHINE_EQUIPMENT = frozenset({"cable", "machine", "lat-pulldown", "smith-machine"})


def load_kind(equipment: tuple[str, ...] | list[str]) -> LoadKind:
    """The kind of load from an exercise's equipment list (barbell wins over the rest)."""
    kit = set(equipment)
    if kit & BARBELL_EQUIPMENT:
        return LoadKind.BARBELL
    if kit & DUMBBELL_EQUIPMENT:
        return LoadKind.DUMBBELL
    if kit & MACHINE_EQUIPMENT:
        return LoadKind.MACHINE
    return LoadKind.FREE


def parse_weights(text: str, what: str = "plates") -> tuple[float, ...]:
    """'25 20 15 2.5' (spaces or commas) as weights, heaviest first; ValueError saying why."""
    if not isinstance(text, str):
        raise ValueError(f"{what}: expected numbers separated by spaces, got {text!r}")
    parts = [p for p in text.replace(",", " ").split() if p]
    if not parts:
        raise ValueError(f"{what}: give at least one weight, e.g. “20”")
    weights = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            raise ValueError(f"{what}: “{part}” is not a number") from None
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"{what}: “{part}” must be a weight above 0")
        if value > MAX_WEIGHT:
            raise ValueError(f"{what}: “{part}” is heavier than any real {what.rstrip('s')}")
        if abs(value * 100 - round(value * 100)) > 1e-6:
            raise ValueError(f"{what}: “{part}” has more decimals than a real weight (at most two)")
        weights.append(value)
    if len(weights) > 20:
        raise ValueError(f"{what}: at most 20 different weights")
    return tuple(sorted(set(weights), reverse=True))


def format_weight(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class BarLoad:
    """A barbell load as it is put together: `total` = `bar` + 2 × sum(`per_side`)."""

    total: float
    bar: float
    per_side: tuple[float, ...]  # heaviest first
    unit: str
    exact: bool  # False when the asked load could not be made and `total` is the nearest

    def describe(self) -> str:
        """'20 kg bar + 15 + 2.5 a side', or '20 kg bar, no plates'."""
        bar = f"{format_weight(self.bar)} {self.unit} bar"
        if not self.per_side:
            return f"{bar}, no plates"
        return f"{bar} + {' + '.join(format_weight(p) for p in self.per_side)} a side"


@lru_cache(maxsize=32)
def _side_table(plates: tuple[int, ...], limit: int) -> dict[int, tuple[int, ...]]:
    """Every per-side sum up to `limit` the plates can make, with the fewest plates for it
    (unlimited pairs of each; ties go to heavier plates first, as people load them)."""
    step = math.gcd(*plates)
    best: dict[int, tuple[int, ...]] = {0: ()}
    for total in range(step, limit + 1, step):
        choice = None
        for plate in plates:  # heaviest first
            rest = best.get(total - plate)
            if rest is not None and (choice is None or len(rest) + 1 < len(choice)):
                choice = tuple(sorted((plate, *rest), reverse=True))
        if choice is not None:
            best[total] = choice
    return best


def bar_load(load: float, bar: float, plates: tuple[float, ...], unit: str) -> BarLoad:
    """The plates a side for `load` (in `unit`) on `bar`: exactly, or else the nearest load
    the plates can make (the heavier of two equally near ones; never below the bar)."""
    if not math.isfinite(load) or load < 0:
        raise ValueError(f"load must be a number ≥ 0, not {load!r}")
    scaled = tuple(sorted({round(p * _SCALE) for p in plates}, reverse=True))
    bar_s = round(bar * _SCALE)
    limit_side = round(to_unit(MAX_PLATES_PER_SIDE_KG, unit) * _SCALE)
    table = _side_table(scaled, limit_side)
    want_side = max(0.0, (load * _SCALE - bar_s) / 2)
    if want_side > limit_side:
        raise ValueError(f"{format_weight(load)} {unit} is more than these plates are worked out for")
    side = min(table, key=lambda s: (abs(s - want_side), -s))
    total = (bar_s + 2 * side) / _SCALE
    return BarLoad(total=total, bar=bar, per_side=tuple(p / _SCALE for p in table[side]), unit=unit,
                   exact=abs(total - load) < 0.005)  # a pound load stored in kg comes back a hair off


def round_to_step(value: float, step: float) -> float:
    """The nearest multiple of `step` (halves up), at least one step for a positive value."""
    if step <= 0:
        return value
    n = math.floor(value / step + 0.5 + 1e-9)
    return round(max(1, n) * step, 3) if value > 0 else 0.0


@dataclass(frozen=True)
class LoadRounding:
    """The user's equipment in their unit: bars, plates and the steps of dumbbells and
    machines. Loads go in and out in kilograms (how history stores them)."""

    unit: str = "kg"
    bars: tuple[float, ...] = DEFAULT_BARS["kg"]
    plates: tuple[float, ...] = DEFAULT_PLATES["kg"]
    dumbbell_step: float = DEFAULT_DUMBBELL_STEP["kg"]
    machine_step: float = DEFAULT_MACHINE_STEP["kg"]

    @classmethod
    def from_settings(cls, settings) -> LoadRounding:
        """From a `Settings` (or any mapping with `get`); the values there are already checked."""
        unit = settings.get("units")
        return cls(unit=unit, bars=parse_weights(settings.get(f"bars_{unit}"), "bars"),
                   plates=parse_weights(settings.get(f"plates_{unit}"), "plates"),
                   dumbbell_step=settings.get(f"dumbbell_step_{unit}"),
                   machine_step=settings.get(f"machine_step_{unit}"))

    @property
    def bar(self) -> float:
        return self.bars[0]

    def bar_load(self, load_kg: float) -> BarLoad:
        return bar_load(to_unit(load_kg, self.unit), self.bar, self.plates, self.unit)

    def round_kg(self, load_kg: float | None, kind: LoadKind) -> float | None:
        """`load_kg` as the nearest load this equipment can make (None and 0 stay as they are)."""
        if not load_kg:
            return load_kg
        value = to_unit(load_kg, self.unit)
        if kind == LoadKind.BARBELL:
            made = bar_load(value, self.bar, self.plates, self.unit).total
        elif kind == LoadKind.DUMBBELL:
            made = round_to_step(value, self.dumbbell_step)
        elif kind == LoadKind.MACHINE:
            made = round_to_step(value, self.machine_step)
        else:
            return load_kg
        if abs(made - value) < 1e-3:
            return load_kg  # already a load the equipment makes: keep the stored number as it is
        return from_unit(made, self.unit)

    def next_load(self, value: float, kind: LoadKind, direction: int) -> float | None:
        """The next load up (direction 1) or down (-1) from `value` (in the user's unit) that
        the equipment makes; None when there is no fixed step (free loads) or none below."""
        if kind == LoadKind.BARBELL:
            scaled = tuple(sorted({round(p * _SCALE) for p in self.plates}, reverse=True))
            limit = round(to_unit(MAX_PLATES_PER_SIDE_KG, self.unit) * _SCALE)
            totals = sorted(round(self.bar * _SCALE) + 2 * side for side in _side_table(scaled, limit))
            here = value * _SCALE
            if direction > 0:
                return next((t / _SCALE for t in totals if t > here + 1), None)
            return next((t / _SCALE for t in reversed(totals) if t < here - 1), None)
        step = {LoadKind.DUMBBELL: self.dumbbell_step, LoadKind.MACHINE: self.machine_step}.get(kind)
        if step is None:
            return None
        n = math.floor(value / step + 1e-9) + 1 if direction > 0 else math.ceil(value / step - 1e-9) - 1
        return round(n * step, 3) if n > 0 else None

    def describe_kg(self, load_kg: float | None, kind: LoadKind) -> str:
        """The plates line for the set screen and the log form; empty when not a barbell."""
        if kind != LoadKind.BARBELL or not load_kg:
            return ""
        try:
            made = self.bar_load(load_kg)
        except ValueError:
            return ""
        if made.exact:
            return made.describe()
        return f"nearest {format_weight(made.total)} {self.unit}: {made.describe()}"


def round_suggestion(suggestion, exercise, rounding: LoadRounding):
    """A progression `Suggestion` with its loads rounded to what the equipment makes."""
    from dataclasses import replace

    kind = load_kind(exercise.equipment) if exercise is not None else LoadKind.FREE
    sets = tuple(replace(p, load_kg=rounding.round_kg(p.load_kg, kind)) if p.load_kg else p for p in suggestion.sets)
    return replace(suggestion, sets=sets)
