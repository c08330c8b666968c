"""The cue mixer's arithmetic, without Qt: clips as PCM, cues placed at a sample offset, summed
and clipped into the blocks an audio stream asks for.

Why a mixer of our own: one output stream that never stops means no stream start-up per cue,
no stale fragment of the previous cue, no cut tails (a clip plays to its last sample even when
the next one starts) and a place to line cues up with the monotonic clock to the sample.

Time: `StreamClock` maps a frame of the stream to the monotonic instant it reaches the speaker
(`heard_at`), from observations of how much the device has consumed plus the output latency
measured by the cue benchmark. The mixer places a cue due at `at` on the frame heard at `at`;
a cue asked for too late to be placed on time starts at once (and says how late it was).

Everything here is plain Python and numpy; `backcoach.ui.audio` feeds it to the device on a
thread of its own. Samples are float32 in -1..1 until `to_int16` at the very end.
"""

from __future__ import annotations

import math
import threading
import wave
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np

RATE = 44_100  # frames a second of the one output stream (mono)
# PulseAudio's own latency after Qt has handed it the samples, as measured end to end by
# bench/cue_timing.py on a null sink (recorded onset minus the moment the frame left Qt's
# buffer). Cues are started this much earlier so they are heard on the boundary.
DEFAULT_OUTPUT_LATENCY = 0.017
# Seconds of observations the stream clock takes its earliest from: longer than a late
# wake-up of the audio thread, shorter than the time from rendering a cue to hearing it after
# the device skipped (an underrun really does shift every later frame).
CLOCK_WINDOW = 0.25


@dataclass(frozen=True)
class Clip:
    """A sound the mixer can play: mono float32 samples at RATE, ready to add."""

    name: str
    samples: np.ndarray

    @property
    def seconds(self) -> float:
        return len(self.samples) / RATE


def volume_gain(level: float) -> float:
    """The volume setting (0-100, as the ear hears it) as a linear gain 0-1: the curve of Qt's
    QtAudio.convertVolume(Logarithmic -> Linear), computed here so no Qt module is loaded."""
    v = max(0.0, min(100.0, float(level))) / 100
    return 1.0 if v >= 1 else -math.log(1 - v) / math.log(100)


def resample(samples: np.ndarray, from_rate: int, to_rate: int = RATE) -> np.ndarray:
    """Linear-interpolation resampling: plenty for tones and speech, and exact when the rates match."""
    samples = np.asarray(samples, dtype=np.float32)
    if from_rate == to_rate or len(samples) == 0:
        return samples.copy()
    count = max(1, round(len(samples) * to_rate / from_rate))
    positions = np.arange(count, dtype=np.float64) * (from_rate / to_rate)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


def pcm16_to_float(data: bytes, channels: int = 1) -> np.ndarray:
    """Little-endian 16-bit PCM (interleaved when `channels` > 1) as mono float32."""
    samples = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
    return samples


def to_int16(samples: np.ndarray) -> bytes:
    """Float samples as little-endian 16-bit PCM, clipped so a loud sum never wraps around."""
    clipped = np.clip(samples, -1.0, 32767 / 32768)
    return (np.round(clipped * 32768.0)).astype("<i2").tobytes()


def read_wav(path: Path | Traversable, name: str | None = None) -> Clip:
    """A 16-bit PCM WAV (any rate, mono or stereo) as a Clip at RATE. Raises ValueError with
    the file named when it is not one. Read through `open`, so a wheel's zip works too."""
    try:
        with path.open("rb") as fh, wave.open(fh, "rb") as wav:
            if wav.getsampwidth() != 2:
                raise ValueError(f"{path.name}: 16-bit PCM expected, got {8 * wav.getsampwidth()}-bit")
            channels, rate = wav.getnchannels(), wav.getframerate()
            data = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as exc:
        raise ValueError(f"{path.name}: not a readable WAV file ({exc})") from exc
    return Clip(name or path.name.rsplit(".", 1)[0], resample(pcm16_to_float(data, channels), rate))


def pcm_clip(name: str, data: bytes, rate: int, channels: int = 1) -> Clip:
    """Speech synthesised to 16-bit PCM in memory, as a Clip trimmed to its first sound."""
    return Clip(name, trim_lead_in(resample(pcm16_to_float(data, channels), rate)))


def trim_lead_in(samples: np.ndarray, threshold: float = 0.01, keep: int = 0) -> np.ndarray:
    """The samples from the first one louder than `threshold` (less `keep` samples before it),
    so a word starts at sample 0 instead of after a speech engine's silent lead-in; trailing
    silence goes too. Silence stays silence (empty)."""
    samples = np.asarray(samples, dtype=np.float32)
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if len(loud) == 0:
        return samples[:0]
    return samples[max(0, loud[0] - keep): loud[-1] + 1]


def join(clips: Iterable[Clip], name: str, gap: float = 0.06) -> Clip:
    """Clips one after the other with `gap` seconds between them ("rest" + "90 seconds")."""
    parts: list[np.ndarray] = []
    silence = np.zeros(round(gap * RATE), dtype=np.float32)
    for clip in clips:
        if parts:
            parts.append(silence)
        parts.append(clip.samples)
    return Clip(name, np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32))


