"""The main window as tests make it: recorded cues and alerts, never the sound system or
the desktop's tray; a fake clock (and no full screen) when a test drives a session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backcoach.ui.main_window import MainWindow, WindowServices
from tests.helpers.cues import FakeCues
from tests.helpers.notifier import FakeNotifier


def fake_services(clock: Callable[[], float] | None = None, *, cues_factory: Callable[[], Any] = FakeCues,
                  notifier_factory: Callable[[], Any] = FakeNotifier,
                  history_in_background: bool = True) -> WindowServices:
    return WindowServices(cues_factory=cues_factory, notifier_factory=notifier_factory, session_clock=clock,
                          session_realtime=clock is None, history_in_background=history_in_background)


def main_window(library, store=None, clock: Callable[[], float] | None = None, **services: Any) -> MainWindow:
    """MainWindow(library, store) with fake services (see fake_services)."""
    return MainWindow(library, store, fake_services(clock, **services))
