"""Cues end to end: when does the lifter hear each tone and word, against the schedule?

A private PulseAudio (its own folder and socket, never the user's) with a null sink is
started; `parec` records the sink's monitor while a player process plays a real schedule of
session cues (get ready with its 2-1, four reps of pull-squeeze-lower-pause at 1 s each,
set finished, a rest with its 3-2-1) through:
- "mixer, ahead": MixerCues, each cue scheduled 0.5 s before its boundary (as the session
  driver is meant to call it; see backcoach/ui/mixer_cues.py);
- "mixer, at boundary": MixerCues called at the boundary, as today's driver calls cues;
- "QSoundEffect (today)": the old QtCues, called at the boundary: the reference.
Each is run idle and with one core kept busy by another process.

The recording is put on the monotonic clock from the arrival time of each recorded chunk
(the earliest arrival bounds when a sample was heard). Each cue's onset is found by
normalised cross-correlation with the very PCM that was played; then every cue's span is
subtracted and what is left is counted: sound outside any cue is a fragment, a cue whose
span went quiet is a dropout, no match within 0.6 s is missing.

    python bench/cue_timing.py [--seconds-per-path N] [--keep DIR]

Needs pulseaudio, pactl, parec and espeak-ng (scripts/audio-tools.sh installs them as root);
where they cannot be had it prints one line saying so and measures nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.pulse import PrivatePulse  # noqa: E402

RATE = 44_100
AHEAD = 0.5  # seconds before the boundary the "ahead" path is told
WINDOW = 0.6  # seconds after the boundary an onset is looked for
MATCH = 0.5  # normalised correlation that counts as "this cue is there"
PATHS = ("mixer-session", "mixer-history", "mixer-ahead", "mixer-boundary", "qsoundeffect")
# Not run by default: a session started half a second after the Session area opened its stream.
EXTRA_PATHS = ("mixer-quick",)
PATH_NAMES = {"mixer-session": "mixer, gym-mode session", "mixer-history": "mixer, session + History 10 y",
              "mixer-quick": "mixer, session started 0.5 s after the stream opened",
              "mixer-ahead": "mixer, ahead", "mixer-boundary": "mixer, at boundary",
              "qsoundeffect": "QSoundEffect (today)"}
SESSION_SECONDS = 50.0
HISTORY_YEARS = 10
HISTORY_FIRST = 6.0  # seconds into the session the first main window opens History
HISTORY_EVERY = 11.0  # then a fresh window every so often (each builds History again)
TAB_EVERY = 1.5  # seconds between two of History's tabs


# --- the schedule -------------------------------------------------------------------------
def schedule(start: float, sets: int = 2) -> list[dict]:
    """A guided set or two as cues: (at, what, args), on the monotonic clock from `start`."""
    cues: list[dict] = []
    t = start

    def add(at, kind, *args):
        cues.append({"at": at, "kind": kind, "args": list(args)})

    for _ in range(sets):
        add(t, "phase", "get-ready", 3.0, None, None, None)
        add(t + 1, "countdown", 2)
        add(t + 2, "countdown", 1)
        t += 3
        for rep in range(1, 5):
            for kind, word in (("concentric", "PULL"), ("concentric-hold", "SQUEEZE"), ("eccentric", "LOWER"),
                               ("eccentric-hold", "STRETCH")):
                add(t, "phase", kind, 1.0, rep, None, word)
                t += 1
        add(t, "set_finished")
        t += 1.5
        add(t, "phase", "rest", 4.0, None, None, None)
        for n in (3, 2, 1):
            add(t + 4 - n, "countdown", n)
        t += 4.5
    return cues


# --- the player (a child process: a hung audio engine cannot hang the bench) ----------------
def open_history_during(folder: Path, first: float, every: float, until: float, opened: list[float]) -> list:
    """As bench/pixel_timing.py's second part, over and over: from `first` seconds on, a main
    window on the ten-year folder in `folder` opens History and goes through its tabs (one
    every TAB_EVERY s, as a lifter poking around during a rest would); every `every` seconds a
    fresh window does it again (the first one also loads the chart module), until `until`.
    Returns what must stay alive; `opened` gets each opening's monotonic time."""
    from PySide6.QtCore import QTimer

    from backcoach.library import load_library
    from backcoach.store import Store
    from backcoach.ui.main_window import MainWindow

    library = load_library()
    big = Store.open(folder, read_only=True)
    keep: list = [big]

    def open_one() -> None:
        for old in keep[1:]:
            old.close()
            old.deleteLater()
        del keep[1:]
        window = MainWindow(library, big)
        window.resize(1366, 768)
        window.show()
        keep.append(window)
        opened.append(time.monotonic())
        history = window.show_area("history")
        steps = list(range(1, history.tabs.count())) + [0]
        for k, tab in enumerate(steps, start=1):
            QTimer.singleShot(round(TAB_EVERY * 1000 * k), window,
                              lambda history=history, tab=tab: history.tabs.setCurrentIndex(tab))

    at = first
    while at < until:
        QTimer.singleShot(round(at * 1000), open_one)
        at += every
    return keep


