"""The import preview, mapping an unknown name, Undo last import, the custom-exercise editor,
the body-weight tab and the signed load box, driven as a lifter would."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from backcoach.model import BodyWeight, SessionLog, SetLog
from backcoach.store import Store
from backcoach.ui.history_view import TABS, HistoryView
from backcoach.units import parse_body_weight_load
from tests.unit.ui.test_history_view import Dialogs

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "imports"
TODAY = date(2024, 7, 10)


@pytest.fixture
def store(tmp_path):
    st = Store.open(tmp_path / "data")
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


def test_the_preview_shows_the_file_and_a_mapped_name_lands_on_the_library_exercise(qtbot, view, store, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    assert not view.undo_import_button.isVisible()
    view.import_from("auto", str(FIXTURES / "strong_current.csv"))
    dialog = view.import_preview
    qtbot.wait_exposed(dialog)
    assert dialog.app_label.text() == "Strong (recognised from the file)"
    assert dialog.summary_label.text() == "3 sessions, 01 May 2023 to 03 May 2023: 20 sets, 154 reps."
    assert dialog.unknown_names() == ["Running", "Plank", "Zercher Row", "Romanian Deadlift (Barbell)"]
    assert dialog.count_label.text() == "4 new exercises of your own will be added."
    assert store.sessions() == []  # nothing written before Import
    dialog.map_name("Zercher Row", "barbell-row")
    assert dialog.count_label.text() == "3 new exercises of your own will be added."
    dialog.import_button.click()
    assert len(store.sessions()) == 3
    assert "custom-zercher-row" not in store.custom_exercises()
    rows = [s for session in store.sessions() for s in session.sets if s.note == "" and s.exercise_id == "barbell-row"]
    assert len(rows) >= 1
    assert dialogs.shown[-1][0] == "information" and "Read as Strong" in dialogs.shown[-1][1]
    assert view.undo_import_button.isVisible() and "strong_current.csv" in view.undo_import_button.toolTip()


def test_a_cancelled_preview_writes_nothing(qtbot, view, store):
    view.import_from("fitnotes", str(FIXTURES / "fitnotes_android_kg.csv"))
    dialog = view.import_preview
    assert dialog.app_label.text() == "FitNotes (as you chose)"
    dialog.reject()
    assert store.sessions() == [] and store.last_import() is None


def test_undo_last_import_in_history_removes_exactly_that_import(qtbot, view, store, monkeypatch):
    Dialogs(monkeypatch)
    own = SessionLog(started_at="2024-07-01T08:00:00+00:00", sets=[SetLog("pull-up", 1, reps=8)])
    store.add_session(own)
    view.refresh()
    view.import_from("auto", str(FIXTURES / "stronglifts_kg.csv"))
    view.import_preview.import_button.click()
    assert len(store.sessions()) == 4 and len(store.body_weights()) == 3
    assert view.undo_import_button.isVisible()
    view.undo_import_button.click()  # the question is answered Yes by Dialogs
    assert [s.id for s in store.sessions()] == [own.id]
    assert store.body_weights() == [] and "custom-squat" not in store.custom_exercises()
    assert not view.undo_import_button.isVisible()


def click_muscle(qtbot, figure, muscle_id: str) -> None:
    """Click the figure where it draws the muscle, as a lifter would."""
    for y in range(5, figure.height(), 4):
        for x in range(5, figure.width(), 4):
            if figure.muscle_at(QPoint(x, y)) == muscle_id:
                qtbot.mouseClick(figure, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
                return
    raise AssertionError(f"{muscle_id} is not drawn")


def test_the_custom_exercise_editor_completes_an_imported_name(qtbot, themed_app, library, store, tmp_path):
    from backcoach.transfer import import_file
    from tests.helpers.windows import main_window

    import_file(store, library, None, FIXTURES / "strong_current.csv")
    window = main_window(library, store)
    qtbot.add_widget(window)
    window.resize(1366, 768)
    window.show()
    assert "custom-zercher-row" not in window.library.exercises  # imported: a name only
    manager = window.show_custom_exercises()
    manager.select("custom-zercher-row")
    editor = manager.open_editor(manager.selected_id())
    qtbot.wait_exposed(editor)
    assert editor.name.text() == "Zercher Row"
    editor.save_button.click()
    assert editor.isVisible() and "Still needed: a pattern, a level, equipment, a primary muscle." in editor.problems.text()
    editor.pattern.setCurrentIndex(editor.pattern.findData("horizontal-row"))
    editor.level.setCurrentIndex(editor.level.findData("intermediate"))
    for i in range(editor.equipment.count()):
        if editor.equipment.item(i).data(Qt.ItemDataRole.UserRole) == "barbell":
            editor.equipment.item(i).setCheckState(Qt.CheckState.Checked)
    qtbot.wait_until(lambda: editor.figure.width() > 100)
    click_muscle(qtbot, editor.figure, "lats")  # primary
    click_muscle(qtbot, editor.figure, "erector-spinae")
    click_muscle(qtbot, editor.figure, "erector-spinae")  # a second click: secondary
    assert editor.primary == ["lats"] and editor.secondary == ["erector-spinae"]
    assert editor.muscle_text.text().startswith("Primary: " + library.muscles["lats"].name)
    editor.tempo.setText("3-1-X")  # as strict as the library: a bad tempo is refused
    editor.save_button.click()
    assert editor.isVisible() and "tempo" in editor.problems.text()
    editor.tempo.setText("3-1-1-1")
    editor.increment.setValue(2.5)
    editor.focus_cue.setText("x" * 61)  # the library's limit for a cue
    editor.save_button.click()
    assert editor.isVisible() and "Focus cue: must be at most 60 characters" in editor.problems.text()
    editor.focus_cue.setText("Elbows back, chest tall")
    editor.save_button.click()
    assert not editor.isVisible()
    saved = store.custom_exercises()["custom-zercher-row"]
    assert saved.complete and saved.pattern == "horizontal-row" and saved.tempo == "3-1-1-1"
    # Now an exercise like any other: in the Library list and the library routines use.
    ex = window.library.exercises["custom-zercher-row"]
    assert ex.primary_muscles == ("lats",) and str(ex.prescription.tempo) == "3-1-1-1"
    assert ex.focus_cue == "Elbows back, chest tall"
    window.library_view.search.setText("zercher")
    assert window.library_view.current_exercise_id() == "custom-zercher-row"


def test_a_new_exercise_with_a_library_name_is_refused(qtbot, themed_app, library, store):
    from backcoach.ui.custom_exercise_editor import CustomExerciseEditor

    editor = CustomExerciseEditor(library, store)
    qtbot.add_widget(editor)
    editor.name.setText("Pull-up")
    editor.save_button.click()
    assert "already the library's 'Pull-up'" in editor.problems.text()
    assert store.custom_exercises() == {}


def test_the_body_weight_tab_logs_and_charts(qtbot, view, store):
    store.add_session(SessionLog(started_at="2024-07-01T08:00:00+00:00",
                                 sets=[SetLog("weighted-pull-up", 1, reps=5, load_kg=10.0)]))
    view.refresh()
    view.tabs.setCurrentIndex(TABS.index("body_weight"))
    panel = view.body_weight
    assert panel.latest.text() == "Nothing logged yet" and panel.chart.points() == []
    assert not panel.empty_note.isHidden() and panel.chart.isHidden()  # no empty 0-1 plot
    panel.day.setDate(panel.day.date().addDays(-9))
    panel.weight.setValue(80.0)
    panel.log_button.click()
    panel.day.setDate(panel.day.date().addDays(9))
    panel.weight.setValue(79.5)
    panel.log_button.click()
    assert [(b.day, b.kg) for b in store.body_weights()] == [("2024-07-01", 80.0), ("2024-07-10", 79.5)]
    assert [y for _x, y in panel.chart.points()] == [80.0, 79.5]
    assert not panel.chart.isHidden() and panel.empty_note.isHidden()
    assert "Latest: 79.5 kg on 10 Jul 2024" in panel.latest.text()
    # Records now count body weight + the belt: 80 + 10 kg.
    view.tabs.setCurrentIndex(TABS.index("records"))
    assert "count your body weight" in view.records_load_note.text()
    assert view.data.records["weighted-pull-up"].heaviest.load_kg == 90.0


def test_the_log_form_takes_plus_and_minus_on_body_weight_exercises(qtbot, themed_app):
    from PySide6.QtGui import QValidator

    from backcoach.ui.load_entry import LoadBox

    box = LoadBox("kg")
    qtbot.add_widget(box)
    box.set_body_weight_mode(True)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "+10")
    box.interpretText()
    assert box.added_and_assist_kg() == (10.0, None) and box.text() == "+10 kg"
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "-20")
    box.interpretText()
    assert box.added_and_assist_kg() == (None, 20.0) and box.text() == "\u221220 kg"
    box.lineEdit().setText("\u22127.5")  # the minus sign a phone keyboard or a paste gives
    box.interpretText()
    assert box.added_and_assist_kg() == (None, 7.5)
    assert box.validate("ten", 0)[0] == QValidator.State.Invalid
    box.set_body_weight_mode(False)
    assert box.value() == 0 and box.added_and_assist_kg() == (None, None)


@pytest.mark.parametrize("text,expected", [("+10", (10.0, None)), ("10", (10.0, None)), ("-20", (None, 20.0)),
                                           ("\u221220", (None, 20.0)), ("", (None, None)), ("bw", (None, None)),
                                           ("+22.5 kg", (22.5, None))])
def test_body_weight_load_text(text, expected):
    assert parse_body_weight_load(text, "kg") == expected


@pytest.mark.parametrize("text", ["ten", "+-3", "1e999", "nan", "+2000"])
def test_body_weight_load_text_refused(text):
    with pytest.raises(ValueError):
        parse_body_weight_load(text, "kg")


def test_effective_load_uses_the_body_weight_of_the_day(library):
    from backcoach import analytics

    sessions = [SessionLog(started_at="2024-07-01T08:00:00+00:00",
                           sets=[SetLog("weighted-pull-up", 1, reps=5, load_kg=10.0),
                                 SetLog("band-assisted-pull-up", 1, reps=8, assist_kg=20.0),
                                 SetLog("barbell-row", 1, reps=8, load_kg=60.0)]),
                SessionLog(started_at="2024-08-01T08:00:00+00:00", sets=[SetLog("pull-up", 1, reps=6)])]
    weights = [BodyWeight("2024-06-15", 80.0), BodyWeight("2024-07-20", 78.0)]
    out = analytics.with_effective_loads(sessions, library, weights)
    assert [s.load_kg for s in out[0].sets] == [90.0, 60.0, 60.0]  # 80+10, 80-20, a row keeps its load
    assert out[1].sets[0].load_kg == 78.0
    assert analytics.body_weight_on(date(2024, 1, 1), weights) == 80.0  # before the first: the first
    assert analytics.with_effective_loads(sessions, library, []) == sessions
    assert analytics.epley_1rm(out[0].sets[0].load_kg, 5) == pytest.approx(105.0)


def test_an_assisted_set_shows_its_help_in_history(qtbot, themed_app):
    from backcoach.ui.history_models import SetTableModel

    model = SetTableModel(lambda i: i, lambda s: None)
    model.set_session(SessionLog(started_at="2024-07-01T08:00:00+00:00",
                                 sets=[SetLog("band-assisted-pull-up", 1, reps=8, assist_kg=20.0),
                                       SetLog("pull-up", 1, reps=6)]), "kg")
    assert model.index(0, 5).data() == "\u221220"
    assert model.index(1, 5).data() == ""


def test_body_weight_can_be_logged_before_any_session(qtbot, view, store):
    assert view.pages.currentWidget() is view.empty
    qtbot.mouseClick(view.empty_body_weight_button, Qt.MouseButton.LeftButton)
    assert view.pages.currentWidget() is view.tabs and view.tabs.currentIndex() == TABS.index("body_weight")
    view.body_weight.weight.setValue(72.0)
    view.body_weight.log_button.click()
    assert [b.kg for b in store.body_weights()] == [72.0]
    assert view.pages.currentWidget() is view.tabs  # stays: there is something to show
