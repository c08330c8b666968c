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


_MINUS = ("-", "\u2212", "\u2013")  # hyphen, minus sign, en dash: whatever the keyboard gives


def parse_body_weight_load(text: str, unit: str) -> tuple[float | None, float | None]:
    """What a lifter types for a body-weight exercise, as (added kg, assistance kg).

    "+10" or "10" is 10 added (a belt), "−20" or "-20" is 20 of assistance (a machine or
    counterweight), "", "0" or "bw" is body weight alone. Raises ValueError with the reason.
    """
    from backcoach.model import MAX_LOAD_KG

    clean = " ".join(text.replace(unit, " ").replace("kg", " ").replace("lb", " ").split()).casefold()
    if clean in ("", "0", "+0", "bw", "body weight", "bodyweight"):
        return None, None
    sign = 1.0
    if clean[0] == "+":
        clean = clean[1:].strip()
    elif clean[0] in _MINUS:
        sign, clean = -1.0, clean[1:].strip()
    try:
        value = float(clean.replace(",", "."))
    except ValueError:
        raise ValueError(f"{text!r} is not a load: type +10 for added weight or −20 for assistance") from None
    if not value == value or value in (float("inf"), float("-inf")) or value < 0:
        raise ValueError(f"{text!r} is not a load: type +10 for added weight or −20 for assistance")
    kg = from_unit(value, unit)
    if kg > MAX_LOAD_KG:
        raise ValueError(f"{text!r} is more than {MAX_LOAD_KG:g} kg")
    if kg == 0:
        return None, None
    return (kg, None) if sign > 0 else (None, kg)


def format_body_weight_load(added_kg: float | None, assist_kg: float | None, unit: str) -> str:
    """'+10 kg', '−20 kg' or 'body weight': the other way round from parse_body_weight_load."""
    if added_kg:
        return "+" + format_load(added_kg, unit)
    if assist_kg:
        return "\u2212" + format_load(assist_kg, unit)
    return "body weight"
