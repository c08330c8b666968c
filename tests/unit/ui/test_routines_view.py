"""The routine editor as a user drives it: add, edit inline, reorder by keys and by drag,
undo and redo, autosave, templates, guidance, and 'Add to routine…' from the library."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QMessageBox

from backcoach.routines import RoutineBook
from backcoach.settings import Settings
from backcoach.store import Store
from tests.helpers.windows import main_window
from backcoach.ui.routines_models import RoutineItemsModel as M
from backcoach.ui.routines_view import RoutinesView


@pytest.fixture
def store(tmp_path):
    st = Store.open(tmp_path / "d")
    yield st
    st.close()


@pytest.fixture
def view(qtbot, themed_app, library, store):
    widget = RoutinesView(library, store, Settings(store))
    widget.resize(1250, 740)
    qtbot.add_widget(widget)
    widget.show()
    qtbot.wait_exposed(widget)
    return widget


def saved(store, library):
    """The routines as they are on disk, read by a fresh store."""
    return RoutineBook(store).all()


def exercise_ids(view) -> list[str]:
    return [i.exercise_id for i in view.current().items]


def make(view, *ids):
    view.create_routine("Pull day")
    view.add_exercises(list(ids))


def test_starts_empty_with_a_hint(view):
    assert view.list_model.rowCount() == 0 and view.empty_hint.isVisible()
    assert not view.add_button.isEnabled()


def test_create_and_add_exercises_with_their_defaults(view, store, library):
    make(view, "pull-up", "barbell-row", "dead-hang")
    assert exercise_ids(view) == ["pull-up", "barbell-row", "dead-hang"]
    row = library.exercise("barbell-row").prescription
    item = view.current().items[1]
    assert len(item.sets) == row.sets and item.sets[0].reps == row.reps and item.rest_seconds == row.rest_seconds
    assert view.current().items[2].sets[0].seconds == library.exercise("dead-hang").prescription.seconds
    assert [r.name for r in saved(store, library)] == ["Pull day"]
    assert [i.exercise_id for i in saved(store, library)[0].items] == exercise_ids(view)


def test_inline_edits_are_saved(view, store, library):
    make(view, "barbell-row")
    model = view.items_model
    assert model.setData(model.index(0, M.SETS), "3")
    assert model.setData(model.index(0, M.REPS), "10/8/6")
    assert model.setData(model.index(0, M.LOAD), "60/65/70")
    assert model.setData(model.index(0, M.TEMPO), "3-1-x-2")
    assert model.setData(model.index(0, M.SUPERSET), "a")
    assert model.index(0, M.REPS).data() == "10/8/6" and model.index(0, M.TEMPO).data() == "3-1-X-2"
    item = saved(store, library)[0].items[0]
    assert [s.reps for s in item.sets] == [(10, 10), (8, 8), (6, 6)]
    assert [s.load_kg for s in item.sets] == [60.0, 65.0, 70.0]
    assert item.tempo == "3-1-X-2" and item.superset == "A"


@pytest.mark.parametrize(("column", "value", "words"), [
    (M.SETS, "0", "sets must be 1–12"), (M.SETS, "three", "whole number"), (M.REPS, "12-8", "lower number first"),
    (M.REPS, "10/8", "2 values for 4 sets"), (M.LOAD, "-20", "not a sensible load"), (M.LOAD, "heavy", "not a load"),
    (M.TEMPO, "3-2-1", "four parts"), (M.TEMPO, "X-2-1-2", "only the pull can be X"), (M.REST, "5000", "rest must be 0–900"),
    (M.SUPERSET, "AB", "one letter"), (M.WARMUP, "9", "warm-up sets must be 0–5"),
])
def test_bad_values_are_refused_next_to_the_table(qtbot, view, store, library, column, value, words):
    make(view, "barbell-row")  # 4 sets by default
    before = saved(store, library)
    with qtbot.wait_signal(view.items_model.edit_refused) as blocker:
        assert not view.items_model.setData(view.items_model.index(0, column), value)
    assert blocker.args[:2] == [0, column] and words in blocker.args[2]
    assert view.error.isVisible() and words in view.error.text()
    assert saved(store, library) == before


def test_reorder_by_keyboard(qtbot, view, store, library):
    make(view, "pull-up", "barbell-row", "face-pull")
    view.table.setFocus()
    view.table.setCurrentIndex(view.items_model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert exercise_ids(view) == ["barbell-row", "pull-up", "face-pull"]
    assert view.table.currentIndex().row() == 1  # the moved row stays selected
    qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert exercise_ids(view) == ["barbell-row", "pull-up", "face-pull"]
    assert [i.exercise_id for i in saved(store, library)[0].items] == exercise_ids(view)


def test_reorder_by_drag_and_drop(view, store, library):
    make(view, "pull-up", "barbell-row", "face-pull", "back-extension")
    model = view.items_model
    payload = model.mimeData([model.index(0, 0)])
    model.dropMimeData(payload, Qt.DropAction.MoveAction, 3, 0, QModelIndex())  # dropped above row 3
    assert exercise_ids(view) == ["barbell-row", "face-pull", "pull-up", "back-extension"]
    model.dropMimeData(model.mimeData([model.index(3, 0)]), Qt.DropAction.MoveAction, -1, 0, model.index(0, 0))
    assert exercise_ids(view)[0] == "back-extension"
    assert [i.exercise_id for i in saved(store, library)[0].items] == exercise_ids(view)
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled


def test_undo_and_redo_with_the_keyboard(qtbot, view, store, library):
    make(view, "pull-up", "barbell-row")
    view.items_model.setData(view.items_model.index(1, M.REPS), "5")
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.current().items[1].sets[0].reps != (5, 5)
    assert saved(store, library)[0].items[1].sets[0].reps != (5, 5)  # the undo is saved too
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert exercise_ids(view) == []  # adding both exercises was one step
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert exercise_ids(view) == ["pull-up", "barbell-row"] and view.current().items[1].sets[0].reps == (5, 5)
    assert saved(store, library)[0].items[1].sets[0].reps == (5, 5)


def test_remove_and_per_side_checkbox(view, store, library):
    make(view, "one-arm-dumbbell-row", "face-pull")
    model = view.items_model
    assert model.index(0, M.SIDE).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked  # unilateral
    assert model.setData(model.index(0, M.SIDE), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert saved(store, library)[0].items[0].per_side is False
    view.table.setCurrentIndex(model.index(1, 0))
    view.remove_selected()
    assert exercise_ids(view) == ["one-arm-dumbbell-row"]


def test_rename_duplicate_delete(view, store, library, monkeypatch):
    make(view, "pull-up")
    view.rename_selected("Lat day")
    assert view.title.text() == "Lat day"
    view.duplicate_selected()
    assert sorted(r.name for r in saved(store, library)) == ["Lat day", "Lat day (copy)"]
    view.create_routine("Lat day")  # a taken name gets a number
    assert "Lat day (2)" in [r.name for r in saved(store, library)]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.delete_selected()
    assert len(saved(store, library)) == 2


def test_template_is_copied_not_edited(view, store, library):
    from backcoach.templates import load_templates

    first = view.create_from_template("beginner-back")
    assert first.template == "beginner-back" and first.items
    view.items_model.setData(view.items_model.index(0, M.SETS), "5")
    second = view.create_from_template("beginner-back")
    assert second.name != first.name
    template = next(t for t in load_templates(library) if t.id == "beginner-back")
    assert len(second.items[0].sets) == len(template.routine.items[0].sets) != 5


def test_guidance_follows_the_routine(view):
    make(view, "barbell-row")  # a row also works the rear delts
    text = view.advice.text().lower()
    assert "no vertical pull" in text and "lower back" in text and "rear delt" not in text
    view.add_exercises(["lat-pulldown", "back-extension"])
    assert "⚠" not in view.advice.text() and "balanced" in view.advice.text().lower()
    assert view.figure._shades and view.figure._shades["lats"] != view.figure._shades["quadriceps"]


def test_export_then_import_keeps_both(view, store, library, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    make(view, "pull-up", "barbell-row")
    path = tmp_path / "pull.json"
    view.export_to(str(path))
    assert json.loads(path.read_text())["routines"][0]["name"] == "Pull day"
    view.import_from(str(path))
    assert sorted(r.name for r in saved(store, library)) == ["Pull day", "Pull day (2)"]
    assert "kept apart" in shown[-1]


def test_add_to_routine_from_the_library(qtbot, themed_app, library, store):
    view_owner = main_window(library, store)
    qtbot.add_widget(view_owner)
    routines = view_owner.show_area("routines")
    routines.create_routine("Pull day")
    view_owner.show_area("library")
    view_owner.library_view.select_exercise("face-pull")  # (a first start shows the welcome until then)
    assert view_owner.library_view.detail.add_button.isVisibleTo(view_owner)
    view_owner.add_to_routine("face-pull", routines.current().id)
    assert view_owner.current_area() == "routines"
    assert [i.exercise_id for i in RoutineBook(store).all()[0].items] == ["face-pull"]


def test_default_rest_setting_applies_to_new_items(view, library):
    view.settings.set("default_rest_seconds", 150)
    make(view, "face-pull")
    assert view.current().items[0].rest_seconds == 150
    view.settings.set("default_rest_seconds", 0)  # 0: the exercise's recommended rest
    view.add_exercises(["pull-up"])
    assert view.current().items[1].rest_seconds == library.exercise("pull-up").prescription.rest_seconds


def test_typing_notes_is_one_undo_step_and_survives_later_edits(qtbot, view, store, library):
    make(view, "pull-up")
    view.notes.setFocus()
    qtbot.keyClicks(view.notes, "Grip")
    assert saved(store, library)[0].notes == "Grip"
    view.items_model.setData(view.items_model.index(0, M.SETS), "2")  # a later edit keeps the notes
    assert saved(store, library)[0].notes == "Grip" and len(saved(store, library)[0].items[0].sets) == 2
    view.undo_stack.undo()  # the sets
    view.undo_stack.undo()  # all four keystrokes at once
    assert saved(store, library)[0].notes == ""


def test_the_purpose_changes_the_guidance_is_saved_and_undone(qtbot, view, store, library):
    make(view, "cat-camel", "bird-dog")
    view.per_week.setValue(4)
    assert view.purpose.isEnabled() and view.purpose.currentText() == "Whole back"
    assert "no vertical pull" in view.advice.text().lower()
    view.purpose.setCurrentIndex(view.purpose.findText("Mobility"))
    assert view.current().purpose == "mobility" and saved(store, library)[0].purpose == "mobility"
    assert "⚠" not in view.advice.text() and "not hard sets" in view.advice.text()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.current().purpose == "balanced" and view.purpose.currentText() == "Whole back"
    assert "no vertical pull" in view.advice.text().lower()


def test_a_template_copy_keeps_its_purpose_and_shows_no_advice(view):
    routine = view.create_from_template("back-pain-mobility")
    assert routine.purpose == "mobility" and routine.equipment == ("bodyweight", "mat")
    assert view.purpose.currentText() == "Mobility" and "⚠" not in view.advice.text()


@pytest.mark.parametrize("column, typed", [(M.LOAD, "62.5"), (M.REPS, "6-8"), (M.SETS, "2"), (M.REST, "75")])
def test_editing_a_cell_with_the_keyboard_commits_cleanly(qtbot, view, store, library, column, typed):
    """Typed into the cell editor and confirmed with Enter, as a user does; Qt warnings
    (such as "commitData called with an editor that does not belong to this view") fail the test."""
    make(view, "barbell-row")
    view._show_column(column, True)
    index = view.items_model.index(0, column)
    view.table.setFocus()
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    qtbot.wait_until(lambda: view.table.state() == view.table.State.EditingState)
    editor = view.table.focusWidget()
    assert editor.width() >= view.table.columnWidth(column) - 2  # as wide as its cell
    editor.selectAll()
    qtbot.keyClicks(editor, typed)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: view.table.state() != view.table.State.EditingState)
    assert view.items_model.index(0, column).data(Qt.ItemDataRole.EditRole) is not None
    shown = str(view.items_model.index(0, column).data())
    assert typed.replace("-", "–") in shown or shown == typed
    assert view.table.currentIndex().row() == 0 and view.table.currentIndex().column() == column


def test_a_template_shows_no_body_weight_for_cable_exercises(view):
    routine = view.create_from_template("beginner-back")
    rows = {item.exercise_id: row for row, item in enumerate(routine.items)}
    load = lambda ex: view.items_model.index(rows[ex], M.LOAD).data()  # noqa: E731
    assert load("lat-pulldown") == "—" and load("face-pull") == "—"
    assert load("bird-dog") == "BW"


def test_add_to_routine_asks_before_adding_a_duplicate(qtbot, themed_app, library, store, monkeypatch):
    window = main_window(library, store)
    qtbot.add_widget(window)
    routines = window.show_area("routines")
    routines.create_routine("Pull day")
    window.add_to_routine("face-pull", routines.current().id)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    window.add_to_routine("face-pull", routines.current().id)
    assert "already in “Pull day”" in asked[0]
    assert [i.exercise_id for i in RoutineBook(store).all()[0].items] == ["face-pull"]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.add_to_routine("face-pull", routines.current().id)
    assert [i.exercise_id for i in RoutineBook(store).all()[0].items] == ["face-pull", "face-pull"]


def answer_name_dialog(qtbot, typed: str | None, seen: list):
    """Fill in the next QInputDialog (None: cancel it), noting its title, label and width."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    def fill():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        seen.append((dialog.windowTitle(), dialog.labelText(), dialog.textValue(), dialog.width()))
        if typed is None:
            dialog.reject()
        else:
            dialog.setTextValue(typed)
            dialog.accept()

    QTimer.singleShot(0, fill)


