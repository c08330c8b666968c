"""Guided sessions end to end: a whole template driven by keys on an accelerated fake clock,
leaving and resuming, and a killed app that comes back at the right set."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from backcoach.routines import RoutineBook
from backcoach.store import Store
from backcoach.templates import load_templates, routine_from_template
from tests.helpers.windows import main_window
from tests.helpers.fake_clock import FakeClock

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def store(tmp_path):
    st = Store.open(tmp_path / "d")
    yield st
    st.close()


def template_routine(store, library, template_id="beginner-back"):
    book = RoutineBook(store)
    template = next(t for t in load_templates(library) if t.id == template_id)
    return book.save(routine_from_template(template, book))


@pytest.fixture
def window(qtbot, themed_app, library, store, monkeypatch):
    clock = FakeClock(5000.0)
    w = main_window(library, store, clock)
    w.resize(1366, 768)
    qtbot.add_widget(w)
    w.show()
    w.clock = clock
    return w


def key(qtbot, widget, k, mods=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(widget, k, mods)


def run_out(window):
    """The accelerated clock: jump to the moment the driver's timer would fire next (a phase
    change or a 3-2-1 mark) and let it look, as the real timer would."""
    driver = window.session_area().driver
    window.clock.advance_to(driver.next_wake + 0.001)
    driver.poll(on_time=True)


def test_a_whole_template_by_keys(qtbot, window, store, library):
    routine = template_routine(store, library)
    window.start_routine(routine.id)
    area = window.session_area()
    view, driver, flow = area.view, area.driver, area.view.flow
    cues = driver.cues
    assert window.nav.isHidden()  # gym mode
    planned = len(flow.steps)
    expected_sets = sum(2 if s.per_side else 1 for s in flow.steps)
    logged_by_keys = failed_once = paused_once = extended_once = 0
    for _ in range(20000):
        if flow.stage == "done":
            break
        if flow.stage == "work":
            pos = driver.position()
            if not paused_once and pos.phase == "concentric":
                key(qtbot, view, Qt.Key.Key_Space)  # pause: the clock runs, the set does not
                window.clock.advance(30)
                driver.poll(on_time=True)
                assert driver.position().elapsed == pos.elapsed and driver.position().paused
                key(qtbot, view, Qt.Key.Key_Space)
                key(qtbot, view, Qt.Key.Key_Right)  # skip to the squeeze
                assert driver.position().phase == "concentric-hold"
                paused_once = 1
                continue
            if logged_by_keys == 2 and not failed_once and flow.current.seconds is None and pos.rep == 3:
                key(qtbot, view, Qt.Key.Key_F)  # failed at rep 3
                assert flow.stage == "log" and flow.prefill.reps == 2
                failed_once = 1
                continue
            run_out(window)
        elif flow.stage == "log":
            if flow.current.seconds is None and not flow.prefill.failed:
                before = view.reps_box.value()
                key(qtbot, view, Qt.Key.Key_Equal)
                key(qtbot, view, Qt.Key.Key_Minus)
                key(qtbot, view, Qt.Key.Key_Minus)
                assert view.reps_box.value() == before - 1
            key(qtbot, view, Qt.Key.Key_Return)
            logged_by_keys += 1
        elif flow.stage == "rest":
            if not extended_once:
                remaining = driver.position().remaining
                view.plus30_button.click()
                assert driver.position().remaining == pytest.approx(remaining + 30)
                extended_once = 1
                run_out(window)
            elif logged_by_keys % 2:
                key(qtbot, view, Qt.Key.Key_Right)  # skip the rest
            else:
                run_out(window)
    assert flow.stage == "done" and view.summary is not None
    assert view.summary.time_under_tension_seconds > 0 and "Time under tension" in view.summary_text.text()
    assert logged_by_keys == planned
    key(qtbot, view, Qt.Key.Key_Return)  # close the summary
    assert not area.running() and not window.nav.isHidden()

    (session,) = store.sessions()
    assert len(session.sets) == expected_sets and session.routine == routine.name
    assert [s.kind for s in session.sets].count("failure") == 1
    assert store.unfinished_session() is None
    history = window.show_area("history")
    qtbot.wait_until(lambda: not history.loading)
    assert history.session_model.rowCount() == 1 and history.session_model.session_at(0).id == session.id
    phases = {c[1] for c in cues.calls if c[0] == "phase_changed"}
    assert {"get-ready", "concentric", "concentric-hold", "eccentric", "eccentric-hold", "rest"} <= phases
    assert [c for c in cues.calls if c[0] == "countdown"][:3] == [("countdown", 3), ("countdown", 2), ("countdown", 1)]
    assert ("set_finished",) in cues.calls


def test_leave_keeps_the_session_resumable(qtbot, window, store, library, monkeypatch):
    routine = template_routine(store, library)
    window.start_routine(routine.id)
    area = window.session_area()
    view, flow = area.view, area.view.flow
    while flow.stage != "log":
        run_out(window)
    key(qtbot, view, Qt.Key.Key_Return)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    key(qtbot, view, Qt.Key.Key_Escape)
    assert not area.running() and area.resume_box.isVisible()
    assert len(store.unfinished_session().sets) >= 1
    area.resume()
    assert area.view.flow.index == 1 and area.view.flow.stage == "work"


def test_plan_changes_from_the_more_menu(window, store, library):
    routine = template_routine(store, library)
    window.start_routine(routine.id)
    area = window.session_area()
    flow = area.view.flow
    first = flow.current.exercise_id
    count = sum(1 for s in flow.steps if s.exercise_id == first)
    area.view._after_change(flow.add_set)()
    assert sum(1 for s in flow.steps if s.exercise_id == first) == count + 1
    option = flow.swap_options()[0]
    area.view._after_change(lambda: flow.swap_exercise(option.id))()
    assert flow.current.exercise_id == option.id and area.view.exercise_label.text() == option.name
    area.view._after_change(flow.skip_exercise)()
    assert flow.current.exercise_id != option.id


def test_start_now_from_the_library(window, store, library):
    window.library_view.select_exercise("face-pull")
    window.library_view.detail.start_button.click()
    area = window.session_area()
    assert area.running() and area.view.flow.current.exercise_id == "face-pull"
    assert window.current_area() == "session"


def test_a_killed_app_resumes_at_the_right_set(qtbot, themed_app, library, tmp_path, monkeypatch):
    data = tmp_path / "d"
    proc = subprocess.Popen([sys.executable, "-m", "tests.helpers.app_runner", str(data), "3"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.PIPE, text=True,
                            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    acks = []
    try:
        while len(acks) < 3:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(proc.stderr.read())
            if line.startswith("logged"):
                acks.append(line.split())
    finally:
        proc.send_signal(signal.SIGKILL)  # as a crash or a pulled plug would
        proc.wait()
        for stream in (proc.stdout, proc.stderr, proc.stdin):
            stream.close()
    next_index = int(acks[-1][2])
    with Store.open(data) as store:
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        window = main_window(library, store, FakeClock(1.0))
        qtbot.add_widget(window)
        window.offer_resume()
        flow = window.session_area().view.flow
        assert flow.index == next_index and flow.stage == "work"
        assert len({(s.exercise_id, s.set_number) for s in flow.logged}) == 3


def test_start_now_uses_the_default_rest_setting(window, store, library):
    window.settings.set("default_rest_seconds", 45)
    window.start_exercise("face-pull")
    steps = window.session_area().view.flow.steps
    assert steps and all(s.rest_seconds == 45 for s in steps if not s.warmup)
