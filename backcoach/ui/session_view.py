"""Gym mode: the guided session, readable from a few metres away and driven by the keyboard.

Keys: Space pause/resume · Enter finish the set, log it, or start the next one · → next part
(in the rest: skip it) · ← restart the part, again within a second: the previous one ·
Shift+→/← next/previous rep · in the log form + / − (by the character typed, so any layout) or
↑/↓ reps, Shift+↑/↓ load · in the rest + / − or ↑/↓: ±30 s · F ended early
("failed here") · O the workout overview · Esc leave (resumable).
Hands-free (ui/hands_free.py): a clicker's Page Down / Page Up / B / full stop, the media keys
and a foot pedal's key do done-or-next, back (30 s more in a rest) and pause.
Every button has its key in its label, and the buttons are large for touch screens too.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFont, QFontMetrics, QKeyEvent, QKeySequence, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QFrame,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backcoach.library import Library, exercise_name
from backcoach.movement import DEFAULT_MOVEMENT
from backcoach.plates import LoadKind, LoadRounding, load_kind
from backcoach.session import SessionFlow, SessionStateError, SessionSummary, Stage, step_movement
from backcoach.timers import Position
from backcoach.ui.anatomy import AnatomyFigure
from backcoach.ui.hands_free import HandsAction, HandsFree
from backcoach.ui.session_driver import SessionDriver
from backcoach.ui.theme import DARK, heat_colour
from backcoach.units import format_load, format_tonnage, from_unit, to_unit
from backcoach.workout import comparison_text, records_by_exercise, set_counts, set_position, sets_by_exercise

if TYPE_CHECKING:  # the overview loads when first opened
    from backcoach.ui.workout_overview import WorkoutOverview

# Gym mode is always dark: bright phase colours on near-black read best across a room.
BACKGROUND = "#101114"
PANEL = "#1b1d22"
TEXT = "#f4f2ee"
MUTED = "#a8a6a2"
# One colour per kind of part (the lift warm, the lowering cool), whatever the exercise calls it.
PHASE_COLOURS = {
    "get-ready": "#ffd23f", "concentric": "#ff7a1a", "concentric-hold": "#ff4747", "eccentric": "#3da5ff",
    "eccentric-hold": "#c9c7c2", "hold": "#c084ff", "switch": "#ffd23f", "rest": "#3ddc84",
    "log": "#ffffff", "done": "#3ddc84", "failed": "#ff4747",
}
# Keys that end, skip or leave something: one pressed while the session screen was still
# opening (the UI thread busy) is dropped, not replayed into the set.
INPUT_GUARD_SECONDS = 0.6
REST_STEP_SECONDS = 30  # the rest's +30 s / −30 s
IGNORED_PREFIX = "Ignored "
PAUSE_TEXT, RESUME_TEXT = "Pause  ␣", "Resume  ␣"
FIGURE_MIN_SCREEN_HEIGHT = 680  # px of session screen below which the set screen drops the figure


def _label(text: str = "", size: float = 14, bold: bool = False, colour: str = TEXT, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(size)
    font.setBold(bold)
    label.setFont(font)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    label.setPalette(palette)
    label.setWordWrap(wrap)
    return label


class PhaseRing(QWidget):
    """The phase word, the countdown as large as the space allows, and a bar that empties as
    the phase runs out (with a caption under it). Read from 3 m: the digits are sized to fill
    the height left after the word (at least 30 % of a 600 px screen), never a fixed size.

    (The name stays from when the countdown sat in a ring: the ring capped the digits at about
    17 % of the screen height.)"""

    WORD_SHARE = 0.2     # of the widget's height, for the phase word
    BAR_SHARE = 0.045    # the time-left bar
    CAPTION_SHARE = 0.085

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.phase = "get-ready"
        self.word = DEFAULT_MOVEMENT.word("get-ready")
        self.fraction = 1.0  # of the phase still to go
        self.seconds = 0
        self.caption = ""
        self.paused = False
        self.digit_height = 0  # px of the last painted digits, for the 3 m check
        self.word_height = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 300)

    def show_position(self, pos: Position | None, word: str | None = None, caption: str = "") -> None:
        """Show where the set is. A new phase, word or whole second is what the lifter reads
        from across the room, so it is painted now; the arc alone waits for the next frame."""
        before = (self.phase, self.word, self.seconds, self.paused)
        if pos is None or pos.finished or pos.segment is None:  # (only a finished position has none)
            self.fraction, self.seconds = 0.0, 0
        else:
            self.phase = pos.phase
            self.word = word or pos.word
            self.fraction = max(0.0, min(1.0, pos.remaining / pos.segment.duration)) if pos.segment.duration else 0.0
            self.seconds = math.ceil(pos.remaining - 1e-9)
            self.paused = pos.paused
        self.caption = caption
        if (self.phase, self.word, self.seconds, self.paused) != before and self.isVisible():
            self.repaint()
        else:
            self.update()

    def show_static(self, phase: str, word: str, caption: str = "") -> None:
        self.phase, self.word, self.fraction, self.seconds, self.caption, self.paused = phase, word, 1.0, -1, caption, False
        self.update()

    def countdown_text(self) -> str:
        # m:ss from a minute on, so long rests read like a clock.
        if self.seconds < 0:
            return ""
        return f"{self.seconds // 60}:{self.seconds % 60:02d}" if self.seconds >= 60 else str(self.seconds)

    @staticmethod
    def _fit(font: QFont, text: str, width: float, height: float, tight: bool = False) -> int:
        """The largest pixel size at which `text` fits `width` × `height` (glyph height when
        `tight`, the line's height otherwise)."""
        pixels = max(8, int(height * 1.6))
        while pixels > 8:
            font.setPixelSize(pixels)
            metrics = QFontMetrics(font)
            h = metrics.tightBoundingRect(text).height() if tight else metrics.height()
            if metrics.horizontalAdvance(text) <= width and h <= height:
                break
            pixels = max(8, int(pixels * 0.95))
        return pixels

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(PHASE_COLOURS.get(self.phase, TEXT))
        w, h = self.width(), self.height()
        word_h, bar_h = h * self.WORD_SHARE, max(8.0, h * self.BAR_SHARE)
        caption_h = h * self.CAPTION_SHARE
        font = QFont(self.font())
        font.setBold(True)
        # The phase word: dominant, in the part's colour (dimmed while paused).
        word_colour = QColor(colour)
        if self.paused:
            word_colour.setAlphaF(0.35)
        self._fit(font, self.word, w * 0.96, word_h)
        self.word_height = QFontMetrics(font).capHeight()
        painter.setFont(font)
        painter.setPen(word_colour)
        painter.drawText(QRectF(0, 0, w, word_h), Qt.AlignmentFlag.AlignCenter, self.word)
        # The countdown fills what is left above the bar and the caption.
        digits_top = word_h + h * 0.02
        digits_h = h - digits_top - bar_h - caption_h - 8
        text = self.countdown_text()
        if text:
            self._fit(font, text, w * 0.98, digits_h * 0.92, tight=True)
            metrics = QFontMetrics(font)
            self.digit_height = metrics.tightBoundingRect(text).height()
            painter.setFont(font)
            painter.setPen(QColor(MUTED) if self.paused else QColor(TEXT))
            painter.drawText(QRectF(0, digits_top, w, digits_h), Qt.AlignmentFlag.AlignCenter, text)
        else:
            self.digit_height = 0
        # The time left as a bar under the digits, in the part's colour.
        bar = QRectF(w * 0.04, digits_top + digits_h + 4, w * 0.92, bar_h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(PANEL))
        painter.drawRoundedRect(bar, bar_h / 2, bar_h / 2)
        if self.fraction > 0:
            painter.setBrush(colour)
            painter.drawRoundedRect(QRectF(bar.x(), bar.y(), max(bar_h, bar.width() * self.fraction), bar_h),
                                    bar_h / 2, bar_h / 2)
        if self.caption:
            font.setBold(False)
            self._fit(font, self.caption, w * 0.96, caption_h * 0.9)
            painter.setFont(font)
            painter.setPen(QColor(MUTED))
            text = QFontMetrics(font).elidedText(self.caption, Qt.TextElideMode.ElideRight, int(w * 0.96))
            painter.drawText(QRectF(0, bar.bottom() + 2, w, caption_h), Qt.AlignmentFlag.AlignCenter, text)
        if self.paused:
            self._paint_paused(painter, font, digits_top, digits_h)
        painter.end()

    def _paint_paused(self, painter: QPainter, font: QFont, top: float, height: float) -> None:
        """PAUSED across the digits on a band of its own: it cannot be mistaken for a part's word."""
        w = self.width()
        band = QRectF(0, top + height * 0.3, w, height * 0.4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 200))
        painter.drawRect(band)
        font.setBold(True)
        self._fit(font, "PAUSED", w * 0.9, band.height() * 0.8)
        painter.setFont(font)
        painter.setPen(QColor(TEXT))
        painter.drawText(band, Qt.AlignmentFlag.AlignCenter, "PAUSED")

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(460, 560)


