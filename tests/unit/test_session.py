"""Guided sessions: the plan rules, every transition of the flow, invalid calls, and
resuming after a crash (in-process and with a real SIGKILL)."""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from backcoach.journal import Journal
from backcoach.model import InvalidRecord, SessionLog, SetLog
from backcoach.routines import PlannedSet, Routine, RoutineItem
from backcoach.session import (
    SUPERSET_MOVE_SECONDS,
    LogPrefill,
    SessionFlow,
    SessionStateError,
    Step,
    plan_for_exercise,
    plan_from_routine,
)
from backcoach.storage import StorageError
from backcoach.store import JOURNAL_FILE, Store
from backcoach.units import from_unit
from tests.helpers.session_runner import STARTED_AT, fixed_plan, logged_values

ROOT = Path(__file__).resolve().parents[2]
RUNNER = [sys.executable, "-m", "tests.helpers.session_runner"]


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "d")
    yield s
    s.close()


def flow_on(store, library, steps=None, **kw) -> SessionFlow:
    return SessionFlow.start(store, library, steps if steps is not None else fixed_plan(), routine_name="Test",
                             started_at=STARTED_AT, **kw)


def step(ex="barbell-row", n=1, *, warmup=False, reps=8, rng=(6, 8), seconds=None, load=60.0, tempo="3-2-1-2",
         rest=90, per_side=False, superset=None, item_id=None) -> Step:
    return Step(exercise_id=ex, set_number=n, warmup=warmup, target_reps=reps, rep_range=rng, seconds=seconds,
                load_kg=load, tempo=tempo, rest_seconds=rest, per_side=per_side, superset=superset, item_id=item_id)


def do_set(flow: SessionFlow, **values) -> list[SetLog]:
    """Work, log (with the prefill unless told otherwise) and end the rest."""
    flow.work_finished()
    pre = flow.prefill
    sets = flow.log(values.get("reps", pre.reps), values.get("load_kg", pre.load_kg),
                    values.get("seconds", pre.seconds))
    if flow.stage == "rest":
        flow.rest_finished()
    return sets


def journal_on_disk(store) -> object:
    """The journal as a fresh reader sees it (what survives a crash right now)."""
    return Journal(store.data_dir / JOURNAL_FILE).load()


def item(ex="barbell-row", sets=3, reps=(8, 12), load=60.0, seconds=None, **kw) -> RoutineItem:
    planned = PlannedSet(reps=None, seconds=seconds, load_kg=load) if seconds else PlannedSet(reps=reps, load_kg=load)
    return RoutineItem(exercise_id=ex, sets=(planned,) * sets, id=kw.pop("id", f"item-{ex}"), **kw)


def past(day: str, *sets: SetLog) -> SessionLog:
    return SessionLog(started_at=f"{day}T18:00:00+00:00", ended_at=f"{day}T19:00:00+00:00", sets=sets, id=f"s-{day}")


# --- Step ---------------------------------------------------------------------------------------

def test_step_round_trips_through_a_dict():
    s = step(per_side=True, superset="A", item_id="i1")
    assert Step.from_dict(s.to_dict()) == s
    assert s.to_dict()["rep_range"] == [6, 8]
    assert Step.from_dict({**s.to_dict(), "unknown": 1}) == s


def test_step_refuses_impossible_values():
    with pytest.raises(ValueError, match="set number"):
        step(n=0)
    with pytest.raises(ValueError, match="rest"):
        step(rest=-1)
    with pytest.raises(ValueError, match="exercise"):
        step(ex="")


# --- plan_from_routine --------------------------------------------------------------------------

def test_plain_item_without_history_uses_the_planned_sets(library):
    routine = Routine("R", items=(item(rest_seconds=120),))
    plan = plan_from_routine(routine, library, [])
    assert [s.set_number for s in plan] == [1, 2, 3]
    first = plan[0]
    assert first.exercise_id == "barbell-row" and not first.warmup
    assert first.load_kg == 60.0
    assert first.rep_range == (8, 12)
    assert first.target_reps == 12  # first time: aim for the top of the range
    assert first.seconds is None
    assert first.tempo == "2-0-1-1"  # the exercise's
    assert first.rest_seconds == 120
    assert first.item_id == "item-barbell-row" and first.superset is None and not first.per_side


def test_loads_and_targets_come_from_progression(library):
    routine = Routine("R", items=(item(),))
    at_top = [past("2025-02-01", *(SetLog("barbell-row", n, reps=12, load_kg=60.0) for n in (1, 2, 3)))]
    plan = plan_from_routine(routine, library, at_top)
    assert [(s.load_kg, s.target_reps) for s in plan] == [(62.5, 8)] * 3  # add load, back to the bottom
    within = [past("2025-02-01", *(SetLog("barbell-row", n, reps=r, load_kg=60.0)
                                   for n, r in ((1, 10), (2, 9), (3, 9))))]
    plan = plan_from_routine(routine, library, within)
    assert [(s.load_kg, s.target_reps) for s in plan] == [(60.0, 11), (60.0, 10), (60.0, 10)]


def test_different_planned_sets_stay_different(library):
    it = RoutineItem("barbell-row", sets=(PlannedSet((5, 5), None, 80.0), PlannedSet((8, 8), None, 70.0)), id="x")
    plan = plan_from_routine(Routine("R", items=(it,)), library, [])
    assert [(s.rep_range, s.target_reps, s.load_kg) for s in plan] == [((5, 5), 5, 80.0), ((8, 8), 8, 70.0)]


