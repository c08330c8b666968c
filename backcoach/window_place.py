"""Where the main window was: its place, size, maximised or full-screen state and last area,
remembered across runs (as the `window_state` setting) and put back on a screen that exists.

Monitors come and go (the laptop at home on a big screen, at the gym on its own), so a saved
place is checked against today's screens: a window that would be mostly off every screen is
moved onto the first one and shrunk to fit it. Pure Python: the UI passes the screens in.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from backcoach.validation import is_int

Rect = tuple[int, int, int, int]  # x, y, width, height

MIN_VISIBLE = (160, 60)
"""Enough of the window to grab and drag it: its title bar's width and height, about."""


@dataclass(frozen=True)
class WindowPlace:
    x: int
    y: int
    width: int
    height: int
    maximized: bool = False
    full_screen: bool = False  # gym mode was on: a session is resumed full screen
    area: str = "library"
    screen: str = ""  # the monitor's name, to reopen gym mode on the same one

    @property
    def rect(self) -> Rect:
        return self.x, self.y, self.width, self.height

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> WindowPlace | None:
        """The saved place, or None when there is none or it is not one (never an error: a
        damaged window place only costs the user a default-sized window)."""
        if not text:
            return None
        try:
            data = json.loads(text)
            place = cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        except (ValueError, TypeError):
            return None
        ints = (place.x, place.y, place.width, place.height)
        if not all(is_int(v) and abs(v) < 100_000 for v in ints):
            return None
        if place.width <= 0 or place.height <= 0:
            return None
        if not (isinstance(place.area, str) and isinstance(place.screen, str)
                and isinstance(place.maximized, bool) and isinstance(place.full_screen, bool)):
            return None
        return place


def _overlap(a: Rect, b: Rect) -> tuple[int, int]:
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, w), max(0, h)


def fit_on_screens(rect: Rect, screens: list[Rect]) -> Rect:
    """`rect` if its top edge (where the title bar is) is on a screen enough to grab it; else
    the same size, shrunk to fit, centred on the first screen."""
    if not screens:
        return rect
    x, y, w, h = rect
    title_bar = (x, y, w, MIN_VISIBLE[1])
    for screen in screens:
        ow, oh = _overlap(title_bar, screen)
        if ow >= min(MIN_VISIBLE[0], w) and oh >= min(MIN_VISIBLE[1], h) and y >= screen[1]:
            return rect
    sx, sy, sw, sh = screens[0]
    w, h = min(w, sw), min(h, sh)
    return sx + (sw - w) // 2, sy + (sh - h) // 2, w, h
