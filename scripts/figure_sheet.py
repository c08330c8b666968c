"""Draw a contact sheet of every exercise's anatomy figure: docs/figures-light.png and
docs/figures-dark.png, for reviewing the drawings the way the app shows them.

Each cell is one exercise: its name and the views the detail pane shows for it (back and
front, plus a deep view beside its surface when a lit muscle lies under others), rendered
by the app's own code. Run: `python scripts/figure_sheet.py` (offscreen, no display needed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRect, QSize, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QImage, QPainter  # noqa: E402

from backcoach.anatomy import figure_views, load_figures  # noqa: E402
from backcoach.library import load_library  # noqa: E402
from backcoach.ui.anatomy import VIEW_LABELS, render_figure  # noqa: E402
from backcoach.ui.app import create_application  # noqa: E402
from backcoach.ui.theme import theme_by_name  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs"
COLUMNS = 4
FIG_H = 300
CELL_W = 600
TITLE_H = 40
LABEL_H = 18
CELL_H = TITLE_H + LABEL_H + FIG_H + 16


def sheet(theme_name: str) -> QImage:
    theme = theme_by_name(theme_name)
    library = load_library()
    figures = load_figures(library.muscles)
    exercises = list(library.exercises.values())
    rows = (len(exercises) + COLUMNS - 1) // COLUMNS
    image = QImage(QSize(COLUMNS * CELL_W, rows * CELL_H), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(theme.window))
    painter = QPainter(image)
    title_font, label_font = QFont(), QFont()
    title_font.setPixelSize(16)
    title_font.setBold(True)
    label_font.setPixelSize(12)
    for i, ex in enumerate(exercises):
        x0, y0 = (i % COLUMNS) * CELL_W, (i // COLUMNS) * CELL_H
        painter.setPen(QColor(theme.text))
        painter.setFont(title_font)
        painter.drawText(QRect(x0 + 8, y0 + 6, CELL_W - 16, TITLE_H - 8),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, ex.name)
        views = figure_views(figures, [*ex.primary_muscles, *ex.secondary_muscles])
        fig_w = round(FIG_H * figures["back"].aspect)
        x = x0 + 8
        for view in views:
            painter.setPen(QColor(theme.muted))
            painter.setFont(label_font)
            painter.drawText(QRect(x, y0 + TITLE_H, fig_w, LABEL_H), Qt.AlignmentFlag.AlignCenter, VIEW_LABELS[view])
            painter.drawImage(x, y0 + TITLE_H + LABEL_H,
                              render_figure(figures[view], QSize(fig_w, FIG_H), theme,
                                            ex.primary_muscles, ex.secondary_muscles))
            x += fig_w + 4
    painter.end()
    return image


def main() -> int:
    create_application("light")
    OUT.mkdir(exist_ok=True)
    for name in ("light", "dark"):
        path = OUT / f"figures-{name}.png"
        sheet(name).save(str(path), "PNG")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
