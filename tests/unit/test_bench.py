"""`make bench` keeps working: each benchmark runs once, quickly, and reports sane figures."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import startup  # noqa: E402


def test_startup_bench_runs():
    result = startup.measure(repetitions=1)
    assert 0 < result["bare"] < 30 and 0 < result["app"] < 30
    assert result["ratio"] == result["app"] / result["bare"]