def play_session(out: Path, history: bool = False, quick: bool = False) -> None:
    """A real guided session on the gym-mode screen (sets of 6 reps at 1-1-1-1, 4 s rests),
    its SessionDriver telling MixerCues what is coming. The cues it expected ahead are the
    schedule; those it could only call at once (the first phase after a key press) are
    played as they come and counted apart. `history`: meanwhile History opens ten years of
    data in the same process, again and again (see open_history_during)."""
    import tempfile

    from PySide6.QtCore import QTimer

    from backcoach.library import load_library
    from backcoach.session import SessionFlow, Step
    from backcoach.settings import Settings
    from backcoach.store import Store
    from backcoach.ui.app import create_application
    from backcoach.ui.mixer_cues import MixerCues
    from backcoach.ui.session_driver import SessionDriver  # calls MixerCues.expect ahead of each boundary
    from backcoach.ui.session_view import SessionView

    plan: dict[tuple, dict] = {}

    class RecordingCues(MixerCues):
        def expect(self, upcoming):
            upcoming = list(upcoming)
            for at, kind, args in upcoming:
                plan[(kind, tuple(args)[:1], round(at, 4))] = {"at": at, "kind": kind, "args": list(args), "ahead": True}
            super().expect(upcoming)

        def _claim(self, kind, what):
            claimed = super()._claim(kind, what)
            if not claimed:
                args = [what, 1.0] if kind == "phase" else ([what] if kind == "countdown" else [])
                at = time.monotonic()
                plan[(kind, tuple(args)[:1], round(at, 4))] = {"at": at, "kind": kind, "args": args, "ahead": False}
            return claimed

    app = create_application("dark")
    library = load_library()
    with tempfile.TemporaryDirectory() as tmp:
        if history:
            sys.path.insert(0, str(ROOT / "bench"))
            from history import make_history  # bench/history.py: the ten-year demo folder

            make_history(Path(tmp) / "history", HISTORY_YEARS)
        store = Store.open(Path(tmp) / "d")
        step = dict(exercise_id="lat-pulldown", warmup=False, target_reps=6, rep_range=(6, 6), seconds=None,
                    load_kg=40.0, tempo="1-1-1-1", rest_seconds=4, per_side=False, superset=None, item_id=None)
        steps = [Step(set_number=n, **step) for n in range(1, 50)]
        flow = SessionFlow.start(store, library, steps, "Cue bench")
        cues = RecordingCues(Settings(None))
        # As the Session area does: the stream is opened with the start page, so it runs
        # before the session's first cue (waiting here stands for the lifter choosing).
        deadline = time.monotonic() + (0.5 if quick else 5.0)
        while (quick or not cues.ready) and not cues.problem and time.monotonic() < deadline:
            QTimer.singleShot(10, app.quit)
            app.exec()
        driver = SessionDriver(flow, cues=cues, clock=time.monotonic, get_ready=5.0, realtime=True)  # the default
        view = SessionView(flow, library, driver, "kg")
        view.resize(1366, 768)
        view.show()
        driver.stage_changed.connect(
            lambda stage: stage == "log" and QTimer.singleShot(0, lambda: driver.log(reps=6, load_kg=40.0)))
        opened: list[float] = []
        keep = (open_history_during(Path(tmp) / "history", HISTORY_FIRST, HISTORY_EVERY, SESSION_SECONDS - 5.0,
                                    opened) if history else [])
        driver.start()
        QTimer.singleShot(round(SESSION_SECONDS * 1000), app.quit)
        app.exec()
        driver.stop()
        end = time.monotonic()
        for item in keep:
            item.close()
        cues.close()
        cues._output.wait(3000)
        store.close()
    # A rest's first cue is called at once with its real length: fix the words to match.
    # Cues due just after the end were already placed in the sink's buffer (it is rendered
    # 0.2 s ahead) and are heard: they belong to the schedule too, not to the fragments.
    placed = max((p.due for p in cues.mixer.started if p.due is not None), default=end)
    cues_out = sorted((c for c in plan.values() if c["at"] < end or c["at"] <= placed + 1e-6), key=lambda c: c["at"])
    for cue in cues_out:
        if cue["kind"] == "phase" and cue["args"][0] == "rest" and not cue["ahead"]:
            cue["args"][1] = 4.0
    out.write_text(json.dumps({"cues": cues_out, "problem": cues.problem, "voice": True, "history_opened": opened}))


