"""A dialog to choose exercises from the library by typing, for adding to a routine."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QLineEdit, QListView, QVBoxLayout, QWidget

from backcoach.library import Library
from backcoach.ui.library_view import _ArrowsToList
from backcoach.ui.models import ExerciseDelegate, ExerciseIdRole, ExerciseListModel
from backcoach.ui.widgets import text_label


class ExercisePicker(QDialog):
    """Type to search (names and aliases, forgiving of spacing and case); Enter adds the
    highlighted exercise; Ctrl+click picks several."""

    def __init__(self, library: Library, parent: QWidget | None = None, pattern: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add exercises")
        self.resize(520, 620)
        self._library = library
        self._pattern = pattern
        layout = QVBoxLayout(self)
        layout.addWidget(text_label("Type a name, then Enter. Ctrl+click to pick several.", role="muted"))
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search exercises")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.model = ExerciseListModel(library, self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setItemDelegate(ExerciseDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.doubleClicked.connect(lambda _i: self.accept())
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self.refresh)
        self.search.installEventFilter(_ArrowsToList(self.list))
        self.search.returnPressed.connect(self.accept)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_exercises(self._library.filter(query=self.search.text(), pattern=self._pattern))
        if self.model.rowCount():
            self.list.selectionModel().setCurrentIndex(self.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def chosen(self) -> list[str]:
        rows = sorted(i.row() for i in self.list.selectionModel().selectedRows())
        return [self.model.index(r, 0).data(ExerciseIdRole) for r in rows]
