"""The store's change reports as a Qt signal, on the UI thread.

`Store.on_change` calls its listeners on whichever thread wrote (an import runs on a
worker). `StoreChanges.changed` is a signal of an object that lives on the UI thread, so
Qt queues a report from a worker to the UI thread and delivers one from the UI thread at
once. The main window connects it to every open area: the one change path.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from backcoach.store import Change, Store


class StoreChanges(QObject):
    changed = Signal(object)  # frozenset[Change]

    def __init__(self, store: Store, parent: QObject | None = None):
        super().__init__(parent)
        stop = self._stop = store.on_change(self._report)
        # A window closed before its store: the store must not call into a deleted object.
        self.destroyed.connect(lambda *_: stop())

    def _report(self, changed: frozenset[Change]) -> None:
        try:
            self.changed.emit(changed)
        except RuntimeError:  # the Qt object is gone (deleted between two reports)
            self._stop()

    def stop(self) -> None:
        """Hear no more from the store (the window is closing)."""
        self._stop()


__all__ = ["Change", "StoreChanges"]