class StreamClock:
    """Which monotonic instant a frame of the stream is heard at.

    Each `observe(now, consumed)` says that by `now` the device had taken `consumed` frames,
    so frame f leaves for the speaker at about now - consumed / RATE + f / RATE, and is heard
    `latency` later. An observation can only be late (the audio thread woke late, the device
    took a chunk early), never early, so the estimate is the earliest of the last `window`
    seconds of observations: one late wake-up moves nothing, while a real shift (the device
    ran dry and played silence) and a slow drift between the sound card's clock and the
    monotonic clock (a few hundred ppm) are followed within the window."""

    def __init__(self, latency: float = DEFAULT_OUTPUT_LATENCY, window: float = CLOCK_WINDOW):
        self.latency = latency
        self.window = window
        self._recent: deque[tuple[float, float]] = deque()  # (now, origin), origins increasing
        self._origin: float | None = None  # monotonic time at which frame 0 left for the speaker

    @property
    def running(self) -> bool:
        return self._origin is not None

    def observe(self, now: float, consumed: int) -> None:
        if consumed <= 0:
            return  # the device has not started taking frames: nothing to learn yet
        origin = now - consumed / RATE
        recent = self._recent
        while recent and recent[-1][1] >= origin:  # never again the minimum
            recent.pop()
        recent.append((now, origin))
        while recent[0][0] < now - self.window:
            recent.popleft()
        self._origin = recent[0][1]

    def heard_at(self, frame: int) -> float | None:
        """The monotonic time frame `frame` reaches the speaker; None before the stream runs."""
        if self._origin is None:
            return None
        return self._origin + frame / RATE + self.latency

    def frame_at(self, at: float) -> int | None:
        """The frame heard at monotonic time `at`; None before the stream runs."""
        if self._origin is None:
            return None
        return math.floor((at - self.latency - self._origin) * RATE + 0.5)


@dataclass
class Playing:
    """A clip placed on the stream: it starts at frame `start` and plays to its end."""

    clip: Clip
    start: int
    gain: float = 1.0
    due: float | None = None  # the monotonic time it was asked for; None = as soon as possible
    late: float = 0.0  # seconds it started after `due`, when it could not be placed on time


@dataclass(order=True)
class _Pending:
    at: float
    order: int
    clip: Clip = field(compare=False)
    gain: float = field(compare=False, default=1.0)
    key: object = field(compare=False, default=None)


class Mixer:
    """Owns what is to be heard: cues waiting for their instant and clips playing, summed into
    blocks of the one stream. Thread-safe: cues are added from the UI thread, blocks rendered
    on the audio thread."""

    def __init__(self, clock: StreamClock | None = None):
        self.clock = clock or StreamClock()
        self.gain = 1.0  # master volume, linear
        self.muted = False
        self.position = 0  # frames rendered so far: the next block starts here
        self.started: list[Playing] = []  # every cue placed, for benchmarks and tests (bounded)
        self._pending: list[_Pending] = []
        self._playing: list[Playing] = []
        self._order = 0
        self._lock = threading.Lock()

    # --- asked from any thread -----------------------------------------------------------
    def schedule(self, clip: Clip, at: float | None, *, gain: float = 1.0, key: object = None) -> None:
        """Play `clip` so that its first sample is heard at monotonic time `at` (None: as soon
        as possible). `key` names the cue so it can be cancelled."""
        with self._lock:
            self._order += 1
            self._pending.append(_Pending(-math.inf if at is None else at, self._order, clip, gain, key))
            self._pending.sort()

    def cancel(self, *, after: float | None = None, key: object = None) -> int:
        """Drop cues not yet started: those due after `after`, or those with `key`. Returns
        how many. Clips already playing finish (no cut tails)."""
        with self._lock:
            keep = [p for p in self._pending
                    if not ((after is not None and p.at > after) or (key is not None and p.key == key))]
            dropped = len(self._pending) - len(keep)
            self._pending = keep
            return dropped

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def busy(self) -> bool:
        """True while something is playing or waiting."""
        with self._lock:
            return bool(self._pending or self._playing)

    # --- the audio thread ----------------------------------------------------------------
    def render(self, frames: int) -> np.ndarray:
        """The next `frames` samples of the stream: every cue due in this block placed on its
        frame, every playing clip continued, summed, scaled and clipped to -1..1."""
        out = np.zeros(frames, dtype=np.float32)
        with self._lock:
            start, end = self.position, self.position + frames
            self._place_due(start, end)
            still: list[Playing] = []
            for playing in self._playing:
                offset = playing.start - start  # where the clip's first sample falls in this block
                first = max(0, -offset)  # the clip's sample at the block's first frame it covers
                to = max(0, offset)
                count = min(len(playing.clip.samples) - first, frames - to)
                if count > 0:
                    out[to:to + count] += playing.clip.samples[first:first + count] * playing.gain
                if playing.start + len(playing.clip.samples) > end:
                    still.append(playing)
            self._playing = still
            self.position = end
            gain = 0.0 if self.muted else self.gain
        if gain != 1.0:
            out *= gain
        np.clip(out, -1.0, 1.0, out=out)
        return out

    def _place_due(self, start: int, end: int) -> None:
        """Move the cues whose frame falls before `end` from pending to playing."""
        clock = self.clock
        while self._pending:
            cue = self._pending[0]
            due: float | None
            if cue.at == -math.inf:
                frame, due = start, None
            else:
                heard = clock.frame_at(cue.at)
                if heard is None:  # the stream is not running yet: nothing can be placed
                    return
                frame, due = heard, cue.at
            if frame >= end:
                return
            self._pending.pop(0)
            late = 0.0
            if frame < start:  # asked for too late: start now rather than skip its beginning
                late = (start - frame) / RATE if due is not None else 0.0
                frame = start
            playing = Playing(cue.clip, frame, cue.gain, due, late)
            self._playing.append(playing)
            self.started.append(playing)
            del self.started[:-1000]


__all__ = ["RATE", "DEFAULT_OUTPUT_LATENCY", "Clip", "Mixer", "Playing", "StreamClock", "join", "pcm16_to_float",
           "pcm_clip", "read_wav", "resample", "to_int16", "trim_lead_in", "volume_gain"]
