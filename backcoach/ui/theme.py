"""Light and dark palettes, type sizes, and the anatomy figure's colours.

The app uses Qt's Fusion style with its own palettes so it looks the same on every
desktop and keeps good contrast on a dim gym laptop screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from backcoach.anatomy import FigureColours

THEMES = ("light", "dark")


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
    card: str
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
    card="#ffffff",
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
    card="#25272b",
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


def style_sheet(theme: Theme) -> str:
    """The few rules the palette cannot express: cards, headings, chips."""
    return f"""
    QWidget#card {{ background: {theme.card}; border: 1px solid {theme.border}; border-radius: 8px; }}
    QLabel[role="title"] {{ font-size: 20pt; font-weight: 600; }}
    QLabel[role="heading"] {{ font-size: 12pt; font-weight: 600; color: {theme.text}; margin-top: 6px; }}
    QLabel[role="muted"] {{ color: {theme.muted}; }}
    QLabel[role="cue"] {{ font-size: 13pt; font-weight: 600; color: {theme.accent}; }}
    QLabel[role="chip"] {{ background: {theme.alternate}; border: 1px solid {theme.border};
                          border-radius: 10px; padding: 2px 9px; color: {theme.text}; }}
    QPushButton[role="link"] {{ border: 1px solid {theme.border}; border-radius: 12px; padding: 3px 10px;
                               background: {theme.base}; color: {theme.text}; }}
    QPushButton[role="link"]:hover {{ border-color: {theme.accent}; color: {theme.accent}; }}
    QPushButton[role="current"] {{ border: 1px solid {theme.accent}; border-radius: 12px; padding: 3px 10px;
                                  background: {theme.accent}; color: {theme.accent_text}; font-weight: 600; }}
    QListView#nav {{ background: {theme.alternate}; border: none; border-right: 1px solid {theme.border};
                     font-size: 12pt; padding-top: 8px; outline: 0; }}
    QListView#nav::item {{ padding: 10px 14px; border-radius: 6px; margin: 2px 6px; }}
    QListView#nav::item:selected {{ background: {theme.accent}; color: {theme.accent_text}; }}
    QListView#exerciseList {{ border: 1px solid {theme.border}; border-radius: 6px; outline: 0; }}
    QListView#exerciseList::item {{ padding: 2px; }}
    QScrollArea {{ border: none; }}
    """


def apply_theme(app: QApplication, theme: Theme) -> None:
    app.setStyle("Fusion")
    app.setPalette(palette_for(theme))
    app.setStyleSheet(style_sheet(theme))
    font = QFont(app.font())
    font.setPointSizeF(10.5)
    app.setFont(font)
    app.setProperty("backcoach_theme", theme.name)


def current_theme() -> Theme:
    app = QApplication.instance()
    name = app.property("backcoach_theme") if app is not None else None
    return theme_by_name(name or "light")
