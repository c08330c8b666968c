"""History at ten years: set logging, session commit, History open, chart redraw, memory.

A fresh data folder gets ten years of demo history (about 1,900 sessions, 40,000 sets,
8 MB of JSON). References measured in the same run:
- a plain TinyDB insert into the same 8 MB of history (TinyDB's own JSONStorage), which is
  what logging a set would cost without the journal and year files;
- for memory, a bare PySide6 window.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from backcoach.demo import generate_history  # noqa: E402
from backcoach.library import load_library  # noqa: E402
from backcoach.model import SetLog  # noqa: E402
from backcoach.store import Store  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def make_history(folder: Path, years: int = 10) -> int:
    sessions = generate_history(load_library(), years=years, seed=7, today=date.today())
    with Store.open(folder) as store:
        store.add_sessions(sessions)
    return len(sessions)


def tinydb_insert_reference(folder: Path, repetitions: int = 5) -> list[float]:
    """One insert into a plain TinyDB file holding the same ten years."""
    from tinydb import TinyDB

    with Store.open(folder, read_only=True) as store:
        docs = [s.to_dict() for s in store.sessions()]
    path = folder.parent / "plain-tinydb.json"
    db = TinyDB(path)
    db.table("sessions").insert_multiple(docs)
    times = []
    for n in range(repetitions):
        start = time.perf_counter()
        db.table("sets").insert({"exercise_id": "barbell-row", "set_number": n + 1, "reps": 8, "load_kg": 60.0})
        times.append(time.perf_counter() - start)
    db.close()
    return times


def set_logging(folder: Path, sets: int = 300) -> list[float]:
    """The UI-thread cost of logging a set: one fsynced journal line."""
    times = []
    with Store.open(folder) as store:
        store.start_session(routine="Bench")
        for n in range(sets):
            s = SetLog("barbell-row", n % 5 + 1, reps=8, load_kg=60.0 + n % 7, rpe=8.0)
            start = time.perf_counter()
            store.log_set(s)
            times.append(time.perf_counter() - start)
        store.discard_session()
    return times


def session_commit(folder: Path, repetitions: int = 7) -> list[float]:
    """Ending a 20-set session: one atomic write of this year's file."""
    times = []
    with Store.open(folder) as store:
        store.sessions()  # loaded already, as in the app after a session
        for _ in range(repetitions):
            store.start_session(routine="Bench")
            for n in range(20):
                store.log_set(SetLog("deadlift", n + 1, reps=5, load_kg=100.0))
            start = time.perf_counter()
            store.finish_session()
            times.append(time.perf_counter() - start)
    return times


def gui_figures(folder: Path, runs: int = 3) -> dict:
    """History open, chart redraws and peak memory, each a fresh process; medians of `runs`."""
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, str(HERE / "history_gui.py"), str(folder)],
                             capture_output=True, text=True, check=True,
                             env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def bare_window_memory() -> float:
    code = ("import os, resource; os.environ['QT_QPA_PLATFORM']='offscreen'\n"
            "from PySide6.QtWidgets import QApplication, QLabel\n"
            "app = QApplication([]); w = QLabel('x'); w.resize(1366, 768); w.show(); app.processEvents()\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def report(years: int = 10, runs: int = 3) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        n = make_history(folder, years)
        size = sum(p.stat().st_size for p in (folder / "history").glob("*.json")) / 1e6
        print(f"history at {years} years: {n:,} sessions, {size:.1f} MB of JSON in {len(list((folder / 'history').glob('*.json')))} year files")

        ref = tinydb_insert_reference(folder)
        log = set_logging(folder)
        commit = session_commit(folder)
        gui = gui_figures(folder, runs)
        bare_mb = bare_window_memory()

    ref_ms = statistics.median(ref) * 1000
    p50, p99 = percentile(log, 50) * 1000, percentile(log, 99) * 1000
    print("logging a set (UI thread), 300 sets:")
    print(f"  p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   max {max(log) * 1000:6.2f} ms   (target p99 <= 5 ms)")
    print(f"  plain TinyDB insert, same history: median {ref_ms:6.1f} ms  -> journal is {ref_ms / p99:,.0f}x faster at p99")
    print(f"committing a finished 20-set session: median {statistics.median(commit) * 1000:6.1f} ms, "
          f"max {max(commit) * 1000:6.1f} ms   (target <= 150 ms; {statistics.median(commit) * 1000 / ref_ms:.2f}x a TinyDB insert)")
    print(f"opening History to first paint: median of {runs} {gui['history_open_ms']:6.0f} ms, "
          f"{gui['history_open_ms'] / gui['library_open_ms']:.2f}x the Library's first paint "
          f"({gui['library_open_ms']:.0f} ms)   (target <= 1.5x)")
    print(f"  filled in (every figure of the first tab, worked out on a worker): {gui['history_filled_ms']:6.0f} ms")
    print(f"  reading the history in a fresh store: {gui['load_ms']:6.0f} ms")
    print(f"chart redraw, {years} years: progress {gui['progress_ms']:5.1f} ms, volume {gui['volume_ms']:5.1f} ms, "
          f"muscles {gui['muscles_ms']:5.1f} ms   (target <= 16 ms)")
    print(f"peak memory with every History tab open: {gui['peak_mb']:5.0f} MB   (target <= 250 MB; "
          f"bare PySide6 window {bare_mb:.0f} MB, ratio {gui['peak_mb'] / bare_mb:.2f})")
    return {"log_p99_ms": p99, "commit_ms": statistics.median(commit) * 1000, **gui}


if __name__ == "__main__":
    report()
