"""The gym floor: clicker, media and pedal keys drive a set on the fake clock; the plates and
last time are on the set screen and the log form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from backcoach.ui.session_view import INPUT_GUARD_SECONDS
from backcoach.model import SessionLog, SetLog
from backcoach.routines import PlannedSet, Routine, RoutineBook, RoutineItem
from backcoach.store import Store
from tests.helpers.windows import main_window
from tests.helpers.fake_clock import FakeClock

LAST = SessionLog(started_at="2026-03-02T18:00:00+00:00", ended_at="2026-03-02T19:00:00+00:00", id="s-last", sets=(
    SetLog("barbell-row", 1, reps=9, load_kg=60.0, rpe=7.5), SetLog("barbell-row", 2, reps=9, load_kg=60.0, rpe=8.0),
    SetLog("barbell-row", 3, reps=9, load_kg=60.0, rpe=8.0)))


@pytest.fixture
def store(tmp_path):
    st = Store.open(tmp_path / "d")
    st.add_sessions([LAST])
    yield st
    st.close()


def open_window(qtbot, library, store, monkeypatch, **settings):
    clock = FakeClock(5000.0)
    w = main_window(library, store, clock)
    for key, value in settings.items():
        w.settings.set(key, value)
    w.resize(1366, 768)
    qtbot.add_widget(w)
    w.show()
    w.clock = clock
    return w


@pytest.fixture
def window(qtbot, themed_app, library, store, monkeypatch):
    return open_window(qtbot, library, store, monkeypatch)


def press(widget, key: Qt.Key) -> None:
    """A real key press and release as the window system delivers them (QTest warns that it
    cannot spell the media keys, so they are sent as events directly)."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))


def start_row(window):
    window.start_exercise("barbell-row")
    area = window.session_area()
    window.clock.advance(INPUT_GUARD_SECONDS + 0.1)  # keys pressed while the screen opens are ignored
    return area.view, area.driver, area.view.flow


def into_the_reps(window, driver) -> None:
    """Past the get-ready countdown, on the fake clock."""
    while driver.position().phase == "get-ready":
        window.clock.advance_to(driver.next_wake + 0.001)
        driver.poll(on_time=True)


def test_clicker_keys_move_a_set_through_work_log_and_rest(qtbot, window):
    view, driver, flow = start_row(window)
    while flow.current.warmup:  # the warm-ups by clicker too: done, log, next
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert flow.stage == "work"
    into_the_reps(window, driver)
    index = driver.position().index
    window.clock.advance(0.5)
    qtbot.keyClick(view, Qt.Key.Key_B)  # the clicker's "black screen" button pauses
    assert driver.position().paused
    window.clock.advance(60)  # the clock runs, the set does not
    driver.poll(on_time=True)
    assert driver.position().index == index
    qtbot.keyClick(view, Qt.Key.Key_Period)  # and resumes
    assert not driver.position().paused
    window.clock.advance_to(driver.scheduler.next_boundary() + 0.001)
    driver.poll(on_time=True)
    assert driver.position().index == index + 1
    qtbot.keyClick(view, Qt.Key.Key_PageUp)  # back a phase
    assert driver.position().index == index
    qtbot.keyClick(view, Qt.Key.Key_PageDown)  # done: log it
    assert flow.stage == "log"
    logged = len(flow.logged)
    qtbot.keyClick(view.load_box, Qt.Key.Key_Period)  # typed in the load box, not a pause
    assert flow.stage == "log"
    qtbot.keyClick(view.load_box, Qt.Key.Key_PageDown)  # the clicker in the form logs the set
    assert flow.stage == "rest" and len(flow.logged) == logged + 1
    left = driver.position().remaining
    qtbot.keyClick(view, Qt.Key.Key_PageUp)  # in a rest, back means 30 s more
    assert driver.position().remaining == pytest.approx(left + 30)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)  # and next starts the next set
    assert flow.stage == "work"


def test_media_keys(qtbot, window):
    view, driver, flow = start_row(window)
    press(view, Qt.Key.Key_MediaNext)
    press(view, Qt.Key.Key_MediaNext)
    assert flow.stage == "rest"
    press(view, Qt.Key.Key_MediaTogglePlayPause)
    assert driver.position().paused
    press(view, Qt.Key.Key_MediaPlay)
    assert not driver.position().paused
    left = driver.position().remaining
    press(view, Qt.Key.Key_MediaPrevious)
    assert driver.position().remaining == pytest.approx(left + 30)
    press(view, Qt.Key.Key_MediaNext)
    assert flow.stage == "work"
    into_the_reps(window, driver)
    press(view, Qt.Key.Key_MediaPause)
    assert driver.position().paused


