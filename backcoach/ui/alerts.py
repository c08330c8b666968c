"""Alerts outside the window: the lifter is across the room, the laptop shows their music.

While a session runs, a tray icon shows the phase and the seconds left (tooltip and menu,
with pause, skip rest and open). When a rest ends while the window is not in front, a
desktop notification with its own sound says which set is due and the taskbar entry asks
for attention (`QApplication.alert`); where the desktop has no tray, the window comes to
the front instead (a Setting). An optional flash covers the session screen at rest end.

Everything that reaches the desktop goes through a `Notifier`, so tests use a fake
(tests/helpers/notifier.py) and check what the user would have been shown.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from backcoach.library import exercise_name
from backcoach.resources import ASSETS_DIR, real_path
from backcoach.session import Stage
from backcoach.timers import Position

ALERT_SOUND = ASSETS_DIR / "sounds" / "rest-over.wav"
NOTIFICATION_MS = 15000  # long enough to be seen on returning to the bench


class Notifier(Protocol):
    """The desktop side of the alerts; `TrayNotifier` for real, a fake in tests."""

    @property
    def tray_available(self) -> bool: ...

    def set_actions(self, pause: Callable[[], None], skip_rest: Callable[[], None],
                    open_window: Callable[[], None]) -> None: ...

    def show_status(self, text: str, stage: str, paused: bool) -> None: ...

    def notify(self, title: str, message: str) -> None: ...

    def close(self) -> None: ...


class TrayNotifier(QObject):
    """A QSystemTrayIcon while a session runs, and the alert sound."""

    def __init__(self, icon: QIcon, volume: Callable[[], float] = lambda: 0.8, parent: QObject | None = None):
        super().__init__(parent)
        self._volume = volume
        self.tray = QSystemTrayIcon(icon, self)
        self.menu = QMenu()
        self.status_action = QAction("BackCoach", self.menu)
        self.status_action.setEnabled(False)
        self.pause_action = QAction("Pause", self.menu)
        self.skip_action = QAction("Skip rest", self.menu)
        self.open_action = QAction("Open BackCoach", self.menu)
        self.menu.addAction(self.status_action)
        self.menu.addSeparator()
        for action in (self.pause_action, self.skip_action, self.open_action):
            self.menu.addAction(action)
        self.tray.setContextMenu(self.menu)
        self.tray.setToolTip("BackCoach")
        self.tray.activated.connect(self._activated)
        self._open: Callable[[], None] = lambda: None
        self._sound: Any = None  # a QSoundEffect, made on the first alert (QtMultimedia loads late)
        if self.tray_available:
            self.tray.show()

    @property
    def tray_available(self) -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def set_actions(self, pause: Callable[[], None], skip_rest: Callable[[], None],
                    open_window: Callable[[], None]) -> None:
        self.pause_action.triggered.connect(pause)
        self.skip_action.triggered.connect(skip_rest)
        self.open_action.triggered.connect(open_window)
        self._open = open_window

    def show_status(self, text: str, stage: str, paused: bool) -> None:
        self.tray.setToolTip(f"BackCoach · {text}")
        self.status_action.setText(text)
        self.pause_action.setText("Resume" if paused else "Pause")
        self.pause_action.setEnabled(stage in (Stage.WORK, Stage.REST))
        self.skip_action.setEnabled(stage == Stage.REST)

    def notify(self, title: str, message: str) -> None:
        if self.tray_available and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, NOTIFICATION_MS)
        self.play_sound()

    def play_sound(self) -> None:
        volume = self._volume()
        if volume <= 0:
            return
        if self._sound is None:
            try:
                from PySide6.QtMultimedia import QSoundEffect  # loaded with the cues already
            except ImportError:
                return
            self._sound = QSoundEffect(self)
            self._sound.setSource(QUrl.fromLocalFile(str(real_path(ALERT_SOUND))))
        self._sound.setVolume(volume)
        self._sound.play()

    def close(self) -> None:
        self.tray.hide()
        self.menu.deleteLater()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self._open()


class SilentNotifier:
    """When the user turned alerts outside the window off: no tray icon, no notification."""

    tray_available = False

    def set_actions(self, pause, skip_rest, open_window) -> None:
        pass

    def show_status(self, text: str, stage: str, paused: bool) -> None:
        pass

    def notify(self, title: str, message: str) -> None:
        pass

    def close(self) -> None:
        pass


def status_text(stage: str, pos: Position | None, next_name: str = "") -> str:
    """What the tray says: 'Rest · 1:23 left · next: Barbell row', 'Pull · 3 s left'."""
    if stage == Stage.LOG:
        return "Log the set"
    if stage == Stage.DONE:
        return "Session done"
    if pos is None or pos.finished:
        return "Session running"
    seconds = max(0, math.ceil(pos.remaining - 1e-9))
    left = f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"
    word = "Rest" if stage == Stage.REST else (pos.word or str(pos.phase)).capitalize()
    text = f"{word} · {left} left"
    if pos.paused:
        text = f"Paused · {word.lower()} · {left} left"
    if stage == Stage.REST and next_name:
        text += f" · next: {next_name}"
    return text


def in_front(window: QWidget) -> bool:
    """True when the lifter can see the window: shown, not minimised, and the active one."""
    return window.isVisible() and not window.isMinimized() and window.isActiveWindow()


def bring_to_front(window: QWidget) -> None:
    """Un-minimise, raise and activate (full screen stays full screen)."""
    if window.isMinimized():
        window.setWindowState((window.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()


class SessionAlerts(QObject):
    """Follows a session's driver: keeps the tray's status current and alerts at rest end."""

    def __init__(self, driver, window: QWidget, notifier: Notifier, settings, *,
                 next_set: Callable[[], str], flash: Callable[[], None] | None = None,
                 is_in_front: Callable[[QWidget], bool] = in_front, parent: QObject | None = None):
        super().__init__(parent)
        self.driver = driver
        self.window = window
        self.notifier = notifier
        self.settings = settings
        self.next_set = next_set
        self.flash = flash
        self.is_in_front = is_in_front
        self._stage = driver.flow.stage
        self._status = ""
        self.alerts: list[tuple[str, str]] = []  # (title, message) of every alert raised
        notifier.set_actions(driver.toggle_pause, driver.skip_rest, lambda: bring_to_front(window))
        driver.refreshed.connect(self._update)
        driver.phase_changed.connect(self._update)
        driver.paused_changed.connect(lambda _p: self._update(driver.position()))
        driver.stage_changed.connect(self._stage_changed)
        self._update(driver.position())

    def _update(self, pos: Position | None) -> None:
        flow = self.driver.flow
        nxt = flow.next_step if flow.stage == Stage.REST else None
        name = ""
        if nxt is not None:
            name = exercise_name(nxt.exercise_id, flow.library)
        text = status_text(flow.stage, pos, name)
        if text != self._status:
            self._status = text
            self.notifier.show_status(text, flow.stage, bool(pos is not None and pos.paused))

    def _stage_changed(self, stage: str) -> None:
        before, self._stage = self._stage, stage
        pos = self.driver.position()
        # The rest ran out (the lifter did not skip it): its finished timeline is still there.
        ran_out = before == "rest" and stage == Stage.WORK and pos is not None and pos.finished
        self._update(pos)
        if ran_out:
            self.rest_over()

    def rest_over(self) -> None:
        """The rest has ended: tell a lifter who is not looking."""
        if self.flash is not None and self.settings.get("flash_at_rest_end"):
            self.flash()
        if self.is_in_front(self.window):
            return
        title = "Rest over"
        message = self.next_set() or "Time for the next set."
        self.alerts.append((title, message))
        QApplication.alert(self.window, 0)
        if self.settings.get("alerts_outside") and self.notifier.tray_available:
            self.notifier.notify(title, message)
        else:
            if self.settings.get("alerts_outside"):
                self.notifier.notify(title, message)  # no tray: at least the sound
            if self.settings.get("raise_at_rest_end"):
                bring_to_front(self.window)

    def close(self) -> None:
        self.notifier.close()
