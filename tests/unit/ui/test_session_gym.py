"""Gym-mode behaviour a lifter meets in the first hour: keys that match what is printed,
the effort box, no replayed keys while the screen opens, the rest's ±30 s and auto-start,
the media-player ←, the timer held under dialogs, the pause label, the summary's counts,
the finish confirmation, the workout overview, and the routine preview. Fake clock throughout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from backcoach.routines import RoutineBook
from backcoach.store import Store
from backcoach.templates import load_templates, routine_from_template
from tests.helpers.windows import main_window
from backcoach.ui.session_view import INPUT_GUARD_SECONDS, PANEL, RESUME_TEXT
from tests.helpers.fake_clock import FakeClock

NO = QMessageBox.StandardButton.No
YES = QMessageBox.StandardButton.Yes


@pytest.fixture
def store(tmp_path):
    st = Store.open(tmp_path / "d")
    yield st
    st.close()


@pytest.fixture
def window(qtbot, themed_app, library, store, monkeypatch):
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


def routine(store, library, template_id="beginner-back"):
    book = RoutineBook(store)
    template = next(t for t in load_templates(library) if t.id == template_id)
    return book.save(routine_from_template(template, book))


def start(window, exercise="barbell-row"):
    window.start_exercise(exercise)
    area = window.session_area()
    window.clock.advance(INPUT_GUARD_SECONDS + 0.1)  # past the opening
    return area.view, area.driver, area.view.flow


def run_out(window, driver):
    window.clock.advance_to(driver.next_wake + 0.001)
    driver.poll(on_time=True)


def to_stage(window, driver, flow, stage):
    for _ in range(500):
        if flow.stage == stage and not driver.waiting:
            return
        if flow.stage == "log":
            flow_view = window.session_area().view
            flow_view.confirm()
        else:
            run_out(window, driver)
    raise AssertionError(f"never reached {stage}")


def press(qtbot, widget, key, mods=Qt.KeyboardModifier.NoModifier, text=None):
    if text is None:
        qtbot.keyClick(widget, key, mods)
    else:  # a key whose character is not what QTest would guess (e.g. "+" from Shift+= on a US board)
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtCore import QEvent

        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, mods, text))


# --- the log form -------------------------------------------------------------------------------

def test_plus_and_minus_are_read_by_character_on_any_layout(qtbot, window):
    view, driver, flow = start(window)
    to_stage(window, driver, flow, "log")
    reps, load = view.reps_box.value(), view.load_box.value()
    press(qtbot, view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ShiftModifier, "+")  # US: Shift+=
    press(qtbot, view, Qt.Key.Key_Plus, text="+")                                 # German: its own key
    press(qtbot, view, Qt.Key.Key_Equal, text="=")                                # the unshifted +/= key
    assert view.reps_box.value() == reps + 3 and view.load_box.value() == load
    press(qtbot, view, Qt.Key.Key_Minus, text="-")
    press(qtbot, view, Qt.Key.Key_Underscore, Qt.KeyboardModifier.ShiftModifier, "_")
    assert view.reps_box.value() == reps + 1 and view.load_box.value() == load
    press(qtbot, view, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    heavier = view.load_box.value()
    assert heavier > load and view.reps_box.value() == reps + 1  # the next load the plates make
    press(qtbot, view, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert view.load_box.value() > heavier
    press(qtbot, view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert view.load_box.value() == pytest.approx(heavier) and view.reps_box.value() == reps + 1
    # The hints print exactly these keys.
    assert view.reps_row[2].text() == "+ / −  or  ↑ ↓" and view.load_row[2].text() == "Shift+↑ ↓"


def test_a_note_takes_plus_and_minus_as_text(qtbot, window):
    view, driver, flow = start(window)
    to_stage(window, driver, flow, "log")
    reps = view.reps_box.value()
    view.note_box.setFocus()
    qtbot.keyClicks(view.note_box, "grip +1-")
    assert view.note_box.text() == "grip +1-" and view.reps_box.value() == reps


def test_arrows_on_the_effort_box_change_the_rpe_not_the_reps(qtbot, window):
    view, driver, flow = start(window)
    to_stage(window, driver, flow, "log")
    reps = view.reps_box.value()
    view.rpe_box.setFocus()
    press(qtbot, view.rpe_box, Qt.Key.Key_Down)
    press(qtbot, view.rpe_box, Qt.Key.Key_Down)
    assert view.rpe_box.currentData() == 6.5 and view.reps_box.value() == reps


@pytest.mark.qt_log_ignore("^This plugin does not support")  # a popup, offscreen
def test_tab_into_effort_opens_its_dark_large_list(qtbot, window):
    view, driver, flow = start(window)
    to_stage(window, driver, flow, "log")
    with qtbot.waitActive(window):
        window.activateWindow()
    view.setFocus()
    popup = view.rpe_box.view()
    for _ in range(3):  # reps, load, effort
        press(qtbot, QApplication.focusWidget() or view, Qt.Key.Key_Tab)
    qtbot.wait_until(popup.isVisible)  # Tab into effort opened its list
    press(qtbot, popup, Qt.Key.Key_Down)
    press(qtbot, popup, Qt.Key.Key_Return)
    assert view.rpe_box.currentData() == 6.0 and not popup.isVisible() and flow.stage == "log"
    view.rpe_box.showPopup()
    assert popup.palette().color(popup.palette().ColorRole.Base).name() == PANEL
    assert popup.font().pixelSize() >= 24
    view.rpe_box.hidePopup()


# --- opening the screen -------------------------------------------------------------------------

def test_enter_pressed_while_the_screen_opens_is_not_replayed(qtbot, window):
    window.start_exercise("barbell-row")
    view, flow = window.session_area().view, window.session_area().view.flow
    press(qtbot, view, Qt.Key.Key_Return)  # queued during the opening, delivered right after it
    assert flow.stage == "work" and flow.index == 0 and "Ignored" in view.notice.text()
    window.clock.advance(INPUT_GUARD_SECONDS + 0.1)
    press(qtbot, view, Qt.Key.Key_Return)  # now it is the lifter's
    assert flow.stage == "log"


def test_sound_loads_after_the_screen_is_up_and_says_the_get_ready(qtbot, themed_app, library, store):
    from tests.helpers.cues import FakeCues

    made: list[FakeCues] = []
    window = main_window(library, store, FakeClock(5000.0), cues_factory=lambda: made.append(FakeCues()) or made[-1])
    qtbot.add_widget(window)
    window.show()
    area = window.session_area()
    area.defer_cues = True
    window.start_exercise("barbell-row")
    try:
        assert area.view is not None and area.view.ring.word == "GET READY" and not made  # no sound loaded yet
        qtbot.wait_until(lambda: area.driver.cues is not None)
        assert made[0].calls[0][:2] == ("phase_changed", "get-ready")
    finally:
        area.driver.stop()


def test_sound_opens_with_the_start_page_so_the_first_get_ready_has_it(qtbot, window, monkeypatch):
    """The stream needs up to 1.7 s to start: opened when the Session area is shown, it is
    running before the lifter picks a routine, and the session uses it from its first cue."""
    import dataclasses

    from tests.helpers.cues import FakeCues

    class ClosingCues(FakeCues):
        closed = 0

        def close(self):
            self.closed += 1

    made = []
    window.services = dataclasses.replace(window.services, session_realtime=True,
                                          cues_factory=lambda: made.append(ClosingCues()) or made[-1])
    area = window.show_area("session")
    monkeypatch.setattr(area, "_stay_awake", lambda on: None)  # not the real screensaver in a test
    qtbot.wait_until(lambda: len(made) == 1)  # primed by showing the start page, before any session
    window.show_area("library")
    assert made[0].closed == 1  # no stream left open while the lifter browses
    window.show_area("session")
    qtbot.wait_until(lambda: len(made) == 2)
    window.start_exercise("barbell-row")
    assert area.driver.cues is made[1] and len(made) == 2  # the primed stream, from the first cue on
    area.driver.stop()


# --- the rest -----------------------------------------------------------------------------------

def test_rest_keys_add_and_take_thirty_seconds(qtbot, window):
    view, driver, flow = start(window)
    to_stage(window, driver, flow, "rest")
    left = driver.position().remaining
    press(qtbot, view, Qt.Key.Key_Up)
    assert driver.position().remaining == pytest.approx(left + 30)
    press(qtbot, view, Qt.Key.Key_Minus, text="-")
    press(qtbot, view, Qt.Key.Key_Down)
    assert driver.position().remaining == pytest.approx(left - 30)
    assert view.plus30_button.isVisible() and view.minus30_button.isVisible()
    for _ in range(20):  # down to less than 30 s left: then the rest is over
        if flow.stage != "rest":
            break
        view.minus30_button.click()
    assert flow.stage == "work"


def test_rest_names_the_next_set_and_warm_ups_count_apart(qtbot, window, store, library):
    window.start_routine(routine(store, library).id)
    area = window.session_area()
    view, driver, flow = area.view, area.driver, area.view.flow
    window.clock.advance(1)
    first = flow.current
    if first.warmup:
        warmups = sum(1 for s in flow.steps if s.exercise_id == first.exercise_id and s.warmup)
        assert view.set_label.text() == f"Warm-up 1 of {warmups}"
    to_stage(window, driver, flow, "rest")
    nxt = flow.next_step
    assert view.target_label.text().startswith("Next set: ")
    assert view.set_label.text().startswith("Warm-up" if nxt.warmup else "Set")
    assert view.next_label.text().startswith("Then: ") and not view.target_label.text().startswith("This set")


def test_next_set_waits_for_enter_when_auto_start_is_off(qtbot, window):
    window.settings.set("auto_start_next", False)
    view, driver, flow = start(window)
    to_stage(window, driver, flow, "rest")
    run_out(window, driver)  # the rest runs out
    while flow.stage == "rest":
        run_out(window, driver)
    assert flow.stage == "work" and driver.waiting and driver.position() is None
    assert view.ring.word == "READY?" and view.main_button.text().startswith("Start set")
    window.clock.advance(120)
    assert driver.position() is None  # nothing runs while it waits
    press(qtbot, view, Qt.Key.Key_Return)
    assert not driver.waiting and driver.position().phase == "get-ready"


def test_next_set_starts_by_itself_by_default(qtbot, window):
    view, driver, flow = start(window)
    to_stage(window, driver, flow, "rest")
    while flow.stage == "rest":
        run_out(window, driver)
    assert not driver.waiting and driver.position().phase == "get-ready"


# --- moving and pausing -------------------------------------------------------------------------

def test_left_restarts_the_part_and_again_within_a_second_goes_back(qtbot, window):
    view, driver, flow = start(window)
    while driver.position().phase != "eccentric":
        run_out(window, driver)
    window.clock.advance(1.5)
    press(qtbot, view, Qt.Key.Key_Left)
    pos = driver.position()
    assert pos.phase == "eccentric" and pos.elapsed == pos.segment.start
    window.clock.advance(0.6)
    press(qtbot, view, Qt.Key.Key_Left)
    assert driver.position().phase != "eccentric"


def test_pause_changes_its_label_and_shows_paused(qtbot, window):
    view, driver, flow = start(window)
    press(qtbot, view, Qt.Key.Key_Space)
    assert view.pause_button.text() == RESUME_TEXT and view.ring.paused
    press(qtbot, view, Qt.Key.Key_Space)
    assert view.pause_button.text().startswith("Pause") and not view.ring.paused


def test_the_timer_waits_while_the_leave_dialog_is_open(qtbot, window, monkeypatch):
    view, driver, flow = start(window)
    seen = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: seen.append(driver.position().paused) or NO)
    press(qtbot, view, Qt.Key.Key_Escape)
    assert seen == [True] and not driver.position().paused and view.flow.stage == "work"


@pytest.mark.qt_log_ignore("^This plugin does not support")  # a popup menu, offscreen
def test_the_timer_waits_while_the_more_menu_is_open(qtbot, window):
    view, driver, flow = start(window)
    seen = []

    def look_and_close():
        seen.append(driver.position().paused)
        QApplication.activePopupWidget().close()

    QTimer.singleShot(0, look_and_close)
    view.more_button.click()
    assert seen == [True] and not driver.position().paused


def test_finishing_now_asks_first(qtbot, window, monkeypatch):
    view, driver, flow = start(window)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: NO)
    assert not view.confirm_finish() and flow.stage == "work" and not driver.position().paused
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: YES)
    assert view.confirm_finish() and flow.stage == "done"


# --- the summary --------------------------------------------------------------------------------

def test_summary_counts_work_sets_lists_exercises_and_says_finished_early(qtbot, window, store, library,
                                                                         monkeypatch):
    window.start_routine(routine(store, library).id)
    area = window.session_area()
    view, driver, flow = area.view, area.driver, area.view.flow
    window.clock.advance(1)
    logged = 0
    while logged < 4:
        to_stage(window, driver, flow, "log")
        view.confirm()
        logged += 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: YES)
    view.confirm_finish()
    session = view.summary.session
    work = [s for s in session.sets if not s.warmup and s.side != "right"]
    warm = [s for s in session.sets if s.warmup and s.side != "right"]
    text = view.summary_text.text()
    assert f"<b>{len(work)}</b> work set" in text
    assert (f"{len(warm)} warm-up" in text) == bool(warm)
    assert "Done today" in text and library.exercises[session.sets[0].exercise_id].name in text
    assert "finished early" in view.session_label.text() and f"{logged} of {len(flow.steps)}" in view.session_label.text()


# --- the whole workout --------------------------------------------------------------------------

def test_overview_ticks_done_sets_and_jumps(qtbot, window, store, library):
    window.start_routine(routine(store, library).id)
    area = window.session_area()
    view, driver, flow = area.view, area.driver, area.view.flow
    window.clock.advance(1)
    to_stage(window, driver, flow, "log")
    view.confirm()
    target = len(flow.steps) - 1
    seen = {}

    def pick():
        dialog = view.overview
        seen["paused"] = driver.position().paused
        seen["first"] = dialog.list.item(0).text()
        dialog.pick_row(target)

    QTimer.singleShot(0, pick)
    press(qtbot, view, Qt.Key.Key_O)
    assert seen["paused"] and seen["first"].startswith("✓")
    assert flow.index == target and flow.stage == "work" and driver.position().phase == "get-ready"
    assert view.exercise_label.text() == library.exercises[flow.steps[target].exercise_id].name


def test_session_page_says_why_a_routine_cannot_start_and_previews_one(qtbot, window, store, library,
                                                                        monkeypatch):
    r = routine(store, library)
    area = window.show_area("session")
    area.refresh_home()
    button = next(b for b in area.routine_list.findChildren(type(area.preview_start)) if b.text().startswith(r.name))
    button.click()
    assert area.preview_box.isVisible() and "min" in area.preview_title.text()
    first = library.exercises[r.items[0].exercise_id].name
    assert first in area.preview_text.text() and "never done yet" in area.preview_text.text()
    area.preview_start.click()
    assert area.running()
    # Leave it unfinished: the routine buttons now say why they don't start.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: YES)
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: said.append(text))
    area.view.leave()
    QApplication.processEvents()  # the new buttons show
    button = next(b for b in area.routine_list.findChildren(type(area.preview_start))
                  if b.text().startswith(r.name) and b.isVisible())
    assert button.isEnabled()
    button.click()
    assert said == ["A session is already in progress: resume or finish it first."] and not area.running()


@pytest.mark.parametrize(("exercise", "empty"), [("goblet-squat", "no load"), ("superman", "body weight")])
def test_an_empty_load_reads_as_what_it_is(qtbot, window, exercise, empty):
    """A kettlebell squat with no load yet is not a body-weight set; a superman is."""
    view, driver, flow = start(window, exercise)
    to_stage(window, driver, flow, "log")
    view.load_box.setValue(0)
    assert view.load_box.text() == empty
