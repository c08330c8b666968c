"""A widget that draws the anatomy figure(s) with an exercise's muscles lit.

Primary muscles are drawn in a strong colour, secondary ones in a lighter tint, the rest
neutral. Hovering names a muscle; clicking one emits `muscle_clicked`. Hit-testing uses a
flat-colour "id map" of the same figure rendered at the widget's size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from backcoach.anatomy import Figure, deep_muscles, figure_views, load_figures
from backcoach.library import Muscle
from backcoach.pauses import short_gil_turns
from backcoach.ui.theme import Theme, current_theme

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

VIEW_LABELS = {"back": "Back", "deep-back": "Back, deep", "front": "Front", "deep-front": "Front, deep"}
# When a label does not fit its narrow view: a deep view always sits right of its surface.
SHORT_VIEW_LABELS = {"deep-back": "Deep", "deep-front": "Deep"}


def render_figure(
    figure: Figure,
    size: QSize,
    theme: Theme,
    primary: Iterable[str] = (),
    secondary: Iterable[str] = (),
    shades: Mapping[str, str] | None = None,
    hovered: str | None = None,
) -> QImage:
    """The figure rendered into a transparent image of `size` (aspect kept, centred)."""
    size = size.expandedTo(QSize(1, 1))  # a null image would leave the painter inactive
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(figure.coloured(theme.figure, primary, secondary, shades, hovered))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, _fit(figure, QRectF(0, 0, size.width(), size.height())))
    painter.end()
    return image


_render_worker: ThreadPoolExecutor | None = None


def _renderer() -> ThreadPoolExecutor:
    """One thread that renders figures off the UI thread (QImage and QSvgRenderer may be used
    outside the GUI thread, unlike QPixmap and widgets); made, and its module imported, when
    a figure first needs it rather than at start-up."""
    global _render_worker
    if _render_worker is None:
        from concurrent.futures import ThreadPoolExecutor

        _render_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="backcoach-figure")
    return _render_worker


def render_id_map(figure: Figure, size: QSize) -> tuple[QImage, dict[int, str]]:
    """The figure's id map rendered without antialiasing: each muscle pixel's RGB is a code
    for its muscle (see Figure.id_map); everything else is transparent."""
    svg, codes = figure.id_map()
    size = size.expandedTo(QSize(1, 1))
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    QSvgRenderer(svg).render(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    return image, codes


# A list thumbnail shows the figure from the head to just below the knees: no catalogue
# muscle lies lower, and the third more height makes the lit muscles readable at 52 px.
THUMBNAIL_SPAN = 0.76


def figure_thumbnail(
    figure: Figure, height: int, theme: Theme, primary: Iterable[str], secondary: Iterable[str], ratio: float = 1.0
) -> QPixmap:
    width = max(1, round(height * figure.aspect / THUMBNAIL_SPAN))
    full = QSize(round(width * ratio), round(height * ratio / THUMBNAIL_SPAN))
    image = render_figure(figure, full, theme, primary, secondary).copy(0, 0, full.width(), round(height * ratio))
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def _fit(figure: Figure, rect: QRectF) -> QRectF:
    """The largest rectangle of the figure's aspect centred in `rect`."""
    aspect = figure.aspect
    w, h = rect.width(), rect.height()
    if w / max(h, 1e-9) > aspect:
        w = h * aspect
    else:
        h = w / aspect
    return QRectF(rect.x() + (rect.width() - w) / 2, rect.y() + (rect.height() - h) / 2, w, h)


