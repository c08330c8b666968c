"""The main window: areas built on first use, the read-only banner, bad files at start."""

from datetime import date, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from backcoach.model import SessionLog, SetLog
from backcoach.store import Store
from backcoach.ui.main_window import MainWindow


def make_window(qtbot, library, store):
    window = MainWindow(library, store)
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
