"""The first start: three ways to begin, each one click away, instead of an exercise the
new user did not ask for."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QPushButton, QScrollArea, QVBoxLayout, QWidget

from backcoach.ui.widgets import text_label

# (what the button does, its label, why a new user would pick it)
WAYS = (
    ("template", "Start from a template…",
     "Pick a ready-made back routine for your level and equipment, see its exercises, and copy it into "
     "your routines. You can change everything afterwards."),
    ("import", "Import your history…",
     "Bring your sessions from Strong, Hevy, FitNotes or StrongLifts (their CSV export) or a BackCoach "
     "backup: records, progress charts and next-time suggestions start from what you have already done."),
    ("library", "Browse the exercises",
     "The back exercises with the muscles they work, how to do them, and easier and harder variations. "
     "“Start now” runs a guided session of any of them."),
)


class WelcomePage(QScrollArea):
    """Shown on a first start (no history, no routines); the areas stay in the list on the left."""

    template_requested = Signal()
    import_requested = Signal(QPushButton)  # the button, to open the menu of formats under it
    library_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(4)
        layout.addWidget(text_label("Welcome to BackCoach", role="title", selectable=False))
        layout.addWidget(text_label(
            "BackCoach leads every rep of your back training: when to pull, how long to squeeze, how slowly "
            "to lower, and how long to rest. Choose how to begin:", selectable=False))
        self.buttons: dict[str, QPushButton] = {}
        for key, label, why in WAYS:  # a button, and below it why a new user would choose it
            button = QPushButton(label)
            button.setMinimumHeight(40)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(label) + 40)
            self.buttons[key] = button
            layout.addSpacing(10)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(text_label(why, role="muted", selectable=False))
        layout.addSpacing(8)
        layout.addWidget(text_label(
            "The areas on the left are always there: Ctrl+1 Library, Ctrl+2 Session, Ctrl+3 Routines, "
            "Ctrl+4 History, Ctrl+5 Settings.", role="muted", selectable=False))
        layout.addStretch(1)
        self.buttons["template"].clicked.connect(self.template_requested)
        self.buttons["import"].clicked.connect(lambda: self.import_requested.emit(self.buttons["import"]))
        self.buttons["library"].clicked.connect(self.library_requested)
