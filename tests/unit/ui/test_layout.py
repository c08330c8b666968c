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
from tests.helpers.windows import main_window
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


def filled_in(qtbot, page) -> None:
    """Measure what the user ends up seeing: History works its figures out on a worker thread
    and fills its tabs in over a few turns; other areas are ready once shown."""
    settle()
    if hasattr(page, "loading"):
        qtbot.wait_until(lambda: not page.loading, timeout=20_000)
        settle()


def open_window(qtbot, library, store, size, clock=None):
    window = main_window(library, store, clock)
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
            filled_in(qtbot, page)
            problems += [f"{area}: {p}" for p in layout_problems(window)]
            if area == "history":
                for tab in TABS:
                    page.tabs.setCurrentIndex(TABS.index(tab))
                    filled_in(qtbot, page)
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
        window = main_window(library, store)
        qtbot.add_widget(window)
        for area in AREAS:  # built, so their minimum sizes count
            window.show_area(area)
        hint = window.minimumSizeHint().expandedTo(window.minimumSize())
        # 1024×600 less a title bar and a panel
        assert hint.width() <= 1024 and hint.height() <= 540, hint


def test_a_small_screen_opens_maximised(qtbot, themed_app, library, tmp_path):
    with Store.open(tmp_path / "d") as store:
        window = main_window(library, store)
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
        window = main_window(library, store)
        qtbot.add_widget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        for digit, area in zip("34521", ("routines", "history", "settings", "session", "library"), strict=True):
            QTest.keyClick(window, getattr(Qt.Key, f"Key_{digit}"), Qt.KeyboardModifier.ControlModifier)
            assert window.current_area() == area


# --- the guided session's phases ----------------------------------------------------------------

# In the order a demo "Pull A" session meets them (its one-arm row switches sides, its dead
# hang is a hold), so one session per size reaches every one.
SESSION_PHASES = ("get-ready", "concentric", "concentric-hold", "eccentric", "eccentric-hold", "log", "rest",
                  "switch", "hold", "summary")
# Read from 3 m: the countdown's digits at least 30 % of the screen height; the side and the
# next-step lines, and the buttons' labels, in px.
DIGITS_SHARE = 0.30
SIDE_PX, NEXT_STEP_PX, BUTTON_PX = 36, 24, 20


def _px(widget) -> int:
    from PySide6.QtGui import QFontInfo

    return QFontInfo(widget.font()).pixelSize()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_session_phase_fits_and_reads_from_three_metres(qtbot, themed_app, library, demo_folder, size,
                                                              monkeypatch):
    from backcoach.ui.screenshot import _run_to_phase, _StepClock

    with Store.open(demo_folder) as store:
        clock = _StepClock()
        window = open_window(qtbot, library, store, size, clock)
        routine = next(r for r in RoutineBook(store).all() if r.name.startswith("Pull A"))
        area = window.show_area("session")
        area.show_preview(routine.id)  # the routine's preview on the Session page first
        settle()
        problems = [f"preview: {p}" for p in layout_problems(window)]
        area.preview_start.click()
        view = area.view
        for phase in SESSION_PHASES:
            _run_to_phase(window, area, clock, phase)
            settle()
            window.grab()  # paints the ring, which measures its digits
            problems += [f"{phase}: {p}" for p in layout_problems(window)]
            if phase not in ("log", "summary"):
                assert view.ring.digit_height >= DIGITS_SHARE * size[1], (phase, view.ring.digit_height)
                assert view.ring.word_height >= view.rep_label.fontMetrics().capHeight(), phase
            assert all(_px(b) >= BUTTON_PX for b in view.buttons if b.isVisible()), phase
            if phase == "switch":
                assert view.side_label.text() and _px(view.side_label) >= SIDE_PX
            if phase != "summary":
                assert _px(view.target_label) >= NEXT_STEP_PX and _px(view.next_label) >= NEXT_STEP_PX
                assert not view.target_label.geometry().intersects(view.figure.geometry()) or not view.figure.isVisible()
        area.driver.stop()
        window.close()
        assert problems == [], "\n".join(problems)


def test_a_long_list_of_muscles_scrolls_on_a_small_screen(qtbot, themed_app, library, tmp_path):
    with Store.open(tmp_path / "d") as store:
        store.add_sessions(generate_history(library, years=10, seed=1, today=date.today()))
        window = open_window(qtbot, library, store, SIZES[0])
        page = window.show_area("history")
        filled_in(qtbot, page)
        page.tabs.setCurrentIndex(TABS.index("muscles"))
        filled_in(qtbot, page)
        page.muscle_weeks.setCurrentIndex(page.muscle_weeks.count() - 1)
        filled_in(qtbot, page)
        assert page.muscle_text.text().count("<tr>") > 20  # the list is longer than the screen
        assert layout_problems(window) == []
        window.close()