def test_tempo_is_the_items_else_the_exercises_else_the_default(library):
    routine = Routine("R", items=(
        item("barbell-row", tempo="4-1-1-1"),
        item("deadlift"),
        item("custom-zercher-row"),
    ))
    plan = plan_from_routine(routine, library, [], default_tempo="2-0-2-0")
    tempos = {s.exercise_id: s.tempo for s in plan}
    assert tempos == {"barbell-row": "4-1-1-1", "deadlift": "2-2-1-1", "custom-zercher-row": "2-0-2-0"}


def test_a_slower_eccentric_suggestion_sets_the_tempo(library):
    routine = Routine("R", items=(item("pull-up", reps=(5, 10), load=None),))
    at_top = [past("2025-02-01", *(SetLog("pull-up", n, reps=10) for n in (1, 2, 3)))]
    plan = plan_from_routine(routine, library, at_top)
    assert {s.tempo for s in plan} == {"4-2-1-2"}
    assert {s.load_kg for s in plan} == {None}


def test_timed_items_get_seconds_and_no_tempo(library):
    routine = Routine("R", items=(item("dead-hang", seconds=30, load=None, tempo=None),))
    plan = plan_from_routine(routine, library, [])
    assert [(s.seconds, s.tempo, s.target_reps, s.rep_range) for s in plan] == [(30, None, None, None)] * 3
    assert all(s.timed for s in plan)


def test_per_side_items_make_per_side_steps(library):
    plan = plan_from_routine(Routine("R", items=(item("one-arm-dumbbell-row", load=20.0, per_side=True),)), library, [])
    assert all(s.per_side for s in plan)


def test_warmups_come_first_lighter_and_numbered_with_the_work_sets(library):
    routine = Routine("R", items=(item(warmup_sets=2, rest_seconds=120),))
    plan = plan_from_routine(routine, library, [])
    assert [(s.set_number, s.warmup, s.load_kg, s.target_reps) for s in plan] == [
        (1, True, 30.0, 8), (2, True, 42.5, 5), (3, False, 60.0, 12), (4, False, 60.0, 12), (5, False, 60.0, 12)]
    assert plan[0].rest_seconds == 60 and plan[2].rest_seconds == 120  # a warm-up needs less rest
    assert plan[0].tempo == "2-0-1-1" and plan[0].rep_range is None


def test_three_warmups_spread_between_the_two(library):
    plan = plan_from_routine(Routine("R", items=(item(load=100.0, warmup_sets=3),)), library, [])
    assert [(s.load_kg, s.target_reps) for s in plan if s.warmup] == [(50.0, 8), (60.0, 7), (70.0, 5)]
    one = plan_from_routine(Routine("R", items=(item(load=100.0, warmup_sets=1),)), library, [])
    assert [(s.load_kg, s.target_reps) for s in one if s.warmup] == [(50.0, 8)]


def test_warmup_loads_round_to_5_lb_in_pounds(library):
    routine = Routine("R", items=(item(load=from_unit(135, "lb"), warmup_sets=2),))
    warm = [s.load_kg for s in plan_from_routine(routine, library, [], unit="lb") if s.warmup]
    assert warm == [pytest.approx(from_unit(70, "lb")), pytest.approx(from_unit(95, "lb"))]


def test_body_weight_warmups_do_the_target_reps(library):
    routine = Routine("R", items=(item("pull-up", reps=(5, 10), load=None, warmup_sets=1),))
    plan = plan_from_routine(routine, library, [])
    assert (plan[0].warmup, plan[0].load_kg, plan[0].target_reps) == (True, None, 10)


def test_supersets_alternate_with_rest_after_the_round(library):
    routine = Routine("R", items=(
        item("deadlift", sets=1, rest_seconds=180),
        item("barbell-row", sets=3, superset="A", rest_seconds=120),
        item("face-pull", sets=2, load=15.0, superset="A", rest_seconds=75),
        item("pull-up", sets=1, load=None, rest_seconds=100),
    ))
    plan = plan_from_routine(routine, library, [])
    assert [(s.exercise_id, s.set_number, s.rest_seconds) for s in plan] == [
        ("deadlift", 1, 180),
        ("barbell-row", 1, SUPERSET_MOVE_SECONDS), ("face-pull", 1, 75),
        ("barbell-row", 2, SUPERSET_MOVE_SECONDS), ("face-pull", 2, 75),
        ("barbell-row", 3, 75),  # a round of one: still the round's rest
        ("pull-up", 1, 100),
    ]
    assert SUPERSET_MOVE_SECONDS == 10
    assert {s.superset for s in plan[1:6]} == {"A"}


def test_superset_members_apart_in_the_list_are_done_together(library):
    routine = Routine("R", items=(
        item("barbell-row", sets=2, superset="B", rest_seconds=90),
        item("deadlift", sets=1),
        item("face-pull", sets=2, superset="B", rest_seconds=60),
    ))
    plan = plan_from_routine(routine, library, [])
    assert [s.exercise_id for s in plan] == ["barbell-row", "face-pull", "barbell-row", "face-pull", "deadlift"]


def test_superset_warmups_come_before_the_rounds(library):
    routine = Routine("R", items=(
        item("barbell-row", sets=2, superset="A", warmup_sets=1),
        item("face-pull", sets=2, load=20.0, superset="A", warmup_sets=1),
    ))
    plan = plan_from_routine(routine, library, [])
    assert [(s.exercise_id, s.set_number, s.warmup) for s in plan] == [
        ("barbell-row", 1, True), ("face-pull", 1, True),
        ("barbell-row", 2, False), ("face-pull", 2, False), ("barbell-row", 3, False), ("face-pull", 3, False)]


