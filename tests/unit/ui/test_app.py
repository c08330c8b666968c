"""The application object: a stable desktop file name (Wayland app id) and the app icon."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from backcoach.desktop import APP_ID, ICON_SIZES


def test_the_app_names_its_desktop_entry_and_shows_its_icon(themed_app):
    assert QGuiApplication.desktopFileName() == APP_ID
    icon = themed_app.windowIcon()
    assert not icon.isNull()
    sizes = sorted(size.width() for size in icon.availableSizes())
    assert sizes == sorted(ICON_SIZES)
    image = icon.pixmap(48, 48).toImage()
    assert image.pixelColor(24, 4).alpha() > 0  # drawn, not blank


def test_a_window_too_big_for_the_screen_starts_maximized(themed_app, qtbot):
    from PySide6.QtWidgets import QWidget

    from backcoach.ui.app import show_fitted

    screen = themed_app.primaryScreen().availableGeometry()
    small, big = QWidget(), QWidget()
    qtbot.addWidget(small)
    qtbot.addWidget(big)
    small.resize(screen.width() // 2, screen.height() // 2)
    big.resize(screen.width() + 10, screen.height())
    show_fitted(small)
    show_fitted(big)
    assert not small.isMaximized()
    assert big.windowState() & Qt.WindowState.WindowMaximized
