"""History charts, drawn with pyqtgraph.

Importing pyqtgraph costs about half a second, so this module is imported only when a chart
is first shown. Each series is one curve updated with setData, with clip-to-view and peak
downsampling, on float timestamps: ten years of data redraws quickly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from backcoach.analytics import ProgressPoint, WeekVolume
from backcoach.units import format_load, format_tonnage, to_unit
from backcoach.ui.theme import Theme, current_theme

pg.setConfigOptions(antialias=True)

# Distinct, colour-blind-friendly hues for movement patterns (Okabe-Ito), both themes.
SERIES_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7", "#0072B2", "#F0E442", "#999999")


def timestamp(day: date) -> float:
    """Noon of the day as a POSIX timestamp, so points sit mid-day on a date axis."""
    return datetime.combine(day, time(12)).timestamp()


def _style(plot: pg.PlotWidget, theme: Theme) -> None:
    plot.setBackground(theme.base)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(theme.muted))
        axis.setTextPen(pg.mkPen(theme.text))
        font = QFont()
        font.setPointSizeF(9.5)
        axis.setStyle(tickFont=font)
        # An opaque grid in a colour mixed once: pyqtgraph's translucent grid is blended on
        # every paint and made up two thirds of a redraw (40 ms at ten years, 14 ms without).
        axis.setGrid(255)
        # Levels pyqtgraph would have faded out would be as dark as the rest: fewer levels.
        axis.setStyle(tickAlpha=255, maxTickLevel=0 if name == "bottom" else 1)
        axis.setTickPen(pg.mkPen(_mix(theme.base, theme.muted, 0.18)))


def _mix(base: str, other: str, amount: float) -> str:
    """`amount` of `other` over `base` (#rrggbb), as one opaque colour."""
    a, b = QColor(base), QColor(other)
    return QColor(round(a.red() + (b.red() - a.red()) * amount), round(a.green() + (b.green() - a.green()) * amount),
                  round(a.blue() + (b.blue() - a.blue()) * amount)).name()


class _Chart(QWidget):
    """A themed plot with a one-line readout above it that follows the mouse."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = current_theme()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.readout = QLabel(" ")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        top.addWidget(self.readout, 1)
        self.controls = top
        layout.addLayout(top)
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        _style(self.plot, self.theme)
        self.plot.setMenuEnabled(False)
        item = self.plot.getPlotItem()
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        item.hideButtons()
        layout.addWidget(self.plot, 1)
        self._xs = np.empty(0)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen(self.theme.muted, style=Qt.PenStyle.DashLine))
        self.cursor.hide()
        self.plot.addItem(self.cursor, ignoreBounds=True)

    def _mouse_moved(self, pos: QPointF) -> None:
        if not len(self._xs) or not self.plot.sceneBoundingRect().contains(pos):
            return
        x = self.plot.getPlotItem().vb.mapSceneToView(pos).x()
        i = int(np.clip(np.searchsorted(self._xs, x), 0, len(self._xs) - 1))
        if i > 0 and abs(self._xs[i - 1] - x) < abs(self._xs[i] - x):
            i -= 1
        self.cursor.setPos(self._xs[i])
        self.cursor.show()
        self.readout.setText(self.describe(i))

    def nearest_index(self, x: float) -> int:
        return int(np.abs(self._xs - x).argmin()) if len(self._xs) else -1

    def describe(self, index: int) -> str:  # overridden
        return ""


class ProgressChart(_Chart):
    """One exercise over time: estimated 1RM (line), top-set load (dots), PRs (stars)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        t = self.theme
        self.plot.addLegend(offset=(10, 10), labelTextColor=t.text)
        # A one-pixel line: wider pens are stroked as paths, 30 ms a redraw at ten years instead of 12.
        self.e1rm = self.plot.plot([], [], pen=pg.mkPen(t.accent, width=1), name="Estimated 1RM (Epley)")
        self.top = self.plot.plot([], [], pen=None, symbol="o", symbolSize=6, symbolPen=None,
                                  symbolBrush=QColor(t.muted), name="Top set load")
        self.prs = self.plot.plot([], [], pen=None, symbol="star", symbolSize=16,
                                  symbolPen=pg.mkPen(t.text, width=0.8), symbolBrush=QColor("#F0B400"),
                                  name="Personal record")
        self.plot.getPlotItem().setLabel("left", "kg")
        self._points: list[ProgressPoint] = []
        self._unit = "kg"

    def set_points(self, points: Sequence[ProgressPoint], unit: str) -> None:
        self._points = list(points)
        self._unit = unit
        xs = np.array([timestamp(p.date) for p in points], dtype=float)
        e1rm = np.array([np.nan if p.best_e1rm is None else to_unit(p.best_e1rm, unit) for p in points], dtype=float)
        top = np.array([np.nan if p.top_set.load_kg is None else to_unit(p.top_set.load_kg, unit) for p in points], dtype=float)
        self._xs = xs
        self.e1rm.setData(xs, e1rm, connect="finite")
        self.top.setData(xs, top, connect="finite")
        pr = np.array([p.is_pr for p in points], dtype=bool)
        self.prs.setData(xs[pr], e1rm[pr]) if len(xs) else self.prs.setData([], [])
        self.plot.getPlotItem().setLabel("left", unit)
        self.plot.getPlotItem().enableAutoRange()
        self.readout.setText(self.describe(len(points) - 1) if points else "No sets logged for this exercise yet.")

    def describe(self, index: int) -> str:
        if not 0 <= index < len(self._points):
            return ""
        p = self._points[index]
        parts = [f"<b>{p.date:%d %b %Y}</b>"]
        if p.best_e1rm is not None:
            parts.append(f"estimated 1RM <b>{format_load(p.best_e1rm, self._unit)}</b>")
        ts = p.top_set
        if ts.load_kg is not None:
            parts.append(f"top set {format_load(ts.load_kg, self._unit)} × {ts.reps}")
        elif ts.reps:
            parts.append(f"top set {ts.reps} reps")
        elif ts.seconds:
            parts.append(f"longest hold {ts.seconds:g} s")
        parts.append(f"volume {format_tonnage(p.volume_kg, self._unit)}")
        if p.is_pr:
            parts.append("<b>★ PR</b>")
        return " · ".join(parts)


class VolumeChart(_Chart):
    """Weekly hard sets (or tonnage) per movement pattern. Opens on the last twelve months;
    drag or scroll to see earlier years."""

    def __init__(self, pattern_names: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.plot.addLegend(offset=(10, 10), labelTextColor=self.theme.text)
        self._names = dict(pattern_names)
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._weeks: list[WeekVolume] = []
        self._measure = "sets"
        self._unit = "kg"

    def set_weeks(self, weeks: Sequence[WeekVolume], unit: str, measure: str = "sets") -> None:
        """`measure`: "sets" (hard sets) or "tonnage"."""
        self._weeks = list(weeks)
        self._unit = unit
        self._measure = measure
        xs = np.array([timestamp(w.week_start) for w in weeks], dtype=float)
        self._xs = xs
        patterns = [p for p in self._names if any(p in w.by_pattern for w in weeks)]
        for i, pattern in enumerate(patterns):
            curve = self._curves.get(pattern)
            if curve is None:
                colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
                # One-pixel lines: a wider pen is stroked as a path, three times slower per redraw.
                curve = self.plot.plot([], [], pen=pg.mkPen(colour, width=1), name=self._names[pattern])
                self._curves[pattern] = curve
            ys = np.array([self._value(w, pattern) for w in weeks], dtype=float)
            curve.setData(xs, ys)
        for pattern, curve in self._curves.items():
            if pattern not in patterns:
                curve.setData([], [])
        self.plot.getPlotItem().setLabel("left", "hard sets / week" if measure == "sets" else f"{unit} / week")
        self.plot.getPlotItem().enableAutoRange()
        if len(xs) > 56:  # years of weekly lines are a tangle: open on the last twelve months
            self.plot.getPlotItem().setXRange(xs[-53], xs[-1] + 3.5 * 86400, padding=0.02)
        self.readout.setText(self.describe(len(weeks) - 1) if weeks else "No training logged yet.")

    def _value(self, week: WeekVolume, pattern: str) -> float:
        pv = week.by_pattern.get(pattern)
        if pv is None:
            return 0.0
        return pv.hard_sets if self._measure == "sets" else to_unit(pv.tonnage_kg, self._unit)

    def describe(self, index: int) -> str:
        if not 0 <= index < len(self._weeks):
            return ""
        w = self._weeks[index]
        bits = []
        for pattern, pv in sorted(w.by_pattern.items(), key=lambda kv: -kv[1].hard_sets):
            name = self._names.get(pattern, pattern)
            value = f"{pv.hard_sets:g} sets" if self._measure == "sets" else format_tonnage(pv.tonnage_kg, self._unit)
            bits.append(f"{name} {value}")
        return f"<b>Week of {w.week_start:%d %b %Y}</b> · " + (" · ".join(bits) or "no training")


def pattern_names(library_patterns: dict[str, str]) -> dict[str, str]:
    names = dict(library_patterns)
    names["other"] = "Other (custom)"
    return names


ChartFactory = Callable[[], QWidget]
