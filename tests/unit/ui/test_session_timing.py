"""Pixels on the beat: the driver wakes at every whole second the screen shows (not only at
phase changes and the 3-2-1), and the ring paints a new phase or a new digit as soon as the
driver looks, before control returns to the event loop, rather than at the next 25 fps frame."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject

from backcoach.store import Store
from tests.helpers.windows import main_window
from tests.helpers.fake_clock import FakeClock


class PaintCounter(QObject):
    """Records what the ring shows each time it is painted."""

    def __init__(self, ring):
        super().__init__()
        self.ring = ring
        self.painted: list[tuple[str, int]] = []
        ring.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.painted.append((str(self.ring.phase), self.ring.seconds))
        return False


@pytest.fixture
def session(qtbot, themed_app, library, tmp_path, monkeypatch):
    store = Store.open(tmp_path / "d")
    clock = FakeClock(5000.0)
    w = main_window(library, store, clock)
    w.resize(1366, 768)
    qtbot.add_widget(w)
    w.show()
    w.start_exercise("barbell-row")
    area = w.session_area()
    qtbot.wait_until(lambda: area.view.ring.isVisible())
    yield area.driver, area.view, clock
    area.driver.stop()
    store.close()


def test_the_driver_wakes_at_every_whole_second_of_the_get_ready(session):
    driver, view, clock = session
    pos = driver.position()
    assert pos.phase == "get-ready" and pos.segment.duration >= 4
    start = clock.now
    wakes = []
    for _ in range(int(pos.segment.duration)):
        wakes.append(round(driver.next_wake - start, 6))
        clock.advance_to(driver.next_wake)
        driver.poll(on_time=True)
    # One wake per digit (5, 4, 3, 2, 1), the last one the phase change itself.
    assert wakes == [float(n) for n in range(1, int(pos.segment.duration) + 1)]
    assert driver.position().phase != "get-ready"


def test_each_new_digit_and_phase_is_painted_before_the_event_loop_runs(session):
    driver, view, clock = session
    counter = PaintCounter(view.ring)
    seconds = view.ring.seconds
    for _ in range(seconds - 1):
        clock.advance_to(driver.next_wake)
        driver.poll(on_time=True)  # no event processing after this: a paint must already have happened
        assert counter.painted[-1] == ("get-ready", view.ring.seconds)
        assert view.ring.seconds == seconds - len(counter.painted)
    clock.advance_to(driver.next_wake)
    driver.poll(on_time=True)
    assert counter.painted[-1][0] == str(driver.position().phase) != "get-ready"


def test_the_smooth_refresh_alone_does_not_force_a_paint(session, qtbot):
    driver, view, clock = session
    counter = PaintCounter(view.ring)
    clock.advance(0.3)  # the arc moves, the digit does not
    driver.refreshed.emit(driver.position())
    assert counter.painted == []  # left to the next frame
    qtbot.wait_until(lambda: counter.painted != [])
