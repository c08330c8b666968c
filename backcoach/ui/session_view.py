"""Gym mode: the guided session, readable from a few metres away and driven by the keyboard.

Keys: Space pause/resume · Enter finish the set, log it, or start the next one · → / ←
next/previous phase (→ in the rest skips it) · Shift+→/← next/previous rep · + / − (or ↑/↓)
reps · Shift with them: load · F ended early ("failed here") · Esc leave (resumable).
Every button has its key in its label, and the buttons are large for touch screens too.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backcoach.library import Library
from backcoach.movement import DEFAULT_MOVEMENT
from backcoach.session import SessionFlow, SessionSummary, step_movement
from backcoach.timers import Position
from backcoach.ui.anatomy import AnatomyFigure
from backcoach.ui.history_view import heat_colour
from backcoach.ui.session_driver import SessionDriver
from backcoach.ui.theme import DARK
from backcoach.units import format_load, format_tonnage, from_unit, to_unit

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


def _recolour(label: QLabel, colour: str) -> None:
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    label.setPalette(palette)


class PhaseRing(QWidget):
    """The phase word above a ring that empties as the phase runs out, the seconds inside."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.phase = "get-ready"
        self.word = DEFAULT_MOVEMENT.word("get-ready")
        self.fraction = 1.0  # of the phase still to go
        self.seconds = 0
        self.caption = ""
        self.paused = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 320)

    def show_position(self, pos: Position | None, word: str | None = None, caption: str = "") -> None:
        """Show where the set is. A new phase, word or whole second is what the lifter reads
        from across the room, so it is painted now; the arc alone waits for the next frame."""
        before = (self.phase, self.word, self.seconds, self.paused)
        if pos is None or pos.finished:
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

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(PHASE_COLOURS.get(self.phase, TEXT))
        w, h = self.width(), self.height()
        word_h = h * 0.2
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(int(min(word_h * 0.8, w / max(6, len(self.word)) * 1.5)))
        painter.setFont(font)
        painter.setPen(colour)
        word = "PAUSED" if self.paused else self.word
        painter.drawText(QRectF(0, 0, w, word_h), Qt.AlignmentFlag.AlignCenter, word)
        size = min(w, h - word_h - 10) * 0.94
        ring = QRectF((w - size) / 2, word_h + 10, size, size)
        thickness = max(10.0, size * 0.07)
        track = QPen(QColor(PANEL), thickness)
        painter.setPen(track)
        painter.drawEllipse(ring.adjusted(thickness / 2, thickness / 2, -thickness / 2, -thickness / 2))
        arc = QPen(colour, thickness)
        arc.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(arc)
        inner = ring.adjusted(thickness / 2, thickness / 2, -thickness / 2, -thickness / 2)
        painter.drawArc(inner, 90 * 16, int(-360 * 16 * self.fraction))
        if self.seconds >= 0:
            # m:ss from a minute on, so long rests fit the ring as well as short phases do.
            text = f"{self.seconds // 60}:{self.seconds % 60:02d}" if self.seconds >= 60 else str(self.seconds)
            font.setPixelSize(int(size * (0.42 if len(text) <= 2 else 0.3)))
            painter.setFont(font)
            painter.setPen(QColor(TEXT))
            painter.drawText(ring.adjusted(0, -size * 0.06, 0, -size * 0.06), Qt.AlignmentFlag.AlignCenter, text)
        if self.caption:
            # Inside the ring, below the number: the chord there is ~70 % of the diameter.
            room = size * 0.62
            font.setBold(False)
            pixels = int(size * 0.075)
            while pixels > 10:
                font.setPixelSize(pixels)
                if QFontMetrics(font).horizontalAdvance(self.caption) <= room:
                    break
                pixels -= 1
            painter.setFont(font)
            painter.setPen(QColor(MUTED))
            text = QFontMetrics(font).elidedText(self.caption, Qt.TextElideMode.ElideRight, int(room))
            painter.drawText(QRectF(ring.center().x() - room / 2, ring.center().y() + size * 0.2, room, size * 0.12),
                             Qt.AlignmentFlag.AlignCenter, text)
        painter.end()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(460, 560)


class BigButton(QPushButton):
    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        font = QFont(self.font())
        font.setPointSizeF(13)
        font.setBold(True)
        self.setFont(font)
        self.setMinimumHeight(54)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the session, not the button


