"""`make bench` keeps working: each benchmark runs once, quickly, and reports sane figures."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import startup  # noqa: E402, I001


def test_startup_bench_runs():
    result = startup.measure(repetitions=1)  # the real app reports its first paint and quits by itself
    assert all(0 < result[name] < 30 for name in ("app", "app_ten_years", "library", "bare"))
    assert result["ratio"] == result["app"] / result["bare"]
    assert result["library_ratio"] == result["library"] / result["bare"]


def test_history_bench_runs(capsys):
    import history

    figures = history.report(years=1, runs=1)
    out = capsys.readouterr().out
    for words in ("logging a set", "plain TinyDB insert", "committing", "opening History", "chart redraw", "peak memory"):
        assert words in out
    assert figures["log_p99_ms"] > 0 and figures["history_open_ms"] > 0 and figures["peak_mb"] > 50


def test_session_timing_bench_runs():
    import subprocess
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parents[2] / "bench" / "session_timing.py"
    proc = subprocess.run([sys.executable, str(bench), "6"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "phase change lateness" in proc.stdout and "reference" in proc.stdout
    assert " 0 phase changes" not in proc.stdout


def test_import_bench_runs_and_stays_linear(capsys):
    import imports

    totals = imports.report(sizes=(2_000, 20_000))
    assert "µs a row" in capsys.readouterr().out
    # Ten times the rows within fifteen times the time: a quadratic import (one TinyDB insert
    # per session, a list scan per session) would take about a hundred times as long.
    assert totals[20_000] < 15 * totals[2_000] + 0.5


def test_pixel_timing_bench_runs():
    import subprocess

    bench = Path(__file__).resolve().parents[2] / "bench" / "pixel_timing.py"
    proc = subprocess.run([sys.executable, str(bench), "5", "1"], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    for words in ("phase pixels", "digit pixels", "longest UI-thread stall", "History opening"):
        assert words in proc.stdout
    assert " 0 shown" not in proc.stdout.split("History opening")[0]  # idle: phases and digits were painted
