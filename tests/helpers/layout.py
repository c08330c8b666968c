"""Checks that a rendered window has no clipped text and no overlapping widgets.

`layout_problems(window)` walks every visible widget and returns one line per problem:
a label or button narrower (or shorter) than its text, a tab whose text is elided, a
widget drawn over a sibling, or a widget sticking out of its parent. Screens are checked
the same way whatever they are, so the session's phases can be added to the screen-size
test by rendering them and calling the same function.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QScrollBar,
    QSplitterHandle,
    QTabBar,
    QToolButton,
    QWidget,
)

SIZES = ((1024, 600), (1280, 720), (1366, 768), (1920, 1080))


def settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def _name(w: QWidget) -> str:
    text = ""
    if isinstance(w, (QLabel, QAbstractButton)):
        text = w.text()
    elif isinstance(w, QComboBox):
        text = w.currentText()
    return f"{type(w).__name__}({text[:40]!r})" if text else type(w).__name__


def _visible_children(w: QWidget) -> list[QWidget]:
    return [c for c in w.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if c.isVisible() and not c.isWindow() and c.width() > 0 and c.height() > 0]  # 0 px: nothing shows


def _in_scrolled_content(w: QWidget) -> bool:
    """Inside a scroll area's viewport, being cut by the viewport edge is scrolling, not clipping."""
    p = w.parentWidget()
    while p is not None:
        if isinstance(p.parentWidget(), QAbstractScrollArea) and p is p.parentWidget().viewport():
            return True
        p = p.parentWidget()
    return False


def _text_problem(w: QWidget) -> str | None:
    if isinstance(w, QLabel):
        text = w.text()
        if not text or (w.pixmap() is not None and not w.pixmap().isNull()):
            return None
        rect = w.contentsRect()
        margin = 2 * w.margin() + (2 * w.indent() if w.indent() > 0 else 0)
        if w.wordWrap() or (w.textFormat() == Qt.TextFormat.RichText or (w.textFormat() == Qt.TextFormat.AutoText and "<" in text)):
            need = w.heightForWidth(w.width()) if w.wordWrap() else w.sizeHint().height()
            if need > w.height() + 1:
                return f"{_name(w)} needs {need} px height, has {w.height()}"
            if not w.wordWrap() and w.sizeHint().width() > w.width() + 1:
                return f"{_name(w)} needs {w.sizeHint().width()} px width, has {w.width()}"
            return None
        widest = max(w.fontMetrics().horizontalAdvance(line) for line in text.split("\n"))
        if widest + margin > rect.width() + 1:
            return f"{_name(w)} text needs {widest} px, has {rect.width()}"
        return None
    if isinstance(w, (QPushButton, QToolButton, QCheckBox, QRadioButton)) and w.text():
        hint = w.sizeHint()
        if isinstance(w, QPushButton):  # the label plus the style's padding must fit
            need = w.fontMetrics().horizontalAdvance(w.text().replace("&", "")) + 12
            if w.width() < need:
                return f"{_name(w)} needs {need} px width, has {w.width()}"
        elif w.width() < hint.width() - 1:
            return f"{_name(w)} needs {hint.width()} px width, has {w.width()}"
        if w.height() < w.fontMetrics().height():
            return f"{_name(w)} is {w.height()} px high, its text {w.fontMetrics().height()}"
        return None
    if isinstance(w, QTabBar):
        for i in range(w.count()):
            if w.tabRect(i).width() < w.fontMetrics().horizontalAdvance(w.tabText(i)) + 8:
                return f"tab {w.tabText(i)!r} is elided"
        return None
    if isinstance(w, QHeaderView) and w.orientation() == Qt.Orientation.Horizontal and w.model() is not None:
        for i in range(w.count()):
            if w.isSectionHidden(i):
                continue
            text = str(w.model().headerData(i, Qt.Orientation.Horizontal) or "")
            if text and w.sectionSize(i) < w.fontMetrics().horizontalAdvance(text) + 6:
                return f"column header {text!r} is elided at {w.sectionSize(i)} px"
        return None
    if isinstance(w, QComboBox) and w.currentText():
        if w.fontMetrics().horizontalAdvance(w.currentText()) + 28 > w.width():
            return f"{_name(w)} is elided at {w.width()} px"
    return None


def layout_problems(window: QWidget) -> list[str]:
    """Every clipped text, overlap and widget outside its parent in `window`'s visible widgets."""
    problems: list[str] = []

    def walk(w: QWidget) -> None:
        children = _visible_children(w)
        if not _in_scrolled_content(w):
            problem = _text_problem(w)
            if problem:
                problems.append(problem)
        if isinstance(w, QScrollArea) and w.widget() is not None and w.widget().isVisible():
            off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if w.horizontalScrollBarPolicy() == off and w.widget().width() > w.viewport().width() + 1:
                problems.append(f"{_name(w.widget())} is {w.widget().width()} px wide in a {w.viewport().width()} px "
                                "scroll area that cannot scroll sideways")
        if isinstance(w, QAbstractScrollArea):
            children = [c for c in children if c is w.viewport() or isinstance(c, QHeaderView)]  # scroll bars are Qt's
        checked = [c for c in children if not isinstance(c, (QScrollBar, QSplitterHandle))]
        scrolled = isinstance(w.parentWidget(), QAbstractScrollArea) and w is w.parentWidget().viewport()
        if not scrolled and not _in_scrolled_content(w):
            inside = w.rect().adjusted(-1, -1, 1, 1)
            for c in checked:
                if not inside.contains(c.geometry()):
                    problems.append(f"{_name(c)} at {_rect(c.geometry())} sticks out of {_name(w)} {_rect(w.rect())}")
        for i, a in enumerate(checked):
            for b in checked[i + 1:]:
                overlap = a.geometry().intersected(b.geometry())
                if overlap.width() > 1 and overlap.height() > 1:
                    problems.append(f"{_name(a)} overlaps {_name(b)} in {_name(w)}")
        for c in children:
            walk(c)

    walk(window)
    return problems


def _rect(r: QRect) -> str:
    return f"{r.x()},{r.y()} {r.width()}×{r.height()}"
