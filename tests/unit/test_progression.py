"""Progression rules: one test per rule, on small hand-built histories with exact loads, reps
and tempos."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace

import pytest

from backcoach.library import Exercise, Prescription, Progression
from backcoach.model import SessionLog, SetLog
from backcoach.progression import (
    START_REASON,
    Suggestion,
    apply_suggestion,
    next_prescription,
    suggestions_for_routine,
)
from backcoach.routines import PlannedSet, Routine, RoutineItem
from backcoach.tempo import Tempo
from backcoach.units import format_load, from_unit


def exercise(ex_id: str = "row", *, mode: str = "reps", increment: float = 2.5, tempo: str = "3-2-1-2",
             harder: tuple[str, ...] = (), easier: tuple[str, ...] = (), progression: str | None = None) -> Exercise:
    timed = mode == "timed"
    return Exercise(
        id=ex_id, name=ex_id.replace("-", " ").capitalize(), aliases=(), pattern="horizontal-row",
        equipment=("dumbbell",), level="beginner", primary_muscles=("lats",), secondary_muscles=(),
        unilateral=False, mode=mode,
        prescription=Prescription(sets=3, rest_seconds=90, reps=None if timed else (8, 12),
                                  seconds=30 if timed else None, tempo=None if timed else Tempo.parse(tempo)),
        steps=("One.", "Two.", "Three."), tips=("A tip.",), mistakes=("A mistake.",), focus_cue="",
        harder=harder, increment_kg=increment, sources=(), easier=easier,
        progression=Progression(progression) if progression else None,
    )


def item(reps=(8, 12), load=None, n=3, *, ex="row", seconds=None, **kw) -> RoutineItem:
    planned = PlannedSet(reps=None, seconds=seconds, load_kg=load) if seconds else PlannedSet(reps=reps, load_kg=load)
    return RoutineItem(exercise_id=ex, sets=(planned,) * n, id=kw.pop("id", "item-1"), **kw)


def w(reps=None, load=None, *, rpe=None, side=None, kind="normal", seconds=None, ex="row") -> SetLog:
    return SetLog(ex, reps=reps, load_kg=load, rpe=rpe, side=side, kind=kind, seconds=seconds)


def session(day: str, *sets: SetLog) -> SessionLog:
    return SessionLog(started_at=f"{day}T18:00:00+01:00", sets=sets, id=f"s-{day}")


def sets_of(reps_list, load=None, **kw) -> list[SetLog]:
    return [w(r, load, **kw) for r in reps_list]


# --- start -------------------------------------------------------------------------------------

def test_no_history_starts_with_the_planned_sets():
    it = item(load=60)
    history = [
        session("2024-01-01", w(10, 80, ex="deadlift")),  # another exercise
        session("2024-01-02", w(10, 20, kind="warmup")),  # only warm-ups of this one
    ]
    s = next_prescription(it, exercise(), history)
    assert s.kind == "start"
    assert s.sets == it.sets
    assert s.reason == START_REASON
    assert s.targets == (None, None, None)
    assert s.summary() == "first time: 60 kg × 8–12"
    assert next_prescription(item(), exercise(), []).summary() == "first time: 8–12 reps"


# --- add load ---------------------------------------------------------------------------------

def test_fixed_reps_all_done_adds_the_step():
    s = next_prescription(item((8, 8), 60), exercise(), [session("2024-01-01", *sets_of([8, 8, 8], 60, rpe=8))])
    assert s.kind == "add-load"
    assert [p.load_kg for p in s.sets] == [62.5, 62.5, 62.5]
    assert [p.reps for p in s.sets] == [(8, 8)] * 3
    assert s.targets == (8, 8, 8)
    assert s.reason == "All 3 × 8 done at RPE 8: add 2.5 kg."
    assert s.summary() == "next time: 62.5 kg × 8"


@pytest.mark.parametrize(("item_step", "exercise_step", "known", "expected"), [
    (1.25, 2.0, True, 61.25),   # the item's own step wins
    (None, 2.0, True, 62.0),    # then the exercise's
    (None, 0.0, True, 62.5),    # a body-weight exercise with a plate added: the default
    (None, None, False, 62.5),  # a custom exercise the library does not know: the default
])
def test_load_step_comes_from_item_then_exercise_then_default(item_step, exercise_step, known, expected):
    ex = exercise(increment=exercise_step) if known else None
    it = item((8, 8), 60, increment_kg=item_step)
    s = next_prescription(it, ex, [session("2024-01-01", *sets_of([8, 8, 8], 60))])
    assert [p.load_kg for p in s.sets] == [expected] * 3


def test_in_pounds_loads_move_in_5_lb_steps_on_5_lb_marks():
    history = [session("2024-01-01", *sets_of([8, 8, 8], from_unit(135, "lb")))]
    s = next_prescription(item((8, 8), from_unit(135, "lb")), exercise(), history, unit="lb")
    assert [p.load_kg for p in s.sets] == [from_unit(140, "lb")] * 3
    assert s.reason == "All 3 × 8 done: add 5 lb."
    assert s.summary() == "next time: 140 lb × 8"
    assert s.summary("kg") == "next time: 63.5 kg × 8"
    # A load entered in kg (60 kg = 132.3 lb) lands on the next 5 lb mark, and the reason says so.
    s = next_prescription(item((8, 8), 60), exercise(), [session("2024-01-01", *sets_of([8, 8, 8], 60))], unit="lb")
    assert format_load(s.sets[0].load_kg, "lb") == "135 lb"
    assert s.reason == "All 3 × 8 done: move up to 135 lb."
    # A bigger step (5 kg = 11 lb) rounds to 10 lb.
    it = item((8, 8), from_unit(135, "lb"), increment_kg=5.0)
    s = next_prescription(it, exercise(), history, unit="lb")
    assert format_load(s.sets[0].load_kg, "lb") == "145 lb"
    assert s.reason == "All 3 × 8 done: add 10 lb."


def test_each_set_keeps_its_own_load_when_adding():
    it = RoutineItem("row", sets=(PlannedSet((5, 5), load_kg=80), PlannedSet((8, 8), load_kg=70),
                                  PlannedSet((8, 8), load_kg=70)))
    s = next_prescription(it, exercise(), [session("2024-01-01", w(5, 80), w(8, 70), w(8, 70))])
    assert [p.load_kg for p in s.sets] == [82.5, 72.5, 72.5]
    assert s.reason == "Every set made its reps: add 2.5 kg."
    assert s.summary() == "next time: 82.5 kg × 5 / 72.5 kg × 8 / 72.5 kg × 8"


def test_the_logged_load_not_the_planned_one_is_the_basis():
    s = next_prescription(item((8, 8), 60), exercise(), [session("2024-01-01", *sets_of([8, 8, 8], 50))])
    assert [p.load_kg for p in s.sets] == [52.5] * 3


def test_warmups_and_drop_sets_are_not_matched_to_planned_sets():
    logged = [w(8, 20, kind="warmup"), w(5, 40, kind="warmup"), *sets_of([8, 8, 8], 60), w(6, 40, kind="drop")]
    s = next_prescription(item((8, 8), 60), exercise(), [session("2024-01-01", *logged)])
    assert s.kind == "add-load"
    assert [p.load_kg for p in s.sets] == [62.5] * 3


# --- double progression -----------------------------------------------------------------------

def test_double_progression_adds_reps_to_the_top_then_load_and_back_to_the_bottom():
    it = item((8, 12), 40)
    ex = exercise(increment=2.0)
    history: list[SessionLog] = []
    expected = [  # logged reps -> (kind, next load, next targets)
        ([8, 8, 8], ("add-rep", 40, (9, 9, 9))),
        ([9, 9, 8], ("add-rep", 40, (10, 10, 9))),
        ([12, 11, 11], ("add-rep", 40, (12, 12, 12))),
        ([12, 12, 12], ("add-load", 42, (8, 8, 8))),
        ([9, 8, 8], ("add-rep", 42, (10, 9, 9))),
    ]
    for day, (reps, (kind, load, targets)) in enumerate(expected, 1):
        history.append(session(f"2024-01-{day:02d}", *sets_of(reps, it.sets[0].load_kg)))
        s = next_prescription(it, ex, history)
        assert (s.kind, s.sets[0].load_kg, s.targets) == (kind, load, targets), reps
        assert all(p.reps == (8, 12) for p in s.sets)  # the range itself never changes
        it = apply_suggestion(it, s)
    assert s.reason == "Last time 9/8/8 reps of 8–12: aim for 10/9/9 at the same load, one more rep per set until the top."
    assert s.summary() == "next time: 42 kg × 10 / 42 kg × 9 / 42 kg × 9"


def test_reaching_the_top_of_a_range_says_back_to_the_bottom():
    s = next_prescription(item((8, 12), 60), exercise(), [session("2024-01-01", *sets_of([12, 12, 13], 60, rpe=8))])
    assert s.reason == "All 3 sets reached 12, the top of 8–12, at RPE 8: add 2.5 kg and go back to 8 reps."
    assert s.summary() == "next time: 62.5 kg × 8"


def test_the_most_recent_session_counts_whatever_the_order_of_the_history():
    older = session("2024-01-01", *sets_of([12, 12, 12], 60))  # alone, this would add load
    newer = session("2024-01-08", *sets_of([10, 10, 10], 60))
    for history in ([older, newer], [newer, older]):
        s = next_prescription(item((8, 12), 60), exercise(), history)
        assert (s.kind, s.targets) == ("add-rep", (11, 11, 11))


# --- missed reps and deloads ----------------------------------------------------------------

def test_a_short_set_keeps_the_prescription_and_says_which():
    s = next_prescription(item((8, 12), 60), exercise(), [session("2024-01-01", *sets_of([10, 9, 7], 60))])
    assert s.kind == "keep"
    assert [p.load_kg for p in s.sets] == [60] * 3
    assert s.targets == (10, 9, 8)
    assert s.reason == "Set 3 reached 7 of 8 reps: repeat the same prescription next time."


def test_a_set_not_done_is_a_short_set():
    s = next_prescription(item((8, 8), 60), exercise(), [session("2024-01-01", *sets_of([8, 8], 60))])
    assert s.kind == "keep"
    assert s.reason == "Set 3 was not done: repeat the same prescription next time."


def test_two_misses_in_a_row_deload_about_ten_percent():
    it = item((5, 5), 100, n=5)
    history = [
        session("2024-01-01", *sets_of([5, 5, 5, 4, 4], 100)),
        session("2024-01-04", *sets_of([5, 5, 4, 4, 3], 100)),
    ]
    s = next_prescription(it, exercise(), history)
    assert s.kind == "deload"
    assert [p.load_kg for p in s.sets] == [90] * 5
    assert s.targets == (5,) * 5
    assert s.reason == ("Two sessions in a row fell short (last time set 3 reached 4 of 5 reps, set 4 reached 4 of 5 reps "
                        "and set 5 reached 3 of 5 reps): drop to 90 kg, about 10 % lighter, and build back up from there.")
    assert s.summary() == "next time: 90 kg × 5"


def test_one_miss_after_a_good_session_only_keeps():
    history = [session("2024-01-01", *sets_of([5, 5, 5], 100)), session("2024-01-04", *sets_of([5, 5, 4], 100))]
    assert next_prescription(item((5, 5), 100), exercise(), history).kind == "keep"


@pytest.mark.parametrize(("load_kg", "unit", "step", "expected"), [
    (from_unit(225, "lb"), "lb", 2.5, "205 lb"),   # 202.5 lb rounds to the 5 lb mark above
    (from_unit(100, "lb"), "lb", 2.5, "90 lb"),
    (21.0, "kg", 2.0, "18 kg"),                     # 18.9 on the exercise's 2 kg dumbbell steps
    (62.5, "kg", 2.5, "57.5 kg"),                   # 56.25 -> nearest 2.5 kg
])
def test_deload_rounds_to_a_plate_step(load_kg, unit, step, expected):
    it = item((5, 5), load_kg)
    history = [session("2024-01-01", *sets_of([5, 4, 4], load_kg)), session("2024-01-03", *sets_of([5, 4, 3], load_kg))]
    s = next_prescription(it, exercise(increment=step), history, unit=unit)
    assert s.kind == "deload"
    assert format_load(s.sets[0].load_kg, unit) == expected


def test_a_miss_right_after_lowering_the_load_gets_another_try():
    history = [session("2024-01-01", *sets_of([5, 4, 4], 100)), session("2024-01-04", *sets_of([5, 5, 4], 90))]
    s = next_prescription(item((5, 5), 90), exercise(), history)
    assert s.kind == "keep"
    assert [p.load_kg for p in s.sets] == [90] * 3


def test_body_weight_misses_twice_point_to_the_easier_variation(library):
    ex = exercise("pull-up", increment=0.0, easier=("negative-pull-up",))
    history = [session(d, *sets_of([5, 4, 3], ex="pull-up")) for d in ("2024-01-01", "2024-01-04")]
    s = next_prescription(item((5, 8), ex="pull-up"), ex, history, library=library)
    assert s.kind == "keep"
    assert s.reason.endswith("keep aiming for the planned reps, or step back to the negative pull-up for a few weeks.")


# --- effort -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("rpes", "kind", "reason"), [
    ((8, 8.5, 9), "add-load", "All 3 × 8 done at RPE 9: add 2.5 kg."),
    ((None, None, None), "add-load", "All 3 × 8 done: add 2.5 kg."),
    ((None, 8, None), "add-load", "All 3 × 8 done at RPE 8: add 2.5 kg."),
    # A hard last set alone is normal fatigue: the first set and the average were on target.
    ((8, 9, 9.5), "add-load", "All 3 × 8 done at RPE 9.5: add 2.5 kg."),
    ((10, 10, 10), "keep", "All 3 × 8 done, but the first set was already at RPE 10: repeat the same load until "
                           "it feels like RPE 9 or easier before adding more."),
    ((9.5, 8, 8), "keep", "All 3 × 8 done, but the first set was already at RPE 9.5: repeat the same load until "
                          "it feels like RPE 9 or easier before adding more."),
    ((9, 9.5, 10), "keep", "All 3 × 8 done, but the sets averaged RPE 9.5: repeat the same load until it feels "
                           "like RPE 9 or easier before adding more."),
])
def test_rpe_above_9_on_the_first_or_average_set_blocks_a_load_increase(rpes, kind, reason):
    logged = [w(8, 60, rpe=r) for r in rpes]
    s = next_prescription(item((8, 8), 60), exercise(), [session("2024-01-01", *logged)])
    assert (s.kind, s.reason) == (kind, reason)
    if kind == "keep":
        assert [p.load_kg for p in s.sets] == [60] * 3


def test_rpe_does_not_block_adding_a_rep():
    logged = [w(9, 60, rpe=10) for _ in range(3)]
    s = next_prescription(item((8, 12), 60), exercise(), [session("2024-01-01", *logged)])
    assert s.kind == "add-rep" and s.targets == (10, 10, 10)


# --- holds ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("planned", "expected"), [(30, 35), (60, 65), (120, 130), (150, 165), (595, 600)])
def test_all_holds_done_add_5_s_or_10_percent(planned, expected):
    it = item(seconds=planned, n=2, ex="hang")
    history = [session("2024-01-01", w(seconds=planned, ex="hang"), w(seconds=planned + 3, ex="hang"))]
    s = next_prescription(it, exercise("hang", mode="timed"), history)
    assert s.kind == "add-seconds"
    assert [p.seconds for p in s.sets] == [expected, expected]
    assert s.reason == f"All 2 holds of {planned} s done: hold {expected} s next time."
    assert s.summary() == f"next time: {expected} s"


def test_holds_at_the_maximum_are_kept():
    it = item(seconds=600, n=1, ex="hang")
    s = next_prescription(it, exercise("hang", mode="timed"), [session("2024-01-01", w(seconds=600, ex="hang"))])
    assert s.kind == "keep"
    assert s.sets == it.sets


def test_a_short_hold_keeps_and_two_in_a_row_shorten_it():
    it = item(seconds=30, n=2, ex="hang")
    ex = exercise("hang", mode="timed")
    first = session("2024-01-01", w(seconds=30, ex="hang"), w(seconds=20, ex="hang"))
    s = next_prescription(it, ex, [first])
    assert s.kind == "keep"
    assert s.reason == "Hold 2 lasted 20 of 30 s: repeat the same prescription next time."
    second = session("2024-01-03", w(seconds=30, ex="hang"), w(seconds=24.5, ex="hang"))
    s = next_prescription(it, ex, [first, second])
    assert s.kind == "deload"
    assert [p.seconds for p in s.sets] == [25, 25]
    assert s.summary() == "next time: 25 s"


# --- body weight: tempo, then reps ----------------------------------------------------------

def test_body_weight_at_the_top_slows_the_lowering_one_second_at_a_time():
    ex = exercise("pull-up", increment=0.0, harder=("weighted-pull-up",))
    it = item((5, 10), ex="pull-up")  # tempo None: the exercise's 3-2-1-2
    history = [session("2024-01-01", *sets_of([10, 10, 10], ex="pull-up"))]
    s = next_prescription(it, ex, history)
    assert s.kind == "slower-eccentric"
    assert s.tempo == "4-2-1-2"
    assert s.sets == it.sets
    assert s.targets == (10, 10, 10)
    assert s.reason == ("All 3 sets reached 10, the top of 5–10: lower in 4 s instead of 3 s to make every rep "
                        "harder without adding load.")
    assert s.summary() == "next time: 10 reps, lower in 4 s"
    it = apply_suggestion(it, s)
    assert it.tempo == "4-2-1-2"
    s = next_prescription(it, ex, history)
    assert (s.kind, s.tempo) == ("slower-eccentric", "5-2-1-2")


def test_body_weight_with_a_slow_lowering_goes_beyond_the_range_and_names_the_harder_variation(library):
    ex = exercise("pull-up", increment=0.0, harder=("weighted-pull-up",))
    it = item((5, 10), ex="pull-up", tempo="5-2-1-2")
    s = next_prescription(it, ex, [session("2024-01-01", *sets_of([10, 10, 11], ex="pull-up"))], library=library)
    assert s.kind == "add-rep"
    assert s.tempo == "5-2-1-2"
    assert [p.reps for p in s.sets] == [(5, 11), (5, 11), (5, 12)]
    assert s.targets == (11, 11, 12)
    assert s.reason == ("All 3 sets reached 10, the top of 5–10, with a 5 s lowering already: aim for 11/11/12 "
                        "reps, or move on to the weighted pull-up.")
    # Fixed reps stay fixed, one higher; without a harder variation there is nothing to name.
    plain = exercise("superman", increment=0.0, tempo="6-1-1-2")
    s = next_prescription(item((12, 12), ex="superman"), plain,
                          [session("2024-01-01", *sets_of([12, 12, 12], ex="superman"))])
    assert [p.reps for p in s.sets] == [(13, 13)] * 3
    assert s.reason == "All 3 × 12 done, with a 6 s lowering already: aim for 13 reps."


def test_body_weight_inside_the_range_adds_a_rep():
    ex = exercise("pull-up", increment=0.0)
    s = next_prescription(item((5, 10), ex="pull-up"), ex, [session("2024-01-01", *sets_of([7, 6, 6], ex="pull-up"))])
    assert (s.kind, s.targets) == ("add-rep", (8, 7, 7))
    assert s.reason == "Last time 7/6/6 reps of 5–10: aim for 8/7/7, one more rep per set until the top."


# --- per side ---------------------------------------------------------------------------------

def sided(pairs, load=20.0) -> list[SetLog]:
    out = []
    for left, right in pairs:
        if left is not None:
            out.append(w(left, load, side="left"))
        if right is not None:
            out.append(w(right, load, side="right"))
    return out


def test_a_per_side_set_is_done_only_when_both_sides_made_the_reps():
    it = item((10, 10), 20.0, per_side=True)
    ex = exercise(increment=2.0)
    s = next_prescription(it, ex, [session("2024-01-01", *sided([(10, 10), (10, 10), (10, 10)]))])
    assert s.kind == "add-load"
    assert [p.load_kg for p in s.sets] == [22.0] * 3
    assert s.reason == "All 3 × 10 done on both sides: add 2 kg."
    s = next_prescription(it, ex, [session("2024-01-01", *sided([(10, 10), (10, 10), (10, 9)]))])
    assert s.kind == "keep"
    assert s.reason == "Set 3 reached 9 of 10 reps on the weaker side: repeat the same prescription next time."
    s = next_prescription(it, ex, [session("2024-01-01", *sided([(10, 10), (10, 10), (10, None)]))])
    assert s.reason == "Set 3 was done on one side only: repeat the same prescription next time."


def test_per_side_sets_pair_left_and_right_in_order_however_they_were_logged():
    it = item((8, 12), 20.0, per_side=True)
    lefts = [w(12, 20.0, side="left") for _ in range(3)]
    rights = [w(r, 20.0, side="right") for r in (12, 11, 12)]
    s = next_prescription(it, exercise(), [session("2024-01-01", *lefts, *rights)])
    assert (s.kind, s.targets) == ("add-rep", (12, 12, 12))


# --- routines and results ------------------------------------------------------------------------

def test_suggestions_for_a_routine_are_keyed_by_item(library):
    row = RoutineItem("barbell-row", sets=(PlannedSet((8, 8), load_kg=60),) * 3, id="a")
    pull = RoutineItem("pull-up", sets=(PlannedSet((5, 10)),) * 3, id="b")
    new = RoutineItem("face-pull", sets=(PlannedSet((12, 15), load_kg=15),) * 3, id="c")
    routine = Routine("Back", items=(row, pull, new))
    history = [
        SessionLog(started_at="2024-01-01T18:00:00+01:00", id="x",
                   sets=(*sets_of([8, 8, 8], 60, ex="barbell-row"), *sets_of([10, 10, 10], ex="pull-up"))),
        SessionLog(started_at="2023-12-28T18:00:00+01:00", id="y", sets=tuple(sets_of([6, 6, 6], 55, ex="barbell-row"))),
    ]
    out = suggestions_for_routine(routine, library, history, "kg")
    assert list(out) == ["a", "b", "c"]
    assert (out["a"].kind, out["a"].sets[0].load_kg) == ("add-load", 62.5)
    assert out["b"].kind == "slower-eccentric"
    assert out["c"].kind == "start"


def test_apply_suggestion_keeps_the_item_and_refuses_another_exercise():
    it = item((8, 8), 60, rest_seconds=120, note="slow")
    s = next_prescription(it, exercise(), [session("2024-01-01", *sets_of([8, 8, 8], 60))])
    new = apply_suggestion(it, s)
    assert (new.id, new.rest_seconds, new.note, new.tempo) == (it.id, 120, "slow", None)
    assert [p.load_kg for p in new.sets] == [62.5] * 3
    with pytest.raises(ValueError, match="cannot change"):
        apply_suggestion(replace(it, exercise_id="pull-up"), s)


def test_results_are_frozen_and_units_checked():
    s = next_prescription(item(), exercise(), [])
    assert isinstance(s, Suggestion)
    with pytest.raises(FrozenInstanceError):
        s.kind = "keep"
    with pytest.raises(ValueError, match="unknown unit"):
        next_prescription(item(), exercise(), [], unit="stone")


# --- progression by kind ------------------------------------------------------------------------

def negative(tempo: str = "5-3-X-2") -> Exercise:
    return exercise("negative-pull-up", increment=0.0, tempo=tempo, harder=("pull-up",), progression="negative")


def test_a_negative_adds_reps_only_up_to_five_even_in_a_wider_range():
    it = item((3, 8), ex="negative-pull-up", tempo="5-3-X-2")
    s = next_prescription(it, negative(), [session("2024-01-01", *sets_of([4, 4, 3], ex="negative-pull-up"))])
    assert (s.kind, s.targets) == ("add-rep", (5, 5, 4))
    s = next_prescription(it, negative(), [session("2024-01-01", *sets_of([5, 5, 5], ex="negative-pull-up"))])
    assert s.kind == "slower-eccentric"  # five is the top for a negative, whatever the range says


@pytest.mark.parametrize(("tempo", "kind", "new_tempo"), [
    ("5-3-X-2", "slower-eccentric", "6-3-X-2"),
    ("7-3-X-2", "slower-eccentric", "8-3-X-2"),
    ("9-3-X-2", "slower-eccentric", "10-3-X-2"),  # past the 6 s a body-weight lowering stops at
    ("10-3-X-2", "keep", "10-3-X-2"),
])
def test_a_negative_at_five_reps_lowers_one_second_slower_up_to_ten(tempo, kind, new_tempo, library):
    it = item((3, 5), ex="negative-pull-up", tempo=tempo)
    s = next_prescription(it, negative(tempo), [session("2024-01-01", *sets_of([5, 5, 5], ex="negative-pull-up"))],
                          library=library)
    assert s.kind == kind
    assert (s.tempo or tempo) == new_tempo
    assert all(p.load_kg is None for p in s.sets)  # never load
    if kind == "keep":
        assert "pull-up" in s.reason and "10 s lowering" in s.reason
    else:
        assert s.summary().endswith(f"lower in {Tempo.parse(new_tempo).eccentric} s")


def test_band_assisted_at_the_top_moves_to_a_lighter_band_and_back_to_the_bottom():
    ex = exercise("band-assisted-pull-up", increment=0.0, progression="band")
    it = item((5, 8), ex="band-assisted-pull-up")
    s = next_prescription(it, ex, [session("2024-01-01", *sets_of([8, 8, 8], ex="band-assisted-pull-up"))])
    assert s.kind == "lighter-band"
    assert s.targets == (5, 5, 5) and s.tempo is None and all(p.load_kg is None for p in s.sets)
    assert s.reason == ("All 3 sets reached 8, the top of 5–8: switch to the next lighter band and go back to 5 "
                        "reps; with the lightest band done, try negatives or a first full rep.")
    assert s.summary() == "next time: 5 reps, lighter band"
    s = next_prescription(it, ex, [session("2024-01-01", *sets_of([7, 8, 6], ex="band-assisted-pull-up"))])
    assert s.kind == "add-rep"


def test_a_drill_with_a_hold_grows_its_hold_never_its_load(library):
    ex = exercise("bird-dog", increment=0.0, tempo="1-0-1-8", harder=("plank-with-reach",), progression="hold")
    it = item((5, 5), ex="bird-dog")
    logged = [session("2024-01-01", *sets_of([5, 5, 5], 5.0, ex="bird-dog"))]  # even with an ankle weight logged
    s = next_prescription(it, ex, logged, library=library)
    assert s.kind == "longer-hold"
    assert s.tempo == "1-0-1-10"
    assert all(p.load_kg in (None, 5.0) for p in s.sets)
    assert s.summary().endswith("hold 10 s")
    s = next_prescription(replace(it, tempo="1-0-1-10"), ex, logged, library=library)
    assert s.kind == "keep" and "plank with reach" in s.reason.lower()
    # A drill that holds at the stretch (the second number) grows that pause instead.
    s = next_prescription(replace(it, tempo="2-4-2-1"), ex, logged, library=library)
    assert (s.kind, s.tempo) == ("longer-hold", "2-6-2-1")


def test_a_timed_hold_grows_by_seconds_even_when_the_entry_says_hold():
    ex = exercise("side-plank", mode="timed", increment=0.0, progression="hold")
    it = item(seconds=20, n=2, ex="side-plank")
    s = next_prescription(it, ex, [session("2024-01-01", *[w(seconds=20, ex="side-plank")] * 2)])
    assert s.kind == "add-seconds" and [p.seconds for p in s.sets] == [25, 25]


def test_every_shipped_exercise_states_its_progression_and_negatives_and_bands_are_marked(library):
    import tomllib

    from backcoach.resources import DATA_DIR

    for path in sorted((DATA_DIR / "exercises").glob("*.toml")):
        for entry in tomllib.loads(path.read_text(encoding="utf-8"))["exercise"]:
            assert "progression" in entry, f"{path.name}: {entry['id']} does not state its progression"
    kinds = {ex.id: ex.progression for ex in library.exercises.values()}
    assert kinds["negative-pull-up"] == kinds["negative-chin-up"] == "negative"
    assert kinds["band-assisted-pull-up"] == "band"
    assert kinds["bird-dog"] == kinds["dead-hang"] == "hold"
    assert all(kinds[ex.id] == "hold" for ex in library.exercises.values() if ex.pattern == "mobility")
    assert all(ex.increment_kg > 0 for ex in library.exercises.values() if ex.progression == "load")
