"""The demo history: deterministic, and plausible enough to show History and benchmark it."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, timedelta

import pytest

from backcoach.analytics import week_start
from backcoach.demo import DEMO_SOURCE, generate_history
from backcoach.library import load_library
from backcoach.model import SessionLog
from tests.helpers.library_files import make_library_dir

TODAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def shipped():
    return load_library()


@pytest.fixture(scope="module")
def decade(shipped):
    return generate_history(shipped, years=10, seed=42, today=TODAY)


def test_same_seed_same_history_other_seed_other_history(shipped):
    one = generate_history(shipped, years=2, seed=5, today=TODAY)
    again = generate_history(shipped, years=2, seed=5, today=TODAY)
    other = generate_history(shipped, years=2, seed=6, today=TODAY)
    assert [x.to_dict() for x in one] == [x.to_dict() for x in again]
    assert [x.to_dict() for x in one] != [x.to_dict() for x in other]
    assert {x.id for x in one}.isdisjoint({x.id for x in other})
    moved = generate_history(shipped, years=2, seed=5, today=TODAY + timedelta(days=1))
    assert [x.to_dict() for x in moved] != [x.to_dict() for x in one]


def test_no_years_no_history_and_negative_years_refused(shipped):
    assert generate_history(shipped, years=0, seed=1, today=TODAY) == []
    with pytest.raises(ValueError):
        generate_history(shipped, years=-1, seed=1, today=TODAY)


def test_every_record_is_valid_and_survives_a_round_trip(decade):
    assert all(SessionLog.from_dict(x.to_dict()) == x for x in decade)
    assert all(x.source == DEMO_SOURCE for x in decade)
    assert len({x.id for x in decade}) == len(decade)


def test_size_matches_the_benchmark_target(decade):
    sets = sum(len(x.sets) for x in decade)
    assert 1700 <= len(decade) <= 2200
    assert 17 <= sets / len(decade) <= 24
    assert sets >= 35_000


def test_sessions_per_week_and_gaps(decade):
    days = [x.start.date() for x in decade]
    assert days == sorted(days) and len(set(days)) == len(days)  # oldest first, one a day
    assert TODAY - timedelta(days=3653) <= days[0] and days[-1] < TODAY
    per_week = Counter(week_start(d) for d in days)
    assert max(per_week.values()) <= 5
    assert 3 <= statistics.mean(per_week.values()) <= 4.5
    per_year = Counter(d.year for d in days)
    assert all(150 <= n <= 230 for year, n in per_year.items() if year not in (days[0].year, days[-1].year))
    gaps = [(b - a).days for a, b in zip(days, days[1:])]
    assert sum(g >= 8 for g in gaps) >= 10  # holidays most years
    assert max(gaps) >= 24  # a sick month
    assert any(x.note for x in decade)  # "back after a break"


def test_evening_times_in_central_european_time(decade):
    for x in decade:
        start = x.start
        assert 17 <= start.hour <= 20
        summer = date(start.year, 4, 1) <= start.date() <= date(start.year, 10, 20)
        winter = start.month in (11, 12, 1, 2)
        if summer:
            assert start.utcoffset() == timedelta(hours=2)
        if winter:
            assert start.utcoffset() == timedelta(hours=1)
        assert 45 * 60 <= x.duration_seconds <= 90 * 60
        times = [s.logged_at for s in x.sets]
        assert times == sorted(times) and x.started_at < times[0] and times[-1] <= x.ended_at


def test_routines_rotate(decade):
    routines = [x.routine for x in decade]
    assert len(set(routines)) == 3
    assert all(a != b for a, b in zip(routines, routines[1:]))
    for x in decade:
        assert 4 <= len(x.exercise_ids) <= 7


def test_sets_follow_the_library(decade, shipped):
    kinds = Counter()
    rpe_sets = 0
    for x in decade:
        for s in x.sets:
            ex = shipped.exercises[s.exercise_id]  # every id is in the library
            kinds[s.kind] += 1
            rpe_sets += s.rpe is not None
            if ex.is_timed:
                assert s.seconds and s.reps is None and s.load_kg is None
                continue
            assert s.seconds is None and s.reps
            if s.kind != "warmup":
                low, high = ex.prescription.reps
                assert low <= s.reps <= high
            if ex.increment_kg == 0:
                assert s.load_kg is None  # body weight
            else:
                assert s.load_kg and s.load_kg > 0
        for ex_id in x.exercise_ids:
            mine = [s for s in x.sets if s.exercise_id == ex_id]
            if shipped.exercises[ex_id].unilateral:
                sides = Counter(s.side for s in mine)
                assert set(sides) == {"left", "right"} and sides["left"] == sides["right"]
            else:
                assert all(s.side is None for s in mine)
            warmups = [s.load_kg for s in mine if s.kind == "warmup"]
            work = [s.load_kg for s in mine if s.kind in ("normal", "failure")]
            if warmups:
                assert max(warmups) < min(work) and mine[0].kind == "warmup"
    assert kinds["warmup"] > 1000 and kinds["drop"] > 20 and kinds["failure"] > 20
    assert 0.05 < rpe_sets / sum(kinds.values()) < 0.5


def test_back_training_staples(decade):
    used = Counter(s.exercise_id for x in decade for s in x.sets if s.kind != "warmup")
    for staple in ("deadlift", "face-pull", "lat-pulldown", "back-extension", "dead-hang",
                   "pull-up", "weighted-pull-up", "one-arm-dumbbell-row"):
        assert used[staple] > 0, staple
    vertical = sum(n for ex, n in used.items() if ex in ("pull-up", "weighted-pull-up", "band-assisted-pull-up"))
    assert vertical > 1000


def test_loads_progress_from_first_to_last_year(decade):
    def mean_load(exercise, first_day):
        loads = [s.load_kg for x in decade if first_day <= x.start.date() < first_day + timedelta(days=365)
                 for s in x.sets if s.exercise_id == exercise and s.kind == "normal"]
        return statistics.mean(loads)

    first_year, last_year = decade[0].start.date(), TODAY - timedelta(days=365)
    assert mean_load("deadlift", last_year) > 1.4 * mean_load("deadlift", first_year)
    assert mean_load("lat-pulldown", last_year) > 1.2 * mean_load("lat-pulldown", first_year)
    # Progress is not a straight line: some sessions are lighter than the one before.
    dl = [max(s.load_kg for s in x.sets if s.exercise_id == "deadlift" and s.kind == "normal")
          for x in decade if "deadlift" in x.exercise_ids]
    assert sum(b < a for a, b in zip(dl, dl[1:])) >= 10


def test_pull_ups_progress_from_band_to_weighted(decade):
    first_seen = {}
    for i, x in enumerate(decade):
        for ex in x.exercise_ids:
            first_seen.setdefault(ex, i)
    assert first_seen["band-assisted-pull-up"] < first_seen["pull-up"] < first_seen["weighted-pull-up"]


def test_works_with_any_library(tmp_path):
    small = load_library(make_library_dir(tmp_path))  # two rows, one of them timed
    history = generate_history(small, years=1, seed=3, today=TODAY)
    assert len(history) > 100
    used = {s.exercise_id for x in history for s in x.sets}
    assert used == set(small.exercises)