def play(path: str, out: Path) -> None:
    if path in ("mixer-session", "mixer-history", "mixer-quick"):
        play_session(out, history=path == "mixer-history", quick=path == "mixer-quick")
        return
    from PySide6.QtCore import QCoreApplication, Qt, QTimer

    from backcoach.settings import Settings

    app = QCoreApplication([])
    settings = Settings(None)
    if path == "qsoundeffect":
        from backcoach.ui.cues import QtCues

        cues = QtCues(settings)
    else:
        from backcoach.ui.mixer_cues import MixerCues

        cues = MixerCues(settings)
    begin = time.monotonic() + 3.0  # the session starts; its first boundary comes 3 s later
    plan = schedule(begin)
    timers = []

    def fire(cue: dict, ahead: bool) -> None:
        cue["called"] = time.monotonic()
        kind, args = cue["kind"], cue["args"]
        if ahead:
            getattr(cues, {"phase": "phase_at", "countdown": "countdown_at",
                           "set_finished": "set_finished_at"}[kind])(cue["at"], *args)
        elif kind == "phase":
            cues.phase_changed(*args)
        else:
            getattr(cues, kind)(*args)

    for cue in plan:
        when = cue["at"] - (AHEAD if path == "mixer-ahead" else 0.0)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(lambda cue=cue: fire(cue, path == "mixer-ahead"))
        timer.start(max(0, round((when - time.monotonic()) * 1000)))
        timers.append(timer)
    QTimer.singleShot(round((plan[-1]["at"] + 1.5 - time.monotonic()) * 1000), app.quit)
    app.exec()
    problem = getattr(cues, "problem", None)
    # Whether words were played as our clips (the old path's speech engine says other waveforms).
    voice = bool(getattr(cues, "_voice", None))
    if hasattr(cues, "close"):
        cues.close()
        cues._output.wait(3000)
    out.write_text(json.dumps({"cues": plan, "problem": problem, "voice": voice}))


# --- the recorder (the private sound server is tests/helpers/pulse.py) ----------------------
RECORDER = r"""
import signal, subprocess, sys, time
raw, stamps = sys.argv[1], sys.argv[2]
p = subprocess.Popen(["parec", "--raw", "--format=s16le", "--rate=44100", "--channels=1", "--latency-msec=2",
                      "-d", "bench.monitor"], stdout=subprocess.PIPE)
signal.signal(signal.SIGTERM, lambda *_: p.terminate())  # stop recording: parec ends, its output ends
frames = 0
with open(raw, "wb") as f, open(stamps, "w") as t:
    while True:
        b = p.stdout.read1(65536)
        if not b:
            break
        now = time.monotonic()
        f.write(b)
        frames += len(b) // 2
        t.write(f"{now!r} {frames}\n")
"""


