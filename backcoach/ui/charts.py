"""History charts, drawn with pyqtgraph.

Importing pyqtgraph costs about half a second, so this module is imported only when a chart
is first shown. Each series is one curve updated with setData, with clip-to-view and peak
downsampling, on float timestamps: ten years of data redraws quickly.
"""

from __future__ import annotations

import copy
import time as clock
import types
from collections.abc import Sequence
from datetime import date, datetime, time

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems import DateAxisItem as date_axis
from PySide6.QtCore import QEvent, QPointF, Qt
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


def _local_midnights(level: date_axis.ZoomLevel, ticks: np.ndarray, spacing: float, skip: int) -> np.ndarray:
    """Day, month and year ticks moved from UTC to local midnight with the C library's
    mktime: pyqtgraph builds two QDateTimes and a time zone per tick, 11 ms of a ten-year
    chart's first paint (138 ticks) on the UI thread. Hours and finer keep pyqtgraph's way."""
    if not len(ticks) or level.utcOffset is not None or spacing <= date_axis.HOUR_SPACING:
        return date_axis.ZoomLevel.moveTicksToLocalTimeCoords(level, ticks, spacing, skip)
    try:
        # The same wall-clock time as the UTC tick, in local time (isdst -1: whatever applies then).
        return np.array([clock.mktime(clock.gmtime(t)[:8] + (-1,)) for t in ticks], dtype=float)
    except (OverflowError, ValueError, OSError):  # beyond what the C library handles
        return date_axis.ZoomLevel.moveTicksToLocalTimeCoords(level, ticks, spacing, skip)


class _DateAxis(pg.DateAxisItem):
    """pyqtgraph's date axis with cheaper day-and-longer ticks (see `_local_midnights`)."""

    def __init__(self, orientation: str = "bottom", **kwargs):
        super().__init__(orientation=orientation, **kwargs)
        # pyqtgraph's levels are shared between axes: this axis gets copies.
        shared = self.zoomLevels  # type: ignore[has-type]  # set in pyqtgraph's untyped __init__
        levels = {}
        for spacing, level in shared.items():
            mine = copy.copy(level)
            mine.moveTicksToLocalTimeCoords = types.MethodType(_local_midnights, mine)
            levels[spacing] = mine
        self.zoomLevels = type(shared)(levels)


def _legend(plot: pg.PlotWidget, theme: Theme) -> None:
    """The legend in a box of the plot's own colour: the grid must not run through its words."""
    legend = plot.addLegend(offset=(10, 10), labelTextColor=theme.text, brush=pg.mkBrush(theme.base),
                            pen=pg.mkPen(_mix(theme.base, theme.muted, 0.35)))
    legend.setZValue(1000)  # above the curves, whose z pyqtgraph raises as they are added
    # The grid belongs to the axes, which pyqtgraph stacks over the view (z 0.5): put the view,
    # and so the legend in it, above them; the grid then runs under the curves too.
    plot.getPlotItem().vb.setZValue(1)


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
        self.readout.setWordWrap(True)  # a week's figures are longer than a small window is wide
        top.addWidget(self.readout, 1)
        self.controls = top
        layout.addLayout(top)
        # No context menu: made without one, since pyqtgraph's view menu is a third of the
        # plot's construction (and a frame's time while a session runs).
        self.plot = pg.PlotWidget(axisItems={"bottom": _DateAxis(orientation="bottom")}, enableMenu=False)
        _style(self.plot, self.theme)
        item = self.plot.getPlotItem()
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        item.hideButtons()
        layout.addWidget(self.plot, 1)
        self._xs = np.empty(0)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.crosshair = pg.InfiniteLine(angle=90, pen=pg.mkPen(self.theme.muted, style=Qt.PenStyle.DashLine))
        self.crosshair.hide()
        self.plot.addItem(self.crosshair, ignoreBounds=True)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # Switching the theme in Settings: the plot follows at once, not after a restart.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            theme = current_theme()
            if theme != self.theme:
                self.theme = theme
                _style(self.plot, theme)
                self.crosshair.setPen(pg.mkPen(theme.muted, style=Qt.PenStyle.DashLine))
                legend = self.plot.getPlotItem().legend
                if legend is not None:
                    legend.setLabelTextColor(theme.text)
                    legend.setBrush(pg.mkBrush(theme.base))
                    legend.setPen(pg.mkPen(_mix(theme.base, theme.muted, 0.35)))
                self.restyle(theme)
        super().changeEvent(event)

    def restyle(self, theme: Theme) -> None:
        """Series colours that come from the theme (overridden)."""

    def _mouse_moved(self, pos: QPointF) -> None:
        if not len(self._xs) or not self.plot.sceneBoundingRect().contains(pos):
            return
        x = self.plot.getPlotItem().vb.mapSceneToView(pos).x()
        i = int(np.clip(np.searchsorted(self._xs, x), 0, len(self._xs) - 1))
        if i > 0 and abs(self._xs[i - 1] - x) < abs(self._xs[i] - x):
            i -= 1
        self.crosshair.setPos(self._xs[i])
        self.crosshair.show()
        self.readout.setText(self.describe(i))

    def describe(self, index: int) -> str:  # overridden
        return ""



