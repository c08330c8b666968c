"""Creating the QApplication and running the GUI."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from backcoach.library import Library
from backcoach.ui.theme import apply_theme, system_theme_name, theme_by_name


def create_application(theme: str | None = None, argv: list[str] | None = None) -> QApplication:
    """The one QApplication, themed; `theme=None` follows the desktop's light/dark choice."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("BackCoach")
    app.setOrganizationName("BackCoach")
    app.setDesktopFileName("backcoach")
    apply_theme(app, theme_by_name(theme or system_theme_name()))
    if theme is None:
        QGuiApplication.styleHints().colorSchemeChanged.connect(
            lambda scheme: apply_theme(app, theme_by_name(system_theme_name()))
        )
    return app


def run_app(library: Library, data_dir: Path) -> int:
    app = create_application()
    from PySide6.QtWidgets import QMessageBox

    from backcoach.store import NewerSchemaError, Store
    from backcoach.ui.main_window import MainWindow

    try:
        store = Store.open(data_dir)
    except NewerSchemaError as exc:
        QMessageBox.critical(None, "BackCoach", str(exc))
        return 1
    try:
        window = MainWindow(library, store)
        window.open_sized_to_screen()
        window.library_view.search.setFocus()  # typing finds an exercise at once
        window.report_store_problems()
        window.offer_resume()
        return app.exec()
    finally:
        store.close()
