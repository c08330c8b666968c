"""History → Body weight: log the day's body weight and see it over time.

Pull-ups and chin-ups are measured with it (analytics.effective_load), so a weighted pull-up
counts body weight + the belt, an assisted one body weight − the help. The chart (pyqtgraph)
is built when the tab is first opened.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QDateEdit, QDoubleSpinBox, QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWidget

from backcoach.model import MAX_BODY_KG, MIN_BODY_KG, BodyWeight, InvalidRecord
from backcoach.store import Store
from backcoach.units import format_load, from_unit, to_unit
from backcoach.ui.widgets import text_label

if TYPE_CHECKING:  # pyqtgraph loads with the tab
    from backcoach.ui.charts import BodyWeightChart


class BodyWeightPanel(QWidget):
    body_weight_logged = Signal(str)  # the day

    def __init__(self, store: Store, unit: str, today: date | None = None, parent: QWidget | None = None,
                 chart: bool = True):
        """`chart=False`: the chart is made by a later `add_chart()` (History does so on a turn
        of its own while a session may run: the form and the plot each take most of a frame)."""
        super().__init__(parent)
        self.store = store
        self.unit = unit
        self.today = today or date.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(text_label("Body weight on", wrap=False, selectable=False))
        self.day = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd MMM yyyy")
        self.day.setMaximumDate(QDate(self.today.year, self.today.month, self.today.day))
        row.addWidget(self.day)
        self.weight = QDoubleSpinBox()
        self.weight.setDecimals(1)
        self.weight.setRange(to_unit(MIN_BODY_KG, unit), to_unit(MAX_BODY_KG, unit))
        self.weight.setSuffix(f" {unit}")
        self.weight.setValue(to_unit(75.0, unit))
        row.addWidget(self.weight)
        self.log_button = QPushButton("Log body weight")
        self.log_button.clicked.connect(self.log)
        self.log_button.setEnabled(not store.read_only)
        row.addWidget(self.log_button)
        row.addStretch(1)
        self.latest = text_label(role="muted", wrap=False, selectable=False)
        row.addWidget(self.latest)
        layout.addLayout(row)
        layout.addWidget(text_label(
            "Pull-ups and chin-ups are measured with it: a weighted pull-up counts body weight + the added load, "
            "an assisted one body weight − the help. StrongLifts imports bring theirs along.", role="muted"))
        # Until something is logged: a line saying what will be drawn, not an empty 0-1 plot.
        self.empty_note = text_label("Log your body weight now and then: the chart of it appears here.", role="muted")
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.empty_note, 1)
        self.chart: BodyWeightChart | None = None
        if chart:
            self.add_chart()
        else:
            self.refresh()

    def add_chart(self) -> None:
        """The chart below the form, with what has been logged."""
        from backcoach.ui.charts import BodyWeightChart  # pyqtgraph: only when the tab opens

        self.chart = BodyWeightChart()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.chart, 1)
        self.refresh()

    def entries(self) -> list[BodyWeight]:
        return self.store.body_weights()

    def refresh(self) -> None:
        entries = self.entries()
        if self.chart is not None:
            self.chart.set_entries(entries, self.unit)
            self.chart.setVisible(bool(entries))
        self.empty_note.setVisible(not entries)
        if entries:
            last = entries[-1]
            self.latest.setText(f"Latest: {format_load(last.kg, self.unit)} on {date.fromisoformat(last.day):%d %b %Y}"
                                f" · {len(entries)} entries")
            self.weight.setValue(to_unit(last.kg, self.unit))
        else:
            self.latest.setText("Nothing logged yet")

    def log(self) -> None:
        day = self.day.date().toString(Qt.DateFormat.ISODate)  # 2026-11-30
        try:
            self.store.log_body_weight(BodyWeight(day=day, kg=round(from_unit(self.weight.value(), self.unit), 2)))
        except (InvalidRecord, OSError) as exc:
            QMessageBox.warning(self, "Body weight not saved", str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the store says what went wrong (read-only, disk full)
            QMessageBox.warning(self, "Body weight not saved", str(exc))
            return
        self.refresh()
        self.body_weight_logged.emit(day)
