"""Run by bench/history.py in a fresh process: time opening History and redrawing its
charts against a ten-year data folder, and report peak memory. Prints one JSON line."""

import json
import resource
import statistics
import sys
import time
from pathlib import Path

from backcoach.cli import load_library
from backcoach.store import Store
from backcoach.ui.app import create_application
from backcoach.ui.main_window import MainWindow
from backcoach.ui.screenshot import settle


def main(folder: str) -> None:
    app = create_application("light")
    library = load_library()
    store = Store.open(Path(folder), read_only=True)
    window = MainWindow(library, store)
    window.resize(1366, 768)
    window.show()
    settle()
    start = time.perf_counter()
    view = window.show_area("history")  # reads ten years, builds the list, computes PR flags
    settle()
    history_open = time.perf_counter() - start
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

    view.tabs.setCurrentIndex(1)
    settle()
    combo = view.progress_exercise
    deadlift = combo.findData("deadlift")
    progress = redraw(lambda: view.progress_chart.set_points(view.data.progress("deadlift"), "kg"))
    combo.setCurrentIndex(deadlift)
    view.tabs.setCurrentIndex(2)
    settle()
    volume = redraw(lambda: view.volume_chart.set_weeks(view.data.weekly_volume, "kg", "sets"))
    for i in range(3, 6):
        view.tabs.setCurrentIndex(i)
        settle()
    muscles = redraw(view._show_muscles)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"history_open_ms": history_open * 1000, "load_ms": load * 1000, "progress_ms": progress,
                      "volume_ms": volume, "muscles_ms": muscles, "peak_mb": peak}))
    store.close()
    app.quit()


if __name__ == "__main__":
    main(sys.argv[1])