def test_new_routine_asks_for_a_name(qtbot, view, store, library):
    seen = []
    answer_name_dialog(qtbot, "Lats and rows", seen)
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    assert seen[0][0] == "New routine" and seen[0][2] == "New routine"
    assert [r.name for r in saved(store, library)] == ["Lats and rows"] and view.title.text() == "Lats and rows"
    answer_name_dialog(qtbot, None, seen)  # cancelled: nothing made
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    assert len(saved(store, library)) == 1


def test_the_rename_dialog_is_wide_enough_for_its_title(qtbot, view, store, library):
    view.create_routine("Pull day")
    seen = []
    answer_name_dialog(qtbot, "Back day", seen)
    qtbot.mouseClick(view.rename_button, Qt.MouseButton.LeftButton)
    title, _label, text, width = seen[0]
    assert title == "Rename routine" and text == "Pull day"
    assert width >= view.fontMetrics().horizontalAdvance(title) + 200
    assert [r.name for r in saved(store, library)] == ["Back day"]


def test_the_template_picker_shows_each_templates_exercises(qtbot, view, library):
    from backcoach.templates import load_templates
    from backcoach.ui.routines_view import TemplatePicker

    templates = load_templates(library)
    picker = TemplatePicker(templates, view, view._name_of)
    qtbot.add_widget(picker)
    for row, template in enumerate(templates):
        picker.list.setCurrentRow(row)
        text = picker.details.text()
        for exercise_id in template.exercise_ids():
            assert html_name(library, exercise_id) in text, (template.id, exercise_id)
        assert f"rest {template.routine.items[0].rest_seconds} s" in text


