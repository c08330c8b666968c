"""Start-up: process start to the first painted frame, against a bare PySide6 window.

Three programs, measured in the same run and alternating, so a busy machine slows all alike:
- `backcoach --data-dir D`: the app as a lifter starts it, on a data folder holding a year of
  (demo) training, opening on the library. This is the figure the target applies to. The same
  with ten years of training shows that history does not hold the first paint back (the
  year files are read right after it).
- `backcoach screenshot library`: the library window alone, with no data folder (the
  figure this bench printed before it measured the real start);
- the bare PySide6 window of bare_window.py, the reference.
All run on the offscreen platform with one 1366x768 screen, so they paint the same area.
The ratio to the bare window is the figure that matters (target: <= 1.3).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCREEN = {"synchronousWindowSystemEvents": False, "windowFrameMargins": False,
          "screens": [{"name": "bench", "x": 0, "y": 0, "width": 1366, "height": 768,
                       "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}


def _time(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning the process to its first painted frame.

    The child prints `first-paint <time.monotonic()>` once the window is painted; Linux's
    monotonic clock is shared by all processes, so the two readings can be subtracted.
    What comes after (saving a PNG, quitting) is not counted.
    """
    start = time.monotonic()
    proc = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        if line.startswith("first-paint "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"{cmd[1:3]} did not report its first paint")


def measure(repetitions: int = 9) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "screen.json").write_text(json.dumps(SCREEN))
        env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={folder / 'screen.json'}",
                   BACKCOACH_PRINT_FIRST_PAINT="1", XDG_CACHE_HOME=str(folder / "cache"),
                   XDG_CONFIG_HOME=str(folder / "config"))
        # As users get it: with compiled bytecode cached by the warm-up run (some shells and
        # sandboxes set PYTHONDONTWRITEBYTECODE, which would recompile every start).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("BACKCOACH_DATA_DIR", None)
        for years in (1, 10):
            subprocess.run([sys.executable, "-m", "backcoach", "demo-data", "--years", str(years),
                            "--data-dir", str(folder / f"data{years}")], env=env, check=True, capture_output=True)
        commands = {
            "app": [sys.executable, "-m", "backcoach", "--data-dir", str(folder / "data1")],
            "app_ten_years": [sys.executable, "-m", "backcoach", "--data-dir", str(folder / "data10")],
            "library": [sys.executable, "-m", "backcoach", "screenshot", "library", str(folder / "app.png")],
            "bare": [sys.executable, str(HERE / "bare_window.py"), str(folder / "bare.png")],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for cmd in commands.values():
            _time(cmd, env)  # warm the file cache and the library cache
        for _ in range(repetitions):
            for name, cmd in commands.items():
                times[name].append(_time(cmd, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {**medians, "ratio": medians["app"] / medians["bare"],
            "ten_years_ratio": medians["app_ten_years"] / medians["bare"],
            "library_ratio": medians["library"] / medians["bare"]}


def report(repetitions: int = 9) -> dict[str, float]:
    r = measure(repetitions)
    print(f"start-up to first paint, median of {repetitions}:")
    print(f"  backcoach (a year of data)     {r['app'] * 1000:7.0f} ms   ratio {r['ratio']:5.2f}  (target <= 1.3)")
    print(f"  backcoach (ten years of data)  {r['app_ten_years'] * 1000:7.0f} ms   ratio {r['ten_years_ratio']:5.2f}")
    print(f"  backcoach screenshot library   {r['library'] * 1000:7.0f} ms   ratio {r['library_ratio']:5.2f}")
    print(f"  bare PySide6 window            {r['bare'] * 1000:7.0f} ms")
    return r


if __name__ == "__main__":
    report(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
