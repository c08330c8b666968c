"""Pixels against the schedule: when does the gym screen actually show each new phase and
each new countdown digit, idle and while History opens ten years of data?

The real gym-mode screen (SessionView, 1366x768) runs a guided session in real time on
the Qt event loop; the ring's paints are timestamped (monotonic clock, at the end of
paintEvent, i.e. when the pixels are in the window's backing store) with what they show.
Each is set against the instant the scheduler defines for it:
- phase pixels: the first paint showing segment i, against segment i's start;
- digit pixels: the first paint showing whole second n of a segment, against end - n.
A phase or digit never painted counts as missed.

Part one is idle; in part two a main window in the same process opens History on a
ten-year data folder and then goes through its tabs, as a lifter poking around during a
rest would. The UI thread's longest stall is the longest gap between the beats of a 2 ms
heartbeat timer on the UI thread, less the 2 ms (any work on the UI thread counts, paints too);
next to it, the most CPU time the UI thread itself used within one such gap, which tells its
own work from time the machine gave to other processes.

Runs offscreen unless QT_QPA_PLATFORM says otherwise (e.g. `xcb` under Xvfb).
Usage: python bench/pixel_timing.py [SECONDS_PER_PART] [YEARS]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


HEARTBEAT_MS = 2


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Recorder:
    """Paints of the ring and the event loop's busy stretches, split by part."""

    def __init__(self):
        self.paints: list[tuple[float, object, int, int]] = []  # (time, scheduler, index, seconds)
        self.schedulers: list[object] = []
        self.beats: list[tuple[float, float]] = []  # (monotonic, the UI thread's CPU time)

    def beat(self) -> None:
        self.beats.append((time.monotonic(), time.thread_time()))


def figures(rec: Recorder, start: float, end: float) -> dict:
    """Phase and digit pixel delays (ms) for the schedule between start and end."""
    first: dict[tuple[int, int, int], float] = {}
    first_phase: dict[tuple[int, int], float] = {}
    for t, sched, index, seconds in rec.paints:
        first.setdefault((id(sched), index, seconds), t)
        first_phase.setdefault((id(sched), index), t)
    phase, digit, missed_phase, missed_digit = [], [], 0, 0
    for sched in rec.schedulers:
        segments = sched.timeline.segments
        for i, seg in enumerate(segments):
            begins = sched._clock_at(seg.start)  # the scheduler's own answer (no pauses in this run)
            if i > 0 and start <= begins < end - 0.5:
                shown = first_phase.get((id(sched), i))
                if shown is None:
                    missed_phase += 1
                else:
                    phase.append((shown - begins) * 1000)
            n_max = int(seg.duration) if seg.duration == int(seg.duration) else int(seg.duration) + 1
            for n in range(1, n_max):  # n_max is shown at the phase's start: a phase pixel
                due = sched._clock_at(seg.end - n)
                if start <= due < end - 0.5:
                    shown = first.get((id(sched), i, n))
                    if shown is None:
                        missed_digit += 1
                    else:
                        digit.append((shown - due) * 1000)
    gaps = [(b - a, cb - ca) for (a, ca), (b, cb) in zip(rec.beats, rec.beats[1:]) if start <= b < end]
    stalls = [wall * 1000 - HEARTBEAT_MS for wall, _cpu in gaps]
    ends = [b for (a, _ca), (b, _cb) in zip(rec.beats, rec.beats[1:]) if start <= b < end]
    # When the longest stall began, in seconds after this part began (tabs change every 1.5 s).
    stall_at = (ends[stalls.index(max(stalls))] - start - gaps[stalls.index(max(stalls))][0]) if stalls else float("nan")
    # The same gaps counted in the UI thread's own CPU time: the work it did, without the time
    # the machine gave to other processes (or the worker, holding the GIL).
    busy = [cpu * 1000 for _wall, cpu in gaps]
    return {"phase": phase, "digit": digit, "missed_phase": missed_phase, "missed_digit": missed_digit,
            "stall_max_ms": max(stalls, default=float("nan")), "stall_at_s": stall_at, "busy_max_ms": max(busy, default=float("nan"))}