def html_name(library, exercise_id):
    import html

    return html.escape(library.exercises[exercise_id].name)


def test_the_table_starts_with_the_main_columns_and_the_rest_are_optional(qtbot, view):
    make(view, "barbell-row")
    shown = [M.COLUMNS[c] for c in range(len(M.COLUMNS)) if not view.table.isColumnHidden(c)]
    assert shown == ["Exercise", "Sets", "Reps / hold", "Load", "Next time", "Rest (s)", "Last time"]  # Last time sits beside Next time on screen
    menu = view.columns_menu()
    tempo = next(a for a in menu.actions() if a.text() == "Tempo")
    assert not tempo.isChecked()
    tempo.setChecked(True)  # ticked in the Columns… menu
    assert not view.table.isColumnHidden(M.TEMPO)
    assert view.columns_menu().actions()[M.TEMPO - 1].isChecked()
    # The exercise column takes the room the others leave, and never less than its minimum.
    others = sum(view.table.columnWidth(c) for c in range(1, len(M.COLUMNS)) if not view.table.isColumnHidden(c))
    assert view.table.columnWidth(M.EXERCISE) == max(170, view.table.viewport().width() - others)


def test_starting_a_routine_with_an_unfinished_session_says_why(qtbot, themed_app, library, store, monkeypatch):
    window = main_window(library, store)
    qtbot.add_widget(window)
    routines = window.show_area("routines")
    routines.create_routine("Pull day")
    routines.add_exercises(["pull-up"])
    store.start_session("Earlier")
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    qtbot.mouseClick(routines.start_button, Qt.MouseButton.LeftButton)
    assert told and "resume or finish it first" in told[0]


@pytest.mark.qt_log_ignore("^This plugin does not support grabbing the keyboard")  # a popup menu, offscreen
def test_add_to_a_new_routine_from_the_library_asks_for_its_name(qtbot, themed_app, library, store):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    window = main_window(library, store)
    qtbot.add_widget(window)
    seen = []

    def choose_new_routine():
        menu = QApplication.activePopupWidget()
        action = next(a for a in menu.actions() if a.text() == "New routine…")
        answer_name_dialog(qtbot, "Rows", seen)
        menu.setActiveAction(action)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose_new_routine)
    window.add_to_routine("face-pull")
    assert seen and seen[0][0] == "New routine"
    assert [(r.name, [i.exercise_id for i in r.items]) for r in RoutineBook(store).all()] == [("Rows", ["face-pull"])]
