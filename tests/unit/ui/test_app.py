"""The application object: a stable desktop file name (Wayland app id), the app icon, and the
start-up work that waits for the first paint."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from backcoach.desktop import APP_ID, ICON_SIZES
from backcoach.ui.app import FIRST_PAINT_WAIT_MS, AfterFirstPaint


def test_the_app_names_its_desktop_entry_and_shows_its_icon(themed_app):
    assert QGuiApplication.desktopFileName() == APP_ID
    icon = themed_app.windowIcon()
    assert not icon.isNull()
    sizes = sorted(size.width() for size in icon.availableSizes())
    assert sizes == sorted(ICON_SIZES)
    image = icon.pixmap(48, 48).toImage()
    assert image.pixelColor(24, 4).alpha() > 0  # drawn, not blank



class _Painted(QWidget):
    """Notes how many times it has painted."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def paintEvent(self, event) -> None:  # noqa: N802
        self.paints += 1


def test_start_up_work_runs_once_right_after_the_first_paint(qtbot, themed_app):
    window = _Painted()
    qtbot.add_widget(window)
    seen: list[int] = []
    AfterFirstPaint(window, lambda: seen.append(window.paints))
    assert seen == []  # not while the window is being built
    window.show()
    qtbot.wait_until(lambda: seen != [], timeout=FIRST_PAINT_WAIT_MS // 2)  # well before the fallback
    assert seen == [1]  # after the paint, not before it
    window.update()
    qtbot.wait_until(lambda: window.paints >= 2)
    assert seen == [1]  # once only


def test_start_up_work_still_runs_for_a_window_that_never_paints(qtbot, themed_app):
    window = _Painted()
    qtbot.add_widget(window)
    seen: list[bool] = []
    AfterFirstPaint(window, lambda: seen.append(True))
    qtbot.wait_until(lambda: seen == [True], timeout=FIRST_PAINT_WAIT_MS * 3)
    assert window.paints == 0