def record_path(pulse: PrivatePulse, path: str, folder: Path, busy: bool) -> dict:
    """Record one player run; returns what was asked (cues) and what was heard (samples, origin)."""
    raw, stamps, asked = folder / f"{path}.raw", folder / f"{path}.stamps", folder / f"{path}.json"
    spinner = None
    if busy:
        spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    recorder = subprocess.Popen([sys.executable, "-c", RECORDER, str(raw), str(stamps)], env=pulse.env)
    time.sleep(0.5)
    err = folder / f"{path}.stderr"
    try:
        with open(err, "w") as stderr:
            player = subprocess.run([sys.executable, __file__, "--play", path, "--out", str(asked)], env=pulse.env,
                                    stderr=stderr, stdout=subprocess.DEVNULL, timeout=120)
        hung = player.returncode != 0
    except subprocess.TimeoutExpired:
        hung = True
    finally:
        time.sleep(0.3)
        recorder.terminate()
        recorder.wait(10)
        if spinner is not None:
            spinner.send_signal(signal.SIGTERM)
            spinner.wait(5)
    import numpy as np

    samples = np.fromfile(raw, dtype="<i2").astype(np.float32) / 32768.0
    origin = recording_clock(np.loadtxt(stamps, ndmin=2))
    text = err.read_text(errors="replace")
    result = {"samples": samples, "origin": origin, "hung": hung,
              "flood": text.count("QSocketNotifier") + text.count("Invalid socket"), "cues": [], "problem": None, "voice": False}
    if asked.exists():
        data = json.loads(asked.read_text())
        result["cues"], result["problem"], result["voice"] = data["cues"], data["problem"], data["voice"]
        result["history_opened"] = data.get("history_opened", [])
    return result


# --- analysis -------------------------------------------------------------------------------
def recording_clock(stamps) -> tuple[float, float]:
    """(c0, c1): recorded frame n was heard at n / RATE + c0 + c1 * n on the monotonic clock.

    A chunk that arrived at t ending at frame f says frame f was heard at or before t; the
    earliest arrivals (one a second) bound the truth closely. The null sink's clock and the
    monotonic clock differ by a few hundred ppm (0.4 ms a second measured here), so the bound
    is fitted with a line, not taken as one offset."""
    import numpy as np

    t, f = stamps[:, 0], stamps[:, 1]
    off = t - f / RATE
    picks_f, picks_off = [], []
    for k in range(int(t[-1] - t[0]) + 1):
        inside = np.flatnonzero((t >= t[0] + k) & (t < t[0] + k + 1))
        if len(inside):
            i = inside[np.argmin(off[inside])]
            picks_f.append(f[i])
            picks_off.append(off[i])
    if len(picks_f) < 2:
        return float(off.min()), 0.0
    c1, c0 = np.polyfit(picks_f, picks_off, 1)
    # A line through the minima still passes above some of them: lower it onto the lowest.
    c0 -= max(0.0, float(np.max(c0 + c1 * np.array(picks_f) - np.array(picks_off))))
    return float(c0), float(c1)


def frame_of(clock: tuple[float, float], at: float) -> int:
    c0, c1 = clock
    return round((at - c0) / (1 / RATE + c1))


def templates(cue: dict) -> list[tuple[str, object]]:
    """What the cue should sound like: [(kind, samples)] for its tone and its words."""
    from backcoach.mixing import join, read_wav
    from backcoach.ui.cues import GO, SET_FINISHED, SOUNDS_DIR, TICK, spoken_words
    from backcoach.voice import VOICE_DIR, clip_name, phrases_in

    kind, args = cue["kind"], cue["args"]
    if kind == "phase":
        tone, words = args[0], spoken_words(args[0], args[1], args[4] if len(args) > 4 else None)
    elif kind == "countdown":
        tone, words = (TICK, str(args[0])) if args[0] > 0 else (GO, None)
    else:
        tone, words = SET_FINISHED, None
    out = [("tone", read_wav(SOUNDS_DIR / f"{tone}.wav").samples)]
    if words:
        clips = [read_wav(VOICE_DIR / f"{clip_name(p)}.wav") for p in phrases_in(words)]
        out.append(("voice", (clips[0] if len(clips) == 1 else join(clips, words)).samples))
    return out


def _onset(rec, template, lo: int, hi: int):
    """The sample in rec[lo:hi] where `template` best starts, and how well it matches (0-1)."""
    import numpy as np

    head = template[: round(0.04 * RATE)]  # the first 40 ms: the next cue cannot blur it
    hi = min(hi, len(rec) - len(head))
    if hi <= lo or lo < 0:
        return None, 0.0
    seg = rec[lo: hi + len(head)]
    n = 1 << (len(seg) + len(head)).bit_length()
    corr = np.fft.irfft(np.fft.rfft(seg, n) * np.conj(np.fft.rfft(head, n)), n)[: hi - lo]
    energy = np.convolve(seg ** 2, np.ones(len(head)), "valid")[: hi - lo]
    score = corr / (np.sqrt(np.maximum(energy, 1e-12)) * np.linalg.norm(head))
    best = int(np.argmax(score))
    return lo + best, float(score[best])


