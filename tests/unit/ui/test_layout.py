"""Every area at the four common screen sizes: no clipped or elided text, nothing drawn over
something else, and a window that fits a maximised 1024×600 screen.

The checks live in tests/helpers/layout.py so other screens (the session's phases) can be
added by rendering them and calling `layout_problems`.
"""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from backcoach.demo import demo_routines, generate_history
from backcoach.routines import RoutineBook
from backcoach.store import Store
from backcoach.ui.history_view import TABS
from backcoach.ui.main_window import MainWindow
from tests.helpers.layout import SIZES, layout_problems, settle

AREAS = ("library", "session", "routines", "history", "settings")


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory, library):
    folder = tmp_path_factory.mktemp("layout") / "data"
    with Store.open(folder) as store:
        history = generate_history(library, years=1, seed=4, today=date(2026, 6, 1))
        store.add_sessions(history)
        RoutineBook(store).save_many(demo_routines(library, history))
    return folder


def open_window(qtbot, library, store, size):
    window = MainWindow(library, store)
    qtbot.add_widget(window)
    window.resize(*size)
    window.show()
    settle()
    assert window.size().toTuple() == size, "the window's minimum size is larger than the screen"
    return window


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_area_fits_with_history(qtbot, themed_app, library, demo_folder, size):
    with Store.open(demo_folder) as store:
        window = open_window(qtbot, library, store, size)
        problems = []
        for area in AREAS:
            page = window.show_area(area)
            settle()
            problems += [f"{area}: {p}" for p in layout_problems(window)]
            if area == "history":
                for tab in TABS:
                    page.tabs.setCurrentIndex(TABS.index(tab))
                    settle()
                    problems += [f"history/{tab}: {p}" for p in layout_problems(window)]
            if area == "routines":  # every optional column shown as well
                for col in range(page.items_model.columnCount()):
                    page._show_column(col, True)
                settle()
                problems += [f"routines, all columns: {p}" for p in layout_problems(window)]
        window.close()
        assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("size", [SIZES[0], SIZES[-1]], ids=["1024x600", "1920x1080"])
def test_every_area_fits_on_a_first_start(qtbot, themed_app, library, tmp_path, size):
    with Store.open(tmp_path / "d") as store:
        window = open_window(qtbot, library, store, size)
        problems = []
        for area in AREAS:
            window.show_area(area)
            settle()
            problems += [f"{area}: {p}" for p in layout_problems(window)]
        window.close()
        assert problems == [], "\n".join(problems)


def test_the_window_fits_a_maximised_small_screen(qtbot, themed_app, library, tmp_path):
    with Store.open(tmp_path / "d") as store:
        window = MainWindow(library, store)
        qtbot.add_widget(window)
        for area in AREAS:  # built, so their minimum sizes count
            window.show_area(area)
        hint = window.minimumSizeHint().expandedTo(window.minimumSize())
        # 1024×600 less a title bar and a panel
        assert hint.width() <= 1024 and hint.height() <= 540, hint


def test_a_small_screen_opens_maximised(qtbot, themed_app, library, tmp_path):
    with Store.open(tmp_path / "d") as store:
        window = MainWindow(library, store)
        qtbot.add_widget(window)
        available = window.screen().availableGeometry()
        window.open_sized_to_screen()
        if available.width() <= 1440 or available.height() <= 860:
            assert window.isMaximized()
        else:
            assert window.frameGeometry().width() <= available.width()
            assert window.frameGeometry().height() <= available.height()


def test_control_and_a_digit_opens_each_area(qtbot, themed_app, library, tmp_path):
    with Store.open(tmp_path / "d") as store:
        window = MainWindow(library, store)
        qtbot.add_widget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        for digit, area in zip("34521", ("routines", "history", "settings", "session", "library"), strict=True):
            QTest.keyClick(window, getattr(Qt.Key, f"Key_{digit}"), Qt.KeyboardModifier.ControlModifier)
            assert window.current_area() == area