def test_plan_for_exercise_uses_the_default_prescription(library):
    row = library.exercise("one-arm-dumbbell-row")
    plan = plan_for_exercise(row, [])
    assert len(plan) == row.prescription.sets
    assert all(s.per_side and s.item_id is None and s.rep_range == (8, 12) and s.target_reps == 12 for s in plan)
    assert plan[0].rest_seconds == row.prescription.rest_seconds and plan[0].tempo == "3-2-1-2"
    hang = plan_for_exercise(library.exercise("dead-hang"), [])
    assert [(s.seconds, s.tempo) for s in hang] == [(30, None)] * 3
    history = [past("2025-02-01", *(SetLog("one-arm-dumbbell-row", n, reps=9, load_kg=24.0, side=side)
                                    for n in (1, 2, 3) for side in ("left", "right")))]
    again = plan_for_exercise(row, history)
    assert [(s.load_kg, s.target_reps) for s in again] == [(24.0, 10)] * 3


# --- the flow: starting -------------------------------------------------------------------------

def test_start_journals_the_plan(store, library):
    flow = flow_on(store, library)
    assert (flow.stage, flow.index, flow.current, flow.next_step) == ("work", 0, fixed_plan()[0], fixed_plan()[1])
    assert flow.progress == 0.0 and flow.logged == []
    state = journal_on_disk(store)
    assert [Step.from_dict(d) for d in state.meta["steps"]] == fixed_plan()
    assert state.meta["index"] == 0 and state.routine == "Test" and state.started_at == STARTED_AT


def test_start_refuses_an_empty_plan_and_a_second_session(store, library):
    with pytest.raises(ValueError, match="at least one set"):
        flow_on(store, library, [])
    flow_on(store, library)
    with pytest.raises(StorageError, match="in progress"):
        flow_on(store, library)


# --- the flow: work, log, rest ------------------------------------------------------------------

def test_a_set_goes_work_log_rest_work(store, library):
    flow = flow_on(store, library)
    flow.work_finished()
    assert flow.stage == "log"
    assert flow.prefill == LogPrefill(reps=8, load_kg=30.0, seconds=None, rpe=None, note="", failed=False)
    flow.log(8, 30.0)
    assert (flow.stage, flow.index) == ("rest", 0)
    assert flow.current == fixed_plan()[0] and flow.next_step == fixed_plan()[1]
    assert flow.current_rest_seconds() == 60  # the warm-up's rest
    flow.rest_finished()
    assert (flow.stage, flow.index) == ("work", 1)
    flow.work_finished()
    flow.log(8, 60.0)
    flow.skip_rest()
    assert (flow.stage, flow.index) == ("work", 2)
    assert flow.progress == pytest.approx(2 / 5)


def test_log_is_durable_before_it_returns(store, library):
    flow = flow_on(store, library)
    flow.work_finished()
    sets = flow.log(8, 30.0, rpe=6, note="easy")
    state = journal_on_disk(store)
    assert state.sets == sets == flow.logged
    assert state.meta["index"] == 1 and state.meta["done"] == [True, False, False, False, False]


def test_logged_sets_carry_kind_tempo_and_time(store, library):
    flow = flow_on(store, library)
    [warm] = do_set(flow)
    assert (warm.kind, warm.set_number, warm.tempo, warm.reps, warm.load_kg) == ("warmup", 1, "3-2-1-2", 8, 30.0)
    assert warm.logged_at is not None and warm.side is None
    [work] = do_set(flow, reps=7)
    assert (work.kind, work.set_number, work.reps) == ("normal", 2, 7)


def test_per_side_step_logs_left_then_right_before_returning(store, library):
    flow = flow_on(store, library)
    for _ in range(3):
        do_set(flow)
    flow.work_finished()
    left, right = flow.log(10, 22.0, rpe=8)
    assert (left.side, right.side) == ("left", "right")
    assert left.set_number == right.set_number == 1
    assert (left.reps, left.load_kg, left.rpe) == (right.reps, right.load_kg, right.rpe) == (10, 22.0, 8)
    assert journal_on_disk(store).sets[-2:] == [left, right]


def test_end_early_prefills_the_reps_and_logs_a_failure(store, library):
    flow = flow_on(store, library)
    do_set(flow)
    flow.end_early(5)
    assert flow.stage == "log"
    assert flow.prefill.reps == 5 and flow.prefill.failed is True and flow.prefill.load_kg == 60.0
    assert flow.prefill.failure_text(timed=False) == "Failed at rep 6: 5 done, logged as a set taken to failure."
    [s] = flow.log(flow.prefill.reps, 60.0, failed=flow.prefill.failed)
    assert (s.kind, s.reps) == ("failure", 5)
    flow.rest_finished()
    assert flow.prefill.reps == 8 and flow.prefill.failed is False  # the next set starts clean
    assert flow.prefill.failure_text(timed=False) == ""


def test_end_early_on_a_hold_prefills_the_seconds(store, library):
    flow = flow_on(store, library, [step("dead-hang", reps=None, rng=None, seconds=30, load=None, tempo=None)])
    flow.end_early(0, seconds=21.5)
    assert flow.prefill.seconds == 21.5 and flow.prefill.failed
    assert flow.prefill.failure_text(timed=True) == "Ended early: it will be logged as a set taken to failure."
    [s] = flow.log(None, None, seconds=21.5, failed=True)
    assert (s.kind, s.seconds, s.tempo) == ("failure", 21.5, None)