@pytest.mark.parametrize(("action", "check"), [
    ("next", lambda flow, driver: flow.stage == "log"),
    ("pause", lambda flow, driver: driver.position().paused),
])
def test_the_foot_pedal_key_from_settings(qtbot, themed_app, library, store, monkeypatch, action, check):
    window = open_window(qtbot, library, store, monkeypatch, pedal_key="F13", pedal_action=action)
    view, driver, flow = start_row(window)
    into_the_reps(window, driver)
    assert "pedal (F13)" in view.cheat_label.text()
    qtbot.keyClick(view, Qt.Key.Key_F13)
    assert check(flow, driver)


def test_the_cheat_sheet_is_on_the_session_screen(qtbot, window):
    view, _driver, _flow = start_row(window)
    text = view.cheat_label.text()
    assert view.cheat_label.isVisible()
    assert "PgDn done / next" in text and "PgUp back" in text and "B or . pause" in text and "pedal" not in text


def test_plates_and_last_time_on_the_set_screen_and_the_log_form(qtbot, window):
    view, driver, flow = start_row(window)
    while flow.current.warmup:
        for _ in range(3):
            qtbot.keyClick(view, Qt.Key.Key_PageDown)
    step = flow.current
    assert step.load_kg == 60.0
    assert view.plates_label.text() == "20 kg bar + 20 a side"
    assert view.last_label.text() == "Last time: 3 × 9 @ 60 kg · RPE 8 · best 60 kg × 9 (2 Mar)"
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert flow.stage == "log"
    assert view.form_plates_label.text() == "20 kg bar + 20 a side"
    assert view.last_label.isVisible() and view.last_label.text().startswith("Last time: 3 × 9 @ 60 kg")
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)  # heavier: the plates follow
    assert view.form_plates_label.text() == "20 kg bar + 20 + 1.25 a side"


def test_a_routine_load_the_plates_cannot_make_is_rounded_warmups_too(qtbot, window, store):
    window.settings.set("plates_kg", "20 10 5")  # no small plates: loads move in 10 kg
    item = RoutineItem("deadlift", sets=(PlannedSet((5, 5), None, 57.0),) * 2, id="x", warmup_sets=2)
    routine = RoutineBook(store).save(Routine("Rows", items=(item,)))
    window.start_routine(routine.id)
    flow = window.session_area().view.flow
    assert [s.load_kg for s in flow.steps] == [30.0, 40.0, 60.0, 60.0]


def test_the_routine_editor_shows_last_time_per_item_and_rounds_suggestions(qtbot, themed_app, library, store):
    from backcoach.settings import Settings
    from backcoach.ui.routines_models import RoutineItemsModel
    from backcoach.ui.routines_view import RoutinesView

    store.add_sessions([SessionLog(started_at="2026-03-09T18:00:00+00:00", ended_at="2026-03-09T19:00:00+00:00",
                                   id="s-dl", sets=tuple(SetLog("deadlift", n, reps=5, load_kg=61.0) for n in (1, 2, 3)))])
    settings = Settings(store)
    settings.set("plates_kg", "20 10 5")
    view = RoutinesView(library, store, settings)
    qtbot.add_widget(view)
    view.show()
    view.create_routine("Pull day")
    view.add_exercises(["barbell-row", "deadlift", "dead-hang"])
    model = view.items_model
    last = [model.data(model.index(r, RoutineItemsModel.LAST)) for r in range(3)]
    assert last[0].startswith("3 × 9 @ 60 kg · RPE 8 · best 60 kg × 9 (2 Mar")
    assert last[1].startswith("3 × 5 @ 61 kg")
    assert last[2] == "first time"
    assert model.headerData(RoutineItemsModel.LAST, Qt.Orientation.Horizontal) == "Last time"
    assert not model.flags(model.index(0, RoutineItemsModel.LAST)) & Qt.ItemFlag.ItemIsEditable
    # Next time for the deadlift: from 61 kg, on plates that make 10 kg jumps, a load they make.
    loads = {p.load_kg for p in view._suggestions[view.current().items[1].id].sets}
    assert all(((load - 20.0) / 2) % 5 == 0 for load in loads), loads
