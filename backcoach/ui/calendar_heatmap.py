"""A year of training at a glance: one cell per day, darker for more hard sets."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from PySide6.QtCore import QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from backcoach.ui.theme import current_theme

LEVELS = 5
# Hard sets in a day for each shade: fixed bands, so a square means the same in every year.
BANDS = ((0, "rest"), (1, "1–5"), (6, "6–10"), (11, "11–15"), (16, "16+"))


def shade_level(amount: float) -> int:
    """0 for a rest day, then 1–4 by the day's hard sets (see BANDS)."""
    level = 0
    for i, (low, _label) in enumerate(BANDS):
        if amount >= low and (low > 0 or amount > 0):
            level = i
    return level


class ConsistencyCalendar(QWidget):
    """53 week columns × 7 weekday rows, Monday on top, today's week on the right."""

    GAP = 3
    @property
    def LEFT(self) -> int:  # noqa: N802 - the weekday labels' column, as wide as "Wed" needs
        return self.fontMetrics().horizontalAdvance("Wed") + 12
    TOP = 20  # month labels

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._amounts: dict[date, float] = {}
        self._today = date.today()
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_days(self, amounts: Mapping[date, float], today: date) -> None:
        self._amounts = dict(amounts)
        self._today = today
        self.update()

    @property
    def CELL(self) -> int:  # noqa: N802 - reads like the constant it replaces
        """Squares grow with the window, between readable and huge."""
        return max(11, min(24, (self.width() - self.LEFT - 8) // 53 - self.GAP))

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        cell = max(11, min(24, (width - self.LEFT - 8) // 53 - self.GAP))
        return self.TOP + 7 * (cell + self.GAP) + cell + 24

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.LEFT + 53 * 17 + 8, self.heightForWidth(self.LEFT + 53 * 17 + 8))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.LEFT + 53 * 14 + 8, self.heightForWidth(self.LEFT + 53 * 14 + 8))

    def resizeEvent(self, event) -> None:  # noqa: N802
        self.setMinimumHeight(self.heightForWidth(self.width()))
        super().resizeEvent(event)

    def _first_day(self) -> date:
        this_monday = self._today - timedelta(days=self._today.weekday())
        return this_monday - timedelta(weeks=52)

    def day_at(self, pos: QPoint) -> date | None:
        step = self.CELL + self.GAP
        col, row = (pos.x() - self.LEFT) // step, (pos.y() - self.TOP) // step
        if not (0 <= col < 53 and 0 <= row < 7) or pos.x() < self.LEFT or pos.y() < self.TOP:
            return None
        day = self._first_day() + timedelta(days=col * 7 + row)
        return day if day <= self._today else None

    def colour(self, level: int) -> QColor:
        theme = current_theme()
        if level == 0:
            return QColor(theme.alternate if not theme.is_dark else theme.border)
        base = QColor(theme.figure.primary)
        blank = QColor(theme.base)
        t = (0.25, 0.5, 0.75, 1.0)[level - 1]
        return QColor(
            round(blank.red() + (base.red() - blank.red()) * t),
            round(blank.green() + (base.green() - blank.green()) * t),
            round(blank.blue() + (base.blue() - blank.blue()) * t),
        )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        theme = current_theme()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(theme.muted))
        # The sizes and the five shades once a paint, not once a day: 371 days looked the sizes
        # up on the widget (slow through PySide) and mixed their colour each time (most of a
        # frame, while a session may be running). A day's square: column a week, row a weekday.
        cell, left = self.CELL, self.LEFT
        step = cell + self.GAP
        shades = [self.colour(level) for level in range(LEVELS)]
        for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
            painter.drawText(QRectF(0, self.TOP + row * step - 2, left - 6, cell + 4),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
        first = self._first_day()
        day = first
        last_month = None
        painter.setPen(Qt.PenStyle.NoPen)
        for offset in range((self._today - first).days + 1):
            column = left + (offset // 7) * step
            if day.weekday() == 0 and day.month != last_month:
                last_month = day.month
                painter.setPen(QColor(theme.muted))
                painter.drawText(QRectF(column, 0, 40, self.TOP - 4),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, day.strftime("%b"))
                painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(shades[shade_level(self._amounts.get(day, 0.0))])
            painter.drawRoundedRect(QRectF(column, self.TOP + (offset % 7) * step, cell, cell), 3, 3)
            day += timedelta(days=1)
        # legend: one square per band, with its hard sets
        y = self.TOP + 7 * step + 10
        metrics = painter.fontMetrics()
        x = float(left)
        painter.setPen(QColor(theme.muted))
        painter.drawText(QRectF(x, y - 2, 140, cell + 4), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         "Hard sets a day:")
        x += metrics.horizontalAdvance("Hard sets a day:") + 12
        for level, (_low, label) in enumerate(BANDS):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(shades[level])
            painter.drawRoundedRect(QRectF(x, y, cell, cell), 3, 3)
            painter.setPen(QColor(theme.muted))
            width = metrics.horizontalAdvance(label) + 4
            painter.drawText(QRectF(x + cell + 5, y - 2, width, cell + 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
            x += cell + 5 + width + 14
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        day = self.day_at(event.position().toPoint())
        if day is None:
            QToolTip.hideText()
            return
        amount = self._amounts.get(day, 0.0)
        what = f"{amount:g} hard sets" if amount else "no training"
        QToolTip.showText(event.globalPosition().toPoint(), f"{day:%a %d %b %Y}: {what}", self)
