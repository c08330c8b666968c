"""Every setting, declared once: its type, default, allowed values and description.

The Settings view is generated from these declarations, and values are checked against them
on the way in, so a hand-edited or imported settings record can never put an absurd value
into the app. Changes are announced to listeners (the UI wraps this in one Qt signal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import json
from typing import Any, Protocol

from backcoach.plates import (
    DEFAULT_BARS,
    DEFAULT_DUMBBELL_STEP,
    DEFAULT_MACHINE_STEP,
    DEFAULT_PLATES,
    format_weight,
    parse_weights,
)
from backcoach.rules import frequency_text
from backcoach.tempo import Tempo, TempoError
from backcoach.validation import is_int


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
    hidden: bool = False  # remembered state (the window's place), not shown in the Settings area

    def check(self, value: Any) -> Any:
        """The value if acceptable (ints accepted for floats), else ValueError saying why."""
        if self.type is float and is_int(value):
            value = float(value)
        if not isinstance(value, self.type) or (self.type is not bool and isinstance(value, bool)):
            raise ValueError(f"{self.label}: expected {self.type.__name__}, got {value!r}")
        checked: Any = value  # its type is self.type from here on (isinstance narrows to object)
        if self.choices and checked not in {c for c, _ in self.choices}:
            raise ValueError(f"{self.label}: {checked!r} is not one of {', '.join(c for c, _ in self.choices)}")
        if self.minimum is not None and checked < self.minimum:
            raise ValueError(f"{self.label}: at least {self.minimum:g}{self.suffix}")
        if self.maximum is not None and checked > self.maximum:
            raise ValueError(f"{self.label}: at most {self.maximum:g}{self.suffix}")
        if self.key == "default_tempo":
            try:
                Tempo.parse(checked)
            except TempoError as exc:
                raise ValueError(f"{self.label}: {exc}") from None
        if self.key.startswith(("bars_", "plates_")):
            try:
                parse_weights(checked, "bars" if self.key.startswith("bars_") else "plates")
            except ValueError as exc:
                raise ValueError(f"{self.label}: {str(exc).split(': ', 1)[-1]}") from None
        if self.key == "pedal_key" and checked and checked not in PEDAL_KEYS:
            raise ValueError(f"{self.label}: {checked!r} is not a key name (e.g. F13, F5, B, Enter)")
        if self.key == "window_state" and checked:
            try:
                ok = isinstance(json.loads(checked), dict)
            except ValueError:
                ok = False
            if not ok:
                raise ValueError(f"{self.label}: not a saved window place")
        return checked


def _weights(values: tuple[float, ...]) -> str:
    return " ".join(format_weight(v) for v in values)


# Keys a USB foot pedal or a clicker can be set to send, by the names Qt gives them
# (QKeySequence). Letters and digits, F1–F24, and the usual named keys.
PEDAL_KEYS: frozenset[str] = frozenset(
    [chr(c) for c in range(ord("A"), ord("Z") + 1)] + [str(d) for d in range(10)]
    + [f"F{n}" for n in range(1, 25)]
    + ["Space", "Return", "Enter", "Tab", "Backspace", "PgDown", "PgUp", "Home", "End", "Insert", "Del",
       "Up", "Down", "Left", "Right", "Media Play", "Media Pause", "Toggle Media Play/Pause", "Media Next",
       "Media Previous", "Volume Up", "Volume Down", "ScrollLock", "Pause"]
)


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
    # --- the gym floor: plates and load steps, per unit ---
    Setting("bars_kg", str, _weights(DEFAULT_BARS["kg"]), "Bars (kg)",
            "Your barbells in kilograms, separated by spaces; the first is the one loads are worked out on."),
    Setting("plates_kg", str, _weights(DEFAULT_PLATES["kg"]), "Plates (kg)",
            "The plates you have in kilograms (a pair of each at least); barbell loads are rounded to what they make."),
    Setting("bars_lb", str, _weights(DEFAULT_BARS["lb"]), "Bars (lb)",
            "Your barbells in pounds, separated by spaces; the first is the one loads are worked out on."),
    Setting("plates_lb", str, _weights(DEFAULT_PLATES["lb"]), "Plates (lb)",
            "The plates you have in pounds (a pair of each at least); barbell loads are rounded to what they make."),
    Setting("dumbbell_step_kg", float, DEFAULT_DUMBBELL_STEP["kg"], "Dumbbell step (kg)",
            "How far apart your dumbbells and kettlebells are in kilograms; their loads are rounded to it.",
            minimum=0.5, maximum=10, suffix=" kg"),
    Setting("dumbbell_step_lb", float, DEFAULT_DUMBBELL_STEP["lb"], "Dumbbell step (lb)",
            "How far apart your dumbbells and kettlebells are in pounds; their loads are rounded to it.",
            minimum=1, maximum=20, suffix=" lb"),
    Setting("machine_step_kg", float, DEFAULT_MACHINE_STEP["kg"], "Machine step (kg)",
            "The step of your cable stacks and machines in kilograms; their loads are rounded to it.",
            minimum=0.5, maximum=20, suffix=" kg"),
    Setting("machine_step_lb", float, DEFAULT_MACHINE_STEP["lb"], "Machine step (lb)",
            "The step of your cable stacks and machines in pounds; their loads are rounded to it.",
            minimum=1, maximum=40, suffix=" lb"),
    # --- the gym floor: hands-free control and alerts ---
    Setting("pedal_key", str, "", "Foot pedal key",
            "The key your USB foot pedal sends (e.g. F13 or B); empty for none. Page Down, Page Up, B, "
            "the full stop and the media keys always work."),
    Setting("pedal_action", str, "next", "Foot pedal does",
            "What pressing the pedal does during a session.",
            choices=(("next", "Done / next"), ("pause", "Pause / resume"), ("back", "Back"))),
    Setting("alerts_outside", bool, True, "Alerts outside the window",
            "While a session runs: a tray icon with the time left, and a notification with its own sound when "
            "a rest ends while BackCoach is not in front."),
    Setting("raise_at_rest_end", bool, True, "Bring the window to the front",
            "When a rest ends and the desktop has no tray, bring the BackCoach window to the front."),
    Setting("flash_at_rest_end", bool, False, "Flash the screen",
            "Flash the whole session screen when a rest ends, for noisy gyms."),
    # --- remembered, not chosen ---
    Setting("window_state", str, "", "Window place",
            "Where the window was, its size, whether it was maximised and the last area, as JSON.", hidden=True),
)

BY_KEY = {s.key: s for s in SETTINGS}


class SettingsStore(Protocol):
    """Where settings are kept (`backcoach.store.Store`): one object of simple values."""

    def settings(self) -> dict[str, Any]: ...

    def save_settings(self, values: dict[str, Any]) -> None: ...


class Settings:
    """The user's settings, saved in the store; unknown or invalid saved values fall back to
    their default (and are reported in `ignored`)."""

    def __init__(self, store: SettingsStore):
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
