"""`backcoach screenshot VIEW OUT.png`: render one view offscreen into a PNG."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from backcoach.library import Library
from backcoach.store import Store
from backcoach.ui.app import create_application

FIRST_PAINT_ENV = "BACKCOACH_PRINT_FIRST_PAINT"


def settle(rounds: int = 5) -> None:
    """Let posted layout requests and deferred deletions run so the picture is final."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(rounds):
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _quiet_offscreen_messages() -> None:
    """The offscreen platform warns that it cannot raise windows or pass on size hints;
    that is expected here and only clutters the terminal. Everything else still prints."""
    from PySide6.QtCore import qInstallMessageHandler

    previous = None

    def handler(mode, context, message):
        if message.startswith("This plugin does not support"):
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)


def render_view(
    view: str,
    out: Path,
    size: tuple[int, int],
    theme: str,
    library: Library,
    exercise_id: str | None = None,
    store: Store | None = None,
    tab: str | None = None,
) -> bool:
    """Build the main window at `size`, open `view`, paint it once and save it as PNG."""
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        _quiet_offscreen_messages()
    create_application(theme)
    from backcoach.ui.main_window import MainWindow

    window = MainWindow(library, store)
    window.resize(*size)
    page = window.show_area(view)
    if view == "library" and exercise_id:
        window.library_view.select_exercise(exercise_id)
    if view == "history":
        page.prepare_screenshot(tab=tab, exercise_id=exercise_id)
    window.show()
    settle()  # the window's first paint happens in here
    if os.environ.get(FIRST_PAINT_ENV):  # for bench/startup.py: the system-wide monotonic clock
        print(f"first-paint {time.monotonic():.6f}", flush=True)
    ok = window.grab().save(str(out), "PNG")
    window.close()
    return ok
