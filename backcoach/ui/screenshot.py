"""`backcoach screenshot VIEW OUT.png`: render one view offscreen into a PNG."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from backcoach.library import Library
from backcoach.ui.app import create_application


def settle(rounds: int = 5) -> None:
    """Let posted layout requests and deferred deletions run so the picture is final."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(rounds):
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def render_view(
    view: str,
    out: Path,
    size: tuple[int, int],
    theme: str,
    library: Library,
    exercise_id: str | None = None,
) -> bool:
    """Build the main window at `size`, open `view`, paint it once and save it as PNG."""
    create_application(theme)
    from backcoach.ui.main_window import MainWindow

    window = MainWindow(library)
    window.resize(*size)
    window.show_area(view)
    if view == "library" and exercise_id:
        window.library_view.select_exercise(exercise_id)
    window.show()
    settle()
    ok = window.grab().save(str(out), "PNG")
    window.close()
    return ok
