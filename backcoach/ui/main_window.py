"""The main window: navigation on the left, one area at a time on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QWidget

from backcoach import __version__
from backcoach.library import Library
from backcoach.ui.library_view import LibraryView


class MainWindow(QMainWindow):
    """Holds the app's areas; each area is a page of the stack with an entry in the nav list."""

    def __init__(self, library: Library, data_dir: Path | None = None):
        super().__init__()
        self.library = library
        self.data_dir = data_dir
        self.setWindowTitle("BackCoach")
        self.resize(1366, 768)
        self.setMinimumSize(QSize(1000, 600))

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setFixedWidth(168)
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.setSpacing(3)
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setWeight(QFont.Weight.DemiBold)
        self.nav.setFont(font)
        self.nav.setAutoFillBackground(True)
        self.nav.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.nav.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.stack = QStackedWidget()
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.library_view = LibraryView(library)
        self.add_area("library", "Library", self.library_view)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self.statusBar().showMessage(f"BackCoach {__version__} · {len(library)} exercises")

    def add_area(self, key: str, title: str, widget: QWidget) -> None:
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setSizeHint(QSize(150, 44))
        self.nav.addItem(item)
        self.stack.addWidget(widget)

    def show_area(self, key: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
                return
        raise KeyError(key)

    def current_area(self) -> str:
        return self.nav.currentItem().data(Qt.ItemDataRole.UserRole)
