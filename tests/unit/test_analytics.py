"""History analytics: exact values on small hand-built histories, properties on random ones,
and sane answers on ten years of demo data."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach import analytics as an
from backcoach.analytics import (
    EPLEY,
    Best,
    PrEvent,
    Streaks,
    TopSet,
    compare_with_previous,
    epley_1rm,
    exercise_progress,
    hard_set_share,
    is_hard_set,
    personal_records,
    session_prs,
    training_calendar,
    weekly_sets_by_muscle,
    weekly_streaks,
    weekly_volume_by_pattern,
)
from backcoach.demo import generate_history
from backcoach.library import load_library
from backcoach.model import SessionLog, SetLog
from tests.helpers.library_files import make_library_dir

# A small library whose muscles and patterns the tests can rely on exactly.
TEST_EXERCISES = '''
[[exercise]]
id = "row"
name = "Row"
pattern = "horizontal-row"
equipment = ["dumbbell"]
level = "beginner"
primary_muscles = ["lats", "traps-middle"]
secondary_muscles = ["biceps"]
unilateral = false
mode = "reps"
focus_cue = "Elbows back"
steps = ["One.", "Two.", "Three."]
tips = ["A tip."]
mistakes = ["A mistake."]
increment_kg = 2

[exercise.prescription]
sets = 3
reps = [8, 12]
rest_seconds = 90

[[exercise]]
id = "one-arm-pulldown"
name = "One-arm pulldown"
pattern = "vertical-pull"
equipment = ["cable"]
level = "beginner"
primary_muscles = ["lats"]
secondary_muscles = ["biceps", "rear-delts"]
unilateral = true
mode = "reps"
focus_cue = "Elbow to hip"
steps = ["One.", "Two.", "Three."]
tips = ["A tip."]
mistakes = ["A mistake."]
increment_kg = 2

[exercise.prescription]
sets = 3
reps = [10, 12]
rest_seconds = 60

[[exercise]]
id = "deadlift"
name = "Deadlift"
pattern = "hinge"
equipment = ["barbell"]
level = "intermediate"
primary_muscles = ["erector-spinae", "glutes"]
unilateral = false
mode = "reps"
focus_cue = "Push the floor"
steps = ["One.", "Two.", "Three."]
tips = ["A tip."]
mistakes = ["A mistake."]
increment_kg = 2.5

[exercise.prescription]
sets = 3
reps = [5, 8]
rest_seconds = 180

[[exercise]]
id = "hang"
name = "Hang"
pattern = "vertical-pull"
equipment = ["pull-up-bar"]
level = "beginner"
primary_muscles = ["forearms"]
unilateral = false
mode = "timed"
focus_cue = "Relax"
steps = ["One.", "Two.", "Three."]
tips = ["A tip."]
mistakes = ["A mistake."]

[exercise.prescription]
sets = 2
seconds = 30
rest_seconds = 60
'''


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    return load_library(make_library_dir(tmp_path_factory.mktemp("analytics"), exercises=TEST_EXERCISES))


_counter = iter(range(1, 10**9))


def s(exercise: str, reps: int | None = None, load: float | None = None, *, kind: str = "normal",
      side: str | None = None, seconds: float | None = None) -> SetLog:
    return SetLog(exercise, set_number=1, reps=reps, load_kg=load, kind=kind, side=side, seconds=seconds)


def session(day: str, *sets: SetLog, sid: str | None = None, time: str = "18:00", offset: str = "+01:00",
            minutes: int | None = 60, routine: str | None = None) -> SessionLog:
    start = f"{day}T{time}:00{offset}"
    end = None
    if minutes is not None:
        end = (datetime.fromisoformat(start) + timedelta(minutes=minutes)).isoformat()
    return SessionLog(started_at=start, ended_at=end, sets=sets, routine=routine,
                      id=sid or f"s{next(_counter)}")


def shuffled(items, seed=1):
    out = list(items)
    random.Random(seed).shuffle(out)
    return out


# --- single sets ------------------------------------------------------------------------------

def test_epley_values():
    assert EPLEY == "Epley"
    assert epley_1rm(100, 1) == 100
    assert epley_1rm(100, 5) == pytest.approx(100 * (1 + 5 / 30))
    assert epley_1rm(100, 10) == pytest.approx(133.3333333)
    assert epley_1rm(60.5, 3) == pytest.approx(66.55)


@pytest.mark.parametrize(("load", "reps"), [(None, 5), (0, 5), (0.0, 1), (100, 0), (100, None), (None, None)])
def test_epley_has_no_estimate_without_load_or_reps(load, reps):
    assert epley_1rm(load, reps) is None


@given(st.floats(min_value=0.5, max_value=500), st.integers(min_value=1, max_value=100))
def test_epley_is_never_below_the_load_and_grows_with_reps(load, reps):
    e = epley_1rm(load, reps)
    assert e >= load
    assert epley_1rm(load, reps + 1) > e


def test_hard_sets_are_all_but_warmups_and_one_side_is_half():
    assert not is_hard_set(s("row", 10, 20, kind="warmup"))
    assert all(is_hard_set(s("row", 10, 20, kind=k)) for k in ("normal", "drop", "failure"))
    assert hard_set_share(s("row", 10, 20)) == 1
    assert hard_set_share(s("row", 10, 20, kind="drop")) == 1
    assert hard_set_share(s("row", 10, 20, side="left")) == 0.5
    assert hard_set_share(s("row", 10, 20, kind="warmup", side="left")) == 0


def test_top_set_is_heaviest_load_then_most_reps():
    sets = [s("row", 12, 20), s("row", 6, 30), s("row", 8, 30), s("row", 3, 40, kind="warmup"), s("row", 0, 35)]
    assert an.top_set(sets) == TopSet(load_kg=30, reps=8)
    assert an.top_set([s("row", 8), s("row", 11), s("row", 9)]) == TopSet(reps=11)
    assert an.top_set([s("hang", seconds=30), s("hang", seconds=42)]) == TopSet(seconds=42)
    assert an.top_set([s("row", 5, 100, kind="warmup")]) is None


# --- progress ---------------------------------------------------------------------------------

def test_exercise_progress_per_date_with_prs_and_warmups_ignored():
    history = [
        session("2024-03-04", s("deadlift", 5, 60, kind="warmup"), s("deadlift", 5, 100), s("deadlift", 4, 100),
                s("row", 10, 20), sid="a"),
        session("2024-03-06", s("deadlift", 1, 200, kind="warmup"), s("deadlift", 5, 105), s("deadlift", 3, 110), sid="b"),
        session("2024-03-08", s("deadlift", 5, 105), sid="c"),  # equal to b's best: no PR
        session("2024-03-10", s("row", 12, 20), sid="d"),  # no deadlift: no point
        # Two sessions on one day make one point.
        session("2024-03-12", s("deadlift", 2, 120), sid="e", time="08:00"),
        session("2024-03-12", s("deadlift", 8, 90), sid="f", time="19:00"),
    ]
    points = exercise_progress(shuffled(history), "deadlift")
    assert [p.date for p in points] == [date(2024, 3, 4), date(2024, 3, 6), date(2024, 3, 8), date(2024, 3, 12)]
    assert [p.session_ids for p in points] == [("a",), ("b",), ("c",), ("e", "f")]
    assert [p.best_e1rm for p in points] == pytest.approx([100 * 7 / 6, 105 * 7 / 6, 105 * 7 / 6, 120 * 32 / 30])
    assert [p.top_set for p in points] == [TopSet(100, 5), TopSet(110, 3), TopSet(105, 5), TopSet(120, 2)]
    assert [p.volume_kg for p in points] == [900, 855, 525, 960]
    assert [p.hard_sets for p in points] == [2, 2, 1, 2]
    assert [p.is_pr for p in points] == [False, True, False, True]


def test_exercise_progress_of_body_weight_and_unknown_exercises():
    history = [session("2024-01-01", s("pull-up", 8), s("pull-up", 6)), session("2024-01-03", s("pull-up", 9))]
    points = exercise_progress(history, "pull-up")
    assert [(p.best_e1rm, p.top_set, p.volume_kg, p.is_pr) for p in points] == [
        (None, TopSet(reps=8), 0, False), (None, TopSet(reps=9), 0, False)]
    assert exercise_progress(history, "nothing") == []


# --- records ----------------------------------------------------------------------------------

def pr_history():
    return [
        session("2024-01-01", s("deadlift", 5, 100), s("deadlift", 5, 100), sid="s1"),  # baseline
        session("2024-01-08", s("deadlift", 5, 100), s("deadlift", 5, 100), sid="s2"),  # equal: nothing
        session("2024-01-15", s("deadlift", 3, 105), s("deadlift", 3, 105), sid="s3"),  # heavier
        session("2024-01-22", s("deadlift", 6, 100), s("deadlift", 4, 100), sid="s4"),  # more reps
        # A lighter load never tried is no rep record; a heavy warm-up is no load record.
        session("2024-01-29", s("deadlift", 1, 140, kind="warmup"), s("deadlift", 6, 90), sid="s5"),
        session("2024-02-05", s("deadlift", 4, 105), s("deadlift", 2, 110), sid="s6"),
    ]


def test_session_prs_in_the_order_they_were_set():
    prs = session_prs(shuffled(pr_history()))
    assert set(prs) == {"s3", "s4", "s6"}
    d = date(2024, 1, 1)
    assert prs["s3"] == [PrEvent("s3", d + timedelta(days=14), "deadlift", "load", 105, 100, 105, 3)]
    # 100 × 6 beats the estimate of 100 × 5 and the reps at 100 kg; its 1000 kg only equal s1's.
    assert prs["s4"] == [
        PrEvent("s4", d + timedelta(days=21), "deadlift", "e1rm", pytest.approx(120), pytest.approx(100 * 7 / 6), 100, 6),
        PrEvent("s4", d + timedelta(days=21), "deadlift", "reps", 6, 5, 100, 6),
    ]
    kinds = {(e.kind, e.value, e.previous) for e in prs["s6"]}
    # 110 × 2 is a load record; 105 × 4 beats the 3 reps done at 105 before.
    assert ("load", 110, 105) in kinds and ("reps", 4, 3) in kinds
    assert [e.kind for e in prs["s6"]] == ["load", "reps"]


def test_volume_record_needs_more_tonnage_than_before():
    prs = session_prs(pr_history())
    # s1 and s2: 1000 kg; s3: 630; s4: 1000 (equal, no record); s6: 640.
    assert not any(e.kind == "volume" for events in prs.values() for e in events)
    more = pr_history() + [session("2024-02-12", *[s("deadlift", 5, 100)] * 3, sid="s7")]
    assert session_prs(more)["s7"] == [PrEvent("s7", date(2024, 2, 12), "deadlift", "volume", 1500, 1000)]


def test_two_sets_at_a_new_best_make_one_record_and_the_first_session_is_a_baseline():
    history = [
        session("2024-01-01", s("row", 10, 20), sid="a"),
        session("2024-01-02", s("row", 10, 22), s("row", 10, 24), s("row", 10, 24), sid="b"),
    ]
    prs = session_prs(history)
    assert "a" not in prs
    assert [(e.kind, e.value, e.previous) for e in prs["b"]] == [
        ("load", 24, 20), ("e1rm", pytest.approx(32), pytest.approx(20 + 20 / 3)), ("volume", 700, 200)]


def test_body_weight_rep_records():
    history = [
        session("2024-01-01", s("pull-up", 8), sid="a"),
        session("2024-01-03", s("pull-up", 8), sid="b"),
        session("2024-01-05", s("pull-up", 10), s("pull-up", 7), sid="c"),
    ]
    assert session_prs(history) == {"c": [PrEvent("c", date(2024, 1, 5), "pull-up", "reps", 10, 8, None, 10)]}
    rec = personal_records(history)["pull-up"]
    assert rec.heaviest is None and rec.best_e1rm is None and rec.best_volume is None
    assert rec.most_reps == Best(10, date(2024, 1, 5), "c", None, 10)
    assert rec.reps_by_load == {0.0: Best(10, date(2024, 1, 5), "c", None, 10)}


def test_personal_records():
    records = personal_records(shuffled(pr_history(), seed=3))
    assert set(records) == {"deadlift"}
    r = records["deadlift"]
    assert r.heaviest == Best(110, date(2024, 2, 5), "s6", 110, 2)
    assert r.best_e1rm == Best(pytest.approx(120), date(2024, 1, 22), "s4", 100, 6)
    # 1000 kg in s1, equalled in s2 and s4: the first one holds the record.
    assert r.best_volume == Best(1000, date(2024, 1, 1), "s1")
    assert r.most_reps == Best(6, date(2024, 1, 22), "s4", 100, 6)
    assert r.reps_by_load == {
        90: Best(6, date(2024, 1, 29), "s5", 90, 6),
        100: Best(6, date(2024, 1, 22), "s4", 100, 6),
        105: Best(4, date(2024, 2, 5), "s6", 105, 4),
        110: Best(2, date(2024, 2, 5), "s6", 110, 2),
    }
    assert 140 not in r.reps_by_load  # the warm-up


def test_heaviest_keeps_more_reps_at_the_same_load():
    history = [session("2024-01-01", s("row", 8, 30), sid="a"), session("2024-01-02", s("row", 9, 30), sid="b"),
               session("2024-01-03", s("row", 9, 30), sid="c")]
    assert personal_records(history)["row"].heaviest == Best(30, date(2024, 1, 2), "b", 30, 9)


def test_records_ignore_warmup_only_exercises_and_empty_history():
    assert personal_records([]) == {} and session_prs([]) == {}
    assert personal_records([session("2024-01-01", s("row", 10, 50, kind="warmup"))]) == {}


# Random histories of one exercise: records against a brute-force reading of the rules.
set_strategy = st.tuples(st.sampled_from([0.0, 20.0, 22.5, 25.0, 30.0]), st.integers(0, 12),
                         st.sampled_from(["normal", "normal", "warmup", "drop"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(set_strategy, min_size=1, max_size=5), min_size=1, max_size=12), st.randoms())
def test_records_match_a_brute_force_reading(raw_sessions, rnd):
    history = [
        session((date(2024, 1, 1) + timedelta(days=i)).isoformat(),
                *[s("row", reps, load or None, kind=kind) for load, reps, kind in sets], sid=f"x{i:02d}")
        for i, sets in enumerate(raw_sessions)
    ]
    order = list(history)
    rnd.shuffle(order)
    prs = session_prs(order)
    records = personal_records(order)
    assert prs == session_prs(history) and records == personal_records(history)

    seen: list[tuple[float, int]] = []  # (load, reps) of earlier work sets with reps
    first = True
    best_volume = None
    for sess in history:
        work = [(x.load_kg or 0.0, x.reps) for x in sess.work_sets if x.reps]
        kinds = {e.kind: e for e in prs.get(sess.id, [])}
        loaded = [w for w in work if w[0] > 0]
        if not first and loaded and any(load > 0 for load, _ in seen):
            assert ("load" in kinds) == (max(w[0] for w in loaded) > max(load for load, _ in seen))
        elif not first and loaded and not any(load > 0 for load, _ in seen):
            assert "load" not in kinds  # no earlier load to beat: the first loaded set is a baseline
        rep_records = [(load, reps) for load, reps in work
                       if any(l2 >= load for l2, _ in seen) and reps > max(r for l2, r in seen if l2 >= load)]
        assert ("reps" in kinds) == (not first and bool(rep_records))
        if "reps" in kinds:
            assert (kinds["reps"].load_kg or 0.0, kinds["reps"].reps) == max(rep_records)
        volume = sum(x.volume_kg for x in sess.work_sets)
        if not first and volume > 0 and best_volume:
            assert ("volume" in kinds) == (volume > best_volume)
        if sess.work_sets:
            first = False
            if volume > 0:
                best_volume = max(best_volume or 0, volume)
        seen += work

    all_work = [x for sess in history for x in sess.work_sets]
    if all_work:
        rec = records["row"]
        loads = [x.load_kg for x in all_work if x.reps and x.load_kg]
        assert (rec.heaviest.value if rec.heaviest else None) == (max(loads) if loads else None)
        e1rms = [epley_1rm(x.load_kg, x.reps) for x in all_work if epley_1rm(x.load_kg, x.reps)]
        assert (rec.best_e1rm.value if rec.best_e1rm else None) == (max(e1rms) if e1rms else None)
        for load, best in rec.reps_by_load.items():
            assert best.value == max(x.reps for x in all_work if (x.load_kg or 0.0) == load and x.reps)


# --- weekly volume ----------------------------------------------------------------------------

def test_weekly_volume_groups_iso_weeks_across_the_year_boundary(lib):
    history = [
        session("2020-12-28", s("deadlift", 5, 100), s("row", 10, 20)),  # Monday of 2020-W53
        session("2021-01-03", s("deadlift", 5, 100, kind="warmup"), s("deadlift", 5, 110), time="23:30"),  # Sunday, W53
        # 00:30 on Monday local time is still Sunday in UTC: it belongs to Monday's week.
        session("2021-01-04", s("one-arm-pulldown", 10, 30, side="left"), s("one-arm-pulldown", 10, 30, side="right"),
                s("custom-zercher-row", 8, 60), time="00:30"),
        session("2021-01-20", s("hang", seconds=30), s("unknown-thing", 5)),  # 2021-W03; W02 is empty
    ]
    weeks = weekly_volume_by_pattern(shuffled(history), lib)
    assert [(w.week_start, w.iso_year, w.iso_week) for w in weeks] == [
        (date(2020, 12, 28), 2020, 53), (date(2021, 1, 4), 2021, 1),
        (date(2021, 1, 11), 2021, 2), (date(2021, 1, 18), 2021, 3)]
    w53, w1, w2, w3 = weeks
    assert {p: (v.hard_sets, v.tonnage_kg) for p, v in w53.by_pattern.items()} == {
        "horizontal-row": (1, 200), "hinge": (2, 1050)}
    assert list(w53.by_pattern) == ["horizontal-row", "hinge"]  # library order
    assert {p: (v.hard_sets, v.tonnage_kg) for p, v in w1.by_pattern.items()} == {
        "vertical-pull": (1, 600), "other": (1, 480)}
    assert list(w1.by_pattern) == ["vertical-pull", "other"]  # "other" last
    assert w2.by_pattern == {} and w2.hard_sets == 0 and w2.tonnage_kg == 0
    assert {p: (v.hard_sets, v.tonnage_kg) for p, v in w3.by_pattern.items()} == {
        "vertical-pull": (1, 0), "other": (1, 0)}
    assert w53.hard_sets == 3 and w53.tonnage_kg == 1250


def test_weekly_volume_week_52_to_week_1_and_range(lib):
    history = [session("2021-12-31", s("row", 10, 20)), session("2022-01-02", s("row", 10, 20)),
               session("2022-01-03", s("row", 10, 20))]
    weeks = weekly_volume_by_pattern(history, lib)
    assert [(w.iso_year, w.iso_week, w.hard_sets) for w in weeks] == [(2021, 52, 2), (2022, 1, 1)]
    clipped = weekly_volume_by_pattern(history, lib, start=date(2022, 1, 1), end=date(2022, 1, 16))
    assert [(w.iso_year, w.iso_week, w.hard_sets) for w in clipped] == [(2021, 52, 2), (2022, 1, 1), (2022, 2, 0)]
    assert weekly_volume_by_pattern([], lib) == []


# --- muscles, calendar, streaks ---------------------------------------------------------------

def test_weekly_sets_by_muscle_weights_primary_secondary_and_sides(lib):
    today = date(2024, 6, 14)
    history = [
        session("2024-06-14", s("row", 10, 20), s("row", 10, 20), s("row", 10, 20, kind="warmup")),
        session("2024-06-01", s("one-arm-pulldown", 10, 30, side="left"), s("one-arm-pulldown", 10, 30, side="right")),
        session("2024-05-31", s("row", 10, 20)),  # 15 days ago: outside two weeks
        session("2024-06-15", s("row", 10, 20)),  # after today
        session("2024-06-10", s("custom-thing", 10, 20)),
    ]
    sets = weekly_sets_by_muscle(shuffled(history), lib, weeks=2, today=today)
    assert set(sets) == set(lib.muscles)
    # lats: 2 row sets (primary) + 1 pulldown set (two sides, primary) over 2 weeks.
    assert sets["lats"] == 1.5
    assert sets["traps-middle"] == 1.0
    assert sets["biceps"] == (2 * 0.5 + 1 * 0.5) / 2
    assert sets["rear-delts"] == 0.5 / 2
    assert sets["glutes"] == 0
    # 2024-06-01 is the first day of the 14-day window ending on 2024-06-14.
    assert weekly_sets_by_muscle(history, lib, weeks=2, today=date(2024, 6, 15))["rear-delts"] == 0
    with pytest.raises(ValueError):
        weekly_sets_by_muscle(history, lib, weeks=0, today=today)


def test_training_calendar():
    today = date(2024, 6, 14)
    history = [
        session("2024-06-14", s("row", 10, 20), s("row", 10, 20, side="left"), s("row", 10, 20, side="right")),
        session("2024-06-14", s("row", 10, 20), time="07:00"),
        session("2024-06-10", s("row", 10, 20, kind="warmup")),
        session("2023-06-16", s("row", 10, 20)),  # the first of 365 days
        session("2023-06-15", s("row", 10, 20)),  # one day too early
        session("2024-06-15", s("row", 10, 20)),  # the future
    ]
    assert training_calendar(shuffled(history), today) == {
        date(2023, 6, 16): 1, date(2024, 6, 10): 0, date(2024, 6, 14): 3}
    assert list(training_calendar(history, today, days=7)) == [date(2024, 6, 10), date(2024, 6, 14)]


def weeks_trained(*mondays: str) -> list[SessionLog]:
    return [session((date.fromisoformat(m) + timedelta(days=2)).isoformat(), s("row", 10, 20)) for m in mondays]


STREAK_WEEKS = ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-29", "2024-02-05"]  # gap: week of 01-22


@pytest.mark.parametrize(("today", "expected"), [
    ("2024-02-08", Streaks(2, 3)),  # this week trained
    ("2024-02-12", Streaks(2, 3)),  # Monday of an untrained week: last week still counts
    ("2024-02-18", Streaks(2, 3)),  # Sunday of an untrained week
    ("2024-02-19", Streaks(0, 3)),  # a whole week missed
    ("2024-02-05", Streaks(1, 3)),  # Monday: this week's Wednesday session is still in the future
    ("2024-01-24", Streaks(3, 3)),  # in the gap week itself, the run up to last week counts
])
def test_weekly_streaks(today, expected):
    history = weeks_trained(*STREAK_WEEKS)
    assert weekly_streaks(shuffled(history), date.fromisoformat(today)) == expected


def test_weekly_streaks_edges():
    assert weekly_streaks([], date(2024, 1, 1)) == Streaks(0, 0)
    # This week trained, last week not: a streak of one.
    assert weekly_streaks(weeks_trained("2024-01-01", "2024-01-15"), date(2024, 1, 19)) == Streaks(1, 1)
    # ISO week 53 of 2020 and week 1 of 2021 are consecutive.
    history = weeks_trained("2020-12-21", "2020-12-28", "2021-01-04")
    assert weekly_streaks(history, date(2021, 1, 10)) == Streaks(3, 3)
    # A session in the future does not count.
    assert weekly_streaks(weeks_trained("2024-01-08"), date(2024, 1, 1)) == Streaks(0, 0)


# --- one session ------------------------------------------------------------------------------

def test_compare_with_previous():
    history = [
        session("2024-05-01", s("deadlift", 5, 95), s("row", 10, 20), sid="old"),
        session("2024-05-03", s("deadlift", 5, 100), s("deadlift", 5, 100), s("row", 10, 20, kind="warmup"), sid="prev"),
        session("2024-05-10", s("deadlift", 5, 102.5), s("row", 12, 20), s("face-pull", 15, 15), sid="now"),
        session("2024-05-12", s("deadlift", 5, 200), sid="later"),
    ]
    now = history[2]
    for given_sessions in (history, [h for h in history if h.id != "now"]):
        rows = compare_with_previous(shuffled(given_sessions), now)
        assert [r.exercise_id for r in rows] == ["deadlift", "row", "face-pull"]
        dl, row, fp = rows
        assert (dl.previous_session_id, dl.previous_date, dl.previous_top_set, dl.previous_volume_kg) == (
            "prev", date(2024, 5, 3), TopSet(100, 5), 1000)
        assert (dl.top_set, dl.volume_kg, dl.volume_change_kg) == (TopSet(102.5, 5), 512.5, -487.5)
        # "prev" had only a warm-up row, so the previous row is the one before.
        assert (row.previous_session_id, row.previous_top_set, row.top_set, row.volume_change_kg) == (
            "old", TopSet(20, 10), TopSet(20, 12), 40)
        assert (fp.previous_session_id, fp.previous_top_set, fp.previous_volume_kg, fp.volume_change_kg) == (
            None, None, None, None)


# --- ten years of demo data -------------------------------------------------------------------

@pytest.fixture(scope="module")
def decade():
    library = load_library()
    today = date(2025, 6, 1)
    return library, today, generate_history(library, years=10, seed=7, today=today)


def test_ten_years_give_sensible_answers(decade):
    library, today, history = decade
    assert 1700 <= len(history) <= 2300 and sum(len(x.sets) for x in history) > 35_000
    history = shuffled(history)
    ordered = sorted(history, key=lambda x: x.start)

    points = exercise_progress(history, "deadlift")
    assert len(points) > 400 and any(p.is_pr for p in points)
    assert points[-1].best_e1rm > points[0].best_e1rm * 1.5

    records = personal_records(history)
    assert set(records) <= set(library.exercises) and "deadlift" in records
    dl = records["deadlift"]
    assert dl.heaviest.value >= max(p.top_set.load_kg for p in points) and dl.best_e1rm.value == max(
        p.best_e1rm for p in points)
    assert records["pull-up"].heaviest is None and records["pull-up"].most_reps.value >= 5

    prs = session_prs(history)
    ids = {x.id for x in history}
    assert 0 < len(prs) < len(history) and set(prs) <= ids
    assert all(e.kind in an.PR_KINDS and e.value > e.previous for events in prs.values() for e in events)
    assert ordered[0].id not in prs

    weeks = weekly_volume_by_pattern(history, library)
    assert 515 <= len(weeks) <= 530
    assert sum(w.hard_sets for w in weeks) == pytest.approx(sum(hard_set_share(x) for h in history for x in h.sets))
    assert all(p in library.patterns for w in weeks for p in w.by_pattern)

    muscles = weekly_sets_by_muscle(history, library, weeks=4, today=today)
    assert muscles["lats"] > 5 and muscles["lats"] > muscles["quadriceps"]

    calendar = training_calendar(history, today)
    assert 120 <= len(calendar) <= 260 and all(today - timedelta(days=364) <= d <= today for d in calendar)

    streaks = weekly_streaks(history, today)
    assert 1 <= streaks.current_weeks <= streaks.longest_weeks < 60

    last = ordered[-1]
    assert 4 <= len(last.exercise_ids) <= 7 and 45 * 60 <= last.duration_seconds <= 90 * 60
    rows = compare_with_previous(history, ordered[-1])
    assert rows and all(r.previous_session_id for r in rows)


def test_longest_hold_is_a_record_and_a_pr():
    from backcoach.analytics import personal_records, session_prs
    from backcoach.model import SessionLog, SetLog

    def hang(day, seconds):
        return SessionLog(started_at=f"2025-01-{day:02d}T18:00:00+00:00",
                          sets=[SetLog("dead-hang", n, seconds=s) for n, s in enumerate(seconds, 1)])

    sessions = [hang(1, [30, 35]), hang(8, [35, 32]), hang(15, [40, 20])]
    record = personal_records(sessions)["dead-hang"].longest_hold
    assert (record.value, record.date.day) == (40, 15)
    prs = session_prs(sessions)
    assert [(p.kind, p.value, p.previous) for p in prs[sessions[2].id]] == [("hold", 40, 35)]
    assert sessions[1].id not in prs  # equal to the record is no record


def test_heat_shades_grow_with_the_weekly_sets_up_to_the_full_mark(lib):
    """The Muscles tab, the routine figure and the session summary shade by this one rule."""
    from backcoach.analytics import HEAT_FULL_SETS, heat_level, neglected_muscles

    assert heat_level(0) is None and heat_level(-1) is None
    assert heat_level(0.5) == pytest.approx(0.25 + 0.75 * 0.5 / HEAT_FULL_SETS)
    assert heat_level(7) < heat_level(HEAT_FULL_SETS) == heat_level(40) == 1.0
    some = next(m for m in lib.muscles if lib.exercises_for_muscle(m))
    untrained = [m for m in lib.muscles if not lib.exercises_for_muscle(m)]
    sets = {some: 0.0, **{m: 0.0 for m in untrained}, "lats": 6.0}
    assert neglected_muscles(sets, lib) == ([some] if some != "lats" else [])


def test_training_days_in_year_counts_the_last_365_days():
    from backcoach.analytics import training_days_in_year

    today = date(2026, 11, 30)
    days = [today, today - timedelta(days=364), today - timedelta(days=365), today - timedelta(days=400)]
    assert training_days_in_year(days, today) == 2