class SessionView(QWidget):
    """The whole session screen. Emits `left` when the user leaves (finished or not)."""

    left = Signal(bool)  # True when finished, False when left resumable

    def __init__(self, flow: SessionFlow, library: Library, driver: SessionDriver, unit: str = "kg",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.flow = flow
        self.library = library
        self.driver = driver
        self.unit = unit
        self.summary: SessionSummary | None = None
        self._form_key: tuple | None = None
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
        outer.setContentsMargins(22, 14, 22, 14)
        outer.setSpacing(10)
        outer.addLayout(self._build_top())
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_live_page())
        self.pages.addWidget(self._build_summary_page())
        outer.addWidget(self.pages, 1)
        outer.addLayout(self._build_buttons())
        self.notice = _label("", 11, colour=MUTED, wrap=True)
        outer.addWidget(self.notice)

        driver.phase_changed.connect(self._on_position)
        driver.refreshed.connect(self._on_position)
        driver.stage_changed.connect(self._on_stage)
        driver.paused_changed.connect(lambda _p: self._on_position(driver.position()))
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
        layout.addWidget(self.centre, 6)
        side = QVBoxLayout()
        self.rep_label = _label("", 34, bold=True)
        self.side_label = _label("", 22, bold=True, colour=PHASE_COLOURS["switch"])
        self.cue_label = _label("", 19, colour=TEXT, wrap=True)
        self.figure = AnatomyFigure(self.library.muscles, legend=False, theme=DARK)
        self.figure.setMinimumSize(160, 80)  # gives way first on a 1024x600 screen
        self.figure.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.next_label = _label("", 14, colour=MUTED, wrap=True)
        self.target_label = _label("", 15, colour=TEXT, wrap=True)
        for w in (self.rep_label, self.side_label, self.cue_label):
            side.addWidget(w)
        side.addWidget(self.figure, 1)
        side.addWidget(self.target_label)
        side.addWidget(self.next_label)
        layout.addLayout(side, 4)
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
        self.load_box = QDoubleSpinBox()
        self.load_box.setRange(0, to_unit(1000, self.unit))
        self.load_box.setDecimals(1)
        self.load_box.setSuffix(f" {self.unit}")
        self.load_box.setSpecialValueText("body weight")  # shown at 0
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
        self.rpe_box.setMinimumHeight(48)
        self.note_box = QLineEdit()
        self.note_box.setPlaceholderText("Note (optional)")
        self.note_box.setMinimumHeight(44)
        self.reps_row = [_label("Reps", 18, colour=MUTED), self.reps_box, _label("+ / −", 12, colour=MUTED)]
        self.load_row = [_label("Load", 18, colour=MUTED), self.load_box, _label("Shift + / −", 12, colour=MUTED)]
        self.seconds_row = [_label("Held", 18, colour=MUTED), self.seconds_box, _label("", 12)]
        for r, row in enumerate((self.reps_row, self.load_row, self.seconds_row), start=1):
            for c, w in enumerate(row):
                grid.addWidget(w, r, c)
        grid.addWidget(_label("Effort", 18, colour=MUTED), 4, 0)
        grid.addWidget(self.rpe_box, 4, 1)
        grid.addWidget(self.note_box, 5, 0, 1, 3)
        self.failed_label = _label("", 14, colour=PHASE_COLOURS["failed"])
        grid.addWidget(self.failed_label, 6, 0, 1, 3)
        grid.setRowStretch(7, 1)
        for box in (self.reps_box, self.load_box, self.seconds_box, self.rpe_box, self.note_box):
            box.installEventFilter(self)
        return form

    def _build_summary_page(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        left = QVBoxLayout()
        self.summary_title = _label("Session done", 34, bold=True, colour=PHASE_COLOURS["done"])
        self.summary_text = _label("", 15, wrap=True)
        self.summary_text.setTextFormat(Qt.TextFormat.RichText)
        self.summary_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        left.addWidget(self.summary_title)
        left.addWidget(self.summary_text, 1)
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
        self.pause_button = BigButton("Pause  ␣")
        self.back_button = BigButton("◀  Back")
        self.skip_button = BigButton("Skip  ▶")
        self.failed_button = BigButton("Failed here  F")
        self.main_button = BigButton("Log set  ⏎")
        self.more_button = BigButton("More…")
        self.leave_button = BigButton("Leave  Esc")
        self.pause_button.clicked.connect(self.driver.toggle_pause)
        self.back_button.clicked.connect(lambda: self.driver.skip(-1))
        self.skip_button.clicked.connect(lambda: self.driver.skip(+1))
        self.failed_button.clicked.connect(self.driver.end_set_early)
        self.main_button.clicked.connect(self.confirm)
        self.more_button.clicked.connect(self._more_menu)
        self.leave_button.clicked.connect(self.leave)
        self.plus30_button = BigButton("+30 s")
        self.plus30_button.clicked.connect(lambda: self.driver.extend_rest(30))
        for b in (self.pause_button, self.back_button, self.skip_button, self.failed_button, self.plus30_button,
                  self.main_button, self.more_button, self.leave_button):
            row.addWidget(b)
        return row

    # --- showing --------------------------------------------------------------------------
    def _exercise_name(self, exercise_id: str) -> str:
        ex = self.library.exercises.get(exercise_id)
        return ex.name if ex else exercise_id

    def _describe_step(self, step) -> str:
        if step is None:
            return ""
        dose = f"{step.seconds} s hold" if step.seconds is not None else f"{step.target_reps} reps"
        load = f" @ {format_load(step.load_kg, self.unit)}" if step.load_kg else ""
        side = " each side" if step.per_side else ""
        return f"{self._exercise_name(step.exercise_id)}: {dose}{side}{load}" + (" (warm-up)" if step.warmup else "")

    def _refresh_header(self) -> None:
        flow = self.flow
        # During the rest the logged set is behind us: show the one coming up.
        step = flow.next_step if flow.stage == "rest" else flow.current
        done = flow.stage == "done" or step is None
        if flow.stage == "done":
            self.exercise_label.setText(flow.routine_name or "Session")
            self.set_label.setText("Summary")
        if step is not None and not done:
            ex = self.library.exercises.get(step.exercise_id)
            sets_of = [s for s in flow.steps if s.exercise_id == step.exercise_id]
            n = next((i for i, s in enumerate(sets_of, 1) if s is step), step.set_number)
            kind = "warm-up" if step.warmup else "set"
            self.exercise_label.setText(self._exercise_name(step.exercise_id))
            self.set_label.setText(f"{kind.capitalize()} {n} of {len(sets_of)}" + (" · superset " + step.superset if step.superset else ""))
            self.cue_label.setText(f"“{ex.focus_cue}”" if ex else "")
            if ex is not None:
                self.figure.set_highlight(ex.primary_muscles, ex.secondary_muscles)
            self.target_label.setText(f"This set: {self._describe_step(step).split(': ', 1)[-1]}"
                                      + (f" · tempo {step.tempo}" if step.tempo and step.seconds is None else ""))
            nxt = flow.steps[flow.steps.index(step) + 1] if step in flow.steps[:-1] else None
            self.next_label.setText(f"Then: {self._describe_step(nxt)}" if nxt else "Then: the summary.")
        self.progress.setValue(int(flow.progress * 1000))
        total = len(flow.steps)
        number = flow.index + (2 if flow.stage == "rest" else 1)
        self.session_label.setText(f"{flow.routine_name or 'Session'} · set {min(number, total)} of {total}")

    def _on_stage(self, stage: str) -> None:
        self._refresh_header()
        live = stage in ("work", "rest", "log")
        self.pages.setCurrentIndex(0 if live else 1)
        self.centre.setCurrentIndex(1 if stage == "log" else 0)
        self.pause_button.setVisible(stage in ("work", "rest"))
        self.back_button.setVisible(stage == "work")
        self.skip_button.setVisible(stage in ("work", "rest"))
        self.failed_button.setVisible(stage == "work")
        self.plus30_button.setVisible(stage == "rest")
        self.more_button.setVisible(stage != "done")
        self.leave_button.setVisible(stage != "done")
        self.main_button.setText({"work": "Done  ⏎", "log": "Log set  ⏎", "rest": "Start next  ⏎",
                                  "done": "Close  ⏎"}.get(stage, "OK  ⏎"))
        self.skip_button.setText("Skip rest  ▶" if stage == "rest" else "Skip  ▶")
        if stage == "log":
            self._fill_log_form()
        elif stage == "done":
            self._show_summary()
        self._on_position(self.driver.position())
        self.setFocus()

    def _on_position(self, pos: Position | None) -> None:
        flow = self.flow
        if flow.stage not in ("work", "rest") or pos is None:
            self.rep_label.setText("")
            self.side_label.setText("")
            return
        step = flow.current
        if flow.stage == "rest":
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
        self.side_label.setText(f"{pos.side.upper()} SIDE" if pos.side else "")

    def _fill_log_form(self) -> None:
        flow, step = self.flow, self.flow.current
        pre = flow.prefill
        timed = step is not None and step.seconds is not None
        for w in self.reps_row + self.load_row:
            w.setVisible(not timed or w in self.load_row)
        for w in self.seconds_row:
            w.setVisible(timed)
        self.reps_box.setValue(int(pre.get("reps") or 0))
        self.load_box.setValue(to_unit(pre.get("load_kg") or 0.0, self.unit))
        self.seconds_box.setValue(int(pre.get("seconds") or 0))
        self.rpe_box.setCurrentIndex(0)
        self.note_box.clear()
        failed = bool(pre.get("failed"))
        done = pre.get("reps")
        if failed and not timed and isinstance(done, int):
            self.failed_label.setText(f"Failed at rep {done + 1}: {done} done, logged as a set taken to failure.")
        else:
            self.failed_label.setText("Ended early: it will be logged as a set taken to failure." if failed else "")
        self.log_title.setText(f"Log {'warm-up' if step.warmup else 'set'}: {self._exercise_name(step.exercise_id)}"
                               + (" (both sides)" if step.per_side else ""))

    def _show_summary(self) -> None:
        s = self.summary
        if s is None:
            self.summary_text.setText("")
            return
        parts = [
            f"<p style='font-size:20pt'><b>{s.sets}</b> sets · <b>{format_tonnage(s.volume_kg, self.unit)}</b>"
            f" · {round((s.duration_seconds or 0) / 60)} min</p>"
        ]
        if s.time_under_tension_seconds:
            tut = round(s.time_under_tension_seconds)
            shown = f"{tut // 60} min {tut % 60:02d} s" if tut >= 60 else f"{tut} s"
            parts.append(f"<p>Time under tension: <b>{shown}</b></p>")
        if s.prs:
            kinds = {"load": "heaviest load", "e1rm": "best estimated 1RM", "reps": "most reps", "volume": "most volume",
                     "hold": "longest hold"}
            by_exercise: dict[str, list[str]] = {}
            for p in s.prs:
                by_exercise.setdefault(p.exercise_id, []).append(kinds.get(p.kind, p.kind))
            rows = "".join(f"<li>★ {html.escape(self._exercise_name(ex))}: {', '.join(what)}</li>"
                           for ex, what in by_exercise.items())
            parts.append(f"<p><b>Personal records</b></p><ul>{rows}</ul>")
        if s.comparison:
            rows = []
            for c in s.comparison:
                name = html.escape(self._exercise_name(c.exercise_id))
                now, before = c.top_set, c.previous_top_set
                if c.previous_session_id is None:
                    rows.append(f"<li>{name}: first time</li>")
                elif now is not None and now.seconds and before is not None and before.seconds:
                    change = now.seconds - before.seconds
                    rows.append(f"<li>{name}: longest hold {now.seconds:g} s ({'+' if change >= 0 else '−'}{abs(change):g} s)</li>")
                elif c.volume_kg or c.previous_volume_kg:
                    change = c.volume_change_kg or 0.0
                    sign = "+" if change >= 0 else "−"
                    rows.append(f"<li>{name}: volume {sign}{format_tonnage(abs(change), self.unit)} on last time</li>")
                elif now is not None and now.reps and before is not None and before.reps:
                    rows.append(f"<li>{name}: best set {now.reps} reps (last time {before.reps})</li>")
            parts.append("<p><b>Compared with last time</b></p><ul>" + "".join(rows) + "</ul>")
        parts.append("<p style='color:#a8a6a2'>Saved to your history. Press Enter to close.</p>")
        self.summary_text.setText("".join(parts))
        self.summary_figure.set_shades({m: heat_colour(v * 2) for m, v in s.muscles.items()})

    # --- actions --------------------------------------------------------------------------
    def confirm(self) -> None:
        stage = self.flow.stage
        if stage == "work":
            self.driver.finish_work()
        elif stage == "log":
            self.log_now()
        elif stage == "rest":
            self.driver.skip_rest()
        elif stage == "done":
            self.left.emit(True)

    def log_now(self) -> None:
        step = self.flow.current
        timed = step.seconds is not None
        load = self.load_box.value()
        try:
            self.driver.log(
                reps=None if timed else self.reps_box.value(),
                load_kg=from_unit(load, self.unit) if load > 0 else None,
                seconds=float(self.seconds_box.value()) if timed else None,
                rpe=self.rpe_box.currentData(),
                note=self.note_box.text().strip(),
                failed=bool(self.flow.prefill.get("failed")),
            )
        except Exception as exc:  # noqa: BLE001 - never lose a set silently: say so, stay on the form
            QMessageBox.critical(self, "BackCoach: the set was NOT saved", f"{exc}\n\nFree some space or check the "
                                 "data folder, then press Enter again.")
            return
        if self.flow.stage == "done":
            self.finish()

    def finish(self) -> None:
        self.summary = self.flow.finish()
        self.driver.stop()
        self._on_stage("done")

    def adjust_reps(self, step: int) -> None:
        if self.flow.stage == "log":
            self.reps_box.setValue(max(0, self.reps_box.value() + step))

    def adjust_load(self, step: int) -> None:
        if self.flow.stage != "log":
            return
        ex = self.library.exercises.get(self.flow.current.exercise_id)
        inc = (ex.increment_kg if ex and ex.increment_kg else 2.5)
        inc_unit = 5.0 if self.unit == "lb" else inc
        self.load_box.setValue(max(0.0, self.load_box.value() + step * inc_unit))

    def leave(self, confirm: bool = True) -> None:
        if self.flow.stage == "done":
            self.left.emit(True)
            return
        if confirm:
            answer = QMessageBox.question(
                self, "Leave the session?",
                "Leave now? Every logged set is saved; you can resume at the next set, or finish the "
                "session to save it to your history.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.driver.stop()
        self.left.emit(False)

    def _more_menu(self) -> None:
        menu = QMenu(self)
        menu.addAction("Add a set", self._after_change(self.flow.add_set))
        menu.addAction("Remove a set", self._after_change(self.flow.remove_set))
        menu.addAction("Skip this exercise", self._after_change(self.flow.skip_exercise))
        swap = menu.addMenu("Swap exercise for…")
        for ex in self.flow.swap_options()[:12]:
            swap.addAction(ex.name, self._after_change(lambda e=ex.id: self.flow.swap_exercise(e)))
        menu.addSeparator()
        menu.addAction("Finish the session now", self.finish)
        menu.exec(self.more_button.mapToGlobal(self.more_button.rect().topLeft()))

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

    # --- keys -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # The log form's fields would swallow Enter, +, − and Esc: route them to the session.
        if event.type() == QEvent.Type.KeyPress and self._handle_key(event):
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm()
        elif key == Qt.Key.Key_Escape:
            self.leave()
        elif key == Qt.Key.Key_Space and self.flow.stage in ("work", "rest"):
            self.driver.toggle_pause()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Left) and self.flow.stage in ("work", "rest"):
            step = 1 if key == Qt.Key.Key_Right else -1
            self.driver.skip_rep(step) if shift and self.flow.stage == "work" else self.driver.skip(step)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Asterisk):
            # Unshifted: reps. Shifted: load. On a US layout "+" is itself Shift+"=" (load),
            # "=" is the unshifted key (reps); on a German one Shift+"+" types "*".
            (self.adjust_load if shift or key == Qt.Key.Key_Asterisk else self.adjust_reps)(+1)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            (self.adjust_load if shift or key == Qt.Key.Key_Underscore else self.adjust_reps)(-1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.flow.stage == "log":
            step = 1 if key == Qt.Key.Key_Up else -1  # a layout-free alternative to + and −
            (self.adjust_load if shift else self.adjust_reps)(step)
        elif key == Qt.Key.Key_F and self.flow.stage == "work":
            self.driver.end_set_early()
        else:
            return False
        return True