def test_a_failed_warmup_stays_a_warmup(store, library):
    flow = flow_on(store, library)
    flow.end_early(3)
    [s] = flow.log(3, 30.0, failed=True)
    assert s.kind == "warmup"


def test_end_early_refuses_impossible_reps(store, library):
    flow = flow_on(store, library)
    for bad in (-1, 2.5, True):
        with pytest.raises(ValueError, match="completed reps"):
            flow.end_early(bad)
    assert flow.stage == "work"


def test_the_last_log_makes_the_session_done(store, library):
    flow = flow_on(store, library)
    for _ in range(5):
        do_set(flow)
    assert (flow.stage, flow.index, flow.current, flow.next_step) == ("done", 5, None, None)
    assert flow.current_rest_seconds() == 0
    assert flow.progress == 1.0
    assert journal_on_disk(store).meta["index"] == 5


def test_an_invalid_set_writes_nothing(store, library):
    flow = flow_on(store, library)
    flow.work_finished()
    with pytest.raises(InvalidRecord, match="reps"):
        flow.log(-1, 30.0)
    with pytest.raises(InvalidRecord, match="RPE"):
        flow.log(8, 30.0, rpe=11)
    assert flow.stage == "log" and flow.logged == [] and journal_on_disk(store).sets == []


def test_a_failed_write_leaves_the_set_to_log_again(store, library, monkeypatch):
    flow = flow_on(store, library, [step(per_side=True), step(n=2)])
    flow.work_finished()
    real = store.log_set
    calls = []

    def failing(s):
        calls.append(s)
        if len(calls) == 2:
            raise OSError("disk full")
        real(s)

    monkeypatch.setattr(store, "log_set", failing)
    with pytest.raises(OSError):
        flow.log(8, 60.0)
    assert flow.stage == "log" and flow.logged == [] and journal_on_disk(store).sets == []  # no lone left side
    monkeypatch.setattr(store, "log_set", real)
    assert len(flow.log(8, 60.0)) == 2


# --- invalid calls ------------------------------------------------------------------------------

def test_calls_out_of_stage_raise_clear_errors(store, library):
    flow = flow_on(store, library)
    with pytest.raises(SessionStateError, match=r"stage 'work'.*work_finished\(\) or end_early\(\)"):
        flow.log(8, 30.0)
    with pytest.raises(SessionStateError, match="stage 'work'"):
        flow.rest_finished()
    with pytest.raises(SessionStateError, match="stage 'work'"):
        flow.skip_rest()
    flow.work_finished()
    with pytest.raises(SessionStateError, match=r"log\(\) first"):
        flow.work_finished()
    with pytest.raises(SessionStateError, match="stage 'log'"):
        flow.end_early(3)
    flow.log(8, 30.0)
    with pytest.raises(SessionStateError, match=r"rest_finished\(\) or skip_rest\(\)"):
        flow.work_finished()
    with pytest.raises(SessionStateError, match="stage 'rest'"):
        flow.log(8, 30.0)


def test_done_has_no_current_step(store, library):
    flow = flow_on(store, library, [step()])
    do_set(flow)
    assert flow.stage == "done"
    for call in (flow.add_set, flow.remove_set, flow.skip_exercise, flow.swap_options,
                 lambda: flow.swap_exercise("pendlay-row"), lambda: flow.prefill):
        with pytest.raises(SessionStateError, match="every set is done"):
            call()
    with pytest.raises(SessionStateError, match="stage 'done'"):
        flow.work_finished()


def test_finish_twice_and_calls_after_the_end_raise(store, library):
    flow = flow_on(store, library)
    do_set(flow)
    flow.finish()
    assert flow.finished and flow.stage == "done"
    with pytest.raises(SessionStateError, match="has ended"):
        flow.finish()
    for call in (flow.discard, flow.go_back, flow.work_finished, flow.add_set):
        with pytest.raises(SessionStateError, match="has ended"):
            call()


def test_discard_twice_raises(store, library):
    flow = flow_on(store, library)
    flow.discard()
    with pytest.raises(SessionStateError, match="has ended"):
        flow.discard()


def test_go_back_and_forward_stop_at_the_ends(store, library):
    flow = flow_on(store, library)
    with pytest.raises(SessionStateError, match="first set"):
        flow.go_back()
    for _ in range(4):
        flow.go_forward()
    assert flow.index == 4
    with pytest.raises(SessionStateError, match="last set"):
        flow.go_forward()


# --- moving between steps -----------------------------------------------------------------------

def test_go_back_and_forward_move_without_logging(store, library):
    flow = flow_on(store, library)
    do_set(flow)
    flow.work_finished()
    flow.go_back()  # from "log": nothing is logged
    assert (flow.stage, flow.index, len(flow.logged)) == ("work", 0, 1)
    assert journal_on_disk(store).meta["index"] == 0
    flow.go_forward()
    flow.go_forward()
    assert (flow.stage, flow.index) == ("work", 2)
    assert journal_on_disk(store).meta["index"] == 2


