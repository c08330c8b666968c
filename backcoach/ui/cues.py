"""Audio cues for guided sessions: a tone for every phase, spoken words, a 3-2-1 countdown.

The session talks to a `Cues`. `QtCues` plays the WAVs in assets/sounds/ (made by
scripts/make_sounds.py) with QSoundEffect and speaks through QTextToSpeech. Both Qt modules
are imported inside its constructor, when a session starts, never at start-up.

Sound is a bonus, never a requirement: with no audio device, a sound that will not load or no
working speech engine, QtCues plays nothing, says why in `problem` (and once through
`problem_found`), and the session carries on with its visual cues. Nothing here raises.
`SilentCues` makes no sound (screenshots); tests/helpers/cues.py's `FakeCues` records the calls.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from importlib.resources.abc import Traversable
from typing import Any, Protocol, TypeVar, runtime_checkable

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

from backcoach.movement import DEFAULT_MOVEMENT, SegmentKind
from backcoach.resources import ASSETS_DIR, real_path

SOUNDS_DIR = ASSETS_DIR / "sounds"
# One tone per kind of part, so the ear knows a lift from a lowering whatever the word is.
PHASE_SOUNDS = tuple(str(kind) for kind in SegmentKind)
TICK, GO, SET_FINISHED = "countdown-tick", "countdown-go", "set-finished"
SOUND_NAMES = (*PHASE_SOUNDS, TICK, GO, SET_FINISHED)

NO_AUDIO = "No audio device found: cues are shown on screen only."
NO_SPEECH = "No speech engine found: phases are played as tones and shown on screen, but not spoken."
MOCK_ENGINE = "mock"  # Qt's test engine: it says nothing, so it never counts as a voice


def spoken_words(phase: str, seconds: float | None = None, word: str | None = None,
                 new_side: str | None = None) -> str | None:
    """What is said when a part begins: its word as shown ('pull', 'step up', 'switch sides'),
    the side first when a rep starts on a new side ('right, reach'), and how long a rest is
    ('rest, 90 seconds', 'rest, 2 minutes')."""
    try:
        kind = SegmentKind(phase)
    except ValueError:
        return None
    words = (word or DEFAULT_MOVEMENT.word(kind)).lower()
    if new_side:
        words = f"{new_side}, {words}"
    if kind is SegmentKind.REST and seconds:
        s = round(seconds)
        if s >= 120 and s % 60 == 0:
            words = f"rest, {s // 60} minutes"
        elif s >= 120 and s % 60 == 30:
            words = f"rest, {s // 60} and a half minutes"
        elif s > 0:
            words = f"rest, {s} seconds" if s != 1 else "rest, 1 second"
    return words


@runtime_checkable
class Cues(Protocol):
    """What a guided session tells its cues. `available` is False and `problem` says why
    when nothing can be heard; the session then relies on what it shows."""

    available: bool
    problem: str | None

    def phase_changed(self, phase: str, seconds: float, rep: int | None, side: str | None,
                      word: str | None = None) -> None: ...

    def countdown(self, n: int) -> None: ...  # 3, 2, 1 in the last seconds of rests and holds; 0 = go

    def set_finished(self) -> None: ...


class SilentCues:
    """Cues that make no sound: `backcoach screenshot` renders a session with these (the
    screen alone shows the phase). tests/helpers/cues.py's FakeCues records the calls."""

    def __init__(self, available: bool = True, problem: str | None = None):
        self.available = available
        self.problem = problem

    def phase_changed(self, phase: str, seconds: float, rep: int | None, side: str | None,
                      word: str | None = None) -> None:
        pass

    def countdown(self, n: int) -> None:
        pass

    def set_finished(self) -> None:
        pass


