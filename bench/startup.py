"""Start-up: process start to the library view's first paint, against a bare PySide6 window.

Both are measured in the same run, alternating, so a busy machine slows both alike; the
ratio is the figure that matters (target: <= 1.5).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(repetitions: int = 9) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        app_cmd = [sys.executable, "-m", "backcoach", "screenshot", "library", f"{tmp}/app.png"]
        bare_cmd = [sys.executable, str(HERE / "bare_window.py"), f"{tmp}/bare.png"]
        _time(app_cmd, env), _time(bare_cmd, env)  # warm the file cache
        app, bare = [], []
        for _ in range(repetitions):
            app.append(_time(app_cmd, env))
            bare.append(_time(bare_cmd, env))
    app_median, bare_median = statistics.median(app), statistics.median(bare)
    return {"app": app_median, "bare": bare_median, "ratio": app_median / bare_median}


def report(repetitions: int = 9) -> dict[str, float]:
    r = measure(repetitions)
    print(f"start-up to first paint, median of {repetitions}:")
    print(f"  backcoach screenshot library  {r['app'] * 1000:7.0f} ms")
    print(f"  bare PySide6 window           {r['bare'] * 1000:7.0f} ms")
    print(f"  ratio                         {r['ratio']:7.2f}  (target <= 1.5)")
    return r


if __name__ == "__main__":
    report(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
