"""A notifier that records what the desktop would have shown (tray status, notifications)."""

from __future__ import annotations

from collections.abc import Callable


class FakeNotifier:
    """Stands in for `backcoach.ui.alerts.TrayNotifier`; `tray_available` as the test says."""

    def __init__(self, tray_available: bool = True):
        self.tray_available = tray_available
        self.statuses: list[str] = []  # every status shown, in order (tooltip and menu header)
        self.stage = ""
        self.paused = False
        self.notifications: list[tuple[str, str]] = []  # (title, message); each also plays the sound
        self.closed = False
        self.pause: Callable[[], None] = lambda: None
        self.skip_rest: Callable[[], None] = lambda: None
        self.open_window: Callable[[], None] = lambda: None

    def set_actions(self, pause, skip_rest, open_window) -> None:
        self.pause, self.skip_rest, self.open_window = pause, skip_rest, open_window

    def show_status(self, text: str, stage: str, paused: bool) -> None:
        self.statuses.append(text)
        self.stage, self.paused = stage, paused

    @property
    def status(self) -> str:
        return self.statuses[-1] if self.statuses else ""

    def notify(self, title: str, message: str) -> None:
        self.notifications.append((title, message))

    def close(self) -> None:
        self.closed = True
