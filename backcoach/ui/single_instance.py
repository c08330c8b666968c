"""One BackCoach per data folder: a second launch brings the running window to the front.

The first process listens on a local socket named after the user and the data folder
(QLocalServer); a later launch connects, says "show" and exits. If nobody answers (the first
one crashed and left its socket file), the newcomer clears the stale name and becomes the
one that listens. The data folder's lock stays the guard for writing: should two processes
ever run on one folder, the second is read-only and never writes.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

HAND_OVER = b"show\n"
CONNECT_MS = 500


def server_name(data_dir: Path) -> str:
    """A name per user and data folder, short enough for any platform's socket paths."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    digest = hashlib.sha256(f"{user}\0{Path(data_dir).resolve()}".encode()).hexdigest()[:20]
    return f"backcoach-{digest}"


class SingleInstance(QObject):
    """`hand_over()` in a new process; `listen()` in the one that stays."""

    activated = Signal()  # a second launch asked for the window

    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self.server: QLocalServer | None = None

    def hand_over(self) -> bool:
        """True when another BackCoach on this folder answered and was asked to show itself."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_MS):
            return False
        socket.write(HAND_OVER)
        socket.flush()
        socket.waitForBytesWritten(CONNECT_MS)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        """Become the instance later launches hand over to; False if the name cannot be used
        (then every launch simply opens its own window, read-only after the first)."""
        QLocalServer.removeServer(self.name)  # a stale name from a crashed run
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._connected)
        return self.server.listen(self.name)

    def _connected(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(HAND_OVER.strip()):
            self.activated.emit()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
