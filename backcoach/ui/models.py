"""Qt item models over core data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from backcoach.anatomy import best_view, load_figures
from backcoach.library import Exercise, Library
from backcoach.ui.anatomy import figure_thumbnail
from backcoach.ui.theme import current_theme

ExerciseIdRole = Qt.ItemDataRole.UserRole
SubtitleRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class ExerciseListModel(QAbstractListModel):
    """The exercises currently shown in the library list, in the order given."""

    THUMB_HEIGHT = 52

    def __init__(self, library: Library, parent=None):
        super().__init__(parent)
        self._library = library
        self._items: list[Exercise] = []
        self._thumbs: dict[tuple[str, str, float], QPixmap] = {}
        self._figures = load_figures(library.muscles.keys())

    def set_exercises(self, exercises: Sequence[Exercise]) -> None:
        self.beginResetModel()
        self._items = list(exercises)
        self.endResetModel()

    def exercises(self) -> list[Exercise]:
        return list(self._items)

    def row_of(self, exercise_id: str) -> int:
        for row, ex in enumerate(self._items):
            if ex.id == exercise_id:
                return row
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        ex = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return ex.name
        if role == ExerciseIdRole:
            return ex.id
        if role == SubtitleRole:
            return self.subtitle(ex)
        if role == Qt.ItemDataRole.ToolTipRole:
            return ex.focus_cue
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(ex)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{ex.name}. {self.subtitle(ex)}"
        return None

    def subtitle(self, ex: Exercise) -> str:
        lib = self._library
        muscles = ", ".join(lib.muscles[m].name for m in ex.primary_muscles[:2])
        return f"{lib.patterns[ex.pattern]} · {lib.levels[ex.level]} · {muscles}"

    def _thumbnail(self, ex: Exercise) -> QPixmap:
        theme = current_theme()
        key = (ex.id, theme.name, 1.0)
        pixmap = self._thumbs.get(key)
        if pixmap is None:
            figure = self._figures[best_view(self._figures, ex.primary_muscles)]
            pixmap = figure_thumbnail(figure, self.THUMB_HEIGHT, theme, ex.primary_muscles, ex.secondary_muscles)
            self._thumbs[key] = pixmap
        return pixmap


class ExerciseDelegate(QStyledItemDelegate):
    """Two lines per exercise (name, then pattern · level · muscles) beside a figure thumbnail."""

    PADDING = 6

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        height = max(ExerciseListModel.THUMB_HEIGHT, option.fontMetrics.height() * 2 + 6) + self.PADDING * 2
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        theme = current_theme()
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        # The view is this delegate's parent. Reading `option.widget` instead crashed: PySide
        # can hand back a dangling pointer from the style option (seen with 6.11 under pytest).
        view = self.parent()
        style = view.style() if isinstance(view, QWidget) else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                            view if isinstance(view, QWidget) else None)
        rect = option.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        thumb = index.data(Qt.ItemDataRole.DecorationRole)
        x = rect.x()
        if isinstance(thumb, QPixmap) and not thumb.isNull():
            w = round(thumb.width() / thumb.devicePixelRatio())
            h = round(thumb.height() / thumb.devicePixelRatio())
            painter.drawPixmap(x, rect.y() + (rect.height() - h) // 2, thumb)
            x += w + 10
        text_rect = QRect(x, rect.y(), rect.right() - x, rect.height())
        name_font = QFont(option.font)
        name_font.setWeight(QFont.Weight.DemiBold)
        name_font.setPointSizeF(option.font.pointSizeF() * 1.08)
        fg = QColor(theme.accent_text if selected else theme.text)
        muted = QColor(theme.accent_text if selected else theme.muted)
        painter.setFont(name_font)
        painter.setPen(fg)
        top = QRect(text_rect.x(), text_rect.y(), text_rect.width(), text_rect.height() // 2)
        bottom = QRect(text_rect.x(), text_rect.y() + text_rect.height() // 2, text_rect.width(), text_rect.height() // 2)
        name = painter.fontMetrics().elidedText(index.data(), Qt.TextElideMode.ElideRight, top.width())
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, name)
        painter.setFont(option.font)
        painter.setPen(muted)
        sub = painter.fontMetrics().elidedText(index.data(SubtitleRole), Qt.TextElideMode.ElideRight, bottom.width())
        painter.drawText(bottom.adjusted(0, 2, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, sub)
        painter.restore()
