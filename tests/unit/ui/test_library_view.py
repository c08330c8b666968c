"""The Library area as a user drives it: search, filters, keyboard, figure clicks, chains."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton

from backcoach.ui.library_view import LibraryView
from tests.helpers.windows import main_window
from backcoach.ui.models import ExerciseIdRole
from tests.unit.test_library import CATALOGUE_NAMES


@pytest.fixture
def view(qtbot, themed_app, library):
    widget = LibraryView(library)
    widget.resize(1200, 760)
    qtbot.add_widget(widget)
    widget.show()
    qtbot.wait_exposed(widget)
    return widget


def listed(view: LibraryView) -> list[str]:
    return [view.model.index(r, 0).data(ExerciseIdRole) for r in range(view.model.rowCount())]


def test_shows_everything_and_selects_the_first(view, library):
    assert len(listed(view)) == 60
    assert view.detail.exercise().id == listed(view)[0]
    assert view.count_label.text() == "60 exercises"
    assert not view.clear_button.isEnabled()


@pytest.mark.parametrize("typed", ["pullup", "pull up", "Pull-Up"])
def test_typing_a_name_finds_it_first(qtbot, view, typed):
    qtbot.keyClicks(view.search, typed)
    assert listed(view)[0] == "pull-up"
    assert view.detail.exercise().id == "pull-up"
    assert view.detail.title.text() == "Pull-up"


def test_every_catalogue_name_is_found_from_the_search_box(view, library):
    for name in CATALOGUE_NAMES:
        for variant in name.split(" / "):
            view.search.setText(variant)
            assert listed(view), variant
            assert view.detail.exercise() is library.find(variant) or library.find(variant) is None
            assert library.search(variant)[0].id == listed(view)[0]


def test_no_match_says_so(qtbot, view):
    qtbot.keyClicks(view.search, "underwater basket")
    assert listed(view) == []
    assert view.empty_label.isVisible()
    assert view.count_label.text() == "0 of 60 exercises"
    # The detail pane no longer shows the exercise from before, and says why.
    assert view.detail_stack.currentWidget() is view.no_match and not view.detail.isVisible()
    assert "underwater basket" in view.no_match_label.text()
    assert view.detail.exercise() is None
    qtbot.mouseClick(next(b for b in view.no_match.findChildren(QPushButton)), Qt.MouseButton.LeftButton)
    assert view.search.text() == "" and len(listed(view)) == 60 and view.detail.isVisible()


@pytest.mark.parametrize("typed, expected", [("pullups", "pull-up"), ("pulup", "pull-up"), ("deadlifts", "deadlift")])
def test_plurals_and_typos_find_the_exercise(qtbot, view, typed, expected):
    qtbot.keyClicks(view.search, typed)
    assert listed(view)[0] == expected and view.detail.exercise().id == expected


def test_the_load_step_follows_the_unit(view, library):
    view.select_exercise("barbell-row")
    step = library.exercises["barbell-row"].increment_kg
    assert f"Add {step:g} kg" in view.detail.prescription.text()
    view.set_unit("lb")
    assert " kg when" not in view.detail.prescription.text()
    assert " lb when every rep is clean" in view.detail.prescription.text()


def test_filters_narrow_the_list(view, library):
    view.pattern_filter.setCurrentIndex(view.pattern_filter.findData("hinge"))
    view.equipment_filter.setCurrentIndex(view.equipment_filter.findData("kettlebell"))
    ids = listed(view)
    assert ids and all(library.exercise(i).pattern == "hinge" and "kettlebell" in library.exercise(i).equipment for i in ids)
    view.level_filter.setCurrentIndex(view.level_filter.findData("beginner"))
    assert all(library.exercise(i).level == "beginner" for i in listed(view))
    assert view.clear_button.isEnabled()
    view.clear_button.click()
    assert len(listed(view)) == 60


def test_arrow_keys_in_the_search_box_move_through_the_list(qtbot, view):
    view.focus_search()
    first, second = listed(view)[:2]
    assert view.detail.exercise().id == first
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert view.detail.exercise().id == second
    assert view.search.hasFocus()
    qtbot.keyClick(view.search, Qt.Key.Key_Up)
    assert view.detail.exercise().id == first


def test_arrow_keys_in_the_list(qtbot, view):
    view.list.setFocus()
    ids = listed(view)
    qtbot.keyClick(view.list, Qt.Key.Key_Down)
    qtbot.keyClick(view.list, Qt.Key.Key_Down)
    assert view.detail.exercise().id == ids[2]


def test_ctrl_f_focuses_the_search(qtbot, view):
    view.list.setFocus()
    view.activateWindow()
    qtbot.wait_until(lambda: view.isActiveWindow())
    qtbot.keyClick(view.list, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()


def test_clicking_a_muscle_filters_the_library(qtbot, view, library):
    view.select_exercise("deadlift")
    figure = view.detail.figure
    target = next(
        QPoint(x, y) for y in range(0, figure.height(), 2) for x in range(0, figure.width(), 2)
        if figure.muscle_at(QPoint(x, y)) == "hamstrings"
    )
    qtbot.mouseClick(figure, Qt.MouseButton.LeftButton, pos=target)
    assert view.muscle_filter.currentData() == "hamstrings"
    assert set(listed(view)) == {ex.id for ex in library.exercises_for_muscle("hamstrings")}
    assert view.detail.exercise().id == "deadlift"  # still shown: it works the hamstrings


def test_progression_chain_is_clickable(qtbot, view):
    view.select_exercise("pull-up")
    buttons = {b.text(): b for b in view.detail.chain_box.findChildren(QPushButton)}
    assert list(buttons) == ["Dead hang", "Band-assisted pull-up", "Negative pull-up", "Pull-up", "Weighted pull-up"]
    assert not buttons["Pull-up"].isEnabled()
    qtbot.mouseClick(buttons["Weighted pull-up"], Qt.MouseButton.LeftButton)
    assert view.detail.exercise().id == "weighted-pull-up"


def test_progression_link_clears_filters_that_hide_it(qtbot, view):
    view.pattern_filter.setCurrentIndex(view.pattern_filter.findData("vertical-pull"))
    view.select_exercise("pull-up")
    view.search.setText("pull-up")
    view.detail.exercise_requested.emit("dead-hang")
    assert view.detail.exercise().id == "dead-hang"


def test_detail_shows_the_whole_exercise(view, library):
    view.select_exercise("barbell-row")
    ex = library.exercise("barbell-row")
    d = view.detail
    import html

    for text in (ex.steps[0], ex.tips[-1], ex.mistakes[0]):
        assert html.escape(text) in d.guide.text()
    assert d.guide.text().index("How to do it") < d.guide.text().index("Form tips") < d.guide.text().index("Common mistakes")
    assert ex.focus_cue in d.cue.text()
    assert "Tempo <b>2-0-1-1</b>: Pull 1 s, squeeze 1 s, lower 2 s" in d.prescription.text()
    assert d.figure.primary() == frozenset(ex.primary_muscles)


@pytest.fixture
def window(qtbot, themed_app, library, tmp_path):
    from backcoach.store import Store

    store = Store.open(tmp_path / "data")
    w = main_window(library, store)
    qtbot.add_widget(w)
    w.show()
    yield w
    store.close()


def test_main_window_has_no_dead_navigation(window):
    assert window.nav.count() == window.stack.count() >= 1
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        assert window.stack.currentIndex() == row
    window.show_area("library")
    assert window.current_area() == "library"
    with pytest.raises(KeyError):
        window.show_area("nowhere")
