"""Showing and reading loads in the user's unit. Everything is stored in kilograms."""

from __future__ import annotations

from backcoach.model import LB_PER_KG

UNITS = ("kg", "lb")


def to_unit(kg: float, unit: str) -> float:
    return kg * LB_PER_KG if unit == "lb" else kg


def from_unit(value: float, unit: str) -> float:
    """A load typed in `unit`, in kilograms (rounded to 0.001 kg so lb round-trips)."""
    return round(value / LB_PER_KG, 3) if unit == "lb" else value


def format_load(kg: float | None, unit: str, with_unit: bool = True) -> str:
    """'62.5 kg', '137.8 lb', 'BW' for body weight; no needless trailing zeros."""
    if kg is None:
        return "BW"
    value = to_unit(kg, unit)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text} {unit}" if with_unit else text


def format_step(kg: float, unit: str) -> str:
    """A load step as a lifter adds it: '2 kg', or in pounds the step progression uses
    (whole 5 lb plates pairs: 2 kg is '5 lb', not '4.4 lb')."""
    if unit != "lb":
        return format_load(kg, unit)
    from backcoach.progression import LB_STEP, _round_to  # the rule lives with progression

    return f"{max(LB_STEP, _round_to(to_unit(kg, 'lb'), LB_STEP)):g} lb"


def format_tonnage(kg: float, unit: str) -> str:
    """Large volumes read better rounded: '12,340 kg'."""
    return f"{to_unit(kg, unit):,.0f} {unit}"


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