class ProgressChart(_Chart):
    """One exercise over time: estimated 1RM (line), top-set load (dots), PRs (stars)."""

    def __init__(self, parent: QWidget | None = None, series: bool = True):
        super().__init__(parent)
        self._points: list[ProgressPoint] = []
        self._unit = "kg"
        self.measure = "load"
        if series:
            self.add_series()

    def add_series(self) -> None:
        """The legend and the three series. Apart from the constructor so that, while a session
        runs, History can make the plot and its series on two turns of the event loop (each
        takes most of a frame the first time)."""
        t = self.theme
        _legend(self.plot, t)
        # A one-pixel line: wider pens are stroked as paths, 30 ms a redraw at ten years instead of 12.
        self.e1rm = self.plot.plot([], [], pen=pg.mkPen(t.accent, width=1), name="Estimated 1RM (Epley)")
        self.top = self.plot.plot([], [], pen=None, symbol="o", symbolSize=6, symbolPen=None,
                                  symbolBrush=QColor(t.muted), name="Top set load")
        self.prs = self.plot.plot([], [], pen=None, symbol="star", symbolSize=16,
                                  symbolPen=pg.mkPen(t.text, width=0.8), symbolBrush=QColor("#F0B400"),
                                  name="Personal record")
        self.plot.getPlotItem().setLabel("left", "kg")

    def warm_up(self) -> None:
        """Paint the empty plot once, off screen, before any data arrives: pyqtgraph's first
        paint builds its axes, fonts and legend (most of a frame), and while a session runs
        that cost is better paid on a turn of its own than with the data."""
        self.plot.grab()

    def show_marks(self, dots: bool, stars: bool) -> None:
        """Show or hide the top-set dots and the PR stars (the line always shows). While a
        session runs, History adds them on later turns so each first paint stays under a frame."""
        # Transparent rather than hidden: a hidden item is left out of the auto range, so showing
        # it moved the range, and every paint then laid out both axes again (6 ms of each).
        # A fully transparent item still counts for the range but is not painted at all.
        self.top.setOpacity(1.0 if dots else 0.0)
        self.prs.setOpacity(1.0 if stars else 0.0)

    def restyle(self, theme: Theme) -> None:
        self.e1rm.setPen(pg.mkPen(theme.accent, width=2.5))
        self.top.setSymbolBrush(QColor(theme.muted))
        self.prs.setSymbolPen(pg.mkPen(theme.text, width=0.8))

    def set_points(self, points: Sequence[ProgressPoint], unit: str) -> None:
        self._points = list(points)
        self._unit = unit
        xs = np.array([timestamp(p.date) for p in points], dtype=float)
        self._xs = xs
        self.measure = progress_measure(points)
        if self.measure == "load":
            line = [None if p.best_e1rm is None else to_unit(p.best_e1rm, unit) for p in points]
            dots = [None if p.top_set.load_kg is None else to_unit(p.top_set.load_kg, unit) for p in points]
            names, axis = ("Estimated 1RM (Epley)", "Top set load"), unit
        elif self.measure == "seconds":  # a timed hold: how long, not how heavy
            line = dots = [p.top_set.seconds for p in points]
            names, axis = ("Longest hold", "Longest hold"), "seconds"
        else:  # body weight: how many
            line = dots = [p.top_set.reps for p in points]
            names, axis = ("Most reps in a set", "Most reps in a set"), "reps"
        # Only real values go to pyqtgraph: an all-NaN series makes numpy warn ("All-NaN slice").
        line_x, line_y = _finite(xs, line)
        self.e1rm.setData(line_x, line_y)
        if self.measure == "load":
            self.top.setData(*_finite(xs, dots))
            pr = [i for i, p in enumerate(points) if p.is_pr and line[i] is not None]
            self.prs.setData(xs[pr], np.array([line[i] for i in pr], dtype=float))
        else:
            self.top.setData([], [])
            self.prs.setData([], [])
        self._name_series(names[0])
        self.plot.getPlotItem().setLabel("left", axis)
        self.plot.getPlotItem().enableAutoRange()
        self.readout.setText(self.describe(len(points) - 1) if points else "No sets logged for this exercise yet.")

    def _name_series(self, name: str) -> None:
        legend = self.plot.getPlotItem().legend
        if legend is None:
            return
        label = legend.getLabel(self.e1rm)
        if label is not None:
            label.setText(name)
        for item in (self.top, self.prs):  # no dots or stars for holds and body-weight reps
            if self.measure == "load" and legend.getLabel(item) is None:
                legend.addItem(item, item.name())
            elif self.measure != "load" and legend.getLabel(item) is not None:
                legend.removeItem(item)

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

    def __init__(self, pattern_names: dict[str, str], parent: QWidget | None = None, legend: bool = True):
        """`legend=False`: `add_legend()` comes later (History makes the plot, the legend and
        the curves on separate turns while a session may run)."""
        super().__init__(parent)
        if legend:
            self.add_legend()
        self._names = dict(pattern_names)
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._weeks: list[WeekVolume] = []
        self._measure = "sets"
        self._unit = "kg"
        self.range_weeks: int | None = 53  # what the chart opens on; None: everything

    def add_legend(self) -> None:
        _legend(self.plot, self.theme)

    def add_curves(self, weeks: Sequence[WeekVolume], most: int) -> bool:
        """Make up to `most` of the curves (and legend rows) `set_weeks(weeks)` needs and has not
        got, empty until then, in the colours it would give them; whether any are still missing."""
        patterns = self._patterns(weeks)
        missing = [p for p in patterns if p not in self._curves]
        for pattern in missing[:most]:
            self._curve(pattern, patterns.index(pattern))
        return len(missing) > most

    def _patterns(self, weeks: Sequence[WeekVolume]) -> list[str]:
        return [p for p in self._names if any(p in w.by_pattern for w in weeks)]

    def _curve(self, pattern: str, place: int) -> pg.PlotDataItem:
        colour = SERIES_COLOURS[place % len(SERIES_COLOURS)]
        # One-pixel lines: a wider pen is stroked as a path, three times slower per redraw.
        curve = self.plot.plot([], [], pen=pg.mkPen(colour, width=1), name=self._names[pattern])
        self._curves[pattern] = curve
        return curve

    def show_range(self, weeks: int | None) -> None:
        """Show the last `weeks` weeks (None: all of them); drag or scroll to see more."""
        self.range_weeks = weeks
        xs = self._xs
        item = self.plot.getPlotItem()
        if not len(xs):
            return
        first = xs[0] if weeks is None or len(xs) <= weeks else xs[-weeks]
        item.setXRange(first, xs[-1] + 3.5 * 86400, padding=0.02)

    def set_weeks(self, weeks: Sequence[WeekVolume], unit: str, measure: str = "sets") -> None:
        """`measure`: "sets" (hard sets) or "tonnage"."""
        self._weeks = list(weeks)
        self._unit = unit
        self._measure = measure
        xs = np.array([timestamp(w.week_start) for w in weeks], dtype=float)
        self._xs = xs
        patterns = self._patterns(weeks)
        for i, pattern in enumerate(patterns):
            curve = self._curves.get(pattern) or self._curve(pattern, i)
            ys = np.array([self._value(w, pattern) for w in weeks], dtype=float)
            curve.setData(xs, ys)
        for pattern, curve in self._curves.items():
            if pattern not in patterns:
                curve.setData([], [])
        self.plot.getPlotItem().setLabel("left", "hard sets / week" if measure == "sets" else f"{unit} / week")
        self.plot.getPlotItem().enableAutoRange()
        self.show_range(self.range_weeks)  # years of weekly lines are a tangle: the last twelve months at first
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
            value = (f"{pv.hard_sets:g} set{'' if pv.hard_sets == 1 else 's'}" if self._measure == "sets"
                     else format_tonnage(pv.tonnage_kg, self._unit))
            bits.append(f"{name} {value}")
        return f"<b>Week of {w.week_start:%d %b %Y}</b> · " + (" · ".join(bits) or "no training")


