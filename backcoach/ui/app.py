"""Creating the QApplication and running the GUI."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from backcoach.desktop import APP_ID, ICON_SIZES, icon_png
from backcoach.library import Library
from backcoach.ui.theme import apply_theme, system_theme_name, theme_by_name

# Set by bench/startup.py (and the bundle's smoke test): print `first-paint <time.monotonic()>`
# once the first window is painted; the app then quits. Linux's monotonic clock is shared by
# all processes, so the parent can subtract its own reading taken when it spawned us.
FIRST_PAINT_ENV = "BACKCOACH_PRINT_FIRST_PAINT"


# A window that never paints (started minimised) still gets its start-up work done.
FIRST_PAINT_WAIT_MS = 1500


class AfterFirstPaint(QObject):
    """Runs `then` once, as soon as `window` has painted for the first time: work the first
    screen does not need waits for it, and the window is not held back by it."""

    def __init__(self, window: QObject, then: Callable[[], None]):
        super().__init__(window)
        self._window = window
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self._then is not None:
            QTimer.singleShot(0, self, self._run)  # once this paint reaches the screen
        return False

    def _run(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self._window.removeEventFilter(self)
            then()


def report_first_paint() -> None:
    """For the start-up benchmark: say when the first frame was painted (see FIRST_PAINT_ENV)."""
    print(f"first-paint {time.monotonic():.6f}", flush=True)


def create_application(theme: str | None = None, argv: list[str] | None = None) -> QApplication:
    """The one QApplication, themed; `theme=None` follows the desktop's light/dark choice."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("BackCoach")
    app.setOrganizationName("BackCoach")
    app.setDesktopFileName(APP_ID)  # the .desktop file's name: Wayland's app id, the dock's grouping
    app.setWindowIcon(app_icon())
    apply_theme(app, theme_by_name(theme or system_theme_name()))
    if theme is None:
        QGuiApplication.styleHints().colorSchemeChanged.connect(
            lambda scheme: apply_theme(app, theme_by_name(system_theme_name()))
        )
    return app


def app_icon() -> QIcon:
    """The app icon in every shipped size, read as package data (works from any install)."""
    icon = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap()
        if pixmap.loadFromData(icon_png(size).read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon


def run_app(library: Library, data_dir: Path) -> int:
    app = create_application()
    from backcoach.ui.single_instance import SingleInstance, server_name

    instance = SingleInstance(server_name(data_dir))
    if instance.hand_over():  # BackCoach already runs on this folder: it comes to the front
        return 0
    instance.listen()
    from PySide6.QtWidgets import QMessageBox

    from backcoach.store import NewerSchemaError, Store
    from backcoach.ui.main_window import MainWindow

    from backcoach.storage import StorageError

    try:
        store = Store.open(data_dir, defer_history=True)  # the year files: after the first paint
    except NewerSchemaError as exc:
        QMessageBox.critical(None, "BackCoach", str(exc))
        return 1
    except (StorageError, OSError) as exc:  # never a traceback from the data folder
        reason = str(exc) if isinstance(exc, StorageError) else f"{exc.strerror or exc} ({exc.filename or data_dir})"
        QMessageBox.critical(None, "BackCoach", f"The data folder {data_dir} could not be opened: {reason}")
        return 1
    try:
        window = MainWindow(library, store)
        place = window.restore_place()
        if place is None:
            window.open_sized_to_screen()  # the first run: as large as the screen allows
        elif place.maximized:
            window.showMaximized()
        else:
            window.show()
        window.library_view.search.setFocus()  # typing finds an exercise at once

        def come_to_front() -> None:
            from backcoach.ui.alerts import bring_to_front  # with the session code: not at start

            bring_to_front(window)

        def ask_at_start() -> None:
            store.finish_opening()
            window.report_store_problems()
            window.offer_resume()

        instance.activated.connect(come_to_front)
        if os.environ.get(FIRST_PAINT_ENV):

            def painted() -> None:
                report_first_paint()
                store.finish_opening()
                app.quit()

            AfterFirstPaint(window, painted)
        else:
            # A damaged file or an interrupted session is then asked about over a drawn
            # window, which does not wait for the year files to be read.
            AfterFirstPaint(window, ask_at_start)
        return app.exec()
    finally:
        instance.close()
        store.close()
