"""The one change path: every store operation reports what it changed, and each open area
refreshes for what concerns it (MainWindow._store_changed → each area's store_changed)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from backcoach.model import SessionLog, SetLog
from backcoach.routines import Routine, RoutineBook
from backcoach.store import Store
from tests.helpers.windows import main_window
from backcoach.ui.routines_models import RoutineItemsModel as M


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "d") as opened:
        yield opened


@pytest.fixture
def window(qtbot, themed_app, library, store):
    """The app's main window on an empty data folder, on screen (areas open as a user would)."""
    main = main_window(library, store)
    qtbot.add_widget(main)
    main.show()
    qtbot.wait_exposed(main)
    return main


def pull_day(window):
    view = window.show_area("routines")
    view.create_routine("Pull day")
    view.add_exercises(["barbell-row"])
    view.items_model.setData(view.items_model.index(0, M.LOAD), "60", Qt.ItemDataRole.EditRole)
    return view


def next_time(view) -> str:
    return view.items_model.data(view.items_model.index(0, M.NEXT), Qt.ItemDataRole.DisplayRole)


def all_sets_at_the_top(store, view, day: str) -> None:
    """A session that made every set's top reps at an easy RPE: next time adds load."""
    item = view.current().items[0]
    top = item.sets[0].reps[1]
    store.add_session(SessionLog(
        started_at=f"{day}T10:00:00+00:00", ended_at=f"{day}T11:00:00+00:00", routine="Pull day",
        sets=[SetLog("barbell-row", n, reps=top, load_kg=60.0, rpe=7.0) for n in range(1, len(item.sets) + 1)]))


def test_next_time_in_the_open_routines_area_follows_a_logged_session(window, store):
    view = pull_day(window)
    before = next_time(view)
    all_sets_at_the_top(store, view, "2026-11-20")
    after = next_time(view)
    assert after != before and "62.5" in after, (before, after)


def test_a_session_logged_while_routines_is_hidden_shows_when_it_opens_again(window, store):
    view = pull_day(window)
    before = next_time(view)
    window.show_area("session")
    all_sets_at_the_top(store, view, "2026-11-20")
    assert window.show_area("routines") is view
    assert next_time(view) != before and "62.5" in next_time(view)


def test_use_next_time_suggestions_applies_what_was_logged_last(window, store):
    view = pull_day(window)
    all_sets_at_the_top(store, view, "2026-11-20")
    view.apply_button.click()
    assert {s.load_kg for s in view.current().items[0].sets} == {62.5}


def test_a_routine_saved_elsewhere_shows_in_routines_and_on_the_session_page(window, store, library):
    routines = pull_day(window)
    session = window.show_area("session")
    RoutineBook(store).save(Routine(name="Legs and back"))  # as a template or a backup import saves one
    layout = session.routine_layout
    buttons = [w.text() for w in (layout.itemAt(i).widget() for i in range(layout.count())) if isinstance(w, QPushButton)]
    assert any(text.startswith("Legs and back") for text in buttons), buttons
    window.show_area("routines")
    names = [routines.list_model.routine_at(row).name for row in range(routines.list_model.rowCount())]
    assert sorted(names) == ["Legs and back", "Pull day"]
    assert routines.current().name == "Pull day"  # the routine being edited stays selected


def test_history_hears_of_a_session_logged_elsewhere(window, store, qtbot):
    history = window.show_area("history")
    qtbot.wait_until(lambda: not history.loading)
    window.show_area("session")
    store.add_session(SessionLog(started_at="2026-11-20T10:00:00+00:00", ended_at="2026-11-20T11:00:00+00:00",
                                 sets=[SetLog("barbell-row", 1, reps=8, load_kg=60.0)]))
    qtbot.wait_until(lambda: not history.loading)
    assert history.session_model.rowCount() == 1


def test_a_closed_window_stops_listening_to_its_store(qtbot, themed_app, library, store):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    first = main_window(library, store)
    listening = len(store._listeners)
    first.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert len(store._listeners) == listening - 1
    store.save_settings({"units": "lb"})  # reaches no deleted object
