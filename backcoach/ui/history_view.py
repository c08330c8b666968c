"""The History area: sessions, progress and volume charts, records, consistency, muscles.

All figures come from backcoach.history.HistoryData; this module only lays them out. Charts
(pyqtgraph) are imported when their tab is first shown.

In the app the figures are worked out on a worker thread (`background=True`): opening History
during a session's rest must not hold up the next phase's pixels and cues. The worker only
computes plain Python data from a snapshot of the store taken on the UI thread (and imports
the chart module); every widget is made and filled here, on the UI thread, when its result
arrives by a queued signal. Until then the area says it is loading. Without `background`
(tests, scripts) everything is computed at once.
"""

from __future__ import annotations

import html
import importlib
import sys
import textwrap
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from backcoach.analytics import HEAT_LEGEND, neglected_muscles, training_days_in_year
from backcoach.history import HistoryData, filter_sessions
from backcoach.library import Library
from backcoach.model import SessionLog
from backcoach.pauses import short_gil_turns
from backcoach.store import Change, Store
from backcoach.ui.anatomy import AnatomyFigure
from backcoach.ui.calendar_heatmap import ConsistencyCalendar
from backcoach.ui.history_models import RecordsTableModel, SessionIdRole, SessionTableModel, SetTableModel
from backcoach.ui.theme import heat_colour
from backcoach.ui.widgets import MessageSlot, count_of, set_column_widths, show_focus, text_label
from backcoach.units import format_duration, format_tonnage
from backcoach.workout import set_counts

if TYPE_CHECKING:  # the charts (pyqtgraph) load only when a chart tab is first shown
    from backcoach.ui.charts import ProgressChart, VolumeChart

TABS = ("sessions", "progress", "volume", "records", "consistency", "muscles", "body_weight")
IMPORT_CHOICES = (("auto", "A file from any app (recognised from the file)…"),
                  ("strong", "Strong app export (CSV)…"), ("hevy", "Hevy app export (CSV)…"),
                  ("fitnotes", "FitNotes export (CSV)…"), ("stronglifts", "StrongLifts export (CSV)…"),
                  ("backcoach", "BackCoach spreadsheet export (CSV)…"), ("json", "BackCoach backup (JSON)…"))
EXPORT_CHOICES = (("csv", "Spreadsheet, one row per set (CSV)…"), ("json", "Full backup (JSON)…"))


_worker: ThreadPoolExecutor | None = None
NOTE_LINE_CHARS = 52  # the muscles tab's note, broken by hand (its label does not wrap: see _build_tab)
CHART_TABS = ("progress", "volume", "body_weight")  # tabs with a pyqtgraph chart
CURVES_A_TURN = 2  # volume curves made in one turn while a session may run (each ~1.5 ms)
SETTLE_TURNS = 3  # turns the sessions tab's tables take to settle their layout (measured at ten years)
TURN_MS = 1  # the gap between two steps of building a tab while a session may run (see _next_turn)


def _history_worker() -> ThreadPoolExecutor:
    """One thread for History's figures: jobs run in the order asked, never two at once, so
    two of them never compute the same cached figure side by side."""
    global _worker
    if _worker is None:
        _worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="backcoach-history")
    return _worker


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(30)
    view.horizontalHeader().setHighlightSections(False)
    view.setWordWrap(False)
    show_focus(view)
    return view


VOLUME_RANGES = (("Last 3 months", 13), ("Last 12 months", 53), ("Last 3 years", 157), ("Everything", None))


def _day(day: QDate) -> date:
    """The picked day as a `date` (the stubs type `QDate.toPython()` as a bare object)."""
    return date(day.year(), day.month(), day.day())


