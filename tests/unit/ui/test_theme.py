"""Switching between light and dark restyles what is already on screen."""

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from backcoach.ui.anatomy import AnatomyFigure
from backcoach.ui.theme import DARK, LIGHT, apply_theme, current_theme
from backcoach.ui.widgets import text_label


def test_labels_and_figures_follow_a_theme_switch(qtbot, themed_app, library):
    label = text_label("Heading", role="muted")
    figure = AnatomyFigure(library.muscles)
    figure.set_highlight(["lats"])
    for w in (label, figure):
        qtbot.add_widget(w)
        w.show()
    figure.grab()  # render once in the light theme (cached)
    assert label.palette().color(QPalette.ColorRole.WindowText) == QColor(LIGHT.muted)
    try:
        apply_theme(QApplication.instance(), DARK)
        QApplication.processEvents()
        assert current_theme() is DARK
        assert label.palette().color(QPalette.ColorRole.WindowText) == QColor(DARK.muted)
        colours = {figure.grab().toImage().pixelColor(x, y).name()
                   for x in range(0, figure.width(), 3) for y in range(0, figure.height(), 3)}
        assert DARK.figure.primary in colours and LIGHT.figure.primary not in colours
    finally:
        apply_theme(QApplication.instance(), LIGHT)
