"""Last time at a glance: the presenter every screen uses."""

from __future__ import annotations

from datetime import date

from backcoach.last_time import last_time
from backcoach.model import SessionLog, SetLog


def session(day: str, *sets: SetLog) -> SessionLog:
    return SessionLog(started_at=f"{day}T18:00:00+00:00", ended_at=f"{day}T19:00:00+00:00", sets=sets, id=f"s-{day}")


HISTORY = [
    session("2026-03-02", SetLog("barbell-row", 1, reps=10, load_kg=30.0, kind="warmup"),
            SetLog("barbell-row", 2, reps=8, load_kg=60.0, rpe=7.0), SetLog("barbell-row", 3, reps=8, load_kg=60.0, rpe=8.0),
            SetLog("barbell-row", 4, reps=8, load_kg=60.0, rpe=8.5)),
    session("2026-02-20", SetLog("barbell-row", 1, reps=12, load_kg=57.5)),
    session("2026-03-05", SetLog("dead-hang", 1, seconds=30.0), SetLog("dead-hang", 2, seconds=30.0)),
]


def test_sets_reps_load_rpe_and_best_set_of_the_latest_session():
    last = last_time("barbell-row", HISTORY)
    assert last.day == date(2026, 3, 2)
    assert len(last.sets) == 3  # the warm-up is left out
    assert last.describe("kg", today=date(2026, 3, 9)) == "3 × 8 @ 60 kg · RPE 8.5 · best 60 kg × 8 (2 Mar)"
    assert last.describe("kg", today=date(2027, 1, 9)).endswith("(2 Mar 2026)")


def test_different_loads_show_each_set_and_the_best_by_estimated_1rm():
    history = [session("2026-04-01", SetLog("barbell-row", 1, reps=10, load_kg=60.0),
                       SetLog("barbell-row", 2, reps=5, load_kg=70.0), SetLog("barbell-row", 3, reps=8, load_kg=62.5))]
    last = last_time("barbell-row", history)
    assert last.sets_text("kg") == "60 kg × 10, 70 kg × 5, 62.5 kg × 8"
    assert last.best_text("kg") == "70 kg × 5"  # e1RM 81.7 kg beats 60 × 10 (80) and 62.5 × 8 (79.2)
    assert last.top_rpe is None


def test_holds_and_sides_and_before():
    assert last_time("dead-hang", HISTORY).sets_text("kg") == "2 × 30 s"
    sided = [session("2026-04-01", SetLog("one-arm-dumbbell-row", 1, reps=10, load_kg=22.0, side="left"),
                     SetLog("one-arm-dumbbell-row", 1, reps=9, load_kg=22.0, side="right"))]
    assert last_time("one-arm-dumbbell-row", sided).sets_text("kg") == "1 × 9 each side @ 22 kg"
    assert last_time("barbell-row", HISTORY, before="2026-03-01").day == date(2026, 2, 20)
    assert last_time("pull-up", HISTORY) is None