def test_go_back_from_rest_and_from_done(store, library):
    flow = flow_on(store, library, [step(), step(n=2)])
    do_set(flow)
    flow.work_finished()
    flow.log(8, 60.0)
    assert flow.stage == "done"
    flow.go_back()
    assert (flow.stage, flow.index) == ("work", 1)
    flow2_steps = fixed_plan()
    flow.discard()
    flow = flow_on(store, library, flow2_steps)
    flow.work_finished()
    flow.log(8, 30.0)
    flow.go_forward()  # from the rest
    assert (flow.stage, flow.index) == ("work", 1)


def test_a_redo_appends_and_continues_with_the_first_unlogged_set(store, library):
    flow = flow_on(store, library)
    do_set(flow)
    do_set(flow)
    do_set(flow)
    flow.go_back()
    flow.go_back()
    assert flow.index == 1 and flow.logged_steps[1]
    flow.work_finished()
    [redo] = flow.log(6, 62.5)
    assert flow.logged[-1] == redo and len(flow.logged) == 4 and redo.set_number == 2
    assert flow.next_step == fixed_plan()[3]
    flow.rest_finished()
    assert flow.index == 3
    assert flow.progress == pytest.approx(3 / 5)


def test_a_set_left_out_comes_back_at_the_end(store, library):
    flow = flow_on(store, library, [step(n=1), step(n=2), step(n=3)])
    flow.go_forward()
    do_set(flow)
    assert (flow.stage, flow.index) == ("work", 2)
    flow.work_finished()
    flow.log(8, 60.0)
    assert flow.stage == "rest" and flow.next_step == step(n=1)
    flow.rest_finished()
    assert flow.index == 0
    do_set(flow)
    assert flow.stage == "done"


# --- changing the plan --------------------------------------------------------------------------

def resumed_steps(store, library) -> list[Step]:
    return [Step.from_dict(d) for d in journal_on_disk(store).meta["steps"]]


def test_add_set_copies_the_exercises_last_step_after_it(store, library):
    flow = flow_on(store, library)
    new = flow.add_set()
    assert new == replace(fixed_plan()[2], set_number=4)
    assert flow.steps[3] == new and len(flow.steps) == 6 and flow.index == 0
    assert resumed_steps(store, library) == flow.steps


def test_add_set_during_the_rest_after_the_last_set(store, library):
    flow = flow_on(store, library)
    for _ in range(2):
        do_set(flow)
    flow.work_finished()
    flow.log(8, 60.0)  # the exercise's last set; now resting
    flow.add_set()
    assert flow.next_step == replace(fixed_plan()[2], set_number=4)
    flow.rest_finished()
    assert flow.current.set_number == 4 and flow.current.exercise_id == "barbell-row"
    assert journal_on_disk(store).meta["index"] == 3


def test_add_set_in_a_superset_goes_after_the_round(store, library):
    steps = [step("barbell-row", 1, rest=10, superset="A"), step("face-pull", 1, rest=75, superset="A"),
             step("barbell-row", 2, rest=10, superset="A"), step("face-pull", 2, rest=75, superset="A"),
             step("deadlift", 1, rest=180)]
    flow = flow_on(store, library, steps)
    new = flow.add_set()
    assert flow.steps.index(new) == 4 and new.set_number == 3 and new.rest_seconds == 75
    assert flow.steps[3].rest_seconds == 75


def test_add_set_numbers_after_every_set_of_the_exercise(store, library):
    steps = [step("barbell-row", 1, item_id="a"), step("deadlift", 1), step("barbell-row", 2, item_id="b")]
    flow = flow_on(store, library, steps)
    new = flow.add_set()  # of item a: after its own step, numbered after item b's set 2
    assert flow.steps.index(new) == 1 and new.set_number == 3 and new.item_id == "a"


def test_remove_set_drops_the_last_unlogged_step(store, library):
    flow = flow_on(store, library)
    do_set(flow)
    removed = flow.remove_set()
    assert removed == fixed_plan()[2]
    assert flow.steps == fixed_plan()[:2] + fixed_plan()[3:]
    assert resumed_steps(store, library) == flow.steps
    flow.remove_set()  # now the current step itself: on to the next exercise
    assert (flow.stage, flow.index, flow.current.exercise_id) == ("work", 1, "one-arm-dumbbell-row")
    flow.go_back()
    with pytest.raises(ValueError, match="no set left to remove"):
        flow.remove_set()


def test_remove_set_refuses_when_every_set_is_logged(store, library):
    flow = flow_on(store, library, [step(n=1), step("deadlift")])
    flow.work_finished()
    flow.log(8, 60.0)
    with pytest.raises(ValueError, match="every set of barbell-row is logged"):
        flow.remove_set()
    assert len(flow.steps) == 2


def test_remove_set_in_a_superset_keeps_the_round_rest(store, library):
    steps = [step("barbell-row", 1, rest=10, superset="A"), step("face-pull", 1, rest=75, superset="A"),
             step("barbell-row", 2, rest=10, superset="A"), step("face-pull", 2, rest=75, superset="A")]
    flow = flow_on(store, library, steps)
    flow.go_forward()  # on face-pull
    flow.remove_set()
    assert [(s.exercise_id, s.rest_seconds) for s in flow.steps] == [
        ("barbell-row", 10), ("face-pull", 75), ("barbell-row", 75)]


def test_remove_the_last_remaining_set_ends_the_session(store, library):
    flow = flow_on(store, library, [step(n=1), step(n=2)])
    do_set(flow)
    flow.remove_set()
    assert (flow.stage, flow.index, len(flow.steps)) == ("done", 1, 1)


