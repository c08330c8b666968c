"""The real audio stream, against a private PulseAudio with a null sink (never the user's):
sessions' cues started and stopped many times, in a fresh interpreter whose stderr must hold
no Qt multimedia warning (QtCues' QSoundEffect once flooded it with socket-notifier errors
and never quit). Skipped where PulseAudio is not installed (scripts/audio-tools.sh)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import pulse

ROOT = Path(__file__).resolve().parents[3]
# What Qt Multimedia prints on every start on a machine without PipeWire: information, not trouble.
HARMLESS = ("qt.multimedia.symbolsresolver: Couldn't load pipewire-0.3 library",
            "qt.multimedia.symbolsresolver: Couldn't resolve pipewire-0.3 symbols",
            "qt.multimedia.ffmpeg: Using Qt multimedia with FFmpeg version")

SCRIPT = """
import json, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from backcoach.settings import Settings
from backcoach.ui.mixer_cues import MixerCues

def spin_until(done, limit):
    end = time.monotonic() + limit
    while not done() and time.monotonic() < end:
        QTimer.singleShot(5, app.quit)
        app.exec()

runs, running, placed, finished, problems = RUNS, 0, 0, 0, []
for i in range(runs):
    cues = MixerCues(Settings(None))
    out = cues._output
    spin_until(lambda: out is None or out.opened.is_set(), 5.0)  # it opens on its own thread
    if cues.problem:
        problems.append(cues.problem)
    spin_until(lambda: cues.problem or (out is not None and out.running.is_set()), 5.0)
    running += out is not None and out.running.is_set()
    now = time.monotonic()
    cues.expect([(now + 0.3, "phase", ("concentric", 1.0, 1, None, "PULL")), (now + 0.5, "countdown", (1,))])
    cues.phase_changed("get-ready", 5.0, None, None)
    if not cues.problem:
        spin_until(lambda: len(cues.mixer.started) >= 6, 4.0)  # PulseAudio starts a stream in 1-2 s
    placed += len(cues.mixer.started)
    cues.close()  # the stream stops once the last cue has played out
    spin_until(lambda: out is None or out.isFinished() or not out.isRunning(), 3.0)
    finished += out is None or not out.isRunning()
    cues.deleteLater()
    spin_until(lambda: False, 0.02)
print(json.dumps({"runs": runs, "running": running, "placed": placed, "finished": finished, "problems": problems}))
"""


def run(env: dict, runs: int, harmless: tuple[str, ...] = HARMLESS) -> tuple[dict, list[str]]:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT).replace("RUNS", str(runs))], cwd=ROOT,
                            env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    noise = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith(harmless)]
    return json.loads(result.stdout.strip().splitlines()[-1]), noise


@pytest.mark.skipif(not pulse.available(), reason="PulseAudio is not installed (scripts/audio-tools.sh)")
def test_starting_and_stopping_sessions_many_times_plays_every_cue_and_warns_nothing(tmp_path):
    with pulse.PrivatePulse(tmp_path) as server:
        report, noise = run(server.env, runs=6)
    assert noise == []  # any Qt warning (socket notifiers, invalid sockets, underruns...) fails
    assert report["problems"] == []
    assert report["running"] == 6  # the stream really ran each time
    assert report["placed"] == 6 * 6  # get ready, pull, 1: a tone and a word each, every time
    assert report["finished"] == 6  # and the stream stopped by itself once they had played


@pytest.mark.skipif(not pulse.available(), reason="PulseAudio is not installed (scripts/audio-tools.sh)")
def test_without_a_sound_server_the_cues_say_why_and_quit_cleanly(tmp_path):
    env = {**pulse.PrivatePulse(tmp_path).env, "PULSE_SERVER": f"unix:{tmp_path}/nobody-here"}
    # Qt says once that it found no server; that is the situation, not a fault.
    report, noise = run(env, runs=3, harmless=(*HARMLESS, "PulseAudioService: pa_context_connect() failed"))
    assert noise == []
    assert report["running"] == 0 and len(report["problems"]) == 3
    assert all("cues are shown on screen only" in p for p in report["problems"])
