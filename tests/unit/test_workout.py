"""The whole workout at a glance (backcoach.workout): set positions with warm-ups apart, the
summary's counts and per-exercise lists, a routine's preview and its estimated duration, and
swap suggestions ranked by similarity."""

from __future__ import annotations

import pytest

from backcoach.model import SessionLog, SetLog
from backcoach.session import step_timeline
from backcoach.workout import (
    LOG_SECONDS,
    estimate_seconds,
    last_done,
    preview,
    ranked_swaps,
    set_counts,
    set_position,
    sets_by_exercise,
    swap_similarity,
)
from tests.helpers.session_runner import fixed_plan


def test_warm_ups_are_counted_apart_from_work_sets():
    steps = fixed_plan()  # barbell row: 1 warm-up, 2 work sets
    assert set_position(steps, steps[0]).text() == "Warm-up 1 of 1"
    assert set_position(steps, steps[1]).text() == "Set 1 of 2"
    assert set_position(steps, steps[2]).text() == "Set 2 of 2"
    assert set_position(steps, steps[4]).text() == "Set 1 of 1"


def _session() -> SessionLog:
    sets = (
        SetLog("barbell-row", 1, reps=8, load_kg=30.0, kind="warmup"),
        SetLog("barbell-row", 2, reps=8, load_kg=60.0),
        SetLog("barbell-row", 3, reps=7, load_kg=60.0),
        SetLog("one-arm-dumbbell-row", 1, reps=10, load_kg=22.0, side="left"),
        SetLog("one-arm-dumbbell-row", 1, reps=10, load_kg=22.0, side="right"),
        SetLog("dead-hang", 1, seconds=30.0),
    )
    return SessionLog(started_at="2026-05-01T18:00:00+00:00", ended_at="2026-05-01T19:00:00+00:00", sets=sets)


def test_counts_and_volume_are_the_same_sets():
    session = _session()
    counts = set_counts(session)
    assert (counts.work, counts.warmups) == (4, 1)  # a left/right pair is one set
    assert session.volume_kg == 8 * 60 + 7 * 60 + 2 * 10 * 22  # the warm-up's 240 kg is not in it


def test_sets_by_exercise_lists_work_sets_in_order_and_counts_warm_ups():
    done = sets_by_exercise(_session().sets)
    assert [d.exercise_id for d in done] == ["barbell-row", "one-arm-dumbbell-row", "dead-hang"]
    assert [len(d.work_sets) for d in done] == [2, 1, 1] and [d.warmup_sets for d in done] == [1, 0, 0]


def test_preview_lists_exercises_sets_last_done_and_an_estimate(library):
    steps = fixed_plan()
    history = [_session()]
    shown = preview(steps, library, history, get_ready=5)
    assert [(line.exercise_id, line.work_sets, line.warmup_sets) for line in shown.lines] == [
        ("barbell-row", 2, 1), ("one-arm-dumbbell-row", 1, 0), ("dead-hang", 1, 0)]
    assert shown.lines[0].last_done == "2026-05-01" and shown.lines[0].dose == "8 reps"
    assert shown.lines[1].dose == "10 reps each side" and shown.lines[2].dose == "30 s hold"
    assert [line.load_kg for line in shown.lines] == [60.0, 22.0, None]
    expected = sum(step_timeline(s, library, get_ready=5).total + LOG_SECONDS for s in steps) \
        + sum(s.rest_seconds for s in steps[:-1])
    assert shown.estimated_seconds == pytest.approx(expected)
    assert estimate_seconds(steps[:1], library, get_ready=5) == pytest.approx(
        step_timeline(steps[0], library, get_ready=5).total + LOG_SECONDS)  # no rest after the last set
    assert shown.estimated_minutes == round(expected / 60)


def test_last_done_is_none_for_a_new_exercise():
    assert last_done([_session()], "face-pull") is None


def test_swaps_rank_by_pattern_muscles_equipment_and_level(library):
    current = library.exercises["barbell-row"]
    ranked = ranked_swaps(current, library)
    levels = list(library.levels)
    scores = [swap_similarity(current, e, levels) for e in ranked]
    assert scores == sorted(scores, reverse=True) and all(e.pattern == current.pattern for e in ranked)
    # The same pattern beats shared muscles alone; shared kit and muscles beat neither.
    everything = ranked_swaps(current, library, same_pattern_only=False)
    assert everything[: len(ranked)] == ranked
    assert ranked[0].id == "pendlay-row"  # barbell, same level, the same four primary muscles


def test_no_movement_word_is_one_letter_from_paused(library):
    """The paused screen reads PAUSED; no part of a rep may be named almost the same."""
    def near(a: str, b: str) -> bool:
        if abs(len(a) - len(b)) > 1:
            return False
        if len(a) == len(b):
            return sum(x != y for x, y in zip(a, b)) <= 1
        short, long_ = sorted((a, b), key=len)
        return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))

    words: set[str] = set()
    for ex in library.exercises.values():
        for kind in ("concentric", "concentric-hold", "eccentric", "eccentric-hold", "hold", "switch", "get-ready"):
            words.add(ex.movement.word(kind))
    assert words and not [w for w in words if near(w.upper(), "PAUSED")]


def test_the_summary_compares_each_exercise_with_last_time():
    from datetime import date as _date

    from backcoach.analytics import ExerciseComparison, PrEvent, TopSet
    from backcoach.workout import comparison_text, records_by_exercise

    def comparison(now, before, volume=0.0, previous_volume=None, previous="s0"):
        return ExerciseComparison("barbell-row", now, volume, previous, _date(2026, 11, 1) if previous else None,
                                  before, previous_volume)

    assert comparison_text(comparison(TopSet(60.0, 8), None, 480.0, previous=None), "kg") == "first time"
    assert comparison_text(comparison(TopSet(seconds=35.0), TopSet(seconds=40.0)), "kg") == "longest hold 35 s (−5 s)"
    assert comparison_text(comparison(TopSet(60.0, 8), TopSet(60.0, 6), 1440.0, 1080.0), "kg").startswith("volume +360")
    assert comparison_text(comparison(TopSet(reps=12), TopSet(reps=10)), "kg") == "best set 12 reps (last time 10)"
    assert comparison_text(comparison(None, None), "kg") is None
    prs = [PrEvent("s1", _date(2026, 11, 2), "barbell-row", "load", 62.5, 60.0),
           PrEvent("s1", _date(2026, 11, 2), "barbell-row", "e1rm", 77.0, 75.0)]
    assert records_by_exercise(prs) == {"barbell-row": ["heaviest load", "best estimated 1RM"]}
