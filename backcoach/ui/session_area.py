"""The Session area: a start page (resume, or start a routine), and the gym-mode screen
while a session runs. Starting a session turns on the audio cues and keeps the laptop awake."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backcoach.last_time import last_time
from backcoach.library import Library
from backcoach.plates import LoadRounding
from backcoach.routines import RoutineBook
from backcoach.session import SessionFlow, Stage, plan_for_exercise, plan_from_routine
from backcoach.settings import Settings
from backcoach.store import Change, Store
from backcoach.ui.cues import Cues
from backcoach.ui.hands_free import HandsFree
from backcoach.units import format_load
from backcoach.workout import RoutinePreview, preview
from backcoach.ui.session_driver import SessionDriver
from backcoach.ui.session_view import SessionView
from backcoach.ui.widgets import text_label

if TYPE_CHECKING:  # alerts and keep-awake load with the first session
    from backcoach.ui.alerts import Notifier, SessionAlerts
    from backcoach.ui.keep_awake import KeepAwake


PRIME_DELAY_MS = 150


class SessionArea(QWidget):
    session_started = Signal()
    session_ended = Signal(bool)  # finished (True) or left resumable (False)
    message_posted = Signal(str)

    def __init__(self, library: Library, store: Store, settings: Settings,
                 cues_factory: Callable[[], Cues] | None = None, clock: Callable[[], float] = time.monotonic,
                 realtime: bool = True, parent: QWidget | None = None,
                 notifier_factory: Callable[[], Notifier] | None = None):
        super().__init__(parent)
        self.library = library
        self.store = store
        self.settings = settings
        self.clock = clock
        self.realtime = realtime
        # Sound and speech load after the session screen is up (they can take seconds on a
        # busy machine): the get-ready covers it, and the screen never freezes on opening.
        self.defer_cues = realtime
        self._preview_routine: str | None = None
        self._cues_factory = cues_factory
        self._cues: Cues | None = None
        self._keep_awake: KeepAwake | None = None
        self._notifier_factory = notifier_factory
        self.alerts: SessionAlerts | None = None  # while a session runs
        self.view: SessionView | None = None
        self.driver: SessionDriver | None = None
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.home = QWidget()
        self.stack.addWidget(self.home)
        self._build_home()

    # --- the sound, ready before the first cue ------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self.realtime and self.view is None:
            # After the start page has painted: loading the sound module and clips takes
            # 0.1-0.2 s the first time, which the page should not wait for.
            QTimer.singleShot(PRIME_DELAY_MS, self.prime_cues)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Leaving the start page for another area closes the primed stream (no open audio
        stream while the lifter browses); a minimised window keeps it."""
        super().hideEvent(event)
        close = getattr(self._cues, "close", None)  # MixerCues
        if not event.spontaneous() and self.view is None and close is not None:
            close()
            self._cues = None

    def prime_cues(self) -> None:
        """Open the session's sound while the start page is shown: the stream takes 0.4-1.7 s
        to start taking frames, so a stream opened with the session would miss (or play late)
        its first get-ready. The stream opens on its own thread; this returns at once."""
        if self.view is None and self._cues_factory is not None and self.isVisible():
            self._make_cues()

    # --- the start page -----------------------------------------------------------------
    def _build_home(self) -> None:
        layout = QVBoxLayout(self.home)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(text_label("Start a session", role="title", wrap=False, selectable=False))
        layout.addWidget(text_label("BackCoach leads every rep in the movement's own words: when to pull or stand, how "
                                    "long to hold, how slowly to lower. Space pauses, Enter logs, Esc leaves (you can resume).", role="muted"))
        self.resume_box = QWidget()
        resume = QHBoxLayout(self.resume_box)
        resume.setContentsMargins(0, 8, 0, 8)
        self.resume_text = text_label(role="heading")
        self.resume_button = QPushButton("Resume")
        self.discard_button = QPushButton("Finish it here")
        self.resume_button.clicked.connect(self.resume)
        self.discard_button.clicked.connect(self.finish_unfinished)
        for b in (self.resume_button, self.discard_button):
            b.setMinimumHeight(40)
        resume.addWidget(self.resume_text, 1)
        resume.addWidget(self.resume_button)
        resume.addWidget(self.discard_button)
        layout.addWidget(self.resume_box)
        layout.addWidget(text_label("Your routines", role="heading", wrap=False, selectable=False))
        self.routine_scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        self.routine_list = QWidget()
        self.routine_layout = QVBoxLayout(self.routine_list)
        self.routine_layout.setContentsMargins(0, 0, 0, 0)
        scroll.setWidget(self.routine_list)
        layout.addWidget(scroll, 1)
        layout.addWidget(self._build_preview(), 1)
        layout.addWidget(text_label("Or open an exercise in the Library and press “Start now”.", role="muted"))

    def refresh_home(self) -> None:
        unfinished = None if self.store.read_only else self.store.unfinished_session()
        self.resume_box.setVisible(unfinished is not None)
        if unfinished is not None:
            name = unfinished.routine or "a session"
            self.resume_text.setText(f"Unfinished: {name}, started {unfinished.started_at[:16].replace('T', ' ')} — "
                                     f"{len(unfinished.sets)} sets logged. Resume at the next set?")
        while self.routine_layout.count():
            item = self.routine_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        routines = RoutineBook(self.store).all()
        for r in routines:
            button = QPushButton(f"{r.name}   ·   {len(r.items)} exercises")
            button.setMinimumHeight(46)
            # Enabled even with a session unfinished or read-only: a click says why it can't start.
            button.setEnabled(bool(r.items))
            button.setToolTip("See what it asks for today, then start it.")
            button.clicked.connect(lambda _=False, rid=r.id: self.show_preview(rid))
            self.routine_layout.addWidget(button)
        if not routines:
            self.routine_layout.addWidget(text_label("No routines yet: make one in Routines (or copy a template).",
                                                     role="muted"))
        self.routine_layout.addStretch(1)

    # --- a routine's preview ----------------------------------------------------------
    def _build_preview(self) -> QWidget:
        self.preview_box = QWidget()
        box = QVBoxLayout(self.preview_box)
        box.setContentsMargins(0, 0, 0, 0)
        self.preview_title = text_label(role="heading")
        self.preview_text = QLabel()
        self.preview_text.setTextFormat(Qt.TextFormat.RichText)
        self.preview_text.setWordWrap(True)
        self.preview_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        text_scroll = QScrollArea()
        text_scroll.setWidgetResizable(True)
        text_scroll.setWidget(self.preview_text)
        buttons = QHBoxLayout()
        self.preview_start = QPushButton("Start the session")
        self.preview_start.setDefault(True)
        self.preview_back = QPushButton("Back to the routines")
        for b in (self.preview_start, self.preview_back):
            b.setMinimumHeight(44)
        self.preview_start.clicked.connect(lambda: self.start_routine(self._preview_routine or ""))
        self.preview_back.clicked.connect(self.hide_preview)
        buttons.addWidget(self.preview_start)
        buttons.addWidget(self.preview_back)
        buttons.addStretch(1)
        box.addWidget(self.preview_title)
        box.addWidget(text_scroll, 1)
        box.addLayout(buttons)
        self.preview_box.hide()
        return self.preview_box

    def show_preview(self, routine_id: str) -> RoutinePreview | None:
        """What the routine asks for today (the session's own plan), before starting it."""
        if self._refuse_if_busy():
            return None
        routine = RoutineBook(self.store).get(routine_id)
        history = self.store.sessions()
        steps = plan_from_routine(routine, self.library, history, self.settings["units"],
                                  self.settings["default_tempo"])
        if not steps:
            return None
        shown = preview(steps, self.library, history, get_ready=self.settings["get_ready_seconds"],
                        default_tempo=self.settings["default_tempo"])
        rows = "".join(
            f"<tr><td style='padding-right:14px'><b>{html.escape(line.name)}</b></td>"
            f"<td style='padding-right:14px'>{line.work_sets} × {html.escape(line.dose)}"
            + (f" @ {format_load(line.load_kg, self.settings['units'])}" if line.load_kg else "")
            + (f" (+ {line.warmup_sets} warm-up{'s' if line.warmup_sets != 1 else ''})" if line.warmup_sets else "")
            + f"</td><td>{'last done ' + line.last_done if line.last_done else 'never done yet'}</td></tr>"
            for line in shown.lines)
        sets = sum(line.work_sets for line in shown.lines)
        self.preview_title.setText(f"{routine.name}: about {shown.estimated_minutes} min")
        self.preview_text.setText(f"<p>{len(shown.lines)} exercises · {sets} work sets · about "
                                  f"{shown.estimated_minutes} min with the rests.</p><table>{rows}</table>")
        self._preview_routine = routine_id
        self.routine_scroll.hide()
        self.preview_box.show()
        self.preview_start.setFocus()
        return shown

    def hide_preview(self) -> None:
        self._preview_routine = None
        self.preview_box.hide()
        self.routine_scroll.show()

    # --- starting ---------------------------------------------------------------------
    def _refuse_if_busy(self) -> bool:
        if self.store.read_only:
            QMessageBox.information(self, "BackCoach", "This window is read-only: sessions can't be logged here.")
            return True
        if self.view is not None or self.store.unfinished_session() is not None:
            # The same words as the Library's and the Routines' "Start".
            QMessageBox.information(self, "BackCoach", "A session is already in progress: resume or finish it first.")
            return True
        return False

    def start_routine(self, routine_id: str) -> bool:
        if self._refuse_if_busy():
            return False
        routine = RoutineBook(self.store).get(routine_id)
        steps = plan_from_routine(routine, self.library, self.store.sessions(), self.settings["units"],
                                  self.settings["default_tempo"], rounding=LoadRounding.from_settings(self.settings))
        if not steps:
            return False
        self._run(SessionFlow.start(self.store, self.library, steps, routine.name))
        return True

    def start_exercise(self, exercise_id: str) -> bool:
        if self._refuse_if_busy():
            return False
        exercise = self.library.exercises[exercise_id]
        steps = plan_for_exercise(exercise, self.store.sessions(), self.settings["units"], self.settings["default_tempo"],
                                  rounding=LoadRounding.from_settings(self.settings))
        rest = self.settings["default_rest_seconds"]
        if rest:  # the user's own rest instead of the exercise's recommended one
            from dataclasses import replace

            steps = [replace(s, rest_seconds=rest) if not s.warmup else s for s in steps]
        self._run(SessionFlow.start(self.store, self.library, steps, exercise.name))
        return True

    def resume(self) -> bool:
        flow = SessionFlow.resume(self.store, self.library)
        if flow is None:
            self.refresh_home()
            return False
        self._run(flow)
        return True

    def finish_unfinished(self) -> None:
        """Save what an interrupted session logged, without doing the rest of it."""
        flow = SessionFlow.resume(self.store, self.library)
        if flow is not None:
            summary = flow.finish()
            self.message_posted.emit(f"Saved the unfinished session: {summary.sets} sets.")
        self.refresh_home()

    def _run(self, flow: SessionFlow) -> None:
        self.hide_preview()
        flow.rounding = LoadRounding.from_settings(self.settings)
        # Sound opened with the start page (prime_cues) is used at once; otherwise it is loaded
        # after the screen is up (_attach_cues).
        cues = self._make_cues() if not self.defer_cues or self._cues is not None else None
        self.driver = SessionDriver(flow, cues=cues, clock=self.clock, get_ready=self.settings["get_ready_seconds"],
                                    default_tempo=self.settings["default_tempo"], realtime=self.realtime,
                                    auto_start=self.settings["auto_start_next"], parent=self)
        unit = self.settings["units"]
        history = self.store.sessions()
        before = flow.started_at  # a resumed session is not its own "last time"

        def last_time_text(exercise_id: str) -> str:
            last = last_time(exercise_id, history, before=before)
            return last.describe(unit, today=date.today()) if last is not None else ""

        self.view = SessionView(flow, self.library, self.driver, unit,
                                rounding=LoadRounding.from_settings(self.settings), last_time=last_time_text,
                                keys=HandsFree(self.settings["pedal_key"], self.settings["pedal_action"]))
        self.view.left.connect(self._left)
        self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(self.view)
        attach_later = self.defer_cues and cues is None
        if not attach_later:
            if cues is not None:
                self._show_cue_problems(cues)
            self._stay_awake(True)
        self._start_alerts()
        self.driver.start()
        self.view.setFocus()
        self.session_started.emit()
        self.view.mark_ready()
        if attach_later:
            QTimer.singleShot(0, self._attach_cues)

    def _show_cue_problems(self, cues: Cues) -> None:
        assert self.view is not None  # called only once the session screen is up
        problem = getattr(cues, "problem", None)
        if problem:
            self.view.notice.setText(problem)
        elif hasattr(cues, "problem_found"):
            cues.problem_found.connect(self.view.notice.setText)

    def _attach_cues(self) -> None:
        """After the session screen is up: load sound and speech, keep the laptop awake, and
        say the part already on screen (the get-ready), which started without them."""
        if self.driver is None or self.view is None:
            return
        cues = self._make_cues()
        self.driver.cues = cues
        if cues is not None:
            self._show_cue_problems(cues)
            pos = self.driver.position()
            if pos is not None and not pos.finished and pos.segment is not None:  # (a running position has one)
                cues.phase_changed(pos.phase, pos.segment.duration, pos.rep, pos.side, pos.word)
        self._stay_awake(True)
        if self.view is not None:
            self.view.mark_ready()  # keys pressed while this ran are not the lifter's answer to it

    def _start_alerts(self) -> None:
        from backcoach.ui.alerts import SessionAlerts, SilentNotifier

        if self.settings["alerts_outside"] and self._notifier_factory is not None:
            notifier = self._notifier_factory()
        else:
            notifier = SilentNotifier()
        assert self.view is not None and self.driver is not None  # called by _run, which made them
        view, flow = self.view, self.driver.flow

        def next_set() -> str:
            step = flow.current
            return f"Next: {view._describe_step(step)}" if flow.stage == Stage.WORK and step is not None else ""

        self.alerts = SessionAlerts(self.driver, self.window(), notifier, self.settings, next_set=next_set,
                                    flash=view.flash_screen, parent=self)

    def _make_cues(self) -> Cues | None:
        if self._cues is None and self._cues_factory is not None:
            self._cues = self._cues_factory()
        return self._cues

    def _stay_awake(self, on: bool) -> None:
        if not self.realtime:
            return
        if on:
            from backcoach.ui.keep_awake import KeepAwake

            self._keep_awake = KeepAwake()
            self._keep_awake.start()
        elif self._keep_awake is not None:
            self._keep_awake.stop()
            self._keep_awake = None

    def _left(self, finished: bool) -> None:
        self._stay_awake(False)
        if self.alerts is not None:
            self.alerts.close()
            self.alerts.deleteLater()
            self.alerts = None
        if self.driver is not None:
            self.driver.stop()
        close = getattr(self._cues, "close", None)
        if close is not None:  # the session's audio stream ends with it (MixerCues)
            close()
            self._cues = None
        view = self.view
        if self.realtime and self.isVisible():
            QTimer.singleShot(0, self.prime_cues)  # a fresh stream for the next session
        self.view, self.driver = None, None
        self.stack.setCurrentWidget(self.home)
        if view is not None:
            self.stack.removeWidget(view)
            view.deleteLater()
        self.refresh_home()
        self.session_ended.emit(finished)
        self.message_posted.emit("Session saved to your history." if finished else
                                 "Session paused: every logged set is saved. Resume it from Session.")

    def store_changed(self, changed: frozenset[Change]) -> None:
        """The change path (MainWindow._store_changed): a routine saved, renamed or deleted in
        Routines (or imported) shows on the start page at once."""
        if Change.ROUTINES in changed and not self.running():
            self.refresh_home()

    def running(self) -> bool:
        return self.view is not None

    def prepare_screenshot(self, tab: str | None = None, exercise_id: str | None = None) -> None:
        self.refresh_home()