def _make_speech(parent: QObject | None, engine: str | None) -> tuple[Any | None, str | None]:
    """A working QTextToSpeech and None, or None and why there is none. `engine` None means
    the platform's preferred engine, then any other real one."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as exc:  # a PySide6 build without the Addons
        return None, f"Speech is not available ({exc}): phases are played as tones and shown on screen."
    if engine is not None:
        candidates: list[str | None] = [engine]
    else:
        real = [e for e in QTextToSpeech.availableEngines() if e != MOCK_ENGINE]
        if not real:
            return None, NO_SPEECH
        candidates = [None, *real]
    reason = None
    for name in candidates:
        tts = QTextToSpeech(name, parent) if name is not None else QTextToSpeech(parent)
        if tts.state() != QTextToSpeech.State.Error and (engine is not None or tts.engine() != MOCK_ENGINE):
            return tts, None
        reason = reason or tts.errorString()
        tts.deleteLater()
    detail = f" ({reason})" if reason else ""
    return None, f"The speech engine could not start{detail}: phases are played as tones and shown on screen."


def available_voices() -> list[str]:
    """The names of the system's speech voices, for the Settings view (empty without an
    engine). Imports QtTextToSpeech: call it when the list is about to be shown."""
    tts, _ = _make_speech(None, None)
    if tts is None:
        return []
    try:
        return _voice_names(tts)
    finally:
        tts.deleteLater()


def _voice_names(tts: Any) -> list[str]:
    names: list[str] = []
    for voice in tts.availableVoices():
        if voice.name() and voice.name() not in names:
            names.append(voice.name())
    return names


def _call(ref: weakref.ref, method: str, *args: Any) -> None:
    """Call a QtCues method through a weak reference (settings listeners and Qt connections
    must not keep it alive), doing nothing once it, or its Qt side, is gone."""
    cues = ref()
    if cues is not None:
        try:
            getattr(cues, method)(*args)
        except RuntimeError:  # "Internal C++ object already deleted"
            pass


_F = TypeVar("_F", bound=Callable[..., None])


def _quietly(method: _F) -> _F:
    """A cue must never break a session: a call after the Qt objects were deleted (the
    window closing under a running session) does nothing."""

    @functools.wraps(method)
    def wrapper(self, *args: Any) -> None:
        try:
            method(self, *args)
        except RuntimeError:  # "Internal C++ object already deleted"
            pass

    return wrapper  # type: ignore[return-value]  # same signature as `method`; mypy cannot see it through wraps


class QtCues(QObject):
    """Tones through QSoundEffect and words through QTextToSpeech, following the volume,
    mute, spoken-cues and voice settings as they change."""

    problem_found = Signal(str)  # once, when the first problem is detected

    def __init__(self, settings, parent: QObject | None = None, *, engine: str | None = None,
                 sounds_dir: Traversable = SOUNDS_DIR):
        super().__init__(parent)
        self._settings = settings
        self._engine = engine  # a speech engine by name (tests use Qt's "mock"); None = best
        self._effects: dict[str, Any] = {}
        self._sound_problem: str | None = None
        self._speech_problem: str | None = None
        self._tts: Any = None  # a QTextToSpeech once speech works (_speech_works checks before each use)
        self._speech_tried = False
        self._default_voice: Any | None = None
        self._reported = False
        self._reporting = False  # problems found while constructing are told just after
        self._last_side: str | None = None  # the side last spoken, so a new side is named once
        ref = weakref.ref(self)
        self._ref = ref
        self._load_sounds(sounds_dir)
        if settings.get("voice"):
            self._start_speech()
        self._apply_volume()

        settings.on_change(lambda key, value: _call(ref, "_setting_changed", key, value))
        # Problems found while constructing are told once the caller has had a chance to
        # connect problem_found (and can be read from `problem` at once).
        QTimer.singleShot(0, lambda: _call(ref, "_start_reporting"))

    # --- what the session calls -------------------------------------------------------
    @_quietly
    def phase_changed(self, phase: str, seconds: float, rep: int | None, side: str | None,
                      word: str | None = None) -> None:
        if phase in PHASE_SOUNDS:
            self._play(phase)
        working = rep is not None or phase == SegmentKind.HOLD
        new_side = side if working and side and side != self._last_side else None
        self._last_side = side if working else None  # after a switch, a rest or a get-ready: name it again
        words = spoken_words(phase, seconds, word, new_side)
        if words:
            self._say(words)

    @_quietly
    def countdown(self, n: int) -> None:
        if n > 0:
            self._play(TICK)
            self._say(str(n))
        else:
            self._play(GO)

    @_quietly
    def set_finished(self) -> None:
        self._play(SET_FINISHED)

    # --- state ------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        """True when tones can be played (the speech engine may still be missing)."""
        return self._sound_problem is None

    @property
    def problem(self) -> str | None:
        """Why some or all cues cannot be heard; None when all is well. A missing speech
        engine only counts while spoken cues are on."""
        if self._sound_problem:
            return self._sound_problem
        if self._settings.get("voice"):
            return self._speech_problem
        return None

    def voices(self) -> list[str]:
        """The speech voices to choose from (empty without an engine)."""
        self._start_speech()
        return _voice_names(self._tts) if self._tts is not None else []

    # --- sounds -----------------------------------------------------------------------
    def _load_sounds(self, sounds_dir: Traversable) -> None:
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:
            self._sound_problem = f"Sound is not available ({exc}): cues are shown on screen only."
            return
        if not QMediaDevices.audioOutputs():
            self._sound_problem = NO_AUDIO
            return
        missing = [n for n in SOUND_NAMES if not (sounds_dir / f"{n}.wav").is_file()]
        if missing:
            self._sound_problem = (f"Sound files are missing ({', '.join(missing)} in {sounds_dir}): "
                                   "cues are shown on screen only.")
            return
        ref = self._ref
        for name in SOUND_NAMES:
            effect = QSoundEffect(self)
            effect.statusChanged.connect(lambda name=name, effect=effect: _call(ref, "_check_effect", name, effect))
            effect.setSource(QUrl.fromLocalFile(str(real_path(sounds_dir / f"{name}.wav"))))
            self._effects[name] = effect
            self._check_effect(name, effect)

    def _check_effect(self, name: str, effect: Any) -> None:
        if self._sound_problem is None and effect.status() == effect.Status.Error:
            self._sound_problem = ("Sounds cannot be played on this audio device "
                                   f"({name}.wav would not load): cues are shown on screen only.")
            self._stop_speaking()
            self._report()

    def _play(self, name: str) -> None:
        if not self.available or self._settings.get("muted"):
            return
        effect = self._effects.get(name)
        if effect is None or effect.status() == effect.Status.Error:
            return
        effect.play()

    # --- speech -----------------------------------------------------------------------
    def _start_speech(self) -> None:
        if self._speech_tried:
            return
        self._speech_tried = True
        self._tts, self._speech_problem = _make_speech(self, self._engine)
        if self._tts is None:
            self._report()
            return
        self._default_voice = self._tts.voice()
        self._tts.stateChanged.connect(self._speech_state_changed)
        self._apply_voice()
        self._apply_volume()

    def _speech_state_changed(self, state: Any) -> None:
        if self._tts is not None and state == self._tts.State.Error and self._speech_problem is None:
            detail = self._tts.errorString()
            self._speech_problem = (f"Speech stopped working{f' ({detail})' if detail else ''}: "
                                    "phases are played as tones and shown on screen.")
            self._report()

    def _speech_works(self) -> bool:
        return self._tts is not None and self._speech_problem is None and self._tts.state() != self._tts.State.Error

    def _say(self, text: str) -> None:
        settings = self._settings
        if not self.available or settings.get("muted") or not settings.get("voice"):
            return
        if self._speech_works():
            self._tts.say(text)  # stops whatever was still being said

    def _stop_speaking(self) -> None:
        if self._speech_works():
            self._tts.stop()

    def _apply_voice(self) -> None:
        if self._tts is None:
            return
        wanted = self._settings.get("voice_name")
        voice = next((v for v in self._tts.availableVoices() if wanted and v.name() == wanted), None)
        voice = voice or self._default_voice
        if voice is not None and voice.name() and voice.name() != self._tts.voice().name():
            self._tts.setVoice(voice)

    # --- settings ---------------------------------------------------------------------
    def _volume(self) -> float:
        """The volume setting (0-100, as the ear hears it) as a linear gain 0.0-1.0."""
        level = max(0, min(100, int(self._settings.get("sound_volume")))) / 100
        try:
            from PySide6.QtMultimedia import QtAudio

            scale = QtAudio.VolumeScale
            return float(QtAudio.convertVolume(level, scale.LogarithmicVolumeScale, scale.LinearVolumeScale))
        except ImportError:
            return level ** 2 if level < 1 else 1.0

    def _apply_volume(self) -> None:
        gain = self._volume()
        muted = bool(self._settings.get("muted"))
        for effect in self._effects.values():
            effect.setVolume(gain)
            effect.setMuted(muted)
        if self._speech_works():
            # Engines take their own 0-1 scale, roughly as heard: use the setting directly.
            self._tts.setVolume(max(0, min(100, int(self._settings.get("sound_volume")))) / 100)

    def _setting_changed(self, key: str, value: Any) -> None:
        if key in ("sound_volume", "muted"):
            self._apply_volume()
            if key == "muted" and value:
                self._stop_speaking()
        elif key == "voice":
            if value:
                self._start_speech()
                self._report()
            else:
                self._stop_speaking()
        elif key == "voice_name":
            self._apply_voice()

    def _start_reporting(self) -> None:
        self._reporting = True
        self._report()

    def _report(self) -> None:
        problem = self.problem
        if problem and self._reporting and not self._reported:
            self._reported = True
            self.problem_found.emit(problem)


__all__ = ["Cues", "SilentCues", "QtCues", "available_voices", "spoken_words", "SOUNDS_DIR", "SOUND_NAMES",
           "NO_AUDIO", "NO_SPEECH"]
