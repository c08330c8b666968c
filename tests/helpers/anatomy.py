"""Finds, for each muscle, a pixel that lies well inside its shape in a rendered figure."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize

from backcoach.anatomy import Figure
from backcoach.ui.anatomy import render_id_map


def element_pixels(figure: Figure, size: QSize) -> dict[int, tuple[str, list[tuple[int, int]]]]:
    """Pixels of each drawn element (a muscle or one side of it) in the id map at `size`."""
    image, codes = render_id_map(figure, size)
    pixels: dict[int, tuple[str, list[tuple[int, int]]]] = {}
    for y in range(0, size.height()):
        for x in range(0, size.width()):
            p = image.pixel(x, y)
            if (p >> 24) & 0xFF == 0xFF and (p & 0xFFFFFF) in codes:
                code = p & 0xFFFFFF
                pixels.setdefault(code, (codes[code], []))[1].append((x, y))
    return pixels


def muscle_pixels(figure: Figure, size: QSize) -> dict[str, list[tuple[int, int]]]:
    """Pixels of each muscle (both sides) in the id map rendered at `size` (antialiasing off)."""
    pixels: dict[str, list[tuple[int, int]]] = {}
    for muscle, points in element_pixels(figure, size).values():
        pixels.setdefault(muscle, []).extend(points)
    return pixels


def muscle_points(figure: Figure, size: QSize) -> dict[str, QPoint]:
    """For each muscle, a pixel deep inside its largest element: away from its outline and
    from the seam where its left and right halves meet (both are stroked when rendered)."""
    best: dict[str, list[tuple[int, int]]] = {}
    for muscle, points in element_pixels(figure, size).values():
        if len(points) > len(best.get(muscle, [])):
            best[muscle] = points
    return {muscle: inner_point(points) for muscle, points in best.items()}


def inner_point(points: list[tuple[int, int]]) -> QPoint:
    """The pixel farthest inside the shape (found by peeling its edge off layer by layer),
    the one nearest the centre of that innermost core."""
    members = set(points)
    while True:
        core = {(x, y) for x, y in members
                if all(n in members for n in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)))}
        if not core:
            break
        members = core
    cx = sum(x for x, _ in members) / len(members)
    cy = sum(y for _, y in members) / len(members)
    return QPoint(*min(members, key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2))
