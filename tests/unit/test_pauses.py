"""No full garbage-collection pass while a session runs (backcoach.pauses)."""

from __future__ import annotations

import gc
import sys

import pytest

from backcoach import pauses


@pytest.fixture(autouse=True)
def no_hold_left():
    threshold = gc.get_threshold()
    yield
    while pauses.holding():
        pauses.release_full_collections()
    gc.set_threshold(*threshold)
    gc.unfreeze()


def test_a_hold_freezes_what_exists_and_stops_full_passes():
    young, middle, full = gc.get_threshold()
    pauses.hold_full_collections()
    assert pauses.holding()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (young, middle, pauses.NEVER)
    pauses.release_full_collections()
    assert not pauses.holding()
    assert gc.get_threshold() == (young, middle, full)
    assert gc.get_freeze_count() == 0


def test_no_full_pass_runs_while_held_but_young_passes_do():
    passes: list[int] = []

    def seen(phase, info):
        if phase == "start":
            passes.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        pauses.hold_full_collections()
        for _ in range(300_000):  # enough allocations for many young passes (and a full one, unheld)
            a: list = []
            a.append(a)
        held = list(passes)
        pauses.release_full_collections()
    finally:
        gc.callbacks.remove(seen)
    assert held.count(0) > 10
    assert 2 not in held


def test_holds_nest_and_a_stray_release_is_harmless():
    threshold = gc.get_threshold()
    pauses.release_full_collections()  # nothing held: nothing happens
    assert gc.get_threshold() == threshold
    pauses.hold_full_collections()
    pauses.hold_full_collections()
    pauses.release_full_collections()
    assert pauses.holding() and gc.get_threshold()[2] == pauses.NEVER
    pauses.release_full_collections()
    assert not pauses.holding() and gc.get_threshold() == threshold


def test_overlapping_workers_give_the_switch_interval_back_as_it_was():
    usual = sys.getswitchinterval()
    first, second = pauses.short_gil_turns(), pauses.short_gil_turns()
    first.__enter__()
    assert sys.getswitchinterval() == pytest.approx(pauses.WORKER_SWITCH_SECONDS)
    second.__enter__()
    first.__exit__(None, None, None)  # the first worker ends while the second still runs
    assert sys.getswitchinterval() == pytest.approx(pauses.WORKER_SWITCH_SECONDS)
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == usual  # not left short for good


def test_the_interval_comes_back_when_the_work_fails():
    usual = sys.getswitchinterval()
    with pytest.raises(ValueError), pauses.short_gil_turns():
        raise ValueError("the worker's computation failed")
    assert sys.getswitchinterval() == usual
