"""The guided set on screen follows the exercise's movement: a goblet squat starts with the
descent and ends standing, an alternating row swaps sides every rep with no switch, a bird
dog holds each reach for 8 s with a 3-2-1. Driven by keys on a fake clock; the words are read
from the screen (the ring, the rep and side labels) and from the cues, in order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from backcoach.store import Store
from tests.helpers.windows import main_window
from tests.helpers.fake_clock import FakeClock


@pytest.fixture
def window(qtbot, themed_app, library, tmp_path, monkeypatch):
    store = Store.open(tmp_path / "d")
    clock = FakeClock(5000.0)
    w = main_window(library, store, clock)
    w.resize(1366, 768)
    qtbot.add_widget(w)
    w.show()
    w.clock = clock
    yield w
    area = w.session_area()
    if area.driver is not None:
        area.driver.stop()
    store.close()


class Screen:
    """What the lifter sees at each new part: the ring's word, the rep and the side."""

    def __init__(self, window, exercise_id: str):
        window.start_exercise(exercise_id)
        self.area = window.session_area()
        self.view, self.driver, self.flow = self.area.view, self.area.driver, self.area.view.flow
        self.window = window
        self.seen: list[tuple[str, str, str]] = []
        self.driver.phase_changed.connect(lambda _pos: self.seen.append(self.now()))
        self.seen.append(self.now())   # the get-ready, shown before we connected
        assert self.flow.current.exercise_id == exercise_id and not self.flow.current.warmup

    def now(self) -> tuple[str, str, str]:
        return self.view.ring.word, self.view.rep_label.text(), self.view.side_label.text()

    def run_out(self) -> None:
        """Jump to when the driver's timer would fire next and let it look."""
        self.window.clock.advance_to(self.driver.next_wake + 0.001)
        self.driver.poll(on_time=True)

    def words(self) -> list[str]:
        return [w for w, _rep, _side in self.seen]

    def key(self, qtbot, k, mods=Qt.KeyboardModifier.NoModifier) -> None:
        qtbot.keyClick(self.view, k, mods)

    def cue_calls(self, kind: str) -> list[tuple]:
        return [c for c in self.driver.cues.calls if c[0] == kind]


def test_goblet_squat_starts_with_the_descent_and_ends_standing(qtbot, window):
    s = Screen(window, "goblet-squat")
    reps = s.flow.current.target_reps
    s.key(qtbot, Qt.Key.Key_Space)                      # pause in the get-ready, then go on
    window.clock.advance(60)
    s.driver.poll(on_time=True)
    assert s.view.ring.word == "GET READY" and s.driver.position().paused
    s.key(qtbot, Qt.Key.Key_Space)
    while s.flow.stage == "work":
        s.run_out()
    assert s.words() == ["GET READY"] + ["DOWN", "HOLD", "STAND", "TOP"] * (reps - 1) + ["DOWN", "HOLD", "STAND"]
    assert [rep for _w, rep, _s in s.seen[1:5]] == [f"Rep 1 / {reps}"] * 4
    assert s.seen[-1][1] == f"Rep {reps} / {reps}" and {side for *_x, side in s.seen} == {""}
    spoken = [(c[1], c[5]) for c in s.cue_calls("phase_changed")]
    assert spoken[:3] == [("get-ready", "GET READY"), ("eccentric", "DOWN"), ("eccentric-hold", "HOLD")]
    assert s.flow.stage == "log" and s.view.reps_box.value() == reps
    s.key(qtbot, Qt.Key.Key_Return)
    assert s.flow.stage in ("rest", "done")


def test_alternating_row_swaps_side_every_rep_and_fails_at_the_right_rep(qtbot, window):
    s = Screen(window, "alternating-dumbbell-row")
    reps = s.flow.current.target_reps
    while s.driver.position().phase == "get-ready":      # get ready (with its 3-2-1), then left rep 1
        s.run_out()
    assert s.now() == ("PULL", f"Rep 1 / {reps}", "LEFT SIDE")
    s.key(qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)   # a whole rep on: the right side
    assert s.now() == ("PULL", f"Rep 1 / {reps}", "RIGHT SIDE")
    while (s.driver.position().rep, s.driver.position().side) != (3, "right"):
        s.run_out()
    assert "SWITCH SIDES" not in s.words()
    worked = [(w, side) for w, _rep, side in s.seen[1:]]
    assert worked[:4] == [("PULL", "LEFT SIDE"), ("PULL", "RIGHT SIDE"), ("SQUEEZE", "RIGHT SIDE"),
                          ("LOWER", "RIGHT SIDE")]
    assert worked[4:13] == ([("STRETCH", "RIGHT SIDE")]
                            + [(w, "LEFT SIDE") for w in ("PULL", "SQUEEZE", "LOWER", "STRETCH")]
                            + [(w, "RIGHT SIDE") for w in ("PULL", "SQUEEZE", "LOWER", "STRETCH")])
    sides = [side for _w, _rep, side in s.seen[1:] if _w == "PULL"]
    assert sides == ["LEFT SIDE", "RIGHT SIDE"] * 3    # rep by rep, no switch gap
    s.key(qtbot, Qt.Key.Key_F)                          # failed during right rep 3: 2 reps each side done
    assert s.flow.stage == "log" and s.flow.prefill.reps == 2 and s.flow.prefill.failed
    assert s.view.failed_label.text().startswith("Failed at rep 3: 2 done")


def test_bird_dog_holds_each_reach_with_a_countdown(qtbot, window):
    s = Screen(window, "bird-dog")
    reps = s.flow.current.target_reps
    assert reps == 5
    while s.flow.stage == "work":
        s.run_out()
    per_rep = ["REACH", "HOLD", "RETURN", "RESET"]
    assert s.words() == ["GET READY"] + per_rep * (2 * reps - 1) + per_rep[:3]
    reaches = [(rep, side) for w, rep, side in s.seen if w == "REACH"]
    assert reaches == [(f"Rep {n} / {reps}", side) for n in range(1, reps + 1)
                       for side in ("LEFT SIDE", "RIGHT SIDE")]
    calls = s.driver.cues.calls
    holds = [i for i, c in enumerate(calls) if c[0] == "phase_changed" and c[1] == "concentric-hold"]
    assert calls[holds[0]] == ("phase_changed", "concentric-hold", 8.0, 1, "left", "HOLD")
    assert calls[holds[0] + 1:holds[0] + 4] == [("countdown", 3), ("countdown", 2), ("countdown", 1)]
    assert len(holds) == 2 * reps
    # a quick part (the 2 s reach) is not counted down
    reach = next(i for i, c in enumerate(calls) if c[:2] == ("phase_changed", "concentric"))
    assert calls[reach + 1][:2] == ("phase_changed", "concentric-hold")
