"""The application object: a stable desktop file name (Wayland app id) and the app icon."""

from __future__ import annotations

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

