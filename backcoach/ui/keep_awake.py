"""Keeping the screen on during a guided session, the best each platform allows.

    Linux    org.freedesktop.ScreenSaver Inhibit / UnInhibit on the D-Bus session bus
    Windows  SetThreadExecutionState(ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED)
    macOS    `caffeinate -d -w <our pid>`, ended on stop (and by itself if we die)

Nothing here raises: when the platform says no (no session bus, no screensaver service, a
failed call) the session simply runs without it, `active` stays False and `problem` says why.
Use `start()`/`stop()` or `with KeepAwake():`. Call both from the UI thread (Windows keeps the
request per thread).
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

APP_NAME = "BackCoach"
REASON = "A guided workout is in progress"

# Windows execution-state flags (winbase.h).
ES_CONTINUOUS = 0x80000000
ES_SYSTEM_REQUIRED = 0x00000001
ES_DISPLAY_REQUIRED = 0x00000002

SCREENSAVER_SERVICE = "org.freedesktop.ScreenSaver"
SCREENSAVER_INTERFACE = "org.freedesktop.ScreenSaver"
# GNOME, Xfce and others serve the first path; some KDE versions only the second.
SCREENSAVER_PATHS = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")


def _qtdbus() -> Any:
    """PySide6.QtDBus, imported when first needed (a seam for tests)."""
    from PySide6 import QtDBus

    return QtDBus


class KeepAwake:
    """Asks the system not to blank the screen or sleep while active."""

    def __init__(self, platform: str | None = None):
        self.platform = platform or sys.platform
        self.active = False
        self.problem: str | None = None
        self._cookie: int | None = None  # Linux: what Inhibit returned
        self._interface: Any = None
        self._process: subprocess.Popen | None = None  # macOS: caffeinate

    def __enter__(self) -> KeepAwake:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> bool:
        """Begin keeping the screen awake; returns `active`. Calling it again does nothing."""
        if self.active:
            return True
        self.problem = None
        try:
            if self.platform.startswith("linux") or self.platform.startswith("freebsd"):
                self._start_dbus()
            elif self.platform == "win32":
                self._start_windows()
            elif self.platform == "darwin":
                self._start_macos()
            else:
                self.problem = f"keeping the screen awake is not supported on {self.platform}"
        except Exception as exc:  # best effort: never let this stop a session
            self.problem = f"could not keep the screen awake: {exc}"
            self.active = False
        return self.active

    def stop(self) -> None:
        """Let the screen sleep again. Safe to call at any time, any number of times."""
        if not self.active:
            return
        self.active = False
        try:
            if self._cookie is not None:
                self._stop_dbus()
            elif self.platform == "win32":
                self._windows_state(ES_CONTINUOUS)
            elif self._process is not None:
                self._stop_macos()
        except Exception as exc:
            self.problem = f"could not release the screen: {exc}"

    # --- Linux and other freedesktop systems ------------------------------------------------
    def _start_dbus(self) -> None:
        try:
            qtdbus = _qtdbus()
        except ImportError as exc:
            self.problem = f"D-Bus support is missing ({exc})"
            return
        bus = qtdbus.QDBusConnection.sessionBus()
        if not bus.isConnected():
            detail = bus.lastError().message()
            self.problem = f"no D-Bus session bus{f' ({detail})' if detail else ''}"
            return
        errors = []
        for path in SCREENSAVER_PATHS:
            interface = qtdbus.QDBusInterface(SCREENSAVER_SERVICE, path, SCREENSAVER_INTERFACE, bus)
            if not interface.isValid():
                errors.append(interface.lastError().message() or f"{path} not found")
                continue
            reply = interface.call("Inhibit", APP_NAME, REASON)
            if reply.type() == qtdbus.QDBusMessage.MessageType.ErrorMessage:
                errors.append(reply.errorMessage() or reply.errorName())
                continue
            arguments = reply.arguments()
            if not arguments or not isinstance(arguments[0], int):
                errors.append(f"Inhibit returned {arguments!r}")
                continue
            self._interface, self._cookie = interface, arguments[0]
            self.active = True
            return
        self.problem = f"the screensaver could not be inhibited ({'; '.join(dict.fromkeys(errors))})"

    def _stop_dbus(self) -> None:
        interface, cookie = self._interface, self._cookie
        self._interface = self._cookie = None
        reply = interface.call("UnInhibit", cookie)
        if reply.type() == _qtdbus().QDBusMessage.MessageType.ErrorMessage:
            self.problem = f"the screensaver could not be released ({reply.errorMessage()})"

    # --- Windows ----------------------------------------------------------------------
    @staticmethod
    def _windows_state(flags: int) -> int:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]  # windll exists on Windows only
        kernel32.SetThreadExecutionState.restype = ctypes.c_uint
        kernel32.SetThreadExecutionState.argtypes = [ctypes.c_uint]
        return kernel32.SetThreadExecutionState(flags)

    def _start_windows(self) -> None:
        if self._windows_state(ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED):
            self.active = True
        else:
            self.problem = "Windows refused to keep the display on (SetThreadExecutionState failed)"

    # --- macOS ------------------------------------------------------------------------
    def _start_macos(self) -> None:
        try:
            self._process = subprocess.Popen(
                ["caffeinate", "-d", "-w", str(os.getpid())],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            self.problem = f"caffeinate could not be started ({exc})"
            return
        self.active = True

    def _stop_macos(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=2)


__all__ = ["KeepAwake"]
