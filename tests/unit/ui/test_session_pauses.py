"""A running session holds off the garbage collector's full passes (backcoach.pauses): a
20-50 ms walk of ten years of history must not land in a set. Held from the session's
start until it stops, and only by a real-time session."""

from __future__ import annotations

import gc

import pytest

from backcoach import pauses
from backcoach.session import SessionFlow, Step
from backcoach.store import Store
from backcoach.ui.session_driver import SessionDriver
from tests.helpers.cues import FakeCues


@pytest.fixture
def flow(library, tmp_path):
    store = Store.open(tmp_path / "d")
    step = Step(set_number=1, exercise_id="lat-pulldown", warmup=False, target_reps=4, rep_range=(4, 4), seconds=None,
                load_kg=40.0, tempo="3-1-2-1", rest_seconds=6, per_side=False, superset=None, item_id=None)
    yield SessionFlow.start(store, library, [step], "Pauses")
    store.close()


def test_a_running_session_holds_full_passes_until_it_stops(qtbot, themed_app, flow):
    threshold = gc.get_threshold()
    driver = SessionDriver(flow, cues=FakeCues(), realtime=True)
    driver.start()
    try:
        assert pauses.holding() and gc.get_threshold()[2] == pauses.NEVER and gc.get_freeze_count() > 0
        driver.start()  # resuming does not take a second hold
    finally:
        driver.stop()
    assert not pauses.holding() and gc.get_threshold() == threshold and gc.get_freeze_count() == 0
    driver.stop()  # twice: still nothing held, nothing released twice
    assert not pauses.holding()


def test_a_session_on_a_test_clock_leaves_the_collector_alone(qtbot, themed_app, flow):
    driver = SessionDriver(flow, cues=FakeCues(), realtime=False)
    driver.start()
    assert not pauses.holding()
    driver.stop()