def test_skip_exercise_moves_to_the_next_exercise(store, library):
    flow = flow_on(store, library)
    do_set(flow)
    flow.skip_exercise()
    assert [s.exercise_id for s in flow.steps] == ["barbell-row", "one-arm-dumbbell-row", "dead-hang"]
    assert (flow.stage, flow.index, flow.current.exercise_id) == ("work", 1, "one-arm-dumbbell-row")
    assert resumed_steps(store, library) == flow.steps and journal_on_disk(store).meta["index"] == 1
    assert flow.progress == pytest.approx(1 / 3)


def test_skip_exercise_during_the_rest_keeps_resting(store, library):
    flow = flow_on(store, library)
    flow.work_finished()
    flow.log(8, 30.0)
    flow.skip_exercise()
    assert flow.stage == "rest" and flow.next_step.exercise_id == "one-arm-dumbbell-row"
    flow.rest_finished()
    assert flow.current.exercise_id == "one-arm-dumbbell-row"


def test_skip_exercise_on_a_logged_set_moves_on(store, library):
    flow = flow_on(store, library, [step(n=1), step("deadlift")])
    do_set(flow)
    flow.go_back()
    flow.skip_exercise()
    assert (flow.stage, flow.current.exercise_id) == ("work", "deadlift")


def test_skip_the_last_exercise_ends_the_session(store, library):
    flow = flow_on(store, library, [step(n=1), step("deadlift"), step("deadlift", 2)])
    do_set(flow)
    flow.skip_exercise()
    assert (flow.stage, flow.index, len(flow.steps)) == ("done", 1, 1)


def test_skip_a_superset_member_gives_the_other_the_round_rest(store, library):
    steps = [step("barbell-row", 1, rest=10, superset="A"), step("face-pull", 1, rest=75, superset="A"),
             step("barbell-row", 2, rest=10, superset="A"), step("face-pull", 2, rest=75, superset="A"),
             step("barbell-row", 3, rest=10, superset="A"), step("face-pull", 3, rest=75, superset="A")]
    flow = flow_on(store, library, steps)
    do_set(flow)
    flow.skip_exercise()  # on face-pull 1: its remaining sets go
    assert [(s.exercise_id, s.set_number, s.rest_seconds) for s in flow.steps] == [
        ("barbell-row", 1, 75), ("barbell-row", 2, 75), ("barbell-row", 3, 75)]
    assert (flow.stage, flow.index) == ("work", 1)


def test_swap_exercise_replaces_the_remaining_steps(store, library):
    flow = flow_on(store, library)
    do_set(flow)
    do_set(flow)
    changed = flow.swap_exercise("pendlay-row")
    assert [s.exercise_id for s in flow.steps] == ["barbell-row", "barbell-row", "pendlay-row",
                                                   "one-arm-dumbbell-row", "dead-hang"]
    assert changed == [flow.steps[2]]
    new = flow.steps[2]
    assert (new.set_number, new.tempo, new.load_kg, new.rep_range, new.target_reps) == (3, "2-1-X-0", 60.0, (6, 8), 8)
    assert flow.current == new
    assert resumed_steps(store, library) == flow.steps
    [s] = do_set(flow)
    assert (s.exercise_id, s.set_number, s.tempo) == ("pendlay-row", 3, "2-1-X-0")


def test_swap_to_body_weight_drops_the_loads(store, library):
    flow = flow_on(store, library)
    flow.swap_exercise("inverted-row")
    assert [(s.exercise_id, s.load_kg, s.warmup) for s in flow.steps[:3]] == [
        ("inverted-row", None, True), ("inverted-row", None, False), ("inverted-row", None, False)]


def test_swap_takes_the_new_exercises_latest_load(store, library):
    store.add_session(past("2025-02-01", SetLog("dumbbell-bent-over-row", 1, reps=10, load_kg=25.0),
                           SetLog("dumbbell-bent-over-row", 2, reps=10, load_kg=27.5)))
    flow = flow_on(store, library)
    flow.swap_exercise("dumbbell-bent-over-row")
    assert [(s.load_kg, s.warmup) for s in flow.steps[:3]] == [(15.0, True), (27.5, False), (27.5, False)]


def test_swap_between_holds_and_reps(store, library):
    steps = [step("pull-up", 1, reps=8, rng=(5, 10), load=None), step("pull-up", 2, reps=8, rng=(5, 10), load=None)]
    flow = flow_on(store, library, steps)
    flow.swap_exercise("dead-hang")
    assert [(s.seconds, s.tempo, s.target_reps, s.rep_range) for s in flow.steps] == [(30, None, None, None)] * 2
    flow.swap_exercise("chin-up")
    assert [(s.seconds, s.tempo, s.target_reps, s.rep_range) for s in flow.steps] == [
        (None, "3-2-1-2", 10, (5, 10))] * 2


def test_swap_follows_the_new_exercises_sidedness(store, library):
    flow = flow_on(store, library)
    flow.swap_exercise("one-arm-dumbbell-row")
    assert all(s.per_side for s in flow.steps[:3])
    # the plan already has set 1 of one-arm-dumbbell-row later on: the swapped ones continue after it
    assert [s.set_number for s in flow.steps if s.exercise_id == "one-arm-dumbbell-row"] == [2, 3, 4, 1]