def analyse(run: dict) -> dict:
    """Lateness per kind (ms), fragments, dropouts, missing."""
    import numpy as np

    rec, origin = run["samples"], run["origin"]
    late = {"tone": [], "voice": []}
    at_once: list[float] = []  # cues the driver could only call at the boundary (session path)
    at_once_missing = 0
    missing = {"tone": 0, "voice": 0}
    spans = []
    expected = np.zeros_like(rec)
    residual = rec.copy()  # the recording less every cue found so far: a word is looked for under its tone
    for cue in run["cues"]:
        base = frame_of(origin, cue["at"])
        for kind, tpl in templates(cue):
            if kind == "voice" and not run["voice"]:
                continue
            at, score = _onset(residual, tpl, base - round(0.05 * RATE), base + round(WINDOW * RATE))
            if at is None or score < MATCH:
                if cue.get("ahead", True):
                    missing[kind] += 1
                else:
                    at_once_missing += 1
                continue
            if cue.get("ahead", True):
                late[kind].append((at - base) / RATE * 1000)
                cue.setdefault("late_ms", {})[kind] = late[kind][-1]
            else:
                at_once.append((at - base) / RATE * 1000)
            end = min(len(rec), at + len(tpl))
            seg = tpl[: end - at]
            gain = float(np.dot(residual[at:end], seg) / max(np.dot(seg, seg), 1e-12))
            expected[at:end] += gain * seg
            residual[at:end] -= gain * seg
            spans.append((at, end, gain, seg))
    # Dropouts: 5 ms windows inside a cue where the cue is loud but the recording is not.
    win = round(0.005 * RATE)
    dropouts: list[int] = []  # the frame of each cue that went quiet
    for at, end, _gain, _seg in spans:
        for w in range(at, end - win, win):
            want = np.sqrt(np.mean(expected[w:w + win] ** 2))
            got = np.sqrt(np.mean(rec[w:w + win] ** 2))
            if want > 0.02 and got < 0.3 * want:
                dropouts.append(w)
                break
    # Fragments: sound where no cue is (what is left once every cue is taken away).
    inside = np.zeros(len(rec), dtype=bool)
    for at, end, _, _ in spans:
        inside[at:end] = True
    fragments: list[int] = []  # the frame each fragment starts at
    quiet_run = True
    for w in range(0, len(rec) - win, win):
        stray = not inside[w:w + win].any() and np.sqrt(np.mean(rec[w:w + win] ** 2)) > 0.005
        if stray and quiet_run:
            fragments.append(w)
        quiet_run = not stray
    return {"late": late, "at_once": at_once, "at_once_missing": at_once_missing, "missing": missing, "dropouts": len(dropouts), "dropout_frames": dropouts,
            "fragments": len(fragments),
            "fragment_frames": fragments}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def waveform_png(samples, origin: float, cues: list[dict], out: Path, seconds: float = 8.0,
                 start: float | None = None) -> None:
    """`seconds` from the first cue (or from `start`, a monotonic time), boundaries in red, to look at."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen

    _app = QGuiApplication.instance() or QGuiApplication([])
    first = cues[0]["at"] if start is None else start
    lo = max(0, frame_of(origin, first - 0.5))
    part = samples[lo: lo + round(seconds * RATE)]
    width, height = 1600, 400
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    cols = np.array_split(part, width)
    p.setPen(QPen(QColor("#1f4e79")))
    for x, col in enumerate(cols):
        if len(col):
            top, bottom = float(col.max()), float(col.min())
            p.drawLine(QPointF(x, height / 2 - top * height / 2), QPointF(x, height / 2 - bottom * height / 2))
    p.setPen(QPen(QColor("red"), 1, Qt.PenStyle.DashLine))
    for cue in cues:
        x = (frame_of(origin, cue["at"]) - lo) / len(part) * width
        if 0 <= x < width:
            p.drawLine(QPointF(x, 0), QPointF(x, height))
    p.end()
    image.save(str(out))


def write_wav(samples, out: Path) -> None:
    import wave

    import numpy as np

    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


# --- the report -----------------------------------------------------------------------------
def tools_missing() -> str | None:
    setup = ROOT / "scripts" / "audio-tools.sh"
    if any(shutil.which(t) is None for t in ("pulseaudio", "pactl", "parec", "espeak-ng")):
        subprocess.run([str(setup)], check=False)
    lacking = [t for t in ("pulseaudio", "pactl", "parec") if shutil.which(t) is None]
    return ", ".join(lacking) or None


def report(keep: Path | None = None, paths: tuple[str, ...] = PATHS, loads: tuple[bool, ...] = (False, True)) -> dict:
    lacking = tools_missing()
    if lacking:
        print(f"cue timing: skipped, {lacking} missing and not installable here (see scripts/audio-tools.sh)")
        return {}
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="backcoach-cues-") as tmp:
        folder = Path(tmp)
        try:
            pulse_cm = PrivatePulse(folder)
            pulse = pulse_cm.__enter__()
        except (OSError, RuntimeError) as exc:
            print(f"cue timing: skipped, no private PulseAudio ({exc})")
            return {}
        try:
            print("cue timing, end to end (private PulseAudio null sink recorded; lateness = heard - scheduled):")
            print(f"  load at start: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
            for busy in loads:
                for path in paths:
                    run = record_path(pulse, path, folder, busy)
                    if not run["cues"]:
                        print(f"  {PATH_NAMES[path]:22} {'busy' if busy else 'idle'}: no result "
                              f"({'hung, killed' if run['hung'] else 'player failed'}; "
                              f"{run['flood']} socket-notifier lines)")
                        continue
                    r = analyse(run)
                    results[(path, busy)] = r
                    label = f"{PATH_NAMES[path]}, {'one core busy' if busy else 'idle'}"
                    print(f"  {label}{'  [' + run['problem'] + ']' if run['problem'] else ''}")
                    if path == "mixer-history":
                        print(f"    (History opened {len(run.get('history_opened', []))} times on {HISTORY_YEARS} years of "
                              f"data from {HISTORY_FIRST:.0f} s on, a fresh main window every {HISTORY_EVERY:.0f} s, "
                              f"each going through its tabs, one every {TAB_EVERY} s)")
                    for kind in ("tone", "voice"):
                        values = r["late"][kind]
                        if not values and not r["missing"][kind]:
                            continue
                        print(f"    {kind:5} n={len(values):3}  p50 {statistics.median(values) if values else float('nan'):6.1f} ms"
                              f"  p95 {percentile(values, 95):6.1f} ms  max {max(values, default=float('nan')):6.1f} ms"
                              f"  min {min(values, default=float('nan')):6.1f} ms  missing {r['missing'][kind]}")
                    if r["at_once"] or r["at_once_missing"]:
                        print(f"    {len(r['at_once'])} sounds called at once, not ahead (after a key press, "
                              f"a new set): p50 {statistics.median(r['at_once'] or [float('nan')]):.0f} ms late; "
                              f"{r['at_once_missing']} not heard within {WINDOW:.1f} s (the session's first, "
                              "while the stream starts)")
                    print(f"    fragments {r['fragments']}  dropouts {r['dropouts']}"
                          + (f"  socket-notifier lines {run['flood']}" if run["flood"] else ""))
                    if keep is not None:
                        keep.mkdir(parents=True, exist_ok=True)
                        stem = f"{path}-{'busy' if busy else 'idle'}"
                        write_wav(run["samples"], keep / f"{stem}.wav")
                        (keep / f"{stem}.json").write_text(json.dumps(
                            {"origin": run["origin"], "voice": run["voice"], "cues": run["cues"]}, indent=1))
                        waveform_png(run["samples"], run["origin"], run["cues"], keep / f"{stem}.png")
                        if run.get("history_opened"):  # the first seconds of the first History opening
                            waveform_png(run["samples"], run["origin"], run["cues"], keep / f"{stem}-history.png",
                                         start=run["history_opened"][0])
            print("  targets: tone and voice p95 <= 10 ms, max <= 30 ms; no fragments, dropouts or missing")
            if keep is not None:
                print(f"  recordings and waveforms kept in {keep}")
        finally:
            pulse_cm.__exit__()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--play", choices=PATHS + EXTRA_PATHS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=Path, help="keep the recordings (WAV) and waveforms (PNG) here")
    parser.add_argument("--paths", default=",".join(PATHS),
                        help=f"which paths to run (comma-separated; also {', '.join(EXTRA_PATHS)})")
    parser.add_argument("--idle-only", action="store_true", help="skip the run with one core busy")
    args = parser.parse_args(argv)
    if args.play:
        play(args.play, args.out)
        return 0
    report(args.keep, tuple(args.paths.split(",")), (False,) if args.idle_only else (False, True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
