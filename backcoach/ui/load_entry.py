"""The log form's load box: plain kilograms (or pounds), or for a body-weight exercise the
added weight or the assistance, typed as "+10" or "−20" (units.parse_body_weight_load)."""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QWidget

from backcoach.units import format_body_weight_load, from_unit, parse_body_weight_load, to_unit


class LoadBox(QDoubleSpinBox):
    """A load spin box that, once `set_body_weight_mode(True)`, takes signed values: above
    zero is weight added to the body, below zero is assistance taken off it."""

    def __init__(self, unit: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.unit = unit
        self._signed = False
        self._empty_text = "body weight"
        self.setDecimals(1)
        self.setRange(0, to_unit(1000, unit))
        self.setSuffix(f" {unit}")
        self.setSpecialValueText("body weight")  # shown at the minimum (0)

    def set_empty_text(self, text: str) -> None:
        """What 0 reads as when the box is not signed: "body weight", or "no load" for an
        exercise that takes a weight but has none yet."""
        self._empty_text = text
        if not self._signed:
            self.setSpecialValueText(text)

    @property
    def body_weight_mode(self) -> bool:
        return self._signed

    def set_body_weight_mode(self, on: bool) -> None:
        self._signed = on
        value = self.value()
        if on:
            self.setSpecialValueText("")
            self.setSuffix("")
            self.setRange(-to_unit(1000, self.unit), to_unit(1000, self.unit))
            self.setToolTip("Type +10 for weight added on a belt, −20 for the help of an assisted machine")
        else:
            self.setRange(0, to_unit(1000, self.unit))
            self.setSuffix(f" {self.unit}")
            self.setSpecialValueText(self._empty_text)
            self.setToolTip("")
        self.setValue(max(self.minimum(), value))

    def added_and_assist_kg(self) -> tuple[float | None, float | None]:
        """(added load kg, assistance kg) for the set being logged."""
        value = self.value()
        if not self._signed:
            return (from_unit(value, self.unit) if value > 0 else None), None
        if value > 0:
            return from_unit(value, self.unit), None
        if value < 0:
            return None, from_unit(-value, self.unit)
        return None, None

    # --- signed text -------------------------------------------------------------------
    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        if not self._signed:
            return super().textFromValue(value)
        if value > 0:
            return format_body_weight_load(from_unit(value, self.unit), None, self.unit)
        if value < 0:
            return format_body_weight_load(None, from_unit(-value, self.unit), self.unit)
        return "body weight"

    def valueFromText(self, text: str) -> float:  # noqa: N802
        if not self._signed:
            return super().valueFromText(text)
        try:
            added, assist = parse_body_weight_load(text, self.unit)
        except ValueError:
            return self.value()
        if added:
            return to_unit(added, self.unit)
        if assist:
            return -to_unit(assist, self.unit)
        return 0.0

    def validate(self, text: str, pos: int):  # noqa: D401 - Qt's signature
        if not self._signed:
            return super().validate(text, pos)
        stripped = text.strip()
        if stripped in ("", "+", "-", "\u2212", "b", "bo", "bod", "body", "body ", "body w", "body we", "body wei",
                        "body weig", "body weigh"):
            return QValidator.State.Intermediate, text, pos
        try:
            parse_body_weight_load(text, self.unit)
        except ValueError:
            return QValidator.State.Invalid, text, pos
        return QValidator.State.Acceptable, text, pos
