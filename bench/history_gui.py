"""Run by bench/history.py in a fresh process: time opening History (to its first paint, and
until it is filled in) against the Library's first paint, and redrawing its charts, against a
ten-year data folder; report peak memory. Prints one JSON line."""

import json
import resource
import statistics
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from backcoach.cli import load_library
from backcoach.store import Store
from backcoach.ui.app import create_application
from backcoach.ui.main_window import MainWindow
from backcoach.ui.screenshot import settle


def wait_filled(view) -> None:
    """Process events until History has every figure it asked for on screen."""
    while view.loading:
        QApplication.processEvents()
        time.sleep(0.001)
    settle()


def main(folder: str) -> None:
    app = create_application("light")
    library = load_library()
    store = Store.open(Path(folder), read_only=True)
    start = time.perf_counter()
    window = MainWindow(library, store)  # the Library is the first screen: its first paint is the reference
    window.resize(1366, 768)
    window.show()
    settle()
    library_open = time.perf_counter() - start
    start = time.perf_counter()
    view = window.show_area("history")  # the loading state, painted; ten years are read on a worker
    settle()
    history_open = time.perf_counter() - start
    wait_filled(view)
    history_filled = time.perf_counter() - start
    load_start = time.perf_counter()
    Store.open(Path(folder), read_only=True).sessions()
    load = time.perf_counter() - load_start

    def redraw(action) -> float:
        times = []
        for _ in range(5):
            t = time.perf_counter()
            action()
            view.grab()  # paint it
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    # Redraws with the figures already worked out (they come from the worker): what the UI
    # thread pays to draw ten years.
    view.tabs.setCurrentIndex(1)
    wait_filled(view)
    points = view.data.progress("deadlift")
    progress = redraw(lambda: view.progress_chart.set_points(points, "kg"))
    view.tabs.setCurrentIndex(2)
    wait_filled(view)
    weeks = view.data.weekly_volume
    volume = redraw(lambda: view.volume_chart.set_weeks(weeks, "kg", "sets"))
    for i in range(3, 6):
        view.tabs.setCurrentIndex(i)
        wait_filled(view)
    sets = view.data.muscle_sets(view.muscle_weeks.currentData())
    muscles = redraw(lambda: view._show_muscle_sets(sets))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"library_open_ms": library_open * 1000, "history_open_ms": history_open * 1000,
                      "history_filled_ms": history_filled * 1000, "load_ms": load * 1000, "progress_ms": progress,
                      "volume_ms": volume, "muscles_ms": muscles, "peak_mb": peak}))
    store.close()
    app.quit()


if __name__ == "__main__":
    main(sys.argv[1])