class BigButton(QPushButton):
    """A gym-mode button: its label as large as the row allows (see `fit_buttons`)."""

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        font = QFont(self.font())
        font.setPointSizeF(BUTTON_POINTS[0])
        font.setBold(True)
        self.setFont(font)
        self.setMinimumHeight(54)
        # The row decides the widths (in proportion to the labels), not the labels' hints.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the session, not the button

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().sizeHint().width(), max(54, QFontMetrics(self.font()).height() + 24))


BUTTON_POINTS = (12.0, 22.0)  # the smallest and largest label size of the button row
BUTTON_PADDING = 28  # px around a label


def fit_buttons(buttons: Sequence[QPushButton], width: int, spacing: int, layout: QHBoxLayout) -> float:
    """One label size for the whole row, the largest at which every label fits, and each
    button's share of the row in proportion to its label. Returns the point size."""
    shown = [b for b in buttons if not b.isHidden()]
    if not shown:
        return BUTTON_POINTS[0]
    room = width - spacing * (len(shown) - 1)
    points = BUTTON_POINTS[1]
    font = QFont(shown[0].font())
    while points > BUTTON_POINTS[0]:
        font.setPointSizeF(points)
        metrics = QFontMetrics(font)
        if sum(metrics.horizontalAdvance(b.text()) + BUTTON_PADDING for b in shown) <= room:
            break
        points -= 0.5
    font.setPointSizeF(points)
    metrics = QFontMetrics(font)
    for b in buttons:
        if b.font().pointSizeF() != points:
            b.setFont(font)
        layout.setStretch(layout.indexOf(b), metrics.horizontalAdvance(b.text()) + BUTTON_PADDING)
    return points


