"""Import scaling: a Strong CSV of 100k, 200k and 1M rows into an empty data folder.

Each file has 10 sets per workout, sixteen workouts a day (so 1M rows fit in 17 years), with 200
exercise names (most unknown, so custom exercises are made). Reported per size: the file's
MB, parse time, store (commit) time, and the total against `csv.reader` over the same
file, the reference measured in the same run (a linear import stays near a constant
multiple of it; a quadratic one grows with the size).

Run alone: `python bench/imports.py [ROWS ...]`.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from backcoach.importing import MAX_IMPORT_ROWS, parse_strong  # noqa: E402
from backcoach.library import load_library  # noqa: E402
from backcoach.store import Store  # noqa: E402
from backcoach.transfer import _bulk  # noqa: E402

SIZES = (100_000, 200_000, 1_000_000)
HEADER = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Seconds,RPE\n"


def strong_csv(rows: int) -> bytes:
    names = ["Barbell Row", "Pull Up", "Deadlift"] + [f"Row {n}" for n in range(197)]
    out = io.StringIO()
    out.write(HEADER)
    day = datetime(2000, 1, 1, 6, 0)
    for i in range(rows):
        if i and i % 10 == 0:  # the next workout: sixteen a day, an hour apart
            day += timedelta(hours=1) if day.hour < 21 else timedelta(hours=9)
        out.write(f"{day:%Y-%m-%d %H:%M:%S},Pull,1h,{names[i % len(names)]},{i % 10 + 1},"
                  f"{40 + i % 50},{5 + i % 8},,8\n")
    return out.getvalue().encode()


def measure(rows: int, library) -> dict[str, float]:
    """Parse and store the way transfer.import_file does (cyclic GC paused), timed apart."""
    with _bulk():
        return _measure(rows, library)


def _measure(rows: int, library) -> dict[str, float]:
    data = strong_csv(rows)
    t0 = time.perf_counter()
    sum(1 for _ in csv.reader(io.StringIO(data.decode())))
    reference = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = parse_strong(data, library, {})
    parsed = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder)) as store:
        t0 = time.perf_counter()
        counts = store.add_sessions(result.sessions, result.custom_exercises)
        stored = time.perf_counter() - t0
    assert counts.sets_added == rows, counts
    return {"mb": len(data) / 1e6, "parse": parsed, "store": stored, "reference": reference}


def report(sizes=SIZES) -> dict[int, float]:
    library = load_library()
    print(f"Imports (Strong CSV, 10 sets a workout; limit {MAX_IMPORT_ROWS:,} rows)")
    totals = {}
    for rows in sizes:
        m = measure(rows, library)
        total = m["parse"] + m["store"]
        print(f"  {rows:>9,} rows ({m['mb']:5.1f} MB): parse {m['parse']:6.2f} s + store {m['store']:6.2f} s "
              f"= {total:6.2f} s  ({total / m['reference']:.0f}× csv.reader's {m['reference']:.2f} s; "
              f"{total / rows * 1e6:.1f} µs a row)")
        totals[rows] = total
    return totals


if __name__ == "__main__":
    report(tuple(int(a) for a in sys.argv[1:]) or SIZES)
