"""The main window: areas built on first use, the read-only banner, bad files at start."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from backcoach.model import SessionLog, SetLog
from backcoach.store import Store
from tests.helpers.windows import main_window


def make_window(qtbot, library, store):
    window = main_window(library, store)
    qtbot.add_widget(window)
    window.show()
    return window


def test_history_is_built_only_when_first_opened(qtbot, themed_app, library, tmp_path):
    with Store.open(tmp_path / "d") as store:
        window = make_window(qtbot, library, store)
        assert [window.nav.item(r).text() for r in range(window.nav.count())] == ["Library", "Session", "Routines", "History", "Settings"]
        assert "history" not in window._pages
        page = window.show_area("history")
        assert window.stack.currentWidget() is page and window.current_area() == "history"


def test_a_second_window_says_it_is_read_only(qtbot, themed_app, library, tmp_path):
    with Store.open(tmp_path / "d") as first, Store.open(tmp_path / "d") as second:
        writer = make_window(qtbot, library, first)
        reader = make_window(qtbot, library, second)
        assert not writer.banner.isVisible()
        assert reader.banner.isVisible() and "read-only" in reader.banner_label.text()


def test_a_bad_file_at_start_offers_its_backup(qtbot, themed_app, library, tmp_path):
    folder = tmp_path / "d"
    with Store.open(folder) as store:
        store.add_session(SessionLog(started_at="2025-01-02T10:00:00+00:00", sets=[SetLog("pull-up", 1, reps=5)]))
        store.save_settings({"units": "lb"})
    with Store.open(folder, today=date.today() + timedelta(days=1)):
        pass  # the next day's backup
    (folder / "backcoach.json").write_text("{ torn")
    with Store.open(folder, today=date.today() + timedelta(days=2)) as store:
        assert len(store.problems) == 1
        window = make_window(qtbot, library, store)
        seen = []

        def choose_restore():
            box = QApplication.activeModalWidget()
            seen.append(box.text())
            next(b for b in box.buttons() if b.text() == "Restore the newest good backup").click()

        QTimer.singleShot(0, choose_restore)
        window.report_store_problems()
        assert "backcoach.json" in seen[0] and "set aside" in seen[0] and "newest good backup" in seen[0]
        assert store.problems == [] and store.settings() == {"units": "lb"}


def test_closing_with_an_unsaved_change_asks(qtbot, themed_app, library, tmp_path, monkeypatch):
    import errno

    from backcoach import storage

    with Store.open(tmp_path / "d") as store:
        window = make_window(qtbot, library, store)
        monkeypatch.setattr(storage, "write_temp", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
        try:
            store.add_session(SessionLog(started_at="2025-01-02T10:00:00+00:00", sets=[SetLog("pull-up", 1, reps=5)]))
        except storage.WriteFailedError:
            pass
        asked = []
        monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
        assert not window.close()  # cancelled: the window stays
        assert "No space left on device" in asked[0]
        monkeypatch.undo()
        assert window.close()  # space freed: saved on close
    with Store.open(tmp_path / "d") as store:
        assert len(store.sessions()) == 1


def test_settings_take_effect_at_once(qtbot, themed_app, library, tmp_path):
    from backcoach.model import SessionLog, SetLog
    from backcoach.ui.theme import current_theme

    with Store.open(tmp_path / "d") as store:
        store.add_session(SessionLog(started_at="2025-01-02T10:00:00+00:00", ended_at="2025-01-02T11:00:00+00:00",
                                     sets=[SetLog("deadlift", 1, reps=5, load_kg=100.0)]))
        window = make_window(qtbot, library, store)
        history = window.show_area("history")
        qtbot.wait_until(lambda: not history.loading)  # History works its figures out on a worker
        assert "kg" in history.session_model.index(0, 5).data()
        window.settings.set("units", "lb")
        qtbot.wait_until(lambda: not history.loading)
        assert "lb" in history.session_model.index(0, 5).data()
        try:
            window.settings.set("theme", "dark")
            assert current_theme().is_dark
        finally:
            window.settings.set("theme", "light")
        assert not current_theme().is_dark


def test_the_resume_offer_tells_of_damaged_journal_lines(qtbot, themed_app, library, tmp_path, monkeypatch):
    folder = tmp_path / "d"
    with Store.open(folder) as store:
        store.start_session(started_at="2025-01-02T10:00:00+00:00")
        store.log_set(SetLog("pull-up", 1, reps=5))
        store.log_set(SetLog("pull-up", 2, reps=5))
    journal = folder / "journal.jsonl"
    lines = journal.read_bytes().split(b"\n")
    lines[1] = b'{"event": "set", "set": {"exercise_id": "pull-up", "reps": "many"}}'
    journal.write_bytes(b"\n".join(lines))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    with Store.open(folder) as store:
        window = make_window(qtbot, library, store)
        window.offer_resume()
    assert "1 sets logged" in asked[0] and "1 damaged line" in asked[0] and "skipped" in asked[0]


def test_a_first_start_says_what_to_do(qtbot, themed_app, library, tmp_path, monkeypatch):
    from backcoach.routines import RoutineBook

    with Store.open(tmp_path / "d") as store:
        window = make_window(qtbot, library, store)
        welcome = window.welcome
        assert welcome is not None and welcome.isVisible()
        assert not window.library_view.detail.isVisible()  # no "Dead hang" nobody asked for
        assert set(welcome.buttons) == {"template", "import", "library"}
        # Start from a template: the picker, then the copied routine in Routines.
        from backcoach.ui.routines_view import TemplatePicker

        monkeypatch.setattr(TemplatePicker, "exec", lambda self: TemplatePicker.DialogCode.Accepted)
        welcome.buttons["template"].click()
        assert window.current_area() == "routines" and len(RoutineBook(store).all()) == 1
        window.show_area("library")
        welcome.buttons["library"].click()
        assert window.library_view.detail.isVisible() and window.library_view.detail.exercise() is not None
    with Store.open(tmp_path / "d") as store:  # not a first start any more
        assert make_window(qtbot, library, store).welcome is None


@pytest.mark.qt_log_ignore("^This plugin does not support grabbing the keyboard")  # a popup menu, offscreen
def test_the_welcome_offers_each_import_format(qtbot, themed_app, library, tmp_path, monkeypatch):
    with Store.open(tmp_path / "d") as store:
        window = make_window(qtbot, library, store)
        offered = []

        def read_menu():
            menu = QApplication.activePopupWidget()
            offered.extend(action.text() for action in menu.actions())
            menu.close()

        QTimer.singleShot(0, read_menu)
        window.welcome.buttons["import"].click()
        assert any("Strong" in t for t in offered) and any("Hevy" in t for t in offered)
        assert any("backup" in t for t in offered)


def test_lists_show_where_the_keyboard_is(qtbot, themed_app, library, tmp_path):
    """The focused list's frame takes the accent colour; an unfocused one does not."""
    from PySide6.QtGui import QColor

    from backcoach.ui.theme import current_theme

    with Store.open(tmp_path / "d") as store:
        window = make_window(qtbot, library, store)
        with qtbot.waitActive(window):
            window.activateWindow()
        accent = QColor(current_theme().accent)
        routines = window.show_area("routines")
        lists = [("library", window.library_view.list),
                 ("routines", routines.list), ("routines", routines.table)]

        def frame_colour(view):
            return view.grab().toImage().pixelColor(1, view.height() // 2)

        for area, view in lists:
            window.show_area(area)
            view.setFocus()
            qtbot.wait_until(view.hasFocus)
            assert frame_colour(view) == accent, view
            others = [v for _a, v in lists if v is not view and v.isVisible()]
            assert all(frame_colour(v) != accent for v in others)


def test_a_session_loads_historys_code_on_a_worker_thread(qtbot, themed_app, library, tmp_path, monkeypatch):
    import sys
    import threading

    from backcoach.ui import main_window as main_window_module

    loaded: list[tuple[str, bool]] = []

    def import_module(name):  # what the worker imports, and whether it is the UI thread
        loaded.append((name, threading.current_thread() is threading.main_thread()))

    monkeypatch.setattr(main_window_module.importlib, "import_module", import_module)
    monkeypatch.delitem(sys.modules, "backcoach.ui.history_view", raising=False)
    with Store.open(tmp_path / "d") as store:
        window = make_window(qtbot, library, store)
        window.start_exercise("barbell-row")
        assert not window.nav.isVisible()  # in gym mode: the session runs
        qtbot.wait_until(lambda: loaded != [])
        assert loaded == [("backcoach.ui.history_view", False)]
        window.session_area().view.driver.stop()
