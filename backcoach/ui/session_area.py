"""The Session area: a start page (resume, or start a routine), and the gym-mode screen
while a session runs. Starting a session turns on the audio cues and keeps the laptop awake."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from backcoach.library import Library
from backcoach.routines import RoutineBook
from backcoach.session import SessionFlow, plan_for_exercise, plan_from_routine
from backcoach.settings import Settings
from backcoach.store import Store
from backcoach.ui.session_driver import SessionDriver
from backcoach.ui.session_view import SessionView
from backcoach.ui.widgets import text_label


class SessionArea(QWidget):
    session_started = Signal()
    session_ended = Signal(bool)  # finished (True) or left resumable (False)
    message_posted = Signal(str)

    def __init__(self, library: Library, store: Store, settings: Settings,
                 cues_factory: Callable[[], object] | None = None, clock: Callable[[], float] = time.monotonic,
                 realtime: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        self.store = store
        self.settings = settings
        self.clock = clock
        self.realtime = realtime
        self._cues_factory = cues_factory
        self._cues = None
        self._keep_awake = None
        self.view: SessionView | None = None
        self.driver: SessionDriver | None = None
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.home = QWidget()
        self.stack.addWidget(self.home)
        self._build_home()

    # --- the start page -----------------------------------------------------------------
    def _build_home(self) -> None:
        layout = QVBoxLayout(self.home)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(text_label("Start a session", role="title", wrap=False, selectable=False))
        layout.addWidget(text_label("BackCoach leads every rep: when to pull, how long to squeeze, how slowly to "
                                    "lower. Space pauses, Enter logs, Esc leaves (you can resume).", role="muted"))
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
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        self.routine_list = QWidget()
        self.routine_layout = QVBoxLayout(self.routine_list)
        self.routine_layout.setContentsMargins(0, 0, 0, 0)
        scroll.setWidget(self.routine_list)
        layout.addWidget(scroll, 1)
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
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        routines = RoutineBook(self.store).all()
        for r in routines:
            button = QPushButton(f"{r.name}   ·   {len(r.items)} exercises")
            button.setMinimumHeight(46)
            button.setEnabled(bool(r.items) and not self.store.read_only and unfinished is None)
            button.clicked.connect(lambda _=False, rid=r.id: self.start_routine(rid))
            self.routine_layout.addWidget(button)
        if not routines:
            self.routine_layout.addWidget(text_label("No routines yet: make one in Routines (or copy a template).",
                                                     role="muted"))
        self.routine_layout.addStretch(1)

    # --- starting ---------------------------------------------------------------------
    def _refuse_if_busy(self) -> bool:
        if self.store.read_only:
            QMessageBox.information(self, "BackCoach", "This window is read-only: sessions can't be logged here.")
            return True
        if self.view is not None or self.store.unfinished_session() is not None:
            QMessageBox.information(self, "BackCoach", "A session is already in progress: resume or finish it first.")
            return True
        return False

    def start_routine(self, routine_id: str) -> bool:
        if self._refuse_if_busy():
            return False
        routine = RoutineBook(self.store).get(routine_id)
        steps = plan_from_routine(routine, self.library, self.store.sessions(), self.settings["units"],
                                  self.settings["default_tempo"])
        if not steps:
            return False
        self._run(SessionFlow.start(self.store, self.library, steps, routine.name))
        return True

    def start_exercise(self, exercise_id: str) -> bool:
        if self._refuse_if_busy():
            return False
        exercise = self.library.exercises[exercise_id]
        steps = plan_for_exercise(exercise, self.store.sessions(), self.settings["units"], self.settings["default_tempo"])
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
        cues = self._make_cues()
        self.driver = SessionDriver(flow, cues=cues, clock=self.clock, get_ready=self.settings["get_ready_seconds"],
                                    default_tempo=self.settings["default_tempo"], realtime=self.realtime, parent=self)
        self.view = SessionView(flow, self.library, self.driver, self.settings["units"])
        self.view.left.connect(self._left)
        self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(self.view)
        if cues is not None and getattr(cues, "problem", None):
            self.view.notice.setText(cues.problem)
        elif cues is not None and hasattr(cues, "problem_found"):
            cues.problem_found.connect(self.view.notice.setText)
        self._stay_awake(True)
        self.driver.start()
        self.view.setFocus()
        self.session_started.emit()

    def _make_cues(self):
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
        if self.driver is not None:
            self.driver.stop()
        if hasattr(self._cues, "close"):  # the session's audio stream ends with it (MixerCues)
            self._cues.close()
            self._cues = None
        view = self.view
        self.view, self.driver = None, None
        self.stack.setCurrentWidget(self.home)
        if view is not None:
            self.stack.removeWidget(view)
            view.deleteLater()
        self.refresh_home()
        self.session_ended.emit(finished)
        self.message_posted.emit("Session saved to your history." if finished else
                                 "Session paused: every logged set is saved. Resume it from Session.")

    def running(self) -> bool:
        return self.view is not None

    def prepare_screenshot(self, tab: str | None = None, exercise_id: str | None = None) -> None:
        self.refresh_home()
