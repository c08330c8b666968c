"""Every setting, declared once: its type, default, allowed values and description.

The Settings view is generated from these declarations, and values are checked against them
on the way in, so a hand-edited or imported settings record can never put an absurd value
into the app. Changes are announced to listeners (the UI wraps this in one Qt signal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backcoach.rules import frequency_text
from backcoach.tempo import Tempo, TempoError


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    label: str
    description: str
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    minimum: float | None = None
    maximum: float | None = None
    suffix: str = ""

    def check(self, value: Any) -> Any:
        """The value if acceptable (ints accepted for floats), else ValueError saying why."""
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, self.type) or (self.type is not bool and isinstance(value, bool)):
            raise ValueError(f"{self.label}: expected {self.type.__name__}, got {value!r}")
        if self.choices and value not in {c for c, _ in self.choices}:
            raise ValueError(f"{self.label}: {value!r} is not one of {', '.join(c for c, _ in self.choices)}")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{self.label}: at least {self.minimum:g}{self.suffix}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{self.label}: at most {self.maximum:g}{self.suffix}")
        if self.key == "default_tempo":
            try:
                Tempo.parse(value)
            except TempoError as exc:
                raise ValueError(f"{self.label}: {exc}") from None
        return value


SETTINGS: tuple[Setting, ...] = (
    Setting("units", str, "kg", "Units", "Loads are shown and typed in this unit; history is stored in kg.",
            choices=(("kg", "Kilograms (kg)"), ("lb", "Pounds (lb)"))),
    Setting("level", str, "beginner", "Training level",
            f"Guides how often a routine should train the back: {frequency_text()}.",
            choices=(("beginner", "Beginner"), ("intermediate", "Intermediate"), ("advanced", "Advanced"))),
    Setting("default_tempo", str, "3-2-1-2", "Default tempo",
            "Used for exercises without their own: lower–pause–pull–squeeze in seconds (X = explosive)."),
    Setting("default_rest_seconds", int, 0, "Default rest",
            "Rest for exercises you add to a routine and for “Start now” sessions; 0 keeps each "
            "exercise's recommended rest.",
            minimum=0, maximum=900, suffix=" s"),
    Setting("get_ready_seconds", int, 5, "Get ready", "Countdown before each set starts.",
            minimum=0, maximum=30, suffix=" s"),
    Setting("auto_start_next", bool, True, "Start the next set by itself",
            "When the rest ends, the next set's get-ready begins on its own; off: it waits for Enter."),
    Setting("sound_volume", int, 80, "Sound volume", "Volume of the tones and the spoken cues.",
            minimum=0, maximum=100, suffix=" %"),
    Setting("muted", bool, False, "Mute", "Silence every sound; the display still shows each cue."),
    Setting("voice", bool, True, "Spoken cues", "Say each part of the rep (pull, hold, lower…) as well as playing a tone."),
    Setting("voice_name", str, "", "Voice", "The speech voice to use; empty for the system's default."),
    Setting("theme", str, "system", "Theme", "Light or dark, or follow the desktop.",
            choices=(("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))),
)

BY_KEY = {s.key: s for s in SETTINGS}


class Settings:
    """The user's settings, saved in the store; unknown or invalid saved values fall back to
    their default (and are reported in `ignored`)."""

    def __init__(self, store):
        self.store = store
        self.ignored: list[str] = []
        self._values: dict[str, Any] = {}
        saved = store.settings() if store is not None else {}
        for setting in SETTINGS:
            if setting.key in saved:
                try:
                    self._values[setting.key] = setting.check(saved[setting.key])
                except ValueError as exc:
                    self.ignored.append(str(exc))
        self._listeners: list[Callable[[str, Any], None]] = []

    def get(self, key: str) -> Any:
        return self._values.get(key, BY_KEY[key].default)

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def set(self, key: str, value: Any) -> None:
        """Check, save (durably) and announce a new value."""
        value = BY_KEY[key].check(value)
        if self.get(key) == value:
            return
        values = {**self._values, key: value}
        if self.store is not None:
            self.store.save_settings(values)
        self._values = values
        for listener in list(self._listeners):
            listener(key, value)

    def on_change(self, listener: Callable[[str, Any], None]) -> None:
        self._listeners.append(listener)

    def values(self) -> dict[str, Any]:
        return {s.key: self.get(s.key) for s in SETTINGS}
