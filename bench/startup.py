"""Start-up: process start to the library view's first paint, against a bare PySide6 window.

Both are measured in the same run, alternating, so a busy machine slows both alike; the
ratio is the figure that matters (target: <= 1.3).
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
    """Seconds from spawning the process to its first painted frame.

    The child prints `first-paint <time.monotonic()>` once the window is painted; Linux's
    monotonic clock is shared by all processes, so the two readings can be subtracted.
    Encoding the PNG and shutting down come after and are not counted.
    """
    start = time.monotonic()
    proc = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        if line.startswith("first-paint "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"{cmd[1:3]} did not report its first paint")


def measure(repetitions: int = 9) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BACKCOACH_PRINT_FIRST_PAINT="1")
    # Measure start-up as users get it: with compiled bytecode cached by the warm-up run
    # (some shells and sandboxes set PYTHONDONTWRITEBYTECODE, which recompiles every start).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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
    print(f"  ratio                         {r['ratio']:7.2f}  (target <= 1.3)")
    return r


if __name__ == "__main__":
    report(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
