"""The one audio stream of a session: a QAudioSink in pull mode on a thread of its own, fed by
the Mixer (backcoach.mixing).

Why QAudioSink: it is already in the app (PySide6-Addons), reaches PulseAudio, PipeWire,
ALSA, WASAPI and CoreAudio, and in pull mode asks us for each block just before the device
needs it. A Python audio library (sounddevice, pyaudio) would add PortAudio as a system
library for no gain here. Why not QSoundEffect: it opens and pauses a stream per cue, leaving
the previous tone's tail queued (the fragment at the next cue) and a start-up delay per cue.

Everything about the sink happens on the audio thread: the device is looked up there, the
sink made, started, stopped and deleted there, and its reads are answered there. Measured on
Qt 6.11 with PulseAudio: a sink (or even just the QAudioDevice) made on the UI thread is fed
by the UI thread, so a busy UI stalls the sound, and a sink touched from two threads is what
floods stderr with socket-notifier warnings. Only start()/stop() of the thread are called
from the UI thread.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import numpy as np
from PySide6.QtCore import QIODevice, QThread

from backcoach.mixing import RATE, Mixer, to_int16

# Seconds of sound the sink reads ahead of the device: room for a stalled thread. Measured
# with the cue bench on a loaded 2-core machine: at 30 ms and 100 ms a busy core caused an
# underrun (a gap, the stream shifted) in most runs, at 200 ms in about one run in two. Only
# cues that are not scheduled ahead pay for it (a key press is answered ~215 ms later).
BUFFER = 0.200
DRAIN_MARGIN = 0.15  # seconds of silence after the buffer, for the server's own latency


def _raise_priority() -> None:
    """Real-time scheduling for this thread where the system allows it (Linux, with the right
    limits): a loaded machine then cannot starve the sound. Its work is a few hundred
    microseconds every few milliseconds, so it cannot starve anything else. Elsewhere the
    thread keeps its normal priority and the sink's buffer covers short stalls."""
    try:
        os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(max(1, os.sched_get_priority_min(os.SCHED_RR))))
    except (AttributeError, OSError):
        pass


class _MixerSource(QIODevice):
    """What the sink reads: an endless stream rendered by the mixer on demand."""

    def __init__(self, output: AudioOutput):
        super().__init__()
        self._output = output

    def readData(self, maxlen: int) -> bytes:  # noqa: N802 (Qt's name)
        return self._output._render(maxlen)

    def writeData(self, data: bytes | bytearray | memoryview, length: int = -1) -> int:  # noqa: N802
        return -1

    def bytesAvailable(self) -> int:  # noqa: N802
        return 1 << 20

    def isSequential(self) -> bool:  # noqa: N802
        return True


class AudioOutput(QThread):
    """Plays `mixer` until close(). `problem` says why nothing can be heard (None when all is
    well); `running` is set once the device takes frames, so cues can be placed in time."""

    def __init__(self, mixer: Mixer, parent=None):
        super().__init__(parent)
        self.mixer = mixer
        self.problem: str | None = None
        self.opened = threading.Event()  # the sink was opened (or failed: see problem)
        self.running = threading.Event()  # the device is taking frames
        self.running_since: float | None = None  # monotonic time the device began taking frames
        self.rendered = 0  # frames handed to the sink
        self.reads: list[tuple[float, int]] = []  # (when, frames) of the latest reads, for benchmarks
        self._sink: Any = None  # the QAudioSink while the stream plays (QtMultimedia loads late)
        self._channels = 1
        self._draining = False
        self._drained_at: int | None = None  # the frame after which a finishing stream stops
        self.setObjectName("backcoach-audio")

    # --- the UI thread -------------------------------------------------------------------
    def open(self, wait: float = 0.0) -> bool:
        """Start the thread; with `wait`, wait that long for the sink to open. False with
        `problem` set when no sound can be played (known once `opened` is set). The app does
        not wait: the stream is opened when the Session area is shown, well before a cue."""
        self.start(QThread.Priority.TimeCriticalPriority)
        self.opened.wait(wait)
        return self.problem is None

    def finish(self) -> None:
        """Stop once what is playing has played out (no cut tail); returns at once."""
        self._draining = True

    def close(self) -> None:
        """Stop the stream and the thread now, waiting for the thread; safe to call twice."""
        try:
            if self.isRunning():
                self.quit()
                self.wait(3000)
        except RuntimeError:  # the Qt side is already gone (interpreter shutting down)
            pass

    # --- the audio thread ----------------------------------------------------------------
    def run(self) -> None:
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices, QtAudio

        _raise_priority()
        device = QMediaDevices.defaultAudioOutput()  # here, not on the UI thread: see above
        if device.isNull():
            self.problem = "No audio device found: cues are shown on screen only."
            self.opened.set()
            return
        fmt = QAudioFormat()
        fmt.setSampleRate(RATE)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        fmt.setChannelCount(1)
        if not device.isFormatSupported(fmt):
            fmt.setChannelCount(2)
            self._channels = 2
        sink = QAudioSink(device, fmt)
        sink.setBufferSize(round(BUFFER * RATE) * 2 * self._channels)
        source = _MixerSource(self)
        # Unbuffered: a buffered QIODevice would read ahead 16 KB (186 ms) at a time.
        source.open(QIODevice.OpenModeFlag.ReadOnly | QIODevice.OpenModeFlag.Unbuffered)
        self._sink = sink
        sink.start(source)
        if sink.error() != QtAudio.Error.NoError:
            self.problem = f"The audio device would not open ({sink.error().name}): cues are shown on screen only."
            self._sink = None
            self.opened.set()
            return
        self.opened.set()
        self.exec()
        sink.stop()
        self._sink = None
        source.close()
        # The sink and the source are deleted here, on the thread that made them.
        del sink, source

    def _render(self, maxlen: int) -> bytes:
        """Answer one read of the sink: tell the mixer's clock how far the device has got,
        then render exactly the frames asked for."""
        frames = maxlen // (2 * self._channels)
        if frames <= 0:
            return b""
        sink = self._sink
        if sink is not None:
            consumed = round(sink.processedUSecs() * RATE / 1_000_000)
            self.mixer.clock.observe(time.monotonic(), consumed)
            if consumed > 0 and not self.running.is_set():
                self.running_since = time.monotonic()
                self.running.set()
        if self._draining and self._drained_at is None and not self.mixer.busy():
            # The last cue has been handed over, but it is still in the sink's buffer and the
            # server's: go on with silence until it has been heard, then stop.
            self._drained_at = self.rendered + round((BUFFER + DRAIN_MARGIN) * RATE)
        if self._drained_at is not None and self.rendered >= self._drained_at:
            self.quit()  # the loop ends after this read
        samples = self.mixer.render(frames)
        if self._channels == 2:
            samples = np.repeat(samples, 2)
        self.rendered += frames
        self.reads.append((time.monotonic(), frames))
        del self.reads[:-2000]
        return to_int16(samples)