def test_swap_refuses_other_patterns_unknown_and_logged(store, library):
    flow = flow_on(store, library, [step(n=1), step("deadlift")])
    with pytest.raises(ValueError, match="only be swapped for another horizontal-row"):
        flow.swap_exercise("pull-up")
    with pytest.raises(ValueError, match="unknown exercise"):
        flow.swap_exercise("no-such-exercise")
    with pytest.raises(ValueError, match="already"):
        flow.swap_exercise("barbell-row")
    flow.work_finished()
    flow.log(8, 60.0)
    with pytest.raises(ValueError, match="nothing left to swap"):
        flow.swap_exercise("pendlay-row")


def test_swap_options_same_pattern_most_similar_first(store, library):
    from backcoach.workout import swap_similarity

    flow = flow_on(store, library)  # barbell-row: horizontal-row, intermediate, barbell
    options = flow.swap_options()
    rows = [e for e in library.exercises.values() if e.pattern == "horizontal-row" and e.id != "barbell-row"]
    assert sorted(e.id for e in options) == sorted(e.id for e in rows)
    current = library.exercises["barbell-row"]
    scores = [swap_similarity(current, e, list(library.levels)) for e in options]
    assert scores == sorted(scores, reverse=True)
    first = options[0]  # a barbell row of the same level training the same muscles
    assert "barbell" in first.equipment and first.level == "intermediate"
    assert set(first.primary_muscles) >= set(current.primary_muscles)
    custom = flow_on_custom(store, library)
    assert custom.swap_options() == []


def flow_on_custom(store, library) -> SessionFlow:
    store.discard_session()
    return flow_on(store, library, [step("custom-zercher-row")])


# --- finishing ----------------------------------------------------------------------------------

def test_finish_commits_and_sums_up(store, library):
    store.add_session(past("2025-02-20", SetLog("barbell-row", 1, reps=8, load_kg=50.0)))
    flow = flow_on(store, library)
    do_set(flow)  # warm-up 30 × 8
    do_set(flow, reps=8, load_kg=60.0)
    flow.skip_exercise()
    do_set(flow, reps=10, load_kg=22.0)  # one-arm row, both sides
    summary = flow.finish(ended_at="2025-03-01T19:00:00+00:00")
    assert store.unfinished_session() is None and not store.journal.exists()
    assert store.sessions()[0] == summary.session and summary.session.routine == "Test"
    assert summary.duration_seconds == 3600
    assert summary.sets == 3  # warm-up, work set, one per-side pair
    assert summary.volume_kg == 8 * 60.0 + 2 * 10 * 22.0
    assert ("barbell-row", "load", 60.0) in [(p.exercise_id, p.kind, p.value) for p in summary.prs]
    assert all(p.session_id == summary.session.id for p in summary.prs)
    assert summary.muscles["lats"] == 2.0  # primary of both; the pair counts once; warm-up not at all
    assert summary.muscles["teres-major"] == 1.5  # secondary of the row, primary of the one-arm row
    assert summary.muscles["hamstrings"] == 0.5 and summary.muscles["obliques"] == 0.5
    assert "quads" not in summary.muscles
    [row, one_arm] = summary.comparison
    assert (row.exercise_id, row.previous_session_id, row.volume_kg, row.previous_volume_kg) == (
        "barbell-row", "s-2025-02-20", 480.0, 400.0)
    assert one_arm.previous_session_id is None


def test_finish_without_sets_discards(store, library):
    flow = flow_on(store, library)
    summary = flow.finish(ended_at="2025-03-01T18:05:00+00:00")
    assert summary.sets == 0 and summary.volume_kg == 0 and summary.prs == [] and summary.muscles == {}
    assert summary.duration_seconds == 300 and summary.session.id == flow.session_id
    assert store.sessions() == [] and not store.journal.exists()


def test_finish_from_the_middle_of_a_set(store, library):
    flow = flow_on(store, library)
    do_set(flow)
    flow.work_finished()
    summary = flow.finish()
    assert summary.sets == 1 and flow.stage == "done"


def test_discard_leaves_no_trace(store, library):
    flow = flow_on(store, library)
    do_set(flow)
    flow.discard()
    assert store.sessions() == [] and store.unfinished_session() is None and flow.finished


# --- resuming -----------------------------------------------------------------------------------

def test_resume_without_an_unfinished_session(store, library):
    assert SessionFlow.resume(store, library) is None


def test_resume_after_three_sets(tmp_path, library):
    store = Store.open(tmp_path / "d")
    flow = flow_on(store, library)
    for _ in range(3):
        do_set(flow)
    logged = list(flow.logged)
    del flow
    store.close()
    with Store.open(tmp_path / "d") as store:
        flow = SessionFlow.resume(store, library)
        assert flow.steps == fixed_plan()
        assert (flow.index, flow.stage) == (3, "work")
        assert flow.logged == logged and len(logged) == 3
        assert flow.logged_steps == (True, True, True, False, False)
        assert flow.routine_name == "Test" and flow.started_at == STARTED_AT
        do_set(flow)  # and it carries on
        assert flow.index == 4 and len(flow.logged) == 5


def test_resume_after_a_kill_during_the_rest(tmp_path, library):
    store = Store.open(tmp_path / "d")
    flow = flow_on(store, library)
    flow.work_finished()
    flow.log(8, 30.0)
    assert flow.stage == "rest"
    store.close()
    with Store.open(tmp_path / "d") as store:
        flow = SessionFlow.resume(store, library)
        assert (flow.index, flow.stage, flow.current) == (1, "work", fixed_plan()[1])


