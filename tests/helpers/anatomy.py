"""Finds, for each muscle, a pixel that lies well inside its shape in a rendered figure."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize

from backcoach.anatomy import Figure
from backcoach.ui.anatomy import render_id_map


def muscle_pixels(figure: Figure, size: QSize) -> dict[str, list[tuple[int, int]]]:
    """Pixels of each muscle in the id map rendered at `size` (antialiasing off)."""
    image, codes = render_id_map(figure, size)
    pixels: dict[str, list[tuple[int, int]]] = {}
    for y in range(0, size.height()):
        for x in range(0, size.width()):
            p = image.pixel(x, y)
            if (p >> 24) & 0xFF == 0xFF and (p & 0xFFFFFF) in codes:
                pixels.setdefault(codes[p & 0xFFFFFF], []).append((x, y))
    return pixels


def inner_point(points: list[tuple[int, int]]) -> QPoint:
    """The shape's centre if it lies inside the shape, else the shape pixel nearest to it
    that has shape pixels on all four sides (away from antialiased edges)."""
    members = set(points)
    cx = sum(x for x, _ in points) / len(points)
    cy = sum(y for _, y in points) / len(points)
    def interior(p):
        x, y = p
        return all((x + dx, y + dy) in members for dx in (-2, 0, 2) for dy in (-2, 0, 2))
    centre = (round(cx), round(cy))
    if centre in members and interior(centre):
        return QPoint(*centre)
    candidates = [p for p in points if interior(p)] or points
    best = min(candidates, key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2)
    return QPoint(*best)
