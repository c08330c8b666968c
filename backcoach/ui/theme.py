"""Light and dark palettes, type sizes, and the anatomy figure's colours.

The app uses Qt's Fusion style with its own palettes so it looks the same on every
desktop and keeps good contrast on a dim gym laptop screen. No style sheets: they slow
every widget's painting, and the session display repaints many times a second.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from backcoach.anatomy import FigureColours

THEMES = ("light", "dark")
BASE_POINT_SIZE = 10.5  # reads well on a 1366x768 laptop at arm's length


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    base: str
    alternate: str
    text: str
    muted: str
    accent: str
    accent_text: str
    border: str
    figure: FigureColours

    @property
    def is_dark(self) -> bool:
        return self.name == "dark"


LIGHT = Theme(
    name="light",
    window="#f4f2ef",
    base="#ffffff",
    alternate="#f8f6f3",
    text="#1d1b19",
    muted="#5f5a55",
    accent="#c2410c",
    accent_text="#ffffff",
    border="#d6d0c9",
    figure=FigureColours(
        primary="#d9480f",
        secondary="#f6b08e",
        neutral="#ddd7d0",
        muscle_stroke="#9c958d",
        silhouette_fill="#f1ede8",
        silhouette_stroke="#6f6962",
        detail_stroke="#a49d95",
        hover_stroke="#1d1b19",
    ),
)

DARK = Theme(
    name="dark",
    window="#1c1d20",
    base="#25272b",
    alternate="#2b2d32",
    text="#eeece9",
    muted="#a9a49e",
    accent="#fb7a3c",
    accent_text="#1c1d20",
    border="#3e4147",
    figure=FigureColours(
        primary="#ff6b2c",
        secondary="#9a5a40",
        neutral="#4a4d54",
        muscle_stroke="#2a2c31",
        silhouette_fill="#34373d",
        silhouette_stroke="#8d9199",
        detail_stroke="#6c7078",
        hover_stroke="#ffffff",
    ),
)


def theme_by_name(name: str) -> Theme:
    return DARK if name == "dark" else LIGHT


def system_theme_name() -> str:
    """'dark' when the desktop asks for a dark scheme, else 'light'."""
    app = QGuiApplication.instance()
    if app is not None:
        scheme = QGuiApplication.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Dark:
            return "dark"
    return "light"


def palette_for(theme: Theme) -> QPalette:
    p = QPalette()
    c = QColor
    roles = {
        QPalette.ColorRole.Window: theme.window,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.Base: theme.base,
        QPalette.ColorRole.AlternateBase: theme.alternate,
        QPalette.ColorRole.ToolTipBase: theme.base,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.PlaceholderText: theme.muted,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.Button: theme.alternate,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Highlight: theme.accent,
        QPalette.ColorRole.HighlightedText: theme.accent_text,
        QPalette.ColorRole.Link: theme.accent,
        QPalette.ColorRole.Mid: theme.border,
        QPalette.ColorRole.Midlight: theme.alternate,
        QPalette.ColorRole.Dark: theme.border,
    }
    for role, colour in roles.items():
        p.setColor(role, c(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, c(theme.muted))
    return p


# Text roles: (point-size factor, weight, colour attribute of Theme). Set in code rather than
# with a style sheet, which would make Qt polish and paint every widget the slow way.
TEXT_ROLES = {
    "title": (1.9, QFont.Weight.DemiBold, "text"),
    "heading": (1.15, QFont.Weight.DemiBold, "text"),
    "muted": (1.0, QFont.Weight.Normal, "muted"),
    "cue": (1.25, QFont.Weight.DemiBold, "accent"),
    "body": (1.0, QFont.Weight.Normal, "text"),
}


def style_text(widget: QWidget, role: str) -> None:
    """Give a label the font and colour of a text role in the current theme."""
    factor, weight, colour = TEXT_ROLES[role]
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setWeight(weight)
    widget.setFont(font)
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(getattr(current_theme(), colour)))
    widget.setPalette(palette)


def apply_theme(app: QApplication, theme: Theme) -> None:
    app.setStyle("Fusion")
    app.setProperty("backcoach_theme", theme.name)
    app.setPalette(palette_for(theme))
    font = QFont(app.font())
    font.setPointSizeF(BASE_POINT_SIZE)
    app.setFont(font)
    # Widgets that style themselves (ThemedLabel, AnatomyFigure) follow the change through the
    # PaletteChange event Qt sends them. Walking QApplication.allWidgets() instead wrapped
    # half-destroyed widgets and left PySide with stale wrappers: a native crash.


def current_theme() -> Theme:
    app = QApplication.instance()
    name = app.property("backcoach_theme") if app is not None else None
    return theme_by_name(name or "light")


def heat_colour(sets_per_week: float) -> str:
    """A muscle's shade for its weekly sets: the figure's neutral for none, else mixed from
    the page's base to the primary colour by analytics.heat_level (the rule lives there)."""
    from backcoach.analytics import heat_level

    theme = current_theme()
    level = heat_level(sets_per_week)
    if level is None:
        return theme.figure.neutral
    base, blank = theme.figure.primary, theme.base

    def channel(i: int) -> int:
        a, b = int(blank[1 + 2 * i: 3 + 2 * i], 16), int(base[1 + 2 * i: 3 + 2 * i], 16)
        return round(a + (b - a) * level)

    return "#" + "".join(f"{channel(i):02x}" for i in range(3))