def progress_measure(points: Sequence[ProgressPoint]) -> str:
    """What an exercise's chart shows: "load" when any set had one, else "seconds" for
    holds, else "reps" (body-weight exercises)."""
    if any(p.top_set.load_kg is not None for p in points):
        return "load"
    if any(p.top_set.seconds for p in points) and not any(p.top_set.reps for p in points):
        return "seconds"
    return "reps"


def _finite(xs: np.ndarray, values: Sequence[float | None]) -> tuple[np.ndarray, np.ndarray]:
    keep = [i for i, v in enumerate(values) if v is not None and np.isfinite(v)]
    return xs[keep] if len(xs) else np.empty(0), np.array([values[i] for i in keep], dtype=float)


def pattern_names(library_patterns: dict[str, str]) -> dict[str, str]:
    names = dict(library_patterns)
    names["other"] = "Other (custom)"
    return names


class BodyWeightChart(_Chart):
    """The lifter's body weight over time: a line through every logged day."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        t = self.theme
        self.line = self.plot.plot([], [], pen=pg.mkPen(t.accent, width=2.5), symbol="o", symbolSize=6,
                                   symbolPen=None, symbolBrush=QColor(t.accent))
        self.plot.getPlotItem().setLabel("left", "kg")
        self._entries: list = []
        self._unit = "kg"

    def set_entries(self, entries: Sequence, unit: str) -> None:
        self._entries = list(entries)
        self._unit = unit
        self.plot.getPlotItem().setLabel("left", unit)
        xs = np.array([timestamp(date.fromisoformat(e.day)) for e in entries], dtype=float)
        ys = np.array([to_unit(e.kg, unit) for e in entries], dtype=float)
        self._xs = xs
        self.line.setData(xs, ys)
        if len(xs):
            self.plot.getPlotItem().enableAutoRange()

    def points(self) -> list[tuple[float, float]]:
        xs, ys = self.line.getData()
        return [] if xs is None else list(zip(xs.tolist(), ys.tolist()))

    def describe(self, index: int) -> str:
        e = self._entries[index]
        return f"<b>{date.fromisoformat(e.day):%d %b %Y}</b> · {format_load(e.kg, self._unit)}"