def measure(seconds: float = 30.0, years: int = 10) -> dict:
    from PySide6.QtCore import Qt, QTimer

    from backcoach.library import load_library
    from backcoach.session import SessionFlow, Step
    from backcoach.store import Store
    from backcoach.ui import session_view
    from backcoach.ui.app import create_application
    from backcoach.ui.cues import SilentCues
    from backcoach.ui.main_window import MainWindow
    from backcoach.ui.session_driver import SessionDriver
    from history import make_history

    rec = Recorder()

    class TimedRing(session_view.PhaseRing):
        """The gym screen's ring, noting when each paint ends and what it showed."""

        driver = None

        def paintEvent(self, event):  # noqa: N802
            super().paintEvent(event)
            sched = self.driver.scheduler if self.driver is not None else None
            if sched is not None and self.seconds >= 0:
                rec.paints.append((time.monotonic(), sched, self.shown_index, self.seconds))

        def show_position(self, pos, word=None, caption=""):
            self.shown_index = -1 if pos is None else pos.index
            super().show_position(pos, word, caption)

    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        from backcoach.ui.screenshot import _quiet_offscreen_messages

        _quiet_offscreen_messages()
    app = create_application("dark")
    library = load_library()
    with tempfile.TemporaryDirectory() as tmp:
        made = time.monotonic()
        history_folder = Path(tmp) / "history"
        sessions = make_history(history_folder, years)
        made = time.monotonic() - made
        store = Store.open(Path(tmp) / "session")
        big = Store.open(history_folder, read_only=True)
        # Short phases (3-1-2-1) and 6 s rests: many phase changes and digits a minute.
        step = dict(exercise_id="lat-pulldown", warmup=False, target_reps=4, rep_range=(4, 4), seconds=None,
                    load_kg=40.0, tempo="3-1-2-1", rest_seconds=6, per_side=False, superset=None, item_id=None)
        flow = SessionFlow.start(store, library, [Step(set_number=n, **step) for n in range(1, 200)], "Pixel bench")
        driver = SessionDriver(flow, cues=SilentCues(), clock=time.monotonic, get_ready=2.0, realtime=True)
        original = session_view.PhaseRing
        session_view.PhaseRing = TimedRing
        TimedRing.driver = driver
        try:
            view = session_view.SessionView(flow, library, driver, "kg")
        finally:
            session_view.PhaseRing = original
        view.resize(1366, 768)
        view.show()
        window = MainWindow(library, big)
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        driver.stage_changed.connect(
            lambda stage: stage == "log" and QTimer.singleShot(0, lambda: driver.log(reps=4, load_kg=40.0)))
        original_begin = driver._begin

        def begin(timeline, **kwargs):
            original_begin(timeline, **kwargs)
            rec.schedulers.append(driver.scheduler)
        driver._begin = begin
        heartbeat = QTimer()
        heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
        heartbeat.setInterval(HEARTBEAT_MS)
        heartbeat.timeout.connect(rec.beat)
        heartbeat.start()

        history_opened: dict[str, float] = {}

        def open_history():
            history_opened["at"] = time.monotonic()
            history = window.show_area("history")
            steps = list(range(1, history.tabs.count())) + [0]
            for k, tab in enumerate(steps, start=1):  # a tab every 1.5 s
                QTimer.singleShot(int(1500 * k), lambda tab=tab: history.tabs.setCurrentIndex(tab))

        times: dict[str, float] = {}

        def begin_session():  # once both windows have settled (the library's thumbnails drawn)
            times["start"] = time.monotonic()
            driver.start()
            window.load_areas_in_background()  # what the app's window does when a session starts
            QTimer.singleShot(int(seconds * 1000), open_history)
            QTimer.singleShot(int(seconds * 2000), app.quit)

        QTimer.singleShot(1500, begin_session)
        app.exec()
        start = times["start"]
        end = time.monotonic()
        driver.stop()
        heartbeat.stop()
        store.close()
        big.close()
        window.close()
        view.close()
    middle = history_opened.get("at", start + seconds)
    return {"idle": figures(rec, start + 1.0, middle), "history": figures(rec, middle, end),
            "sessions": sessions, "years": years, "seconds": seconds, "made_s": made}


def _line(name: str, values: list[float], missed: int) -> str:
    return (f"    {name:<14} p50 {percentile(values, 50):6.1f} ms   p95 {percentile(values, 95):6.1f} ms   "
            f"max {max(values, default=float('nan')):6.1f} ms   ({len(values)} shown, {missed} never painted)")


def report(seconds: float = 30.0, years: int = 10) -> dict:
    r = measure(seconds, years)
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    print(f"pixels against the schedule, gym screen 1366x768 ({platform}), {r['seconds']:.0f} s idle, "
          f"then {r['seconds']:.0f} s while History opens {r['years']} years ({r['sessions']:,} sessions) "
          "and goes through its tabs:")
    for part, title in (("idle", "idle"), ("history", "History opening")):
        f = r[part]
        print(f"  {title}:")
        print(_line("phase pixels", f["phase"], f["missed_phase"]))
        print(_line("digit pixels", f["digit"], f["missed_digit"]))
        print(f"    longest UI-thread stall {f['stall_max_ms']:6.1f} ms, {f['stall_at_s']:.2f} s into the part   (most CPU the UI thread itself used between "
              f"two heartbeats: {f['busy_max_ms']:.1f} ms; stall beyond that is other processes or the GIL)")
    print("  (targets: phase and digit pixels p95 <= 17 ms, one 60 Hz frame; longest stall with History "
          "opening < 16 ms)")
    return r


if __name__ == "__main__":
    report(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0, int(sys.argv[2]) if len(sys.argv) > 2 else 10)