class AnatomyFigure(QWidget):
    """The back and front figures with muscles lit, and a deep view beside its superficial one
    when a lit muscle lies under others; optional legend below.

    With `views` left None the views follow what is lit (see anatomy.figure_views); a fixed
    list keeps them."""

    muscle_clicked = Signal(str)
    muscle_hovered = Signal(str)  # "" when the mouse leaves every muscle

    LEGEND_HEIGHT = 28
    LABEL_HEIGHT = 20

    _rendered = Signal(object)  # (generation, key, QImage) from the render thread, queued here

    def __init__(
        self,
        muscles: Mapping[str, Muscle],
        views: Sequence[str] | None = None,
        legend: bool = True,
        parent: QWidget | None = None,
        theme: Theme | None = None,
    ):
        super().__init__(parent)
        self._theme = theme  # None: follow the app's theme; gym mode fixes it to dark
        self._muscles = muscles
        self._figures = load_figures(muscles.keys())
        self._auto_views = views is None
        self._deep = deep_muscles(self._figures)
        self._views = figure_views(self._figures, ()) if views is None else [v for v in views if v in self._figures]
        self._legend = legend
        self._primary: frozenset[str] = frozenset()
        self._secondary: frozenset[str] = frozenset()
        self._shades: dict[str, str] | None = None
        self._hovered: str | None = None
        self._cache: dict[str, QImage] = {}
        self._id_maps: dict[str, tuple[QImage, dict[int, str]]] = {}
        # Off the UI thread (History during a session): re-rendering the SVG takes ~20 ms, more
        # than a frame, so it is done on the render thread and the last image stays until then.
        self.render_off_thread = False
        self._generation = 0
        self._asked: set[str] = set()  # keys being rendered for this generation
        self._last: dict[str, QImage] = {}  # each view's latest image, shown while a new one renders
        self._rendered.connect(self._take_rendered, Qt.ConnectionType.QueuedConnection)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 160)

    # --- public API -------------------------------------------------------------------
    def set_highlight(self, primary: Iterable[str], secondary: Iterable[str] = ()) -> None:
        self._primary, self._secondary = frozenset(primary), frozenset(secondary)
        self._shades = None
        self._follow_views(self._primary | self._secondary)
        self._invalidate()

    def set_shades(self, shades: Mapping[str, str]) -> None:
        """Colour muscles individually (a heatmap); replaces the primary/secondary colouring."""
        self._shades = dict(shades)
        self._follow_views(self._shades)
        self._invalidate()

    def set_views(self, views: Sequence[str]) -> None:
        """Fix the views shown (they no longer follow the highlight)."""
        self._auto_views = False
        self._views = [v for v in views if v in self._figures]
        self._invalidate(id_maps=True)

    def view_label(self, view: str, width: float) -> str:
        """The view's name above it, shortened (then elided) when the view is too narrow."""
        metrics = self.fontMetrics()
        label = VIEW_LABELS[view]
        if metrics.horizontalAdvance(label) > width:
            label = SHORT_VIEW_LABELS.get(view, label)
        return metrics.elidedText(label, Qt.TextElideMode.ElideRight, max(0, round(width)))

    def _follow_views(self, muscles: Iterable[str]) -> None:
        if self._auto_views:
            views = figure_views(self._figures, muscles)
            if views != self._views:
                self._views = views
                self._id_maps.clear()

    def tooltip_text(self, muscle: str) -> str:
        """What hovering a muscle says: its name, its role here, whether it is deep, its job."""
        info = self._muscles[muscle]
        role = ("primary" if muscle in self._primary else "secondary" if muscle in self._secondary else None)
        text = f"<b>{info.name}</b>" + (f" — {role}" if role else "")
        if muscle in self._deep:
            text += "<br><i>Deep muscle: it lies under others, so it is drawn in the deep view.</i>"
        text += f"<br>{info.function}"
        return text + "<br><i>Click to list exercises for this muscle</i>"

    def views(self) -> list[str]:
        return list(self._views)

    def primary(self) -> frozenset[str]:
        return self._primary

    def secondary(self) -> frozenset[str]:
        return self._secondary

    def muscle_at(self, pos: QPoint) -> str | None:
        """The muscle under a point in widget coordinates, or None."""
        for view, rect in self._view_rects():
            if not rect.contains(pos):
                continue
            image, codes = self._id_map(view, rect)
            x, y = pos.x() - round(rect.x()), pos.y() - round(rect.y())
            if 0 <= x < image.width() and 0 <= y < image.height():
                pixel = image.pixel(x, y)
                if (pixel >> 24) & 0xFF == 0xFF:
                    return codes.get(pixel & 0xFFFFFF)
        return None

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(320, 360)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return False

    # --- layout -------------------------------------------------------------------------
    def _figure_area(self) -> QRectF:
        bottom = self.LEGEND_HEIGHT if self._legend else 0
        return QRectF(self.rect()).adjusted(4, 4, -4, -4 - bottom)

    def _view_rects(self) -> list[tuple[str, QRectF]]:
        area = self._figure_area()
        if not self._views:
            return []
        label = self.LABEL_HEIGHT if len(self._views) > 1 else 0
        width = area.width() / len(self._views)
        rects = []
        for i, view in enumerate(self._views):
            cell = QRectF(area.x() + i * width, area.y() + label, width, area.height() - label)
            fitted = _fit(self._figures[view], cell.adjusted(2, 0, -2, 0))
            rects.append((view, QRectF(round(fitted.x()), round(fitted.y()), round(fitted.width()), round(fitted.height()))))
        return rects

    # --- rendering ---------------------------------------------------------------------
    def _invalidate(self, id_maps: bool = False) -> None:
        self._generation += 1
        self._asked.clear()
        self._cache.clear()
        if id_maps:
            self._id_maps.clear()
        self.update()

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:  # light/dark switched
            self._cache.clear()
        super().changeEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._cache.clear()
        self._id_maps.clear()
        super().resizeEvent(event)

    def _image(self, view: str, rect: QRectF) -> QImage | None:
        """The view's image at this size; off the UI thread, the previous one (or None) until
        the new one has been rendered."""
        key = f"{view}:{rect.width():.0f}x{rect.height():.0f}"
        image = self._cache.get(key)
        if image is not None:
            return image
        ratio = self.devicePixelRatioF()
        size = QSize(round(rect.width() * ratio), round(rect.height() * ratio))
        args = (self._figures[view], size, self._theme or current_theme(), self._primary, self._secondary,
                self._shades, self._hovered)
        if not self.render_off_thread:
            image = render_figure(*args)
            image.setDevicePixelRatio(ratio)
            self._cache[key] = self._last[view] = image
            return image
        if key not in self._asked:
            self._asked.add(key)
            generation, rendered = self._generation, self._rendered

            def run() -> None:
                with short_gil_turns():
                    done = render_figure(*args)
                    done.setDevicePixelRatio(ratio)
                try:
                    rendered.emit((generation, key, done))
                except RuntimeError:  # the widget is gone
                    pass

            _renderer().submit(run)
        return self._last.get(view)

    def _take_rendered(self, outcome: tuple) -> None:
        generation, key, image = outcome
        if generation == self._generation:
            self._cache[key] = self._last[key.split(":", 1)[0]] = image
            self.update()

    def rendering(self) -> bool:
        """True while an image asked for is still being rendered off the UI thread."""
        return any(key not in self._cache for key in self._asked)

    def _id_map(self, view: str, rect: QRectF) -> tuple[QImage, dict[int, str]]:
        cached = self._id_maps.get(view)
        size = QSize(round(rect.width()), round(rect.height()))
        if cached is None or cached[0].size() != size:
            cached = render_id_map(self._figures[view], size)
            self._id_maps[view] = cached
        return cached

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        theme = self._theme or current_theme()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        multi = len(self._views) > 1
        for view, rect in self._view_rects():
            if rect.width() < 2 or rect.height() < 2:  # squeezed to nothing while laying out
                continue
            image = self._image(view, rect)
            if image is not None:
                painter.drawImage(rect.topLeft(), image)
            if multi:
                painter.setPen(QColor(theme.muted))
                label_rect = QRectF(rect.x(), rect.y() - self.LABEL_HEIGHT, rect.width(), self.LABEL_HEIGHT)
                painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, self.view_label(view, rect.width()))
        if self._legend:
            self._paint_legend(painter, theme)
        painter.end()

    def _paint_legend(self, painter: QPainter, theme: Theme) -> None:
        if self._shades is not None:
            return
        items = [(theme.figure.primary, "Primary"), (theme.figure.secondary, "Secondary")]
        metrics = painter.fontMetrics()
        swatch = 14
        gap = 18
        total = sum(swatch + 6 + metrics.horizontalAdvance(text) for _, text in items) + gap * (len(items) - 1)
        x = (self.width() - total) / 2
        y = self.height() - self.LEGEND_HEIGHT / 2
        for colour, text in items:
            painter.setPen(QColor(theme.figure.muscle_stroke))
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(QRectF(x, y - swatch / 2, swatch, swatch), 3, 3)
            painter.setPen(QColor(theme.text))
            text_width = metrics.horizontalAdvance(text)
            painter.drawText(QRectF(x + swatch + 6, y - 10, text_width + 2, 20),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
            x += swatch + 6 + text_width + gap

    # --- interaction -------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        muscle = self.muscle_at(event.position().toPoint())
        if muscle != self._hovered:
            self._hovered = muscle
            self._cache.clear()
            self.update()
            self.muscle_hovered.emit(muscle or "")
            self.setCursor(Qt.CursorShape.PointingHandCursor if muscle else Qt.CursorShape.ArrowCursor)
        if muscle:
            text = self.tooltip_text(muscle)
            QToolTip.showText(event.globalPosition().toPoint(), f"<div style='max-width:280px'>{text}</div>", self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802
        if self._hovered is not None:
            self._hovered = None
            self._cache.clear()
            self.update()
            self.muscle_hovered.emit("")
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            muscle = self.muscle_at(event.position().toPoint())
            if muscle:
                self.muscle_clicked.emit(muscle)
        super().mouseReleaseEvent(event)
