"""Plates a side, rounding to what the user's equipment makes, and `backcoach plates`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.cli import main
from backcoach.library import load_library
from backcoach.plates import (
    DEFAULT_PLATES,
    LoadKind,
    LoadRounding,
    bar_load,
    load_kind,
    parse_weights,
    round_to_step,
)
from backcoach.routines import PlannedSet, Routine, RoutineItem
from backcoach.session import plan_for_exercise, plan_from_routine
from backcoach.settings import BY_KEY
from backcoach.units import from_unit, to_unit

KG = DEFAULT_PLATES["kg"]
LB = DEFAULT_PLATES["lb"]


@pytest.mark.parametrize(("load", "bar", "side", "text"), [
    (60.0, 20.0, (20.0,), "20 kg bar + 20 a side"),
    (70.0, 20.0, (25.0,), "20 kg bar + 25 a side"),
    (55.0, 20.0, (15.0, 2.5), "20 kg bar + 15 + 2.5 a side"),
    (102.5, 20.0, (25.0, 15.0, 1.25), "20 kg bar + 25 + 15 + 1.25 a side"),
    (20.0, 20.0, (), "20 kg bar, no plates"),
    (40.0, 15.0, (10.0, 2.5), "15 kg bar + 10 + 2.5 a side"),
])
def test_plates_a_side_in_kg(load, bar, side, text):
    made = bar_load(load, bar, KG, "kg")
    assert made.exact and made.total == load
    assert made.per_side == side
    assert made.describe() == text


@pytest.mark.parametrize(("load", "side", "text"), [
    (135.0, (45.0,), "45 lb bar + 45 a side"),
    (185.0, (45.0, 25.0), "45 lb bar + 45 + 25 a side"),
    (100.0, (25.0, 2.5), "45 lb bar + 25 + 2.5 a side"),
    (315.0, (45.0, 45.0, 45.0), "45 lb bar + 45 + 45 + 45 a side"),
])
def test_plates_a_side_in_lb(load, side, text):
    made = bar_load(load, 45.0, LB, "lb")
    assert made.exact and made.per_side == side and made.describe() == text


def test_a_load_the_plates_cannot_make_becomes_the_nearest_they_can():
    assert bar_load(61.0, 20.0, KG, "kg").total == 60.0  # 62.5 is further
    assert bar_load(61.5, 20.0, KG, "kg").total == 62.5
    assert bar_load(61.25, 20.0, KG, "kg").total == 62.5  # halfway: the heavier
    assert not bar_load(61.0, 20.0, KG, "kg").exact
    assert bar_load(10.0, 20.0, KG, "kg").total == 20.0  # never below the bar
    assert bar_load(137.0, 45.0, LB, "lb").total == 135.0
    only_big = bar_load(57.5, 20.0, (20.0, 10.0), "kg")  # without small plates: 60
    assert only_big.total == 60.0 and only_big.per_side == (20.0,)


def test_the_fewest_plates_win_not_the_greedy_choice():
    # 30 a side from 25/15: greedy takes 25 and is stuck; two 15s make it.
    assert bar_load(80.0, 20.0, (25.0, 15.0), "kg").per_side == (15.0, 15.0)


@given(st.floats(min_value=0, max_value=400, allow_nan=False))
def test_any_load_rounds_to_one_the_plates_make(load):
    made = bar_load(load, 20.0, KG, "kg")
    assert made.total == pytest.approx(20.0 + 2 * sum(made.per_side))
    assert abs(made.total - max(load, 20.0)) <= 1.25 + 1e-9  # the smallest pair is 2.5 kg


@pytest.mark.parametrize(("text", "words"), [
    ("", "at least one"), ("20 x", "not a number"), ("0", "above 0"), ("-5", "above 0"), ("nan", "above 0"),
    ("1.234", "decimals"), ("5000", "heavier"),
])
def test_bad_plate_lists_are_refused_with_a_reason(text, words):
    with pytest.raises(ValueError, match=words):
        parse_weights(text)
    with pytest.raises(ValueError, match=words):
        BY_KEY["plates_kg"].check(text)


def test_plate_lists_read_spaces_or_commas_heaviest_first():
    assert parse_weights("2.5, 20 10 20") == (20.0, 10.0, 2.5)


def test_load_kind_from_equipment():
    assert load_kind(("barbell", "rack")) == LoadKind.BARBELL
    assert load_kind(("dumbbell", "bench")) == LoadKind.DUMBBELL
    assert load_kind(("cable",)) == LoadKind.MACHINE
    assert load_kind(("pull-up-bar", "dip-belt")) == LoadKind.FREE


def test_dumbbells_and_machines_round_to_their_steps():
    r = LoadRounding()
    assert r.round_kg(23.0, LoadKind.DUMBBELL) == 24.0  # 2 kg steps, halves up
    assert r.round_kg(22.9, LoadKind.MACHINE) == 25.0
    assert r.round_kg(1.0, LoadKind.MACHINE) == 5.0  # at least one step
    assert r.round_kg(7.3, LoadKind.FREE) == 7.3
    assert r.round_kg(None, LoadKind.BARBELL) is None
    assert round_to_step(0.0, 2.0) == 0.0


def test_rounding_in_pounds_lands_on_a_pound_load():
    r = LoadRounding(unit="lb", bars=(45.0,), plates=LB, dumbbell_step=5.0, machine_step=10.0)
    assert to_unit(r.round_kg(from_unit(137, "lb"), LoadKind.BARBELL), "lb") == pytest.approx(135, abs=0.01)
    assert r.describe_kg(from_unit(185, "lb"), LoadKind.BARBELL) == "45 lb bar + 45 + 25 a side"
    assert r.describe_kg(from_unit(185, "lb"), LoadKind.DUMBBELL) == ""


def test_rounding_follows_the_settings():
    values = {"units": "kg", "bars_kg": "15 20", "plates_kg": "20 10 5", "dumbbell_step_kg": 2.5, "machine_step_kg": 5.0}
    r = LoadRounding.from_settings(values)
    assert r.bar == 20.0 and r.plates == (20.0, 10.0, 5.0)
    assert r.round_kg(47.0, LoadKind.BARBELL) == 50.0


# --- every load the session suggests or pre-fills is rounded -------------------------------------

@pytest.fixture(scope="module")
def library():
    return load_library()


def test_session_prefill_and_warmups_are_loads_the_plates_make(library):
    item = RoutineItem("barbell-row", sets=(PlannedSet((8, 12), None, 61.0),) * 3, id="x", warmup_sets=2)
    rounding = LoadRounding()
    plan = plan_from_routine(Routine("R", items=(item,)), library, [], rounding=rounding)
    assert [s.load_kg for s in plan if not s.warmup] == [60.0] * 3
    for s in plan:
        assert rounding.bar_load(s.load_kg).exact, s
    assert [s.load_kg for s in plan if s.warmup] == [30.0, 42.5]
    unrounded = plan_from_routine(Routine("R", items=(item,)), library, [])
    assert [s.load_kg for s in unrounded if not s.warmup] == [61.0] * 3


def test_dumbbell_loads_round_to_the_dumbbell_step(library):
    ex = library.exercise("one-arm-dumbbell-row")
    plan = plan_for_exercise(ex, [], rounding=LoadRounding(dumbbell_step=2.0))
    assert all(s.load_kg is None or s.load_kg % 2.0 == 0 for s in plan)


# --- the command ------------------------------------------------------------------------------

@pytest.mark.parametrize(("argv", "out"), [
    (["plates", "62.5"], "62.5 kg = 20 kg bar + 20 + 1.25 a side"),
    (["plates", "135", "--unit", "lb"], "135 lb = 45 lb bar + 45 a side"),
    (["plates", "100", "--bar", "15"], "100 kg = 15 kg bar + 25 + 15 + 2.5 a side"),
    (["plates", "61"], "61 kg cannot be made with these plates; nearest: 60 kg = 20 kg bar + 20 a side"),
    (["plates", "57.5", "--plates", "20 10"], "nearest: 60 kg = 20 kg bar + 20 a side"),
])
def test_plates_command(capsys, argv, out):
    assert main(argv) == 0
    assert out in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["plates", "heavy"], ["plates", "-5"], ["plates", "60", "--bar", "0"],
                                  ["plates", "60", "--unit", "stone"]])
def test_plates_command_refuses_bad_input_in_one_line(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("backcoach: ") and err.count("\n") == 1


def test_the_next_load_up_or_down_is_one_the_equipment_makes():
    r = LoadRounding()
    assert r.next_load(60.0, LoadKind.BARBELL, +1) == 62.5
    assert r.next_load(61.0, LoadKind.BARBELL, +1) == 62.5
    assert r.next_load(60.0, LoadKind.BARBELL, -1) == 57.5
    assert r.next_load(20.0, LoadKind.BARBELL, -1) is None  # nothing lighter than the bar
    assert r.next_load(0.0, LoadKind.BARBELL, +1) == 20.0
    assert r.next_load(23.0, LoadKind.DUMBBELL, +1) == 24.0
    assert r.next_load(24.0, LoadKind.DUMBBELL, -1) == 22.0
    assert r.next_load(2.0, LoadKind.DUMBBELL, -1) is None
    assert r.next_load(40.0, LoadKind.FREE, +1) is None
    lb = LoadRounding(unit="lb", bars=(45.0,), plates=LB)
    assert lb.next_load(135.0, LoadKind.BARBELL, +1) == 140.0


def test_a_swapped_exercise_takes_loads_the_equipment_makes(tmp_path, library):
    from backcoach.model import SessionLog, SetLog
    from backcoach.session import SessionFlow
    from backcoach.store import Store
    from tests.helpers.session_runner import fixed_plan

    with Store.open(tmp_path / "d") as store:
        store.add_session(SessionLog(started_at="2025-02-01T18:00:00+00:00", ended_at="2025-02-01T19:00:00+00:00",
                                     id="s", sets=(SetLog("dumbbell-bent-over-row", 1, reps=10, load_kg=27.5),)))
        flow = SessionFlow.start(store, library, fixed_plan(), "R")
        flow.rounding = LoadRounding(dumbbell_step=2.0)
        flow.swap_exercise("dumbbell-bent-over-row")
        assert [s.load_kg for s in flow.steps[:3]] == [16.0, 28.0, 28.0]  # 27.5 is not a dumbbell on a 2 kg rack
