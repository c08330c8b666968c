"""Cues through the one mixer: tones and spoken words as preloaded PCM on a single stream.

`MixerCues` satisfies the `Cues` protocol (backcoach.ui.cues) and adds scheduling ahead.

How the session driver should call it, for cues heard on the beat:
- Each time it arms its timer for the next boundary, it calls `expect(upcoming)` with the
  cues of the boundaries it knows, as (monotonic time, kind, args): the next phase
  ("phase", (phase, seconds, rep, side)), the 3-2-1 marks ("countdown", (n,)) and the end of
  the work ("set_finished", ()). The mixer places each on the sample heard at that time; it
  must come at least `AHEAD_NEEDED` seconds early (the sink's buffer and the output latency).
  `expect` is idempotent: what is still expected stays, what no longer is (a pause, a skip,
  an extended rest, the end) is dropped, so the driver needs no bookkeeping. `phase_at`,
  `countdown_at`, `set_finished_at` and `cancel_ahead` do the same one cue at a time.
- At the boundary it calls `phase_changed(...)`, `countdown(n)`, `set_finished()` as the
  `Cues` protocol says: a cue already scheduled for that boundary is not played twice; one
  that was not is played at once, about 215 ms late (the sink's 200 ms buffer and the
  output latency). The driver avoids that: a part started by a key press begins `lead`
  seconds later (the Scheduler's start(at), or skip_phase/skip_rep(at) for the arrow keys
  inside a set, whose `expect` then drops the old boundary's cues), so its first cue is
  scheduled too; `lead` is 0 until the stream has run steadily for SETTLE seconds (the
  Session area opens it early).
- `announce(names)` when a session starts, with the plan's exercise names: they are spoken
  by espeak-ng into clips on a worker thread; `say_name(name, at)` plays one (a tone, once
  per name, where no synthesiser is found). Nothing calls these yet: the session screen
  decides when a name is said.
- `close()` when the session ends: the stream and its thread stop.

Nothing here touches the sound device on the UI thread, and nothing is synthesised on it.
"""

from __future__ import annotations

import threading
import time
import weakref
from enum import StrEnum
from collections.abc import Callable, Iterable
from importlib.resources.abc import Traversable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from backcoach.movement import SegmentKind
from backcoach.mixing import Clip, Mixer, join, pcm_clip, read_wav, volume_gain
from backcoach.ui.cues import GO, NO_AUDIO, SET_FINISHED, SOUND_NAMES, SOUNDS_DIR, TICK, _call, spoken_words
from backcoach.voice import PHRASES, VOICE_DIR, clip_name, espeak, espeak_available, phrases_in

class CueKind(StrEnum):
    """What a boundary brings, in `expect`'s (at, kind, args)."""

    PHASE = "phase"  # args: (phase, seconds, rep, side)
    COUNTDOWN = "countdown"  # args: (n,)
    SET_FINISHED = "set_finished"  # args: ()


AHEAD_NEEDED = 0.35  # seconds: a cue scheduled this far ahead is placed on its sample
# Seconds by which the driver starts a timeline after a key press (or the session's start)
# so its first cue is scheduled too: the sink's 200 ms buffer, PulseAudio's ~22 ms and a
# margin for the audio thread's next read. Measured with bench/cue_timing.py.
LEAD = 0.26
# Seconds a new stream must have run before its clock is trusted for placing cues: in its
# first moments PulseAudio takes frames in bursts (measured with bench/cue_timing.py: a cue
# placed 0.3 s after the start was heard about a second late), then steadily.
SETTLE = 1.5
SAME_BOUNDARY = 0.25  # seconds: a call this close to a cue scheduled ahead is that cue
NAME_FALLBACK_TONE = "get-ready"
NO_VOICE = "Spoken cues are missing (no voice clips found): phases are played as tones and shown on screen."