class HistoryView(QWidget):
    message_posted = Signal(str)
    area_requested = Signal(str)  # an area's key, from the empty state's buttons
    filled_in = Signal()  # every figure asked for so far is on screen (none still being worked out)
    _delivered = Signal(object)  # (generation, then, result, error) from the worker, queued to this thread

    def __init__(self, library: Library, store: Store, today: date | None = None, parent: QWidget | None = None,
                 background: bool = False):
        super().__init__(parent)
        self.library = library
        self.store = store
        self._today = today
        self.background = background
        self._generation = 0  # a refresh makes results still on their way stale
        self._pending = 0
        self._delivered.connect(self._deliver)
        self.data = HistoryData(store, library, today)
        self._undo_session: SessionLog | None = None
        self._built: set[str] = set()
        self._building: set[str] = set()  # chart tabs waiting for the chart module
        self._chart_notes: dict[str, QWidget] = {}  # "Drawing the chart…" until the chart has data
        self.progress_chart: ProgressChart  # made with its tab (the chart module loads late)
        self.volume_chart: VolumeChart

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        header = QHBoxLayout()
        header.addWidget(text_label("History", role="title", wrap=False, selectable=False))
        self.stats = text_label(role="muted", wrap=False, selectable=False)
        header.addWidget(self.stats, 1, Qt.AlignmentFlag.AlignBottom)
        self.import_button = self._menu_button("Import", IMPORT_CHOICES, self.import_from)
        self.export_button = self._menu_button("Export", EXPORT_CHOICES, self.export_to)
        self.undo_import_button = QPushButton("Undo last import")
        self.undo_import_button.clicked.connect(lambda: self.undo_last_import())
        header.addWidget(self.undo_import_button)
        self.export_button.setEnabled(False)  # until the history has been read
        header.addWidget(self.import_button)
        header.addWidget(self.export_button)
        layout.addLayout(header)

        from backcoach.ui.data_problems import DataProblemBanner

        self.problem_banner = DataProblemBanner(store)
        self.problem_banner.restored.connect(self._backup_restored)
        layout.addWidget(self.problem_banner)

        self.undo_bar = QWidget()
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(0, 0, 0, 0)
        self.undo_label = text_label(wrap=False, selectable=False)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_button.clicked.connect(self.undo_delete)
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        # (placed beside "Delete session", in the hint's place: nothing moves)

        self.pages = QStackedWidget()
        self.empty = self._build_empty_state()
        # Not wrapped while it says "Loading…": a wrapping label in the area's page stack made
        # the main window's first layout of History 20-27 ms of the UI thread (it is laid out
        # again for every width tried). Only a failure's longer words wrap.
        self.loading_label = text_label("Loading your history…", role="muted", wrap=False)
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for _key, title in zip(TABS, ("Sessions", "Progress", "Volume", "Records", "Consistency", "Muscles",
                                     "Body weight")):
            page = QWidget()
            QVBoxLayout(page).setContentsMargins(0, 10, 0, 0)
            self.tabs.addTab(page, title)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.tabs)
        self.pages.addWidget(self.loading_label)
        self.pages.setCurrentWidget(self.loading_label)
        layout.addWidget(self.pages, 1)
        # The table models now (cheap, and asked for at once); the tab's widgets with them.
        self.session_model = SessionTableModel(lambda i: self.data.name_of(i), self)
        self.set_model = SetTableModel(lambda i: self.data.name_of(i), self._save_session, self)
        self.set_model.read_only = self.store.read_only
        self.set_model.edit_refused.connect(self._edit_refused)
        if background:
            # Opening History while a session may run: the frame and its "loading" first, the
            # sessions tab (most of a frame) on the next turn, and the reading after it.
            def sessions_tab() -> None:
                self._build_sessions_tab()
                self.refresh()

            self._next_turn(sessions_tab)
        else:
            self._build_sessions_tab()
            self.refresh()
        if store.read_only:
            self.import_button.setEnabled(False)
            self.import_button.setToolTip("Read-only: another BackCoach has this data folder open")

    # --- working in the background ---------------------------------------------------------
    @property
    def loading(self) -> bool:
        """Whether some figure is still being worked out."""
        return self._pending > 0

    def _in_background(self, work: Callable[[], Any], then: Callable[[Any], None], *, stale_ok: bool = False) -> None:
        """`then(work())`, with `work` on the worker thread when in the background (it must not
        touch a widget) and `then` always here, on the UI thread. A result computed from data
        older than the last refresh is dropped unless `stale_ok`."""
        if not self.background:
            then(work())
            return
        self._pending += 1
        generation = None if stale_ok else self._generation
        delivered = self._delivered

        def run() -> None:
            outcome: tuple[int | None, Callable[[Any], None], Any, Exception | None]
            with short_gil_turns():  # the UI thread keeps its paints and slots on time meanwhile
                try:
                    outcome = (generation, then, work(), None)
                except Exception as exc:  # noqa: BLE001 - handed to the UI thread, which says so
                    outcome = (generation, then, None, exc)
            try:
                delivered.emit(outcome)
            except RuntimeError:  # the view was closed meanwhile: nobody to tell
                pass

        _history_worker().submit(run)

    def _deliver(self, outcome: tuple) -> None:
        generation, then, result, error = outcome
        self._pending -= 1
        if generation in (None, self._generation):
            if error is not None:
                self.loading_label.setWordWrap(True)
                self.loading_label.setText(f"The history could not be shown: {error}")
                self.pages.setCurrentWidget(self.loading_label)
            else:
                then(result)
        if not self._pending:
            self.filled_in.emit()

    # --- building -------------------------------------------------------------------------
    def _build_empty_state(self) -> QWidget:
        """No history yet: what will appear here, and buttons for the ways to fill it."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 40, 24, 24)
        layout.setSpacing(10)
        heading = text_label("No training logged yet", role="heading", selectable=False)
        heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(heading)
        self.empty_text = text_label(
            "Sessions you finish appear here, with your records, progress charts, weekly volume and a "
            "calendar of training days. Already training with another app? Import its history from Strong, "
            "Hevy, FitNotes or StrongLifts.",
            role="muted", selectable=False)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.empty_text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.empty_import_button = self._menu_button("Import history…", IMPORT_CHOICES, self.import_from)
        self.empty_import_button.setEnabled(not self.store.read_only)
        self.empty_session_button = QPushButton("Start a session")
        self.empty_session_button.clicked.connect(lambda: self.area_requested.emit("session"))
        self.empty_body_weight_button = QPushButton("Log body weight")
        self.empty_body_weight_button.clicked.connect(lambda: self.show_body_weight())
        for b in (self.empty_import_button, self.empty_session_button, self.empty_body_weight_button):
            b.setMinimumHeight(36)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return page

    def _menu_button(self, text: str, choices, handler) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setMinimumHeight(30)
        menu = QMenu(button)
        for kind, label in choices:
            action = QAction(label, menu)
            action.triggered.connect(lambda _=False, k=kind: handler(k))
            menu.addAction(action)
        button.setMenu(menu)
        return button

    def _page(self, key: str) -> QVBoxLayout:
        page = self.tabs.widget(TABS.index(key))
        layout = page.layout() if page is not None else None
        assert isinstance(layout, QVBoxLayout), key  # every tab is built here with a QVBoxLayout
        return layout

    def _build_sessions_tab(self) -> None:
        page = self._page("sessions")
        filters = QHBoxLayout()
        self.exercise_filter = QComboBox()
        self.exercise_filter.setMinimumWidth(240)
        self.from_date = QDateEdit()
        self.to_date = QDateEdit()
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
        clear = QPushButton("Show all")
        clear.clicked.connect(self.clear_filters)
        filters.addWidget(text_label("Exercise", wrap=False, selectable=False))
        filters.addWidget(self.exercise_filter)
        filters.addSpacing(12)
        filters.addWidget(text_label("From", wrap=False, selectable=False))
        filters.addWidget(self.from_date)
        filters.addWidget(text_label("to", wrap=False, selectable=False))
        filters.addWidget(self.to_date)
        filters.addWidget(clear)
        filters.addStretch(1)
        self.count_label = text_label(role="muted", wrap=False, selectable=False)
        filters.addWidget(self.count_label)
        page.addLayout(filters)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.session_table = _table(self.session_model)
        header = self.session_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        set_column_widths(self.session_table, (142, 112, 66, 172, 40, 84, 44))
        header.setStretchLastSection(True)
        self.session_table.selectionModel().currentRowChanged.connect(self._session_selected)
        splitter.addWidget(self.session_table)

        self.session_detail = detail = QWidget()
        d = QVBoxLayout(detail)
        d.setContentsMargins(10, 0, 0, 0)
        self.detail_title = text_label(role="heading")
        self.detail_summary = text_label(role="muted")
        self.set_table = _table(self.set_model)
        self.set_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                       | QAbstractItemView.EditTrigger.EditKeyPressed
                                       | QAbstractItemView.EditTrigger.AnyKeyPressed)
        set_column_widths(self.set_table, (150, 36, 48, 64, 46, 76, 62, 42))
        self.set_table.horizontalHeader().setStretchLastSection(True)
        self.edit_error = text_label(role="cue")
        buttons = QHBoxLayout()
        # No "…": it asks nothing; the deletion can be undone right after instead.
        self.delete_button = QPushButton("Delete session")
        self.delete_button.setToolTip("Deletes the selected session; Undo brings it back.")
        self.delete_button.clicked.connect(lambda: self.delete_selected(confirm=False))
        self.delete_button.setEnabled(not self.store.read_only)
        self.edit_hint = text_label("Read-only window: corrections are made where BackCoach is open."
                                    if self.store.locked_elsewhere else "Double-click a value to correct it.",
                                    role="muted", selectable=False)
        self.message_slot = MessageSlot(self.edit_hint, self.edit_error, self.undo_bar)
        buttons.addWidget(self.message_slot, 1)
        buttons.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignBottom)
        d.addWidget(self.detail_title)
        d.addWidget(self.detail_summary)
        d.addWidget(self.set_table, 1)
        d.addLayout(buttons)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([690, 500])
        page.addWidget(splitter, 1)
        self.exercise_filter.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.from_date.dateChanged.connect(lambda _d: self._apply_filters())
        self.to_date.dateChanged.connect(lambda _d: self._apply_filters())
        self._built.add("sessions")

    def _build_tab(self, key: str) -> None:
        if key in self._built or key in self._building:
            return
        page = self._page(key)
        if key in CHART_TABS and self.background and "backcoach.ui.charts" not in sys.modules:
            # pyqtgraph takes a third of a second to import: do that on the worker, then build.
            self._building.add(key)
            note = text_label("Drawing the chart…", role="muted")
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page.addWidget(note, 1)

            def imported(_module) -> None:
                self._building.discard(key)
                self._build_tab(key)
                # The note stays, below the controls, until the chart has its data: the
                # chart's first paint is then the one with the data, not an empty one.
                page.removeWidget(note)
                page.addWidget(note, 1)
                self._chart_notes[key] = note

            self._in_background(lambda: importlib.import_module("backcoach.ui.charts"), imported, stale_ok=True)
            return
        if key == "progress" and self.background:
            self._build_progress_in_turns(page)
            return
        if key == "volume" and self.background:
            self._build_volume_in_turns(page)
            return
        self._built.add(key)
        if key == "progress":
            from backcoach.ui.charts import ProgressChart

            page.addLayout(self._progress_controls())
            self.progress_load_note = text_label(role="muted")
            page.addWidget(self.progress_load_note)
            self.progress_chart = ProgressChart()
            self.progress_chart.setVisible(not self.background)  # shown with its first data
            page.addWidget(self.progress_chart, 1)
            self.progress_exercise.currentIndexChanged.connect(lambda _i: self._show_progress())
        elif key == "volume":
            page.addLayout(self._volume_controls())
            self.volume_chart = self._make_volume_chart(legend=True)
            page.addWidget(self.volume_chart, 1)
        elif key == "records":
            page.addWidget(text_label("Records from work sets (warm-ups ignored). The estimated 1RM uses the Epley "
                                      "formula: load × (1 + reps / 30).", role="muted"))
            self.records_load_note = text_label(role="muted")
            page.addWidget(self.records_load_note)
            self.records_model = RecordsTableModel(lambda i: self.data.name_of(i), self)
            self.records_table = _table(self.records_model)
            self.records_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            page.addWidget(self.records_table, 1)
        elif key == "consistency":
            self.streak_label = text_label(role="heading")
            page.addWidget(self.streak_label)
            page.addWidget(text_label("Each square is a day of the last twelve months, shaded by the hard sets "
                                      "you did. A week counts toward a streak when it has at least one session.",
                                      role="muted"))
            self.calendar = ConsistencyCalendar()
            page.addWidget(self.calendar)
            page.addStretch(1)
        elif key == "muscles":
            row = QHBoxLayout()
            row.addWidget(text_label("Average hard sets per week over the last", wrap=False, selectable=False))
            self.muscle_weeks = QComboBox()
            for weeks in (4, 12, 26):
                self.muscle_weeks.addItem(f"{weeks} weeks", weeks)
            self.muscle_weeks.currentIndexChanged.connect(lambda _i: self._show_muscles())
            row.addWidget(self.muscle_weeks)
            row.addStretch(1)
            page.addLayout(row)
            body = QHBoxLayout()
            self.muscle_figure = AnatomyFigure(self.library.muscles, legend=False)
            self.muscle_figure.render_off_thread = self.background  # its ~20 ms SVG render, off this thread
            self.muscle_figure.muscle_clicked.connect(self._muscle_clicked)
            body.addWidget(self.muscle_figure, 3)
            # Not wrapped by Qt: a wrapping rich-text label is laid out again for every width the
            # layout tries (~100 ms of the UI thread for this table); its lines are short, and
            # the one long paragraph is broken into lines here.
            self.muscle_text = text_label(wrap=False)
            self.muscle_text.setTextFormat(Qt.TextFormat.RichText)
            self.muscle_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            # Every trained muscle is listed: on a short screen the list scrolls, not clips.
            self.muscle_scroll = QScrollArea()
            self.muscle_scroll.setWidget(self.muscle_text)
            self.muscle_scroll.setWidgetResizable(True)
            self.muscle_scroll.setFrameShape(QFrame.Shape.NoFrame)
            self.muscle_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            body.addWidget(self.muscle_scroll, 2)
            page.addLayout(body, 1)
        elif key == "body_weight":
            from backcoach.ui.body_weight_view import BodyWeightPanel

            def make_panel(chart: bool = True) -> None:
                self.body_weight = BodyWeightPanel(self.store, self.data.unit, self._today, chart=chart)  # filled as made
                self.body_weight.body_weight_logged.connect(lambda _day: self.refresh())
                page.addWidget(self.body_weight, 1)

            if self.background:
                # The form and its chart are most of a frame each: made on later turns of the
                # event loop, apart from switching the tab (a session may be running).
                self._built.discard(key)
                self._building.add(key)

                def chart() -> None:
                    self.body_weight.add_chart()
                    self._drop_note(key)
                    self._building.discard(key)
                    self._built.add(key)

                def form() -> None:
                    make_panel(chart=False)
                    self._next_turn(chart)

                self._next_turn(form)
                return
            make_panel()
        self._fill_tab(key)

    def _build_progress_in_turns(self, page: QVBoxLayout) -> None:
        """The progress tab while a session may be running: its controls, the plot, then the
        series and data, each on its own turn of the event loop, so no turn takes a frame."""
        from backcoach.ui.charts import ProgressChart

        self._building.add("progress")
        page.insertLayout(0, self._progress_controls())
        self.progress_load_note = text_label(role="muted")
        page.insertWidget(1, self.progress_load_note)

        def plot() -> None:
            self.progress_chart = ProgressChart(series=False)
            self.progress_chart.setVisible(False)  # shown with its first data
            page.insertWidget(2, self.progress_chart, 1)
            self._next_turn(series)

        def series() -> None:
            self.progress_chart.add_series()
            self._next_turn(warm)

        def warm() -> None:
            self.progress_chart.warm_up()
            self._building.discard("progress")
            self._built.add("progress")
            self.progress_exercise.currentIndexChanged.connect(lambda _i: self._show_progress())
            self._fill_tab("progress")

        self._next_turn(plot)

    def _volume_controls(self) -> QHBoxLayout:
        """The volume tab's top row: hard sets or tonnage, and the weeks shown."""
        row = QHBoxLayout()
        self.measure_sets = QRadioButton("Hard sets per week")
        self.measure_tonnage = QRadioButton("Tonnage per week")
        self.measure_sets.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.measure_sets)
        group.addButton(self.measure_tonnage)
        self.measure_sets.toggled.connect(lambda _c: self._show_volume())
        row.addWidget(self.measure_sets)
        row.addWidget(self.measure_tonnage)
        row.addSpacing(12)
        self.volume_range = QComboBox()
        for label, weeks in VOLUME_RANGES:
            self.volume_range.addItem(label, weeks)
        self.volume_range.setCurrentIndex(1)
        self.volume_range.currentIndexChanged.connect(
            lambda _i: self.volume_chart.show_range(self.volume_range.currentData()))
        row.addWidget(self.volume_range)
        row.addSpacing(12)
        row.addWidget(text_label("A hard set is any set that is not a warm-up.", role="muted", selectable=False), 1)
        return row

    def _make_volume_chart(self, legend: bool) -> VolumeChart:
        from backcoach.ui.charts import VolumeChart, pattern_names

        chart = VolumeChart(pattern_names(self.library.patterns), legend=legend)
        chart.setVisible(not self.background)  # in the background, shown with its first data
        return chart

    def _build_volume_in_turns(self, page: QVBoxLayout) -> None:
        """The volume tab while a session may be running: its controls, the plot, its legend,
        each on its own turn (the curves come with the data, a few a turn: see _show_volume)."""
        self._building.add("volume")
        page.insertLayout(0, self._volume_controls())

        def plot() -> None:
            self.volume_chart = self._make_volume_chart(legend=False)
            page.insertWidget(1, self.volume_chart, 1)
            self._next_turn(legend)

        def legend() -> None:
            self.volume_chart.add_legend()
            self._building.discard("volume")
            self._built.add("volume")
            self._fill_tab("volume")

        self._next_turn(plot)

    def _progress_controls(self) -> QHBoxLayout:
        """The progress tab's top row: the exercise choice and how to read the chart."""
        row = QHBoxLayout()
        row.addWidget(text_label("Exercise", wrap=False, selectable=False))
        self.progress_exercise = QComboBox()
        self.progress_exercise.setMinimumWidth(280)
        row.addWidget(self.progress_exercise)
        row.addSpacing(12)
        row.addWidget(text_label("Hover the chart for exact values. ★ marks a new best estimated 1RM.",
                                 role="muted", wrap=True, selectable=False), 1)
        return row

    # --- filling ------------------------------------------------------------------------
    def _backup_restored(self, file: str) -> None:
        self.refresh()
        self.message_posted.emit(f"Restored {file} from its newest good backup.")

    def store_changed(self, changed: frozenset[Change]) -> None:
        """The change path (MainWindow._store_changed): sessions, body weights or custom
        exercises saved elsewhere (a session ending, the exercise editor) refresh History.
        While it is on screen the change is its own (an edit, an import, a body weight),
        after which it has refreshed already."""
        if changed & {Change.SESSIONS, Change.BODY_WEIGHT, Change.CUSTOM_EXERCISES} and not self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Reload everything from the store (after an import, edit, delete or restore)."""
        if "sessions" not in self._built:
            return  # the sessions tab is still to be made, and reads the store when it is
        if self.background and "backcoach.transfer" not in sys.modules:
            # Naming imported exercises needs backcoach.transfer, a long import: done on the
            # worker the first time, so opening History during a session never waits for it.
            self._in_background(lambda: importlib.import_module("backcoach.transfer"), lambda _m: self.refresh(),
                                stale_ok=True)
            return
        self.problem_banner.refresh()
        self._generation += 1
        data = HistoryData(self.store, self.library, self._today)
        # The store is read here, on the UI thread (a few ms: it is in memory), so the worker
        # only ever computes from this snapshot and never races a set or session being saved.
        data.sessions, data.name_of, data.unit  # noqa: B018

        def first_figures() -> HistoryData:
            # What the first screen shows: the list with its PR flags, the header, the filter.
            data.prs, data.streaks, data.exercises_by_use  # noqa: B018
            return data

        self._in_background(first_figures, self._show_data)

    def _show_data(self, data: HistoryData) -> None:
        # Then the list is painted on one turn and the chosen session's sets on the next.
        def paint_in_two() -> None:
            self.session_detail.setUpdatesEnabled(False)
            self.setUpdatesEnabled(True)
            self._next_turn(lambda: self.session_detail.setUpdatesEnabled(True))

        self._hold_paints(paint_in_two)
        self.data = data
        has = bool(self.data.sessions)
        self.pages.setCurrentWidget(self.tabs if has or self.data.body_weights else self.empty)
        self.export_button.setEnabled(has)
        self._fill_undo_import()
        self._fill_header()
        self._fill_exercise_filter()
        self._reset_date_range()
        self._apply_filters()
        for key in self._built - {"sessions"}:
            self._fill_tab(key)

    def _fill_header(self) -> None:
        sessions = self.data.sessions
        if not sessions:
            self.stats.setText("")
            return
        streaks = self.data.streaks
        self.stats.setText(
            f"{count_of(len(sessions), 'session')} since {sessions[-1].start:%b %Y} · "
            f"weekly streak {streaks.current_weeks} (longest {streaks.longest_weeks})"
        )

    def _fill_exercise_filter(self) -> None:
        combo = self.exercise_filter
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("All exercises", None)
        for ex_id, count in sorted(self.data.exercises_by_use, key=lambda kv: self.data.name_of(kv[0]).casefold()):
            combo.addItem(f"{self.data.name_of(ex_id)} ({count})", ex_id)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _reset_date_range(self) -> None:
        sessions = self.data.sessions
        first = sessions[-1].start.date() if sessions else date.today()
        last = sessions[0].start.date() if sessions else date.today()
        for edit in (self.from_date, self.to_date):
            edit.blockSignals(True)
            edit.setDateRange(QDate(first.year, first.month, first.day), QDate(last.year, last.month, last.day))
        self.from_date.setDate(QDate(first.year, first.month, first.day))
        self.to_date.setDate(QDate(last.year, last.month, last.day))
        for edit in (self.from_date, self.to_date):
            edit.blockSignals(False)

    def clear_filters(self) -> None:
        self.exercise_filter.blockSignals(True)
        self.exercise_filter.setCurrentIndex(0)
        self.exercise_filter.blockSignals(False)
        self._reset_date_range()
        self._apply_filters()

    def set_filters(self, exercise_id: str | None = None, start: date | None = None, end: date | None = None) -> None:
        for widget in (self.exercise_filter, self.from_date, self.to_date):
            widget.blockSignals(True)
        self.exercise_filter.setCurrentIndex(max(self.exercise_filter.findData(exercise_id), 0))
        if start:
            self.from_date.setDate(QDate(start.year, start.month, start.day))
        if end:
            self.to_date.setDate(QDate(end.year, end.month, end.day))
        for widget in (self.exercise_filter, self.from_date, self.to_date):
            widget.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self) -> None:
        start, end = _day(self.from_date.date()), _day(self.to_date.date())
        selected = self.selected_session_id()
        shown = filter_sessions(self.data.sessions, self.exercise_filter.currentData(), start, end)
        self.session_model.set_sessions(shown, self.data.prs, self.data.unit)
        total = len(self.data.sessions)
        self.count_label.setText(f"{len(shown):,} of {count_of(total, 'session')}" if len(shown) != total
                                 else count_of(total, "session"))
        row = self.session_model.row_of(selected) if selected else -1
        self.select_row(row if row >= 0 else 0)

    def select_row(self, row: int) -> None:
        if self.session_model.rowCount() == 0:
            self._show_session(None)
            return
        index = self.session_model.index(row, 0)
        self.session_table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.session_table.scrollTo(index)

    def selected_session_id(self) -> str | None:
        index = self.session_table.currentIndex()
        return index.data(SessionIdRole) if index.isValid() else None

    def _session_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_session(self.session_model.session_at(current.row()) if current.isValid() else None)

    def _show_session(self, session: SessionLog | None) -> None:
        if self.edit_error.isVisible():
            self.message_slot.show_message(None)
        self.set_model.set_session(session, self.data.unit)
        for column, used in self.set_model.columns_in_use().items():
            self.set_table.setColumnHidden(column, not used)
        self.delete_button.setEnabled(session is not None and not self.store.read_only)
        if session is None:
            self.detail_title.setText("")
            self.detail_summary.setText("")
            return
        self.detail_title.setText(f"{session.start:%A %d %B %Y, %H:%M}" + (f" · {session.routine}" if session.routine else ""))
        work = set_counts(session).work  # a left/right pair is one set, as in the session summary
        bits = [format_duration(session.duration_seconds), f"{work} work set{'s' if work != 1 else ''}"]
        if session.volume_kg:
            bits.append(format_tonnage(session.volume_kg, self.data.unit))
        if session.source != "backcoach":
            from backcoach.importing import APP_NAMES

            bits.append(f"from {APP_NAMES.get(session.source, session.source.capitalize())}")
        if session.note:
            bits.append(f"“{session.note}”")
        self.detail_summary.setText(" · ".join(bits))

    def _tab_changed(self, index: int) -> None:
        self._build_tab(TABS[index])

    def _fill_tab(self, key: str) -> None:
        if key == "progress":
            combo = self.progress_exercise
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for ex_id, count in self.data.exercises_by_use:
                combo.addItem(f"{self.data.name_of(ex_id)} ({count_of(count, 'session')})", ex_id)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)
            self._show_progress()
        elif key == "volume":
            self._show_volume()
        elif key == "records":
            data = self.data
            self.records_load_note.setText(data.effective_load_note)
            def show_records(records: Any) -> None:
                self._hold_paints()
                self.records_model.set_records(records, data.unit)

            self._in_background(lambda: data.records, show_records)
        elif key == "consistency":
            data = self.data
            def show_consistency(figures: Any) -> None:
                self._hold_paints()
                self._show_consistency(data, *figures)

            self._in_background(lambda: (data.streaks, data.calendar), show_consistency)
        elif key == "muscles":
            self._show_muscles()
        elif key == "body_weight":
            self.body_weight.refresh()

    def _show_consistency(self, data: HistoryData, s, days: dict[date, float]) -> None:
        trained = training_days_in_year(days, data.today)
        self.streak_label.setText(
            f"Current weekly streak: {s.current_weeks} weeks · longest: {s.longest_weeks} weeks · "
            f"{trained} training days in the last 12 months ({trained / 52:.1f} a week)")
        self.calendar.set_days(days, data.today)

    def _show_progress(self) -> None:
        ex_id = self.progress_exercise.currentData()
        from backcoach.analytics import lifts_body_weight

        lifting = bool(ex_id) and lifts_body_weight(self.library.exercises.get(ex_id))
        self.progress_load_note.setVisible(lifting)
        self.progress_load_note.setText(self.data.effective_load_note if lifting else "")
        data = self.data

        def draw_progress(points: Any) -> None:
            chart = self.progress_chart
            chart.set_points(points, data.unit)
            if not self.background or chart.isVisible():
                self._reveal("progress")
                return
            # The first paint with data, while a session may run: on a turn after the data
            # were handed over (not in the same pass), the line first, then the dots, then
            # the stars, each on its own turn, so no turn's paint takes a frame.
            chart.show_marks(dots=False, stars=False)

            def line() -> None:
                self._reveal("progress")
                self._next_turn(dots)

            def dots() -> None:
                chart.show_marks(dots=True, stars=False)
                self._next_turn(lambda: chart.show_marks(dots=True, stars=True))

            self._next_turn(line)

        self._in_background(lambda: data.progress(ex_id) if ex_id else [], draw_progress)

    def _show_volume(self) -> None:
        measure = "sets" if self.measure_sets.isChecked() else "tonnage"
        data = self.data

        def draw_volume(weeks: Any) -> None:
            chart = self.volume_chart
            if self.background and not chart.isVisible():
                if chart.add_curves(weeks, most=CURVES_A_TURN):
                    # The first data, while a session may run: a few new curves a turn, then
                    # the data, then (on a turn of its own) the first paint.
                    self._next_turn(lambda: draw_volume(weeks))
                    return
                chart.set_weeks(weeks, data.unit, measure)
                self._next_turn(lambda: self._reveal("volume"))
                return
            chart.set_weeks(weeks, data.unit, measure)
            self._reveal("volume")

        self._in_background(lambda: data.weekly_volume, draw_volume)

    def _reveal(self, key: str) -> None:
        """Show a chart tab's chart once it has data, in place of its "Drawing the chart…"."""
        chart = self.progress_chart if key == "progress" else self.volume_chart
        chart.show()
        self._drop_note(key)

    def _drop_note(self, key: str) -> None:
        """Take a chart tab's "Drawing the chart…" away (its chart is there now)."""
        note = self._chart_notes.pop(key, None)
        if note is not None:
            self._page(key).removeWidget(note)
            note.deleteLater()

    def _show_muscles(self) -> None:
        weeks = self.muscle_weeks.currentData()
        data = self.data
        self._in_background(lambda: data.muscle_sets(weeks), self._show_muscle_sets)

    def _show_muscle_sets(self, sets: dict[str, float]) -> None:
        self.muscle_figure.set_shades({m: heat_colour(v) for m, v in sets.items()})
        names = self.library.muscles
        trained = sorted(((v, m) for m, v in sets.items() if v > 0), reverse=True)
        # Muscles no exercise trains (the breathing sheets) are not "neglected".
        neglected = [names[m].name for m in neglected_muscles(sets, self.library)]
        rows = "".join(f"<tr><td>{names[m].name}</td><td align='right'>&nbsp;&nbsp;<b>{v:.1f}</b></td></tr>"
                       for v, m in trained)
        legend = "".join(f"<span style='background:{heat_colour(v)}'>&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;{label}&nbsp;&nbsp; "
                         for v, label in HEAT_LEGEND)
        text = (f"<p>{legend}</p><p>Sets per week<br>(a secondary muscle counts half a set):</p>"
                f"<table>{rows}</table>")
        if neglected:
            lines = textwrap.wrap(f"Not trained in this period: {', '.join(neglected)}.", NOTE_LINE_CHARS)
            body = "<br>".join(html.escape(line) for line in lines)
            text += "<p>" + body.replace("Not trained in this period:", "<b>Not trained in this period:</b>", 1) + "</p>"
        # Shading the figure and laying out this list take a frame's time each: in the
        # background, one per turn of the event loop, so the session's paints get in between.
        self._next_turn(lambda: self._set_muscle_text(text))

    def _set_muscle_text(self, text: str) -> None:
        self.muscle_text.setText(text)
        # As wide as its longest line (it scrolls only up and down), the figure takes the rest.
        bar = self.muscle_scroll.verticalScrollBar().sizeHint().width()
        self.muscle_scroll.setMinimumWidth(self.muscle_text.sizeHint().width() + bar)

    def _hold_paints(self, release: Callable[[], None] | None = None) -> None:
        """In the background, before filling tables: no paint until they have settled. They
        settle their layout over a few turns (delayed item layouts, scroll bars appearing,
        column widths), and each step repainted the whole area: three or four paints of
        4-10 ms in a row. Held, the area is painted once, `SETTLE_TURNS` later (`release`
        lets the paints go, by default all at once)."""
        if not self.background or not self.updatesEnabled():
            return
        self.setUpdatesEnabled(False)
        self._after_turns(SETTLE_TURNS, release or (lambda: self.setUpdatesEnabled(True)))

    def _after_turns(self, turns: int, step: Callable[[], None]) -> None:
        """`step()` after `turns` turns of the event loop (see _next_turn)."""
        if turns <= 1:
            self._next_turn(step)
        else:
            self._next_turn(lambda: self._after_turns(turns - 1, step))

    def _next_turn(self, step: Callable[[], None]) -> None:
        """`step()` on a later turn of the event loop (at once unless in the background);
        counted as loading until it has run."""
        if not self.background:
            step()
            return
        self._pending += 1

        def run() -> None:
            self._pending -= 1
            step()
            if not self._pending:
                self.filled_in.emit()

        # A real timer, not a zero one: zero-delay steps queued from a step run back to back
        # in one pass of the event loop, before the session's due timers and paints.
        QTimer.singleShot(TURN_MS, self, run)

    def _muscle_clicked(self, muscle_id: str) -> None:
        self.message_posted.emit(f"{self.library.muscles[muscle_id].name}: "
                                 f"{self.data.muscle_sets(self.muscle_weeks.currentData()).get(muscle_id, 0):.1f} hard sets a week")

    # --- actions ------------------------------------------------------------------------
    def _save_session(self, session: SessionLog) -> None:
        self.store.replace_session(session)
        self.data = HistoryData(self.store, self.library, self._today)
        self.message_posted.emit("Set corrected and saved.")
        # Volume, PR stars, records and charts follow the correction; after the cell editor
        # has closed, since the set table is rebuilt.
        QTimer.singleShot(0, self, self._after_correction)  # (not run if the view is gone)

    def _after_correction(self) -> None:
        selected = self.selected_session_id()
        self._fill_header()
        self._apply_filters()
        row = self.session_model.row_of(selected) if selected else -1
        if row >= 0:
            self.select_row(row)
        for key in self._built - {"sessions"}:
            self._fill_tab(key)

    def _edit_refused(self, reason: str) -> None:
        self.edit_error.setText(f"Not saved: {reason}")
        self.message_slot.show_message(self.edit_error)

    def delete_selected(self, confirm: bool = True) -> None:
        session_id = self.selected_session_id()
        if session_id is None:
            return
        session = self.store.session(session_id)
        if confirm:
            answer = QMessageBox.question(
                self, "Delete session",
                f"Delete the session of {session.start:%A %d %B %Y} with {len(session.sets)} sets? "
                "You can undo this right after.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            self._undo_session = self.store.delete_session(session_id)
        except Exception as exc:  # noqa: BLE001 - report, keep running
            QMessageBox.critical(self, "BackCoach", str(exc))
            return
        self.undo_label.setText(f"Deleted the session of {session.start:%d %b %Y}.")
        self.message_slot.show_message(self.undo_bar)
        self.refresh()

    def undo_delete(self) -> None:
        if self._undo_session is None:
            return
        self.store.add_session(self._undo_session)
        restored = self._undo_session.id
        self._undo_session = None
        self.message_slot.show_message(None)
        self.refresh()
        row = self.session_model.row_of(restored)
        if row >= 0:
            self.select_row(row)
        self.message_posted.emit("Session restored.")

    def import_from(self, kind: str, path: str | None = None) -> None:
        """Read the file (off the UI thread), show the preview; importing waits for its Import button."""
        from backcoach.transfer import TransferError, preview_file

        if path is None:
            filters = ("BackCoach backups (*.json);;All files (*)" if kind == "json"
                       else "Workout exports (*.csv *.json);;All files (*)" if kind == "auto"
                       else "CSV files (*.csv);;All files (*)")
            path, _ = QFileDialog.getOpenFileName(self, "Import history", str(Path.home()), filters)
            if not path:
                return
        from backcoach.ui.data_problems import run_in_background

        customs = self.store.custom_exercises()
        try:
            preview = run_in_background(self, "Reading…", lambda progress: preview_file(
                self.store, self.library, Path(path), None if kind == "auto" else kind, progress=progress))
        except TransferError as exc:
            QMessageBox.warning(self, "Import failed: nothing was changed", str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - an unreadable file: say so, change nothing
            QMessageBox.critical(self, "Import failed", str(exc))
            return
        from backcoach.ui.import_preview import ImportPreviewDialog

        dialog = ImportPreviewDialog(preview, self.library, customs, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._import_previewed(preview.kind, path, dialog.mapping()))
        self.import_preview = dialog
        dialog.open()

    def _import_previewed(self, kind: str, path: str, mapping: dict[str, str]) -> None:
        from backcoach.transfer import TransferError, import_file
        from backcoach.ui.data_problems import run_in_background

        try:  # parsing a big file and saving it take seconds: off the UI thread
            report = run_in_background(self, "Importing…", lambda progress: import_file(
                self.store, self.library, kind, Path(path), progress, mapping=mapping))
        except TransferError as exc:
            QMessageBox.warning(self, "Import failed: nothing was changed", str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - e.g. a full disk: the store says what happened
            QMessageBox.critical(self, "Import failed", str(exc))
            return
        self.refresh()
        QMessageBox.information(self, "Import finished", report.text())

    def show_body_weight(self) -> None:
        """The Body weight tab, even before any session is logged."""
        self.pages.setCurrentWidget(self.tabs)
        self.tabs.setCurrentIndex(TABS.index("body_weight"))

    def _fill_undo_import(self) -> None:
        last = self.store.last_import()
        self.undo_import_button.setVisible(last is not None)
        self.undo_import_button.setEnabled(last is not None and not self.store.read_only)
        if last is not None:
            from backcoach.importing import APP_NAMES

            app = last.get("app")
            self.undo_import_button.setToolTip(
                f"Remove what the {APP_NAMES.get(app, app) if isinstance(app, str) else app} import of {last.get('file')} "
                f"added: {len(last.get('sessions') or [])} sessions")

    def undo_last_import(self, confirm: bool = True) -> None:
        """History → Undo last import: removes exactly what it added, in one commit."""
        from backcoach.transfer import TransferError, undo_last_import

        last = self.store.last_import()
        if last is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self, "Undo the last import?",
                f"Remove the {len(last.get('sessions') or [])} sessions imported from {last.get('file')}, and what "
                "else that import added? Sessions you logged yourself are not touched.")
            if answer != QMessageBox.StandardButton.Yes:
                return
        from backcoach.ui.data_problems import run_in_background

        try:
            text = run_in_background(self, "Undoing the import…", lambda _progress: undo_last_import(self.store))
        except TransferError as exc:
            QMessageBox.warning(self, "Nothing was undone", str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - e.g. a full disk: nothing was removed
            QMessageBox.critical(self, "Nothing was undone", str(exc))
            return
        self.refresh()
        self.message_posted.emit(text)

    def export_to(self, kind: str, path: str | None = None) -> None:
        from backcoach.transfer import TransferError, export_file

        if path is None:
            suffix = "csv" if kind == "csv" else "json"
            default = str(Path.home() / f"backcoach-history-{date.today():%Y-%m-%d}.{suffix}")
            path, _ = QFileDialog.getSaveFileName(self, "Export history", default, f"{suffix.upper()} files (*.{suffix})")
            if not path:
                return
        try:
            n = export_file(self.store, self.library, kind, Path(path))
        except TransferError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        self.message_posted.emit(f"Exported {count_of(n, 'session')} to {path}")
        QMessageBox.information(self, "Export finished",
                                f"Wrote {count_of(n, 'session')} to {path}.")

    def prepare_screenshot(self, tab: str | None = None, exercise_id: str | None = None) -> None:
        """Open a tab (and an exercise's chart) for `backcoach screenshot history`."""
        if tab:
            self.tabs.setCurrentIndex(TABS.index(tab))
        if tab == "progress" and exercise_id:
            index = self.progress_exercise.findData(exercise_id)
            if index >= 0:
                self.progress_exercise.setCurrentIndex(index)
