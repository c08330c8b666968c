"""Rest alerts outside the window: the tray's countdown, a notification when a rest ends while
the window is not in front (through a fake notifier), the window raised where there is no
tray, the flash, and the real tray icon's tooltip and menu."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QIcon

from backcoach.store import Store
from backcoach.ui.alerts import TrayNotifier, status_text
from tests.helpers.windows import main_window
from tests.helpers.fake_clock import FakeClock
from tests.helpers.notifier import FakeNotifier


@pytest.fixture
def store(tmp_path):
    st = Store.open(tmp_path / "d")
    yield st
    st.close()


def open_window(qtbot, library, store, monkeypatch, notifier: FakeNotifier, **settings):
    clock = FakeClock(5000.0)
    w = main_window(library, store, clock, notifier_factory=lambda: notifier)
    for key, value in settings.items():
        w.settings.set(key, value)
    w.resize(1366, 768)
    qtbot.add_widget(w)
    w.show()
    w.activateWindow()
    qtbot.wait_until(w.isActiveWindow)
    w.clock = clock
    return w


def into_the_rest(window):
    """Start "barbell-row" now, run its first set out and log it: the rest begins."""
    window.start_exercise("barbell-row")
    area = window.session_area()
    driver, flow, view = area.driver, area.view.flow, area.view
    while flow.stage == "work":
        window.clock.advance_to(driver.next_wake + 0.001)
        driver.poll(on_time=True)
    view.confirm()  # log it
    assert flow.stage == "rest"
    return view, driver, flow


def run_out_the_rest(window, driver, flow):
    while flow.stage == "rest":
        window.clock.advance_to(driver.next_wake + 0.001)
        driver.poll(on_time=True)


def test_the_tray_shows_the_phase_and_the_seconds_left(qtbot, themed_app, library, store, monkeypatch):
    notifier = FakeNotifier()
    window = open_window(qtbot, library, store, monkeypatch, notifier)
    view, driver, flow = into_the_rest(window)
    rest = flow.current_rest_seconds()
    assert notifier.stage == "rest"
    minutes, seconds = divmod(rest, 60)
    assert notifier.status == f"Rest · {minutes}:{seconds:02d} left · next: Bent-over barbell row"
    window.clock.advance(rest - 42.2)
    driver._emit_refresh()  # what the 25 fps refresh does
    assert notifier.status == "Rest · 43 s left · next: Bent-over barbell row"
    driver._emit_refresh()
    assert notifier.statuses.count("Rest · 43 s left · next: Bent-over barbell row") == 1  # told once a second, not 25 times
    notifier.pause()  # the tray menu's Pause
    assert driver.position().paused and notifier.paused
    assert notifier.status.startswith("Paused · rest · 43 s left")
    notifier.pause()
    window.showMinimized()
    qtbot.wait_until(window.isMinimized)
    notifier.skip_rest()  # the tray menu's Skip rest
    assert flow.stage == "work"
    assert notifier.notifications == []  # skipped by hand: no alert


def test_a_rest_ending_while_minimised_raises_a_notification(qtbot, themed_app, library, store, monkeypatch):
    notifier = FakeNotifier()
    window = open_window(qtbot, library, store, monkeypatch, notifier)
    view, driver, flow = into_the_rest(window)
    window.showMinimized()
    qtbot.wait_until(window.isMinimized)
    run_out_the_rest(window, driver, flow)
    assert flow.stage == "work"
    assert len(notifier.notifications) == 1
    title, message = notifier.notifications[0]
    assert title == "Rest over"
    assert message.startswith("Next: Bent-over barbell row: 8 reps")
    assert window.isMinimized()  # with a tray, the window stays where the lifter put it


def test_no_alert_while_the_window_is_in_front(qtbot, themed_app, library, store, monkeypatch):
    notifier = FakeNotifier()
    window = open_window(qtbot, library, store, monkeypatch, notifier)
    _view, driver, flow = into_the_rest(window)
    run_out_the_rest(window, driver, flow)
    assert flow.stage == "work" and notifier.notifications == []


def test_without_a_tray_the_window_comes_to_the_front(qtbot, themed_app, library, store, monkeypatch):
    notifier = FakeNotifier(tray_available=False)
    window = open_window(qtbot, library, store, monkeypatch, notifier)
    _view, driver, flow = into_the_rest(window)
    window.showMinimized()
    qtbot.wait_until(window.isMinimized)
    run_out_the_rest(window, driver, flow)
    assert not window.isMinimized()
    assert notifier.notifications  # the sound still plays


def test_raising_is_a_setting(qtbot, themed_app, library, store, monkeypatch):
    notifier = FakeNotifier(tray_available=False)
    window = open_window(qtbot, library, store, monkeypatch, notifier, raise_at_rest_end=False)
    _view, driver, flow = into_the_rest(window)
    window.showMinimized()
    qtbot.wait_until(window.isMinimized)
    run_out_the_rest(window, driver, flow)
    assert window.isMinimized()


def test_alerts_off_means_no_tray_and_no_notification(qtbot, themed_app, library, store, monkeypatch):
    notifier = FakeNotifier()
    window = open_window(qtbot, library, store, monkeypatch, notifier, alerts_outside=False, raise_at_rest_end=False)
    _view, driver, flow = into_the_rest(window)
    window.showMinimized()
    qtbot.wait_until(window.isMinimized)
    run_out_the_rest(window, driver, flow)
    assert notifier.statuses == [] and notifier.notifications == []


def test_the_flash_at_rest_end(qtbot, themed_app, library, store, monkeypatch):
    notifier = FakeNotifier()
    window = open_window(qtbot, library, store, monkeypatch, notifier, flash_at_rest_end=True)
    view, driver, flow = into_the_rest(window)
    assert not view.flash.isVisible()
    run_out_the_rest(window, driver, flow)
    assert view.flash.isVisible() and view.flash.geometry() == view.rect()
    qtbot.wait_until(lambda: not view.flash.isVisible(), timeout=3000)


def test_leaving_the_session_removes_the_tray(qtbot, themed_app, library, store, monkeypatch):
    notifier = FakeNotifier()
    window = open_window(qtbot, library, store, monkeypatch, notifier)
    view, _driver, _flow = into_the_rest(window)
    view.leave(confirm=False)
    assert notifier.closed


def test_the_real_tray_icon_shows_the_status_in_its_tooltip_and_menu(qtbot, themed_app):
    calls = []
    tray = TrayNotifier(QIcon(), volume=lambda: 0.0)
    tray.set_actions(lambda: calls.append("pause"), lambda: calls.append("skip"), lambda: calls.append("open"))
    tray.show_status("Rest · 1:05 left · next: Bent-over barbell row", "rest", False)
    assert tray.tray.toolTip() == "BackCoach · Rest · 1:05 left · next: Bent-over barbell row"
    assert tray.status_action.text() == "Rest · 1:05 left · next: Bent-over barbell row"
    assert tray.skip_action.isEnabled() and tray.pause_action.text() == "Pause"
    for action in (tray.pause_action, tray.skip_action, tray.open_action):
        action.trigger()
    assert calls == ["pause", "skip", "open"]
    tray.show_status("Log the set", "log", False)
    assert not tray.skip_action.isEnabled() and not tray.pause_action.isEnabled()
    tray.notify("Rest over", "Next: Barbell Row")  # muted: no sound, and no tray here to show it
    tray.close()


def test_status_text_words():
    assert status_text("log", None) == "Log the set"
    assert status_text("done", None) == "Session done"