class MixerCues(QObject):
    """Tones and words through one mixer and one stream; follows the volume, mute and
    spoken-cues settings as they change. `problem` says why nothing (or no voice) is heard."""

    problem_found = Signal(str)  # once, when the first problem is detected
    names_ready = Signal()  # the exercise names given to announce() can be said

    def __init__(self, settings, parent: QObject | None = None, *, sounds_dir: Traversable = SOUNDS_DIR,
                 voice_dir: Traversable = VOICE_DIR, output_factory: Callable[[Mixer], Any] | None = None,
                 synthesise: Callable[[str], tuple[bytes, int, int]] | None = None,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self._clock = clock
        self._settings = settings
        self.mixer = Mixer()
        self._tones: dict[str, Clip] = {}
        self._voice: dict[str, Clip] = {}
        self._names: dict[str, Clip] = {}
        self._names_lock = threading.Lock()
        self._fallback_said: set[str] = set()
        self._synthesise = synthesise if synthesise is not None else (espeak if espeak_available() else None)
        # Cues scheduled ahead: key -> (at, claimed by the call at the boundary).
        self._scheduled: dict[tuple, tuple[float, bool]] = {}
        self._sound_problem: str | None = None
        self._voice_problem: str | None = None
        self._reported = False
        self._last_side: str | None = None  # the side the last spoken rep was on
        self._reporting = False
        self._load(sounds_dir, voice_dir)
        self._output: Any = None  # the AudioOutput while a session sounds (made on the first cue)
        if self._sound_problem is None:
            self._open(output_factory)
        self._apply_volume()
        ref = weakref.ref(self)
        settings.on_change(lambda key, value: _call(ref, "_setting_changed", key, value))
        QTimer.singleShot(0, lambda: _call(ref, "_start_reporting"))

    # --- the Cues protocol: called at the boundary ---------------------------------------
    def phase_changed(self, phase: str, seconds: float, rep: int | None, side: str | None,
                      word: str | None = None) -> None:
        if not self._claim(CueKind.PHASE, phase):
            self._phase(None, phase, seconds, rep, side, word)

    def countdown(self, n: int) -> None:
        if not self._claim(CueKind.COUNTDOWN, n):
            self._countdown(None, n)

    def set_finished(self) -> None:
        if not self._claim(CueKind.SET_FINISHED, None):
            self._play(self._tones.get(SET_FINISHED), None)

    # --- ahead of the boundary -----------------------------------------------------------
    def phase_at(self, at: float, phase: str, seconds: float, rep: int | None = None, side: str | None = None,
                 word: str | None = None) -> None:
        """The cues of a phase beginning at monotonic time `at`."""
        self._ahead(at, CueKind.PHASE, phase, seconds, rep, side, word)

    def countdown_at(self, at: float, n: int) -> None:
        self._ahead(at, CueKind.COUNTDOWN, n)

    def set_finished_at(self, at: float) -> None:
        self._ahead(at, CueKind.SET_FINISHED)

    def expect(self, upcoming: Iterable[tuple[float, str, tuple]]) -> None:
        """What the next boundaries bring, as (at, CueKind, args). Idempotent: a cue already
        scheduled stays as it is, one no longer expected (pause, skip, extend) is dropped."""
        wanted: dict[tuple, tuple[float, str, tuple]] = {}
        for at, kind, args in upcoming:
            wanted[_key(at, kind, args)] = (at, kind, tuple(args))
        for key in [k for k in self._scheduled if k not in wanted and not self._scheduled[k][1]]:
            self.mixer.cancel(key=key)
            del self._scheduled[key]
        for key, (at, kind, args) in wanted.items():
            if key not in self._scheduled:
                self._ahead(at, kind, *args)

    def cancel_ahead(self) -> None:
        """Drop every cue scheduled ahead that has not started (pause, skip, extend, stop)."""
        for key in self._scheduled:
            self.mixer.cancel(key=key)
        self._scheduled.clear()

    def _ahead(self, at: float, kind: str, *args: Any) -> None:
        key = _key(at, kind, args)
        if key in self._scheduled:
            return
        self._scheduled[key] = (at, False)
        if kind == CueKind.PHASE:
            phase, seconds, rep, side, word = (*args, None, None, None)[:5]
            self._phase(at, phase, seconds, rep, side, word, key)
        elif kind == CueKind.COUNTDOWN:
            self._countdown(at, args[0], key)
        else:
            self._play(self._tones.get(SET_FINISHED), at, key)

    # --- exercise names ------------------------------------------------------------------
    def announce(self, names: Iterable[str]) -> None:
        """Synthesise the plan's exercise names on a worker thread (never on this one)."""
        wanted = [n for n in dict.fromkeys(names) if n and n not in self._names]
        if not wanted or self._synthesise is None:
            return
        ref = weakref.ref(self)
        threading.Thread(target=_synthesise_names, args=(ref, self._synthesise, wanted), name="backcoach-names",
                         daemon=True).start()

    def say_name(self, name: str, at: float | None = None) -> None:
        """An exercise name, synthesised by announce(); a tone, once per name, when it is not there."""
        with self._names_lock:
            clip = self._names.get(name)
        if clip is not None and self._settings.get("voice"):
            self._play(clip, at)
        elif name not in self._fallback_said:
            self._fallback_said.add(name)
            self._play(self._tones.get(NAME_FALLBACK_TONE), at)

    # --- state ---------------------------------------------------------------------------
    @property
    def lead(self) -> float:
        """How far ahead of its instant a cue must be known to be heard on it: LEAD once the
        stream runs steadily, 0 before (or with no sound), when nothing can be placed in time."""
        return LEAD if self.ready else 0.0

    @property
    def ready(self) -> bool:
        """True once the stream has taken frames steadily for SETTLE seconds: from then on
        cues are heard on their sample. The Session area opens it early for this."""
        running = getattr(self._output, "running", None)
        if not self.available or running is None or not running.is_set():
            return False
        since = getattr(self._output, "running_since", None)
        return since is None or self._clock() - since >= SETTLE

    @property
    def starting(self) -> bool:
        """True while the stream is opening or settling and will be `ready` soon: a part
        started now would have its cue heard late, so the driver waits (see SessionDriver)."""
        return self.available and self._output is not None and not self.ready

    @property
    def available(self) -> bool:
        """True when tones can be played (voice clips may still be missing)."""
        return self._sound_problem is None and (self._output is None or self._output.problem is None)

    @property
    def problem(self) -> str | None:
        if self._sound_problem:
            return self._sound_problem
        if self._output is not None and self._output.problem:
            return self._output.problem
        if self._settings.get("voice"):
            return self._voice_problem
        return None

    def close(self) -> None:
        """The session has ended: nothing more is played, and the stream and its thread stop
        once the last cue has played out (its tail is not cut)."""
        self.cancel_ahead()
        self.mixer.cancel(after=float("-inf"))
        if self._output is not None:
            self._output.finish()

    # --- inside --------------------------------------------------------------------------
    def _load(self, sounds_dir: Traversable, voice_dir: Traversable) -> None:
        try:
            for name in SOUND_NAMES:
                self._tones[name] = read_wav(sounds_dir / f"{name}.wav", name)
        except (OSError, ValueError) as exc:
            self._sound_problem = f"Sound files are missing or damaged ({exc}): cues are shown on screen only."
            return
        for phrase in PHRASES:
            path = voice_dir / f"{clip_name(phrase)}.wav"
            try:
                self._voice[phrase] = read_wav(path, phrase)
            except (OSError, ValueError):
                continue
        if not self._voice:
            self._voice_problem = NO_VOICE

    def _open(self, output_factory: Callable[[Mixer], Any] | None) -> None:
        try:
            if output_factory is None:
                from backcoach.ui.audio import AudioOutput  # QtMultimedia loads here

                output_factory = AudioOutput
            self._output = output = output_factory(self.mixer)
            # The stream's thread must stop before Qt deletes it: when these cues go (with
            # the window, when the application quits with a session running).
            self.destroyed.connect(lambda *_: output.close())
            output.open()
        except ImportError as exc:
            self._sound_problem = f"Sound is not available ({exc}): cues are shown on screen only."
            self._output = None
        if self._output is not None and self._output.problem and self._sound_problem is None:
            self._sound_problem = self._output.problem or NO_AUDIO

    def _claim(self, kind: str, what: object) -> bool:
        """True when this boundary's cue was already scheduled ahead (and so is not played again)."""
        now = self._clock()
        for key, (at, claimed) in list(self._scheduled.items()):
            if at < now - 5.0:
                del self._scheduled[key]
            elif not claimed and key[0] == kind and key[1] == what and abs(at - now) <= SAME_BOUNDARY:
                self._scheduled[key] = (at, True)
                return True
        return False

    def _phase(self, at: float | None, phase: str, seconds: float, rep: int | None = None,
               side: str | None = None, word: str | None = None, key: object = None) -> None:
        """A part's tone and its word; the side is named when a rep starts on a new side.
        Called in time order (ahead, or at the boundary when nothing was scheduled)."""
        self._play(self._tones.get(phase), at, key)
        working = rep is not None or phase == SegmentKind.HOLD
        new_side = side if working and side and side != self._last_side else None
        self._last_side = side if working else None  # after a switch, a rest or a get-ready: name it again
        words = spoken_words(phase, seconds, word, new_side) or phase.replace("-", " ")
        self._say(words, at, key)

    def _countdown(self, at: float | None, n: int, key: object = None) -> None:
        if n > 0:
            self._play(self._tones.get(TICK), at, key)
            self._say(str(n), at, key)
        else:
            self._play(self._tones.get(GO), at, key)

    def _say(self, text: str, at: float | None, key: object = None) -> None:
        if not self._settings.get("voice"):
            return
        clips = [self._voice[p] for p in phrases_in(text) if p in self._voice]
        if clips:
            self._play(clips[0] if len(clips) == 1 else join(clips, text), at, key)

    def _play(self, clip: Clip | None, at: float | None, key: object = None) -> None:
        if clip is None or not self.available or self._settings.get("muted"):
            return
        self.mixer.schedule(clip, at, key=key)

    def _apply_volume(self) -> None:
        self.mixer.gain = volume_gain(self._settings.get("sound_volume"))
        self.mixer.muted = bool(self._settings.get("muted"))

    def _setting_changed(self, key: str, value: Any) -> None:
        if key in ("sound_volume", "muted"):
            self._apply_volume()
            if key == "muted" and value:
                self.cancel_ahead()
        elif key == "voice" and value:
            self._report()

    def _start_reporting(self, tries: int = 50) -> None:
        """Report a problem once the stream has opened (it opens on its own thread without
        holding up this one), looking again every 0.1 s for up to 5 s."""
        self._reporting = True
        opened = getattr(self._output, "opened", None)
        if opened is not None and not opened.is_set() and tries > 0:
            ref = weakref.ref(self)
            QTimer.singleShot(100, lambda: _call(ref, "_start_reporting", tries - 1))
            return
        self._report()

    def _report(self) -> None:
        problem = self.problem
        if problem and self._reporting and not self._reported:
            self._reported = True
            self.problem_found.emit(problem)


def _key(at: float, kind: str, args: tuple) -> tuple:
    """A cue scheduled ahead: (kind, what, at to the tenth of a millisecond)."""
    what = args[0] if kind in (CueKind.PHASE, CueKind.COUNTDOWN) and args else None
    return (str(kind), what, round(at, 4))


def _synthesise_names(ref: weakref.ref, synthesise: Callable[[str], tuple[bytes, int, int]], names: list[str]) -> None:
    """The worker: each name to a clip, handed over under the lock; failures leave the tone."""
    done = False
    for name in names:
        try:
            data, rate, channels = synthesise(name)
            clip = pcm_clip(name, data, rate, channels)
        except Exception:  # noqa: BLE001 - a name that cannot be said falls back to a tone
            continue
        cues = ref()
        if cues is None:
            return
        if len(clip.samples):
            with cues._names_lock:
                cues._names[name] = clip
                done = True
    cues = ref()
    if cues is not None and done:
        try:
            cues.names_ready.emit()
        except RuntimeError:
            pass


__all__ = ["MixerCues", "CueKind", "AHEAD_NEEDED", "LEAD", "NO_VOICE", "SETTLE"]
