"""The History area as a user drives it: list, filters, set edits, delete and undo,
import and export, and every tab."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from backcoach.model import SessionLog, SetLog
from backcoach.store import Store
from backcoach.ui.history_models import PR_MARK
from backcoach.ui.history_view import TABS, HistoryView

TODAY = date(2025, 3, 20)


def dl(day: int, load: float, reps: int = 5, month: int = 3, year: int = 2025) -> SessionLog:
    return SessionLog(
        started_at=f"{year}-{month:02d}-{day:02d}T18:00:00+01:00", ended_at=f"{year}-{month:02d}-{day:02d}T19:05:00+01:00",
        routine="Pull day",
        sets=[SetLog("deadlift", 1, reps=5, load_kg=60.0, kind="warmup"),
              SetLog("deadlift", 2, reps=reps, load_kg=load), SetLog("pull-up", 1, reps=8)],
    )


HISTORY = [dl(3, 100), dl(6, 105), dl(10, 105, reps=3), dl(14, 110), dl(18, 112.5),
           SessionLog(started_at="2024-12-30T09:00:00+01:00", sets=[SetLog("dead-hang", 1, seconds=40)])]


class Dialogs:
    """Records what would have been shown in a modal message box."""

    def __init__(self, monkeypatch, answer=QMessageBox.StandardButton.Yes):
        self.shown: list[tuple[str, str]] = []
        for name in ("warning", "information", "critical"):
            monkeypatch.setattr(QMessageBox, name, lambda parent, title, text, *a, _n=name: self.shown.append((_n, text)))
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answer)


@pytest.fixture
def store(tmp_path):
    st = Store.open(tmp_path / "data")
    st.add_sessions(HISTORY)
    yield st
    st.close()


@pytest.fixture
def view(qtbot, themed_app, library, store):
    widget = HistoryView(library, store, today=TODAY)
    widget.resize(1300, 760)
    qtbot.add_widget(widget)
    widget.show()
    qtbot.wait_exposed(widget)
    return widget


def shown_ids(view: HistoryView) -> list[str]:
    return [view.session_model.session_at(r).id for r in range(view.session_model.rowCount())]


def test_sessions_newest_first_with_pr_flags(view):
    ids = shown_ids(view)
    assert ids == [s.id for s in sorted(HISTORY, key=lambda s: s.start, reverse=True)]
    model = view.session_model
    flags = {model.session_at(r).id: model.index(r, 6).data() for r in range(model.rowCount())}
    assert flags[HISTORY[4].id].startswith(PR_MARK)  # 112.5 kg beat 110
    assert flags[HISTORY[2].id] == ""  # 105 × 3 is no record
    assert view.count_label.text() == "6 sessions"
    assert "6 sessions since Dec 2024" in view.stats.text()


def test_first_session_is_shown_in_detail(view):
    assert view.detail_title.text().startswith("Tuesday 18 March 2025")
    assert view.set_model.rowCount() == 3


def test_filter_by_exercise_and_dates(view):
    combo = view.exercise_filter
    combo.setCurrentIndex(combo.findData("dead-hang"))
    assert shown_ids(view) == [HISTORY[5].id]
    view.clear_filters()
    view.set_filters(start=date(2025, 3, 5), end=date(2025, 3, 15))
    assert set(shown_ids(view)) == {HISTORY[1].id, HISTORY[2].id, HISTORY[3].id}
    assert view.count_label.text() == "3 of 6 sessions"


def test_editing_a_set_saves_it(view, store, qtbot):
    view.select_row(view.session_model.row_of(HISTORY[4].id))
    reps = view.set_model.index(1, 4)
    assert view.set_model.setData(reps, "4")
    assert store.session(HISTORY[4].id).sets[1].reps == 4
    load = view.set_model.index(1, 5)
    assert view.set_model.setData(load, "115")
    assert store.session(HISTORY[4].id).sets[1].load_kg == 115.0


def test_a_bad_edit_is_refused_with_a_message(view, store, qtbot):
    view.select_row(view.session_model.row_of(HISTORY[4].id))
    with qtbot.wait_signal(view.set_model.edit_refused) as blocker:
        assert not view.set_model.setData(view.set_model.index(1, 4), "-3")
    assert "reps" in blocker.args[0]
    assert view.edit_error.isVisible() and "Not saved" in view.edit_error.text()
    with qtbot.wait_signal(view.set_model.edit_refused) as blocker:
        view.set_model.setData(view.set_model.index(1, 5), "heavy")
    assert blocker.args == ["load must be a number, not 'heavy'"]
    assert store.session(HISTORY[4].id).sets[1].reps == 5


def test_delete_asks_and_can_be_undone(view, store, monkeypatch):
    Dialogs(monkeypatch, answer=QMessageBox.StandardButton.No)
    view.select_row(0)
    view.delete_selected()
    assert len(store.sessions()) == 6  # said no
    Dialogs(monkeypatch, answer=QMessageBox.StandardButton.Yes)
    view.delete_selected()
    assert len(store.sessions()) == 5 and view.undo_bar.isVisible()
    view.undo_button.click()
    assert len(store.sessions()) == 6 and not view.undo_bar.isVisible()
    assert view.selected_session_id() == HISTORY[4].id


def test_export_then_import_into_an_empty_folder(qtbot, themed_app, library, view, tmp_path, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    backup = tmp_path / "backup.json"
    view.export_to("json", str(backup))
    assert json.loads(backup.read_text())["format"] == "backcoach-backup"
    with Store.open(tmp_path / "other") as other:
        fresh = HistoryView(library, other, today=TODAY)
        qtbot.add_widget(fresh)
        assert fresh.pages.currentWidget() is fresh.empty
        fresh.import_from("json", str(backup))
        assert other.sessions() == []  # the preview writes nothing
        fresh.import_preview.import_button.click()
        assert len(other.sessions()) == 6
        assert fresh.pages.currentWidget() is fresh.tabs
    assert dialogs.shown[-1][0] == "information" and "Sessions added: 6" in dialogs.shown[-1][1]


def test_a_bad_import_says_why_and_changes_nothing(view, store, tmp_path, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    bad = tmp_path / "bad.json"
    bad.write_text("{ nope")
    view.import_from("json", str(bad))
    assert dialogs.shown[-1][0] == "warning" and "not valid JSON" in dialogs.shown[-1][1]
    assert len(store.sessions()) == 6


def test_csv_export(view, tmp_path, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    out = tmp_path / "sets.csv"
    view.export_to("csv", str(out))
    assert dialogs.shown == [("information", f"Wrote 6 sessions to {out}.")]  # the export says it is done
    lines = out.read_text().splitlines()
    assert lines[0].startswith("session_start,routine,exercise_id,exercise_name,set_number")
    assert len(lines) == 1 + sum(len(s.sets) for s in HISTORY)


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_builds_and_fills(view, tab):
    view.tabs.setCurrentIndex(TABS.index(tab))
    if tab == "progress":
        view.progress_exercise.setCurrentIndex(view.progress_exercise.findData("deadlift"))
        assert "112.5 kg × 5" in view.progress_chart.readout.text()
    elif tab == "records":
        assert view.records_model.rowCount() == 3  # deadlift, pull-up, dead hang
    elif tab == "consistency":
        # Trained in ISO weeks 2025-W01, W10, W11 and W12 (today's week).
        assert view.streak_label.text().startswith("Current weekly streak: 3 weeks · longest: 3 weeks")
    elif tab == "muscles":
        assert "Latissimus dorsi" in view.muscle_text.text()
    elif tab == "volume":
        view.measure_tonnage.setChecked(True)
        assert "Hinge" in view.volume_chart.readout.text()


def test_an_empty_history_explains_what_to_do(qtbot, themed_app, library, tmp_path):
    with Store.open(tmp_path / "empty") as st:
        widget = HistoryView(library, st, today=TODAY)
        qtbot.add_widget(widget)
        assert widget.pages.currentWidget() is widget.empty
        assert "import" in widget.empty_text.text().lower() and not widget.export_button.isEnabled()
        texts = " ".join(label.text() for label in widget.empty.findChildren(QLabel))
        assert "backcoach " not in texts  # buttons, never a command line to type
        assert [a.data() if a.data() else a.text() for a in widget.empty_import_button.menu().actions()]
        with qtbot.wait_signal(widget.area_requested) as asked:
            widget.empty_session_button.click()
        assert asked.args == ["session"]


def test_read_only_history_cannot_be_changed(qtbot, themed_app, library, store, tmp_path):
    with Store.open(store.data_dir) as second:  # the fixture's store holds the lock
        assert second.read_only
        widget = HistoryView(library, second, today=TODAY)
        qtbot.add_widget(widget)
        assert not widget.import_button.isEnabled() and not widget.delete_button.isEnabled()
        assert not (widget.set_model.flags(widget.set_model.index(0, 4)) & Qt.ItemFlag.ItemIsEditable)


def test_charts_are_not_imported_until_a_chart_tab_opens(tmp_path):
    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from datetime import date\n"
        "from backcoach.ui.app import create_application\n"
        "from backcoach.library import load_library\n"
        "from backcoach.store import Store\n"
        "from backcoach.ui.history_view import HistoryView\n"
        "app = create_application('light')\n"
        f"store = Store.open({str(tmp_path / 'd')!r})\n"
        "view = HistoryView(load_library(), store)\n"
        "print('pyqtgraph' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_an_import_runs_off_the_ui_thread_and_shows_its_steps(view, store, tmp_path, monkeypatch):
    import threading

    from backcoach import transfer

    dialogs = Dialogs(monkeypatch)
    real = transfer.import_file
    seen = {}

    def recording(st, library, kind, path, progress=None, mapping=None):
        seen["thread"] = threading.current_thread()
        steps = []
        report = real(st, library, kind, path, lambda text: (steps.append(text), progress(text)), mapping=mapping)
        seen["steps"] = steps
        return report

    monkeypatch.setattr(transfer, "import_file", recording)
    backup = tmp_path / "backup.json"
    view.export_to("json", str(backup))
    view.import_from("json", str(backup))
    view.import_preview.import_button.click()
    assert seen["thread"] is not threading.main_thread()
    assert seen["steps"][0].startswith("Reading") and "Saving…" in seen["steps"]
    assert dialogs.shown[-1][0] == "information"


def test_the_banner_restores_a_damaged_year_from_history(qtbot, themed_app, library, tmp_path):
    from datetime import timedelta

    from backcoach.ui.data_problems import RESTORE_TEXT

    folder = tmp_path / "d"
    with Store.open(folder) as st:
        st.add_sessions(HISTORY)
    with Store.open(folder, today=date.today() + timedelta(days=1)):
        pass  # the next day's backup
    year = HISTORY[0].year
    (folder / "history" / f"{year}.json").write_bytes(b"\0" * 100)
    with Store.open(folder, today=date.today() + timedelta(days=2)) as st:
        view = HistoryView(library, st, today=TODAY)
        qtbot.add_widget(view)
        view.show()
        assert view.problem_banner.isVisible() and f"history/{year}.json" in view.problem_banner.rows[0][1].findChild(
            type(view.stats)).text()
        (_, _, button) = view.problem_banner.rows[0]
        assert button.text() == RESTORE_TEXT
        button.click()
        assert not view.problem_banner.isVisible() and len(st.sessions()) == len(HISTORY)
        assert view.session_model.rowCount() == len(HISTORY)


def test_a_correction_updates_volume_prs_and_records_at_once(qtbot, view, store):
    view.tabs.setCurrentIndex(TABS.index("records"))
    view.tabs.setCurrentIndex(TABS.index("sessions"))
    latest = view.session_model.row_of(HISTORY[4].id)
    assert view.session_model.index(latest, 6).data()  # 112.5 kg × 5: the best so far
    row = view.session_model.row_of(HISTORY[0].id)  # the first deadlift session: 100 kg × 5
    view.select_row(row)
    assert view.set_model.setData(view.set_model.index(1, 5), "150")
    qtbot.wait_until(lambda: view.records_model.index(1, 1).data().startswith("150 kg × 5"))
    row = view.session_model.row_of(HISTORY[0].id)
    assert view.session_model.index(row, 5).data() == "750 kg"  # work sets only: 150 × 5
    assert not view.session_model.index(view.session_model.row_of(HISTORY[4].id), 6).data()  # no longer a best
    assert view.selected_session_id() == HISTORY[0].id and view.set_model.index(1, 5).data() == "150"
    assert "750 kg" in view.detail_summary.text()


def test_deleting_asks_nothing_and_offers_undo_in_place(qtbot, view, store):
    view.select_row(0)
    table_at = view.set_table.geometry()
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)  # a dialog would block here
    assert len(store.sessions()) == 5 and view.undo_bar.isVisible() and not view.edit_hint.isVisible()
    assert view.set_table.geometry() == table_at  # nothing jumps
    assert not view.delete_button.text().endswith("…")
    view.undo_button.click()
    assert len(store.sessions()) == 6 and view.edit_hint.isVisible()


def test_an_edit_error_does_not_move_the_table(qtbot, view):
    view.select_row(view.session_model.row_of(HISTORY[4].id))
    table_at = view.set_table.geometry()
    view.set_model.setData(view.set_model.index(1, 4), "-3")
    assert view.edit_error.isVisible() and view.set_table.geometry() == table_at


@pytest.mark.parametrize("exercise, axis", [("deadlift", "kg"), ("dead-hang", "seconds"), ("pull-up", "reps")])
def test_progress_charts_what_the_exercise_is_measured_in(view, exercise, axis, recwarn):
    view.tabs.setCurrentIndex(TABS.index("progress"))
    view.progress_exercise.setCurrentIndex(view.progress_exercise.findData(exercise))
    chart = view.progress_chart
    assert chart.plot.getPlotItem().getAxis("left").labelText == axis
    ys = chart.e1rm.getData()[1]
    assert ys is not None and len(ys) and all(y == y for y in ys)  # drawn, no NaN
    if exercise == "dead-hang":
        assert list(ys) == [40.0]
    if exercise == "pull-up":
        assert list(ys) == [8.0] * 5
    view.progress_chart.grab()  # painting an all-NaN series is what made numpy warn
    assert not [w for w in recwarn if "All-NaN" in str(w.message)]


def test_charts_follow_a_theme_change(qtbot, view):
    from backcoach.ui.app import create_application
    from backcoach.ui.theme import current_theme

    view.tabs.setCurrentIndex(TABS.index("progress"))
    view.tabs.setCurrentIndex(TABS.index("volume"))
    create_application("dark")
    try:
        dark = current_theme().base.lower()
        for chart in (view.progress_chart, view.volume_chart):
            qtbot.wait_until(lambda c=chart: c.plot.backgroundBrush().color().name() == dark)
    finally:
        create_application("light")


def test_the_volume_chart_has_a_range_choice(qtbot, themed_app, library, tmp_path):
    from backcoach.demo import generate_history

    with Store.open(tmp_path / "years") as st:
        st.add_sessions(generate_history(library, years=3, seed=2, today=TODAY))
        view = HistoryView(library, st, today=TODAY)
        qtbot.add_widget(view)
        view.show()
        view.tabs.setCurrentIndex(TABS.index("volume"))
        item = view.volume_chart.plot.getPlotItem()
        widths = {}
        for label in ("Last 3 months", "Last 12 months", "Everything"):
            view.volume_range.setCurrentIndex(view.volume_range.findText(label))
            low, high = item.viewRange()[0]
            widths[label] = (high - low) / 86400 / 7
        assert 12 < widths["Last 3 months"] < 16
        assert 50 < widths["Last 12 months"] < 58
        assert widths["Everything"] > 150


def test_correcting_a_set_with_the_keyboard_commits_cleanly(qtbot, view, store):
    """Typed into the cell editor and confirmed with Enter: the refresh after the correction
    waits for the editor to close (Qt warnings fail the test)."""
    view.select_row(view.session_model.row_of(HISTORY[4].id))
    index = view.set_model.index(1, 4)  # reps of the deadlift work set
    view.set_table.setFocus()
    view.set_table.setCurrentIndex(index)
    view.set_table.edit(index)
    qtbot.wait_until(lambda: view.set_table.state() == view.set_table.State.EditingState)
    editor = view.set_table.focusWidget()
    assert editor.width() >= view.set_table.columnWidth(4) - 2  # as wide as its cell
    editor.selectAll()
    qtbot.keyClicks(editor, "7")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: store.session(HISTORY[4].id).sets[1].reps == 7)
    assert view.selected_session_id() == HISTORY[4].id


def test_the_muscles_note_is_broken_into_short_lines_by_hand_not_by_a_wrapping_label(view):
    """A wrapping rich-text label is laid out again at every width the layout tries (about
    100 ms of the UI thread for this table, during a session's rest): the label does not wrap,
    and the one long paragraph comes in short lines."""
    import re

    from backcoach.ui.history_view import NOTE_LINE_CHARS

    view.tabs.setCurrentIndex(TABS.index("muscles"))
    text = view.muscle_text.text()
    assert not view.muscle_text.wordWrap() and "Not trained in this period:" in text
    note = text[text.index("Not trained"):]
    lines = [re.sub(r"<[^>]+>", "", line) for line in note.split("<br>")]
    assert len(lines) > 1 and all(len(line) <= NOTE_LINE_CHARS for line in lines)
    assert view.muscle_text.sizeHint().width() < view.width() // 2  # fits beside the figure


def test_a_left_right_pair_counts_as_one_set_in_the_list_as_in_the_summary(qtbot, themed_app, library, tmp_path):
    from backcoach.ui.history_models import SessionTableModel
    from backcoach.workout import set_counts

    session = SessionLog(started_at="2025-03-01T18:00:00+01:00", sets=[
        SetLog("pallof-press", 1, reps=10, side="left"), SetLog("pallof-press", 1, reps=10, side="right"),
        SetLog("pallof-press", 2, reps=10, side="left"), SetLog("pallof-press", 2, reps=10, side="right"),
        SetLog("deadlift", 1, reps=5, load_kg=60.0, kind="warmup"), SetLog("deadlift", 2, reps=5, load_kg=100.0)])
    model = SessionTableModel(lambda exercise_id: exercise_id)
    model.set_sessions([session], {}, "kg")
    assert model.index(0, SessionTableModel.HEADERS.index("Sets")).data() == "3"
    assert set_counts(session).work == 3  # what the session's own summary says
    with Store.open(tmp_path / "data") as st:
        st.add_session(session)
        widget = HistoryView(library, st, today=TODAY)
        qtbot.add_widget(widget)
        widget.show()
        widget.select_row(0)
        assert "3 work sets" in widget.detail_summary.text()