class SessionView(QWidget):
    """The whole session screen. Emits `left` when the user leaves (finished or not)."""

    left = Signal(bool)  # True when finished, False when left resumable

    def __init__(self, flow: SessionFlow, library: Library, driver: SessionDriver, unit: str = "kg",
                 parent: QWidget | None = None, *, rounding: LoadRounding | None = None,
                 last_time: Callable[[str], str] | None = None, keys: HandsFree | None = None):
        super().__init__(parent)
        self.flow = flow
        self.library = library
        self.driver = driver
        self.unit = unit
        self.rounding = rounding or LoadRounding(unit=unit)
        self._last_time = last_time or (lambda _exercise_id: "")
        self.keys = keys or HandsFree()
        self.summary: SessionSummary | None = None
        self._form_key: tuple | None = None
        self._opened_at = driver.clock()  # keys before INPUT_GUARD_SECONDS from here are dropped
        self.overview: WorkoutOverview | None = None  # while it is open
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(BACKGROUND))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(TEXT))
        palette.setColor(QPalette.ColorRole.Base, QColor(PANEL))
        palette.setColor(QPalette.ColorRole.Text, QColor(TEXT))
        palette.setColor(QPalette.ColorRole.Button, QColor(PANEL))
        palette.setColor(QPalette.ColorRole.ButtonText, QColor(TEXT))
        self.setPalette(palette)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 10, 18, 10)
        outer.setSpacing(10)
        outer.addLayout(self._build_top())
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_live_page())
        self.pages.addWidget(self._build_summary_page())
        outer.addWidget(self.pages, 1)
        outer.addLayout(self._build_buttons())
        bottom = QHBoxLayout()  # one line: a notice on the left, the clicker cheat sheet on the right
        self.notice = _label("", 11, colour=MUTED, wrap=True)
        bottom.addWidget(self.notice, 1)
        self.cheat_label = _label(self.keys.cheat_sheet(), 11, colour=MUTED, wrap=True)
        self.cheat_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bottom.addWidget(self.cheat_label, 1)  # both wrap: a notice never shrinks to a sliver
        outer.addLayout(bottom)
        # The full-screen flash at rest end (a Setting), over everything: the rest colour and
        # two words, readable from across a noisy gym.
        self.flash = _label("REST OVER", 64, bold=True, colour=BACKGROUND, wrap=True)
        self.flash.setParent(self)
        self.flash.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.flash.setAutoFillBackground(True)
        flash_palette = self.flash.palette()
        flash_palette.setColor(QPalette.ColorRole.Window, QColor(PHASE_COLOURS["rest"]))
        self.flash.setPalette(flash_palette)
        self.flash.hide()
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self.flash.hide)

        driver.phase_changed.connect(self._on_position)
        driver.refreshed.connect(self._on_position)
        driver.stage_changed.connect(self._on_stage)
        driver.paused_changed.connect(self._on_paused)
        driver.waiting_changed.connect(lambda _w: self._on_stage(flow.stage))
        self._on_stage(flow.stage)

    # --- building -------------------------------------------------------------------------
    def _build_top(self) -> QHBoxLayout:
        top = QHBoxLayout()
        left = QVBoxLayout()
        self.exercise_label = _label("", 26, bold=True)
        self.set_label = _label("", 17, colour=MUTED)
        left.addWidget(self.exercise_label)
        left.addWidget(self.set_label)
        top.addLayout(left, 1)
        right = QVBoxLayout()
        self.session_label = _label("", 12, colour=MUTED)
        self.session_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(14)
        self.progress.setMinimumWidth(320)
        right.addWidget(self.session_label)
        right.addWidget(self.progress)
        top.addLayout(right)
        return top

    def _build_live_page(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.centre = QStackedWidget()
        self.ring = PhaseRing()
        self.centre.addWidget(self.ring)
        self.centre.addWidget(self._build_log_form())
        layout.addWidget(self.centre, 63)
        side = QVBoxLayout()
        # Read across a room: the rep and side as large as the phase word's neighbours,
        # the next-step lines at least 24 px; the figure takes what is left.
        self.rep_label = _label("", 32, bold=True)
        self.side_label = _label("", 30, bold=True, colour=PHASE_COLOURS["switch"])
        self.cue_label = _label("", 18, colour=TEXT, wrap=True)
        self.figure = AnatomyFigure(self.library.muscles, legend=False, theme=DARK)
        self.figure.setMinimumSize(160, 0)  # gives way first on a 1024x600 screen
        self.figure.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.next_label = _label("", 18, colour=MUTED, wrap=True)
        self.target_label = _label("", 19, bold=True, colour=TEXT, wrap=True)
        self.plates_label = _label("", 15, bold=True, colour=PHASE_COLOURS["get-ready"], wrap=True)
        self.last_label = _label("", 13, colour=MUTED, wrap=True)
        for w in (self.rep_label, self.side_label, self.cue_label):
            side.addWidget(w)
        side.addWidget(self.figure, 1)
        side.addWidget(self.target_label)
        side.addWidget(self.plates_label)
        side.addWidget(self.last_label)
        side.addWidget(self.next_label)
        layout.addLayout(side, 37)
        return page

    def _build_log_form(self) -> QWidget:
        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(30, 10, 30, 10)
        grid.setVerticalSpacing(14)
        self.log_title = _label("Log the set", 30, bold=True)
        grid.addWidget(self.log_title, 0, 0, 1, 3)
        big = QFont(self.font())
        big.setPointSizeF(30)
        big.setBold(True)
        self.reps_box = QSpinBox()
        self.reps_box.setRange(0, 1000)
        from backcoach.ui.load_entry import LoadBox

        self.load_box = LoadBox(self.unit)  # "+10" / "−20" on body-weight exercises
        self.seconds_box = QSpinBox()
        self.seconds_box.setRange(0, 3600)
        self.seconds_box.setSuffix(" s")
        for box in (self.reps_box, self.load_box, self.seconds_box):
            box.setFont(big)
            box.setMinimumHeight(64)
            box.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rpe_box = QComboBox()
        self.rpe_box.addItem("RPE —", None)
        for v in (6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10):
            self.rpe_box.addItem(f"RPE {v:g}", float(v))
        self.rpe_box.setMinimumHeight(56)
        self._darken_rpe_popup()
        self.note_box = QLineEdit()
        self.note_box.setPlaceholderText("Note (optional)")
        self.note_box.setMinimumHeight(44)
        # The hints say exactly the keys _handle_key reads: "+"/"−" by the character typed.
        self.reps_row = [_label("Reps", 18, colour=MUTED), self.reps_box, _label("+ / −  or  ↑ ↓", 13, colour=MUTED)]
        self.load_row = [_label("Load", 18, colour=MUTED), self.load_box,
                         _label("Shift+↑ ↓", 13, colour=MUTED)]
        self.seconds_row = [_label("Held", 18, colour=MUTED), self.seconds_box, _label("", 12)]
        for r, row in enumerate((self.reps_row, self.load_row, self.seconds_row), start=1):
            for c, w in enumerate(row):
                grid.addWidget(w, r, c)
        grid.addWidget(_label("Effort", 18, colour=MUTED), 4, 0)
        grid.addWidget(self.rpe_box, 4, 1)
        grid.addWidget(_label("Tab, then ↑ ↓", 13, colour=MUTED), 4, 2)
        grid.addWidget(self.note_box, 5, 0, 1, 3)
        self.failed_label = _label("", 14, colour=PHASE_COLOURS["failed"])
        grid.addWidget(self.failed_label, 6, 0, 1, 3)
        # The plates for the load as typed; what was done last time is beside the form (last_label).
        self.form_plates_label = _label("", 15, bold=True, colour=PHASE_COLOURS["get-ready"], wrap=True)
        grid.addWidget(self.form_plates_label, 7, 0, 1, 3)
        grid.setRowStretch(8, 1)
        self.load_box.valueChanged.connect(self._show_form_plates)
        for field in (self.reps_box, self.load_box, self.seconds_box, self.rpe_box, self.note_box):
            field.installEventFilter(self)
        return form

    def _darken_rpe_popup(self) -> None:
        """The RPE list is a popup window of its own: give it gym mode's dark colours and
        text as large as the fields around it, not the desktop's light 11 px list."""
        font = QFont(self.rpe_box.font())
        font.setPixelSize(26)
        font.setBold(True)
        self.rpe_box.setFont(font)
        view = self.rpe_box.view()
        for widget in (view, view.parentWidget()):
            if widget is None:
                continue
            palette = widget.palette()
            for role, colour in ((QPalette.ColorRole.Base, PANEL), (QPalette.ColorRole.Window, PANEL),
                                 (QPalette.ColorRole.Text, TEXT), (QPalette.ColorRole.WindowText, TEXT),
                                 (QPalette.ColorRole.Highlight, PHASE_COLOURS["rest"]),
                                 (QPalette.ColorRole.HighlightedText, BACKGROUND)):
                palette.setColor(role, QColor(colour))
            widget.setPalette(palette)
            widget.setFont(font)

    def _build_summary_page(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        left = QVBoxLayout()
        self.summary_title = _label("Session done", 34, bold=True, colour=PHASE_COLOURS["done"])
        self.summary_text = _label("", 15, wrap=True)
        self.summary_text.setTextFormat(Qt.TextFormat.RichText)
        self.summary_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        left.addWidget(self.summary_title)
        summary_scroll = QScrollArea()  # a long session's list scrolls instead of being cut
        summary_scroll.setWidgetResizable(True)
        summary_scroll.setFrameShape(QFrame.Shape.NoFrame)
        summary_scroll.setWidget(self.summary_text)
        summary_scroll.viewport().setAutoFillBackground(False)
        self.summary_text.setAutoFillBackground(False)
        left.addWidget(summary_scroll, 1)
        layout.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(_label("Muscles worked", 16, bold=True, colour=MUTED))
        self.summary_figure = AnatomyFigure(self.library.muscles, legend=False, theme=DARK)
        right.addWidget(self.summary_figure, 1)
        layout.addLayout(right, 2)
        return page

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.button_row = row
        self.pause_button = BigButton(PAUSE_TEXT)
        self.back_button = BigButton("◀  Back")
        self.skip_button = BigButton("Skip  ▶")
        self.failed_button = BigButton("Failed  F")
        self.main_button = BigButton("Log set  ⏎")
        self.more_button = BigButton("More  M")
        self.leave_button = BigButton("Leave  Esc")
        self.pause_button.clicked.connect(self.driver.toggle_pause)
        self.back_button.clicked.connect(lambda: self.driver.skip(-1))
        self.skip_button.clicked.connect(lambda: self.driver.skip(+1))
        self.failed_button.clicked.connect(self.driver.end_set_early)
        self.main_button.clicked.connect(self.confirm)
        self.more_button.clicked.connect(self._more_menu)
        self.leave_button.clicked.connect(self.leave)
        self.minus30_button = BigButton(f"−{REST_STEP_SECONDS} s  ↓")
        self.minus30_button.clicked.connect(lambda: self.driver.shorten_rest(REST_STEP_SECONDS))
        self.plus30_button = BigButton(f"+{REST_STEP_SECONDS} s  ↑")
        self.plus30_button.clicked.connect(lambda: self.driver.extend_rest(REST_STEP_SECONDS))
        self.buttons = [self.pause_button, self.back_button, self.skip_button, self.failed_button,
                        self.minus30_button, self.plus30_button, self.main_button, self.more_button,
                        self.leave_button]
        for b in self.buttons:
            row.addWidget(b)
        return row

    def _fit_buttons(self) -> None:
        layout = self.layout()
        assert layout is not None  # set in __init__
        margins = layout.contentsMargins()
        fit_buttons(self.buttons, self.width() - margins.left() - margins.right(), self.button_row.spacing(),
                    self.button_row)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        # On a short screen the figure would be a thumbnail nobody can read from 3 m: the
        # words get its room instead.
        self.figure.setVisible(self.height() >= FIGURE_MIN_SCREEN_HEIGHT)
        self._fit_buttons()

    # --- showing --------------------------------------------------------------------------
    def _exercise_name(self, exercise_id: str) -> str:
        return exercise_name(exercise_id, self.library)

    def _describe_step(self, step) -> str:
        if step is None:
            return ""
        dose = f"{step.seconds} s hold" if step.seconds is not None else f"{step.target_reps} reps"
        load = f" @ {format_load(step.load_kg, self.unit)}" if step.load_kg else ""
        side = " each side" if step.per_side else ""
        return f"{self._exercise_name(step.exercise_id)}: {dose}{side}{load}" + (" (warm-up)" if step.warmup else "")

    def _dose(self, step) -> str:
        return (self._describe_step(step).split(": ", 1)[-1]
                + (f" · tempo {step.tempo}" if step.tempo and step.seconds is None else ""))

    def _refresh_header(self) -> None:
        flow = self.flow
        # During the rest the logged set is behind us: show the one coming up.
        step = flow.next_step if flow.stage == Stage.REST else flow.current
        done = flow.stage == Stage.DONE or step is None
        if flow.stage == Stage.DONE:
            self.exercise_label.setText(flow.routine_name or "Session")
            self.set_label.setText("Summary")
        if step is not None and not done:
            ex = self.library.exercises.get(step.exercise_id)
            self.exercise_label.setText(self._exercise_name(step.exercise_id))
            self.set_label.setText(set_position(flow.steps, step).text()
                                   + (" · superset " + step.superset if step.superset else ""))
            self.cue_label.setText(f"“{ex.focus_cue}”" if ex and ex.focus_cue else "")
            if ex is not None:
                self.figure.set_highlight(ex.primary_muscles, ex.secondary_muscles)
            if flow.stage == Stage.REST:
                # The set just logged is done; name the coming one as such, and the one after it.
                self.target_label.setText(f"Next set: {self._dose(step)}")
                nxt = flow.step_after_next
            else:
                self.target_label.setText(f"This set: {self._dose(step)}")
                nxt = flow.next_step
            self.plates_label.setText(self.plates_text(step.exercise_id, step.load_kg))
            self.plates_label.setVisible(bool(self.plates_label.text()))
            last = self._last_time(step.exercise_id)
            self.last_label.setText(f"Last time: {last}" if last else "Last time: first time")
            self.next_label.setText(f"Then: {self._describe_step(nxt)}" if nxt else "Then: the summary.")
        self.progress.setValue(int(flow.progress * 1000))
        self.session_label.setText(self._session_line())

    def _session_line(self) -> str:
        """"Pull A · 3 of 14 sets done": what is logged, never a set number past the end."""
        flow = self.flow
        done = sum(flow.logged_steps)
        total = len(flow.steps)
        name = flow.routine_name or "Session"
        if flow.stage == Stage.DONE and done < total:
            return f"{name} · {done} of {total} sets done · finished early"
        return f"{name} · {done} of {total} sets done"

    def _on_stage(self, stage: str) -> None:
        if self.notice.text().startswith(IGNORED_PREFIX):
            self.notice.setText("")  # said once; the next stage is the lifter's own
        self._refresh_header()
        live = stage in (Stage.WORK, Stage.REST, Stage.LOG)
        waiting = self.driver.waiting and stage == Stage.WORK
        self.pages.setCurrentIndex(0 if live else 1)
        self.centre.setCurrentIndex(1 if stage == Stage.LOG else 0)
        self.pause_button.setVisible(stage in (Stage.WORK, Stage.REST) and not waiting)
        self.back_button.setVisible(stage == Stage.WORK and not waiting)
        # In the rest "Start next ⏎" is the skip (→ still works): one button fewer on a small screen.
        self.skip_button.setVisible(stage == Stage.WORK and not waiting)
        self.failed_button.setVisible(stage == Stage.WORK and not waiting)
        self.plus30_button.setVisible(stage == Stage.REST)
        self.minus30_button.setVisible(stage == Stage.REST)
        self.more_button.setVisible(stage != Stage.DONE)
        self.leave_button.setVisible(stage != Stage.DONE)
        self.main_button.setText({"work": "Done  ⏎", "log": "Log set  ⏎", "rest": "Start next  ⏎",
                                  "done": "Close  ⏎"}.get(stage, "OK  ⏎") if not waiting else "Start set  ⏎")
        self.skip_button.setText("Skip rest  ▶" if stage == Stage.REST else "Skip  ▶")
        self._on_paused(False)
        if stage == Stage.LOG:
            self._fill_log_form()
        elif stage == Stage.DONE:
            self._show_summary()
        if waiting:
            self.ring.show_static("get-ready", "READY?", "press Enter to start the set")
            self.rep_label.setText("")
            self.side_label.setText("")
        else:
            self._on_position(self.driver.position())
        self._fit_buttons()
        self.setFocus()

    def _on_paused(self, paused: bool) -> None:
        self.pause_button.setText(RESUME_TEXT if paused else PAUSE_TEXT)
        self._fit_buttons()
        self._on_position(self.driver.position())

    def _on_position(self, pos: Position | None) -> None:
        flow = self.flow
        if flow.stage not in (Stage.WORK, Stage.REST) or pos is None:
            self.rep_label.setText("")
            self.side_label.setText("")
            return
        step = flow.current
        if flow.stage == Stage.REST:
            nxt = flow.next_step
            self.ring.show_position(pos, caption=f"next: {self._exercise_name(nxt.exercise_id)}" if nxt else "")
            self.rep_label.setText("")
            self.side_label.setText("")
            return
        reps = self.driver.scheduler.timeline.reps if self.driver.scheduler else 0
        caption = ""
        if pos.phase == "get-ready":
            caption = step_movement(step, self.library).for_step(step.per_side).get_ready_caption() if step else ""
        elif pos.phase == "switch":
            caption = "other side next"
        self.ring.show_position(pos, caption=caption)
        if step is not None and step.seconds is None and pos.rep:
            self.rep_label.setText(f"Rep {pos.rep} / {reps}")
        elif step is not None and step.seconds is not None:
            self.rep_label.setText(f"Hold {step.seconds} s")
        else:
            self.rep_label.setText("")
        side = pos.side
        if pos.phase == "switch" and self.driver.scheduler is not None:
            following = self.driver.scheduler.timeline.segments[pos.index + 1:pos.index + 2]
            side = following[0].side if following else None
            self.side_label.setText(f"{side.upper()} SIDE NEXT" if side else "")
            return
        self.side_label.setText(f"{side.upper()} SIDE" if side else "")

    def _fill_log_form(self) -> None:
        flow, step = self.flow, self.flow.current
        assert step is not None  # the log stage always has the set being logged
        pre = flow.prefill
        timed = step is not None and step.seconds is not None
        for w in self.reps_row + self.load_row:
            w.setVisible(not timed or w in self.load_row)
        for w in self.seconds_row:
            w.setVisible(timed)
        self.reps_box.setValue(int(pre.reps or 0))
        from backcoach.analytics import lifts_body_weight

        ex = self.library.exercises.get(step.exercise_id) if step is not None else None
        self.load_box.set_body_weight_mode(lifts_body_weight(ex))
        # Nothing typed yet is "body weight" only where the body is the load (a kettlebell squat has none yet).
        self.load_box.set_empty_text("body weight" if ex is None or not ex.increment_kg else "no load")
        self.load_box.setValue(to_unit(pre.load_kg or 0.0, self.unit))
        self.seconds_box.setValue(int(pre.seconds or 0))
        self.rpe_box.setCurrentIndex(0)
        self.note_box.clear()
        self.failed_label.setText(pre.failure_text(timed))
        self.log_title.setText(f"Log {'warm-up' if step.warmup else 'set'}: {self._exercise_name(step.exercise_id)}"
                               + (" (both sides)" if step.per_side else ""))
        self._show_form_plates()

    def load_kind(self, exercise_id: str) -> LoadKind:
        ex = self.library.exercises.get(exercise_id)
        return load_kind(ex.equipment) if ex is not None else LoadKind.FREE

    def plates_text(self, exercise_id: str, load_kg: float | None) -> str:
        """'20 kg bar + 15 + 2.5 a side' for a barbell load, else empty."""
        return self.rounding.describe_kg(load_kg, self.load_kind(exercise_id))

    def _show_form_plates(self, *_args) -> None:
        step = self.flow.current
        load = self.load_box.value()
        text = self.plates_text(step.exercise_id, from_unit(load, self.unit)) if step is not None and load > 0 else ""
        self.form_plates_label.setText(text)
        self.form_plates_label.setVisible(bool(text))

    def _show_summary(self) -> None:
        s = self.summary
        if s is None:
            self.summary_text.setText("")
            return
        counts = set_counts(s.session)
        # Sets and volume count the same sets, the work sets (as History does); warm-ups apart.
        warmups = (f" · {counts.warmups} warm-up{'s' if counts.warmups != 1 else ''}" if counts.warmups else "")
        parts = [
            f"<p style='font-size:20pt'><b>{counts.work}</b> work set{'s' if counts.work != 1 else ''} · "
            f"<b>{format_tonnage(s.volume_kg, self.unit)}</b> · {round((s.duration_seconds or 0) / 60)} min"
            f"<span style='font-size:14pt; color:{MUTED}'>{warmups}</span></p>"
        ]
        parts.append(self._done_list(s))
        if s.time_under_tension_seconds:
            tut = round(s.time_under_tension_seconds)
            shown = f"{tut // 60} min {tut % 60:02d} s" if tut >= 60 else f"{tut} s"
            parts.append(f"<p>Time under tension: <b>{shown}</b></p>")
        if s.prs:
            rows = "".join(f"<li>★ {html.escape(self._exercise_name(ex))}: {', '.join(what)}</li>"
                           for ex, what in records_by_exercise(s.prs).items())
            parts.append(f"<p><b>Personal records</b></p><ul>{rows}</ul>")
        if s.comparison:
            compared = []
            for c in s.comparison:
                text = comparison_text(c, self.unit)
                if text is not None:
                    compared.append(f"<li>{html.escape(self._exercise_name(c.exercise_id))}: {html.escape(text)}</li>")
            parts.append("<p><b>Compared with last time</b></p><ul>" + "".join(compared) + "</ul>")
        parts.append("<p style='color:#a8a6a2'>Saved to your history. Press Enter to close.</p>")
        self.summary_text.setText("".join(parts))
        self.summary_figure.set_shades({m: heat_colour(v * 2) for m, v in s.muscles.items()})

    def _done_list(self, summary: SessionSummary) -> str:
        """Each exercise done and its work sets ("8 × 60 kg, 8 × 60 kg"), warm-ups counted apart."""
        rows = []
        for done in sets_by_exercise(summary.session.sets):
            sets = []
            for st in done.work_sets:
                what = f"{st.seconds:g} s" if st.seconds else f"{st.reps or 0}"
                if st.load_kg:
                    what += f" × {format_load(st.load_kg, self.unit)}"
                sets.append(what + (" (each side)" if st.side else ""))
            warm = f" <span style='color:{MUTED}'>+ {done.warmup_sets} warm-up{'s' if done.warmup_sets != 1 else ''}</span>" if done.warmup_sets else ""
            rows.append(f"<li><b>{html.escape(self._exercise_name(done.exercise_id))}</b>: "
                        f"{html.escape(', '.join(sets)) or 'warm-ups only'}{warm}</li>")
        return "<p><b>Done today</b></p><ul>" + "".join(rows) + "</ul>" if rows else ""

    # --- actions --------------------------------------------------------------------------
    def confirm(self) -> None:
        stage = self.flow.stage
        if stage == Stage.WORK:
            self.driver.finish_work()
        elif stage == Stage.LOG:
            self.log_now()
        elif stage == Stage.REST:
            self.driver.skip_rest()
        elif stage == Stage.DONE:
            self.left.emit(True)

    def log_now(self) -> None:
        step = self.flow.current
        assert step is not None  # called in the log stage only, which always has its set
        timed = step.seconds is not None
        added, assist = self.load_box.added_and_assist_kg()
        try:
            self.driver.log(
                reps=None if timed else self.reps_box.value(),
                load_kg=added,
                assist_kg=assist,
                seconds=float(self.seconds_box.value()) if timed else None,
                rpe=self.rpe_box.currentData(),
                note=self.note_box.text().strip(),
                failed=self.flow.prefill.failed,
            )
        except Exception as exc:  # noqa: BLE001 - never lose a set silently: say so, stay on the form
            QMessageBox.critical(self, "BackCoach: the set was NOT saved", f"{exc}\n\nFree some space or check the "
                                 "data folder, then press Enter again.")
            return
        if self.flow.stage == Stage.DONE:
            self.finish()

    def finish(self) -> None:
        self.summary = self.flow.finish()
        self.driver.stop()
        self._on_stage(Stage.DONE)

    def adjust_reps(self, step: int) -> None:
        if self.flow.stage == Stage.LOG:
            self.reps_box.setValue(max(0, self.reps_box.value() + step))

    def adjust_load(self, step: int) -> None:
        if self.flow.stage != Stage.LOG:
            return
        step_now = self.flow.current
        assert step_now is not None  # the log stage always has the set being logged
        exercise_id = step_now.exercise_id
        made = self.rounding.next_load(self.load_box.value(), self.load_kind(exercise_id), step)
        if made is not None:
            self.load_box.setValue(made)  # the next load the plates (or the rack) make
            return
        if self.load_kind(exercise_id) != LoadKind.FREE:
            return  # nothing lighter than the bar or the smallest dumbbell
        ex = self.library.exercises.get(exercise_id)
        inc = (ex.increment_kg if ex and ex.increment_kg else 2.5)
        inc_unit = 5.0 if self.unit == "lb" else inc
        self.load_box.setValue(max(self.load_box.minimum(), self.load_box.value() + step * inc_unit))

    def leave(self, confirm: bool = True) -> None:
        if self.flow.stage == Stage.DONE:
            self.left.emit(True)
            return
        if confirm:
            held = self.driver.hold()  # the set does not run on behind the dialog
            answer = QMessageBox.question(
                self, "Leave the session?",
                "Leave now? Every logged set is saved; you can resume at the next set, or finish the "
                "session to save it to your history.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.driver.release(held)
                return
        self.driver.stop()
        self.left.emit(False)

    def build_more_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Workout overview…  O", self.show_overview)
        menu.addSeparator()
        menu.addAction("Add a set", self._after_change(self.flow.add_set))
        menu.addAction("Remove a set", self._after_change(self.flow.remove_set))
        menu.addAction("Skip this exercise", self._after_change(self.flow.skip_exercise))
        swap = menu.addMenu("Swap exercise for…")
        for ex in self.flow.swap_options()[:12]:  # the most similar first
            swap.addAction(ex.name, self._after_change(lambda e=ex.id: self.flow.swap_exercise(e)))
        menu.addSeparator()
        menu.addAction("Finish the session now…", self.confirm_finish)
        return menu

    def _more_menu(self) -> None:
        if self.flow.stage == Stage.DONE:
            return
        held = self.driver.hold()  # the timer waits while the menu covers the screen
        try:
            self.build_more_menu().exec(self.more_button.mapToGlobal(self.more_button.rect().topLeft()))
        finally:
            self.driver.release(held)

    def confirm_finish(self) -> bool:
        """"Finish the session now" ends the whole workout: ask first, saying what is kept."""
        held = self.driver.hold()
        done, total = sum(self.flow.logged_steps), len(self.flow.steps)
        left = total - done
        answer = QMessageBox.question(
            self, "Finish the session now?",
            f"Finish now and save the {done} set{'s' if done != 1 else ''} you logged to your history? "
            + (f"The {left} set{'s' if left != 1 else ''} not done yet will be left out." if left else ""),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            self.driver.release(held)
            return False
        self.finish()
        return True

    def show_overview(self) -> None:
        """The whole workout with the done sets ticked; picking a set not done jumps to it."""
        from backcoach.ui.workout_overview import WorkoutOverview

        if self.flow.stage == Stage.DONE:
            return
        held = self.driver.hold()
        dialog = WorkoutOverview(self.flow, self.library, self.unit, self)
        self.overview = dialog
        chosen = dialog.exec()
        self.overview = None
        index = dialog.chosen_index
        dialog.deleteLater()
        if chosen and index is not None and index != (self.flow.index if self.flow.stage in (Stage.WORK, Stage.LOG) else -1):
            try:
                self.driver.jump_to(index)
            except SessionStateError as exc:
                self.notice.setText(str(exc))
                self.driver.release(held)
                return
            self._refresh_header()
            return
        self.driver.release(held)

    def _after_change(self, change):
        def run() -> None:
            try:
                change()
            except ValueError as exc:
                self.notice.setText(str(exc))
                return
            self.driver.restart_set()
            self._refresh_header()
        return run

    def mark_ready(self) -> None:
        """The screen is up: keys from now on are the lifter's, not a backlog from the opening."""
        self._opened_at = self.driver.clock()

    # --- keys -----------------------------------------------------------------------------
    GUARDED_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Right, Qt.Key.Key_Left,
                    Qt.Key.Key_F)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # The log form's fields would swallow Enter, +, − and Esc: route them to the session.
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and self._handle_key(event, watched):
            return True
        if (isinstance(event, QFocusEvent) and event.type() == QEvent.Type.FocusIn and watched is self.rpe_box
                and event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)):
            self.rpe_box.showPopup()  # Tab into effort: the list opens, ↑ ↓ pick, Enter takes it
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def hands_free(self, action: HandsAction) -> None:
        """A clicker, media key or pedal press: done/next, back, pause — whatever the stage."""
        stage = self.flow.stage
        if action == HandsAction.NEXT:
            self.driver.start_waiting_set() if self.driver.waiting else self.confirm()
        elif action == HandsAction.PAUSE and stage in (Stage.WORK, Stage.REST) and not self.driver.waiting:
            self.driver.toggle_pause()
        elif action == HandsAction.BACK:
            if stage == Stage.WORK:
                self.driver.skip(-1)
            elif stage == Stage.REST:
                self.driver.extend_rest(30)

    def flash_screen(self, ms: int = 1200) -> None:
        """Cover the screen in the rest colour for a moment: seen across a noisy gym."""
        self.flash.setGeometry(self.rect())
        self.flash.raise_()
        self.flash.show()
        self._flash_timer.start(ms)

    def _handle_key(self, event: QKeyEvent, watched: QObject | None = None) -> bool:
        key, mods, text = event.key(), event.modifiers(), event.text()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        stage = self.flow.stage
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.note_box and not enter and key != Qt.Key.Key_Escape:
            return False  # typing a note: "+", "−" and letters are text
        if watched is self.rpe_box and key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_F4):
            return False  # the effort box itself: arrows change the RPE, not the reps
        guarded = key in self.GUARDED_KEYS or self.keys.action_for(key) is not None  # a clicker too
        if guarded and self.driver.clock() - self._opened_at < INPUT_GUARD_SECONDS:
            # Pressed while the screen was opening (the UI was busy): never replay it into the set.
            self.notice.setText(f"{IGNORED_PREFIX}“{_key_name(event)}”: pressed while the session was opening.")
            return True
        action = self.keys.action_for(key)
        # In the log form "." and "b" are typed (62.5 kg, a note); only the pedal's own key
        # still acts there, and nothing does while the note is being written.
        typed = stage == Stage.LOG and bool(text.strip()) and (key != self.keys.pedal_key or self.note_box.hasFocus())
        if action is not None and not typed:
            self.hands_free(action)  # a clicker's Page Down logs the set from the bench, too
            return True
        plus = text in ("+", "=") or key == Qt.Key.Key_Plus
        minus = text in ("-", "−", "_") or key == Qt.Key.Key_Minus
        if enter:
            self.driver.start_waiting_set() if self.driver.waiting else self.confirm()
        elif key == Qt.Key.Key_Escape:
            self.leave()
        elif key == Qt.Key.Key_Space and stage in (Stage.WORK, Stage.REST) and not self.driver.waiting:
            self.driver.toggle_pause()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Left) and stage in (Stage.WORK, Stage.REST):
            step = 1 if key == Qt.Key.Key_Right else -1
            self.driver.skip_rep(step) if shift and stage == Stage.WORK else self.driver.skip(step)
        elif stage == Stage.REST and (plus or minus or key in (Qt.Key.Key_Up, Qt.Key.Key_Down)):
            if plus or key == Qt.Key.Key_Up:
                self.driver.extend_rest(REST_STEP_SECONDS)
            else:
                self.driver.shorten_rest(REST_STEP_SECONDS)
        elif stage == Stage.LOG and (plus or minus):
            # By the character typed: "+" is Shift+= on a US keyboard and its own key elsewhere.
            self.adjust_reps(+1 if plus else -1)
        elif stage == Stage.LOG and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = 1 if key == Qt.Key.Key_Up else -1  # a layout-free alternative to + and −
            (self.adjust_load if shift else self.adjust_reps)(step)
        elif key == Qt.Key.Key_F and stage == Stage.WORK:
            self.driver.end_set_early()
        elif key == Qt.Key.Key_O and stage != Stage.DONE and watched is None:
            self.show_overview()
        elif key == Qt.Key.Key_M and stage != Stage.DONE and watched is None:
            self._more_menu()
        else:
            return False
        return True


def _key_name(event: QKeyEvent) -> str:
    return QKeySequence(event.key()).toString(QKeySequence.SequenceFormat.NativeText) or event.text()