def test_resume_after_the_last_set_is_ready_to_finish(tmp_path, library):
    store = Store.open(tmp_path / "d")
    flow = flow_on(store, library)
    for _ in range(5):
        do_set(flow)
    store.close()
    with Store.open(tmp_path / "d") as store:
        flow = SessionFlow.resume(store, library)
        assert (flow.stage, flow.index, flow.current, flow.progress) == ("done", 5, None, 1.0)
        summary = flow.finish()
        assert summary.sets == 5 and len(store.sessions()) == 1


def test_resume_keeps_plan_changes_and_position(tmp_path, library):
    store = Store.open(tmp_path / "d")
    flow = flow_on(store, library)
    do_set(flow)
    flow.add_set()
    flow.swap_exercise("pendlay-row")
    flow.go_forward()
    flow.go_forward()
    flow.skip_exercise()
    flow.go_back()
    expected_steps, expected_index = list(flow.steps), flow.index
    store.close()
    with Store.open(tmp_path / "d") as store:
        flow = SessionFlow.resume(store, library)
        assert flow.steps == expected_steps and flow.index == expected_index and flow.stage == "work"


def test_resume_after_a_crash_between_the_set_and_the_meta(tmp_path, library):
    store = Store.open(tmp_path / "d")
    flow = flow_on(store, library)
    do_set(flow)
    store.log_set(SetLog("barbell-row", 2, reps=8, load_kg=60.0))  # as if killed before the meta line
    store.close()
    with Store.open(tmp_path / "d") as store:
        flow = SessionFlow.resume(store, library)
        assert (flow.index, flow.stage, len(flow.logged)) == (2, "work", 2)
    with Store.open(tmp_path / "d") as store:  # the repair was journaled
        assert store.unfinished_session().meta["index"] == 2


def test_resume_drops_a_lone_side(tmp_path, library):
    store = Store.open(tmp_path / "d")
    flow = flow_on(store, library)
    for _ in range(3):
        do_set(flow)
    store.log_set(SetLog("one-arm-dumbbell-row", 1, reps=10, load_kg=22.0, side="left"))  # killed before "right"
    store.close()
    with Store.open(tmp_path / "d") as store:
        flow = SessionFlow.resume(store, library)
        assert (flow.index, flow.stage, len(flow.logged)) == (3, "work", 3)
        assert len(store.unfinished_session().sets) == 3
        left, right = do_set(flow)
        assert (left.side, right.side) == ("left", "right")


def test_resume_a_journal_without_a_plan(tmp_path, library):
    store = Store.open(tmp_path / "d")
    store.start_session(routine="Plain", started_at=STARTED_AT)
    store.log_set(SetLog("deadlift", 1, reps=5, load_kg=100.0))
    store.close()
    with Store.open(tmp_path / "d") as store:
        flow = SessionFlow.resume(store, library)
        assert (flow.steps, flow.stage, len(flow.logged)) == ([], "done", 1)
        assert flow.finish().sets == 1


# --- a real kill ------------------------------------------------------------------------------

@pytest.mark.parametrize("count", [1, 3, 5])
def test_resume_after_sigkill(tmp_path, library, count):
    data_dir = tmp_path / "d"
    proc = subprocess.Popen([*RUNNER, str(data_dir), str(count)], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    acks = []
    try:
        while len(acks) < count:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(f"the runner died: {proc.stderr.read()}")
            acks.append(line.split())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()
    assert proc.returncode == -signal.SIGKILL
    assert [a[:2] for a in acks] == [["ack", str(i)] for i in range(1, count + 1)]
    with Store.open(data_dir) as store:
        flow = SessionFlow.resume(store, library)
        assert flow.steps == fixed_plan()
        assert flow.index == count and flow.stage == ("done" if count == len(fixed_plan()) else "work")
        expected = []
        for i in range(count):
            v, st = logged_values(i), fixed_plan()[i]
            expected += [(st.exercise_id, st.set_number, v["reps"], v["load_kg"], side)
                         for side in (("left", "right") if st.per_side else (None,))]
        assert [(s.exercise_id, s.set_number, s.reps, s.load_kg, s.side) for s in flow.logged] == expected


def test_time_under_tension_follows_the_movement(library):
    from backcoach.session import time_under_tension

    squat = SetLog("goblet-squat", 1, reps=3, load_kg=20.0, tempo="3-2-1-1")
    # three reps of 7 s, the last without its pause at the top
    assert time_under_tension([squat], library) == 3 * 7 - 1
    negative = SetLog("negative-pull-up", 1, reps=2, tempo="5-3-X-2")
    assert time_under_tension([negative], library) == 10 + 5           # lower, step up, hold; the last lowering
    sides = [SetLog("goblet-bulgarian-split-squat", 1, reps=2, load_kg=10.0, tempo="3-1-1-1", side=side)
             for side in ("left", "right")]
    assert time_under_tension(sides, library) == 2 * (6 + 5)
    hold = SetLog("dead-hang", 1, seconds=30.0)
    warmup = SetLog("goblet-squat", 1, reps=5, load_kg=8.0, tempo="3-2-1-1", kind="warmup")
    imported = SetLog("goblet-squat", 2, reps=5, load_kg=8.0)       # no tempo: not counted
    assert time_under_tension([hold, warmup, imported], library) == 30.0


def test_step_after_next_names_the_set_after_the_coming_one(store, library):
    flow = flow_on(store, library)
    flow.work_finished()
    flow.log(8, 30.0)  # the warm-up; resting before set 2
    assert flow.stage == "rest" and flow.next_step is flow.steps[1] and flow.step_after_next is flow.steps[2]
