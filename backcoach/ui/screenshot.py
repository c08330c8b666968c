"""`backcoach screenshot VIEW OUT.png`: render one view offscreen into a PNG."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from backcoach.library import Library

if TYPE_CHECKING:  # the store (TinyDB) loads only for views that show saved data
    from backcoach.store import Store
from backcoach.ui.app import FIRST_PAINT_ENV, create_application, report_first_paint


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


SESSION_PHASES = ("get-ready", "concentric", "concentric-hold", "eccentric", "eccentric-hold", "hold", "switch",
                  "rest", "log", "summary")


class _StepClock:
    """A clock the screenshot moves by hand, to stop the session at a chosen phase."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _run_to_phase(window, area, clock: _StepClock, phase: str, side: str | None = None, rep: int | None = None) -> None:
    """Advance a demo session until it shows `phase` (logging sets on the way), on `side`
    and at `rep` when given."""
    from backcoach.session import Stage  # the session code loads with the first session only

    for _ in range(5000):
        flow, driver = area.view.flow, area.driver
        if phase == "summary":
            if flow.stage == Stage.DONE:
                return
            if flow.stage == Stage.WORK:
                clock.now += 40 * 60 / max(1, len(flow.steps))  # about a 40-minute session
                driver.finish_work()
            elif flow.stage == Stage.LOG:
                area.view.confirm()  # logs; the last one shows the summary
            elif flow.stage == Stage.REST:
                driver.skip_rest()
            continue
        if flow.stage == Stage.LOG:
            if phase == "log":
                return
            area.view.confirm()
            continue
        pos = driver.position()
        wanted_step = phase not in ("hold", "switch") or (flow.current and (
            (phase == "hold" and flow.current.seconds is not None) or (phase == "switch" and flow.current.per_side)))
        if flow.stage == Stage.WORK and not wanted_step:
            driver.finish_work()  # not the kind of set we want to show: log it and move on
            continue
        if (pos is not None and pos.phase == phase and wanted_step and (side is None or pos.side == side)
                and (rep is None or pos.rep == rep)):
            clock.now += min(pos.remaining * 0.35, 1.2)  # part-way through, so the ring shows progress
            driver.poll(on_time=True)
            area.view._on_position(driver.position())
            return
        if flow.stage == Stage.REST and phase != "rest":
            driver.skip_rest()
            continue
        clock.now += (pos.remaining if pos is not None else 1.0) + 1e-3
        driver.poll(on_time=True)
    raise RuntimeError(f"the demo session never reached the phase {phase!r}")


def render_session(out: Path, size: tuple[int, int], library: Library, phase: str,
                   exercise_id: str | None = None, side: str | None = None, rep: int | None = None) -> bool:
    """The gym-mode screen at `phase`, from a demo session in a temporary folder: the "Pull A"
    demo routine, or "start now" on `exercise_id` so any exercise's parts can be seen."""
    import tempfile
    from datetime import date

    from backcoach.demo import demo_routines, generate_history
    from backcoach.routines import RoutineBook
    from backcoach.store import Store as _Store
    from backcoach.ui.cues import SilentCues
    from backcoach.ui.main_window import MainWindow, WindowServices

    create_application("dark")
    with tempfile.TemporaryDirectory() as tmp:
        store = _Store.open(Path(tmp) / "data")
        try:
            history = generate_history(library, years=1, seed=3, today=date.today())
            store.add_sessions(history)
            book = RoutineBook(store)
            routines = demo_routines(library, history)
            book.save_many(routines)
            routine = next(r for r in book.all() if r.name.startswith("Pull A"))
            clock = _StepClock()
            window = MainWindow(library, store, WindowServices(cues_factory=SilentCues, session_clock=clock,
                                                              session_realtime=False))
            window.resize(*size)
            window.show()
            if exercise_id:
                window.start_exercise(exercise_id)
            else:
                window.start_routine(routine.id)
            area = window.session_area()
            _run_to_phase(window, area, clock, phase, side, rep)
            settle()
            if os.environ.get(FIRST_PAINT_ENV):
                report_first_paint()
            ok = window.grab().save(str(out), "PNG")
            area.view.driver.stop()
            window.close()
            return ok
        finally:
            store.close()


def render_figure_file(
    out: Path,
    view: str,
    size: tuple[int, int],
    theme: str,
    library: Library,
    primary: list[str],
    secondary: list[str],
) -> bool:
    """`backcoach figure`: one anatomy view alone on the theme's plain window colour, drawn
    by the same code as the app's figure widget (no caption, no legend)."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QImage, QPainter

    from backcoach.anatomy import load_figures
    from backcoach.ui.anatomy import render_figure
    from backcoach.ui.theme import theme_by_name

    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        _quiet_offscreen_messages()
    create_application(theme)
    palette = theme_by_name(theme)
    figure = load_figures(library.muscles.keys())[view]
    image = QImage(QSize(*size), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(palette.window))
    painter = QPainter(image)
    painter.drawImage(0, 0, render_figure(figure, QSize(*size), palette, primary, secondary))
    painter.end()
    return image.save(str(out), "PNG")  # type: ignore[call-overload]  # PySide6 takes str at run time; its stubs say bytes


def render_view(
    view: str,
    out: Path,
    size: tuple[int, int],
    theme: str,
    library: Library,
    exercise_id: str | None = None,
    store: Store | None = None,
    tab: str | None = None,
    side: str | None = None,
    rep: int | None = None,
) -> bool:
    """Build the main window at `size`, open `view`, paint it once and save it as PNG."""
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        _quiet_offscreen_messages()
    if view == "session":
        return render_session(out, size, library, tab or "concentric", exercise_id, side, rep)
    create_application(theme)
    from backcoach.ui.main_window import MainWindow, WindowServices

    # A picture of History filled in, not of it loading.
    window = MainWindow(library, store, WindowServices(history_in_background=False))
    window.resize(*size)
    page = window.show_area(view)
    if view == "library" and exercise_id:
        window.library_view.select_exercise(exercise_id)
    if view == "history":
        from backcoach.ui.history_view import HistoryView

        assert isinstance(page, HistoryView)
        page.prepare_screenshot(tab=tab, exercise_id=exercise_id)
    window.show()
    settle()  # the window's first paint happens in here
    if os.environ.get(FIRST_PAINT_ENV):
        report_first_paint()
    ok = window.grab().save(str(out), "PNG")
    window.close()
    return ok
