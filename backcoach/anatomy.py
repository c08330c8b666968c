"""The anatomy drawings as data: which shapes are which muscle, and recoloured SVG text.

The SVGs in assets/anatomy/ name each muscle shape by its muscle id (or `<id>-l`/`<id>-r`
for a left/right half). Colouring is done here, on the SVG text, so the Qt widget only
renders what it is given and the colouring rules are testable without a display.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path

from backcoach.resources import ANATOMY_DIR

VIEWS = ("back", "deep-back", "front", "deep-front")
SUPERFICIAL_VIEWS = ("back", "front")
# Each deep view is the superficial one with the covering layer taken away; it is shown
# beside its superficial view (never instead of it) so the body still reads as one figure.
DEEP_OF = {"back": "deep-back", "front": "deep-front"}
SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
_SIDE_SUFFIXES = ("-l", "-r")


class AnatomyError(Exception):
    """A drawing is missing or malformed."""


def muscle_of(element_id: str) -> str:
    """'lats-l' -> 'lats'; 'multifidus' -> 'multifidus'."""
    for suffix in _SIDE_SUFFIXES:
        if element_id.endswith(suffix):
            return element_id[: -len(suffix)]
    return element_id


@dataclass(frozen=True)
class FigureColours:
    """The colours of one rendering; the UI's theme decides them."""

    primary: str
    secondary: str
    neutral: str
    muscle_stroke: str
    silhouette_fill: str
    silhouette_stroke: str
    detail_stroke: str
    hover_stroke: str


class _SvgTemplate:
    """The SVG text cut into pieces around the paint attributes of the named elements, so
    recolouring is a string join (microseconds) instead of an XML round trip (about a
    millisecond, paid for every list thumbnail)."""

    ATTRS = ("fill", "stroke", "stroke-width")
    _SLOT = re.compile(r' (fill|stroke|stroke-width)="@@slot(\d+)@@"')

    def __init__(self, source: str, element_ids: Iterable[str]):
        root = ET.fromstring(source)
        wanted = set(element_ids)
        slots: list[tuple[str, int, str | None]] = []  # (element id, attribute index, original)
        for el in root.iter():
            el_id = el.get("id")
            if el_id in wanted:
                for i, attr in enumerate(self.ATTRS):
                    slots.append((el_id, i, el.get(attr)))
                    el.set(attr, f"@@slot{len(slots) - 1}@@")
        parts = self._SLOT.split(ET.tostring(root, encoding="unicode"))
        self._pieces = parts[0::3]  # split yields: text, attribute name, slot number, text, ...
        self._slots = [(slots[int(n)], name) for name, n in zip(parts[1::3], parts[2::3])]

    def fill(self, values: Mapping[str, tuple[str | None, str | None, str | None]]) -> bytes:
        """`values`: element id -> (fill, stroke, stroke-width); None keeps the drawing's own."""
        out = [self._pieces[0]]
        for ((el_id, index, original), name), piece in zip(self._slots, self._pieces[1:]):
            value = values.get(el_id, (None, None, None))[index]
            if value is None:
                value = original
            if value is not None:
                out.append(f' {name}="{_escape_attr(value)}"')
            out.append(piece)
        return "".join(out).encode("utf-8")


def _escape_attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


@dataclass(frozen=True)
class Figure:
    view: str
    source: str  # the SVG text as shipped
    elements: tuple[tuple[str, str], ...]  # (element id, muscle id), in drawing order
    view_box: tuple[float, float, float, float]

    @property
    def muscles(self) -> frozenset[str]:
        return frozenset(m for _, m in self.elements)

    @property
    def aspect(self) -> float:
        """Width divided by height."""
        return self.view_box[2] / self.view_box[3]

    def coloured(
        self,
        colours: FigureColours,
        primary: Iterable[str] = (),
        secondary: Iterable[str] = (),
        shades: Mapping[str, str] | None = None,
        hovered: str | None = None,
    ) -> bytes:
        """The SVG with primary muscles strong, secondary light, others neutral.

        `shades` (muscle id -> colour) overrides both, for heatmaps. `hovered` gets a bold
        outline so the user sees which shape the tooltip names.
        """
        primary, secondary = set(primary), set(secondary)
        values: dict[str, tuple[str | None, str | None, str | None]] = {
            "silhouette": (colours.silhouette_fill, colours.silhouette_stroke, None),
            "details": (None, colours.detail_stroke, None),
        }
        for element_id, muscle in self.elements:
            if shades is not None and muscle in shades:
                fill = shades[muscle]
            elif muscle in primary:
                fill = colours.primary
            elif muscle in secondary:
                fill = colours.secondary
            else:
                fill = colours.neutral
            if muscle == hovered:
                values[element_id] = (fill, colours.hover_stroke, "2.5")
            else:
                values[element_id] = (fill, colours.muscle_stroke, None)
        return self._template.fill(values)

    @cached_property
    def _template(self) -> _SvgTemplate:
        return _SvgTemplate(self.source, [e for e, _ in self.elements] + ["silhouette", "details"])

    def id_map(self) -> tuple[bytes, dict[int, str]]:
        """The SVG with each muscle filled by a unique flat colour and everything else hidden.

        Rendered without antialiasing, a pixel's colour tells which muscle is under the
        mouse. Returns the SVG and the mapping from 0xRRGGBB to muscle id.
        """
        root = ET.fromstring(self.source)
        codes: dict[int, str] = {}
        index = 0
        for el in root.iter():
            el_id = el.get("id")
            if el_id in ("silhouette", "details"):
                el.set("opacity", "0")
            elif el_id and _is_shape(el) and muscle_of(el_id) in self.muscles:
                index += 1
                code = _code_colour(index)
                codes[code] = muscle_of(el_id)
                el.set("fill", f"#{code:06x}")
                el.set("stroke", "none")
        return ET.tostring(root, encoding="utf-8"), codes


def _code_colour(index: int) -> int:
    # Spread indices over the colour cube so neighbouring codes differ in every channel.
    return ((index * 37) % 256) << 16 | ((index * 91 + 40) % 256) << 8 | ((index * 53 + 80) % 256)


def _is_shape(el: ET.Element) -> bool:
    return el.tag.rsplit("}", 1)[-1] in ("path", "polygon", "ellipse", "circle", "rect", "polyline")


def _parse_figure(view: str, path: Traversable, known_muscles: Iterable[str] | None) -> Figure:
    try:
        source = path.read_text(encoding="utf-8")
        root = ET.fromstring(source)
    except FileNotFoundError:
        raise AnatomyError(f"anatomy drawing {path.name} is missing") from None
    except (ET.ParseError, UnicodeDecodeError) as exc:
        raise AnatomyError(f"anatomy drawing {path.name} is not valid SVG: {exc}") from None
    known = set(known_muscles) if known_muscles is not None else None
    elements: list[tuple[str, str]] = []
    for el in root.iter():
        el_id = el.get("id")
        if not el_id or not _is_shape(el):
            continue
        muscle = muscle_of(el_id)
        if known is None or muscle in known:
            elements.append((el_id, muscle))
    try:
        box = tuple(float(v) for v in root.get("viewBox", "").replace(",", " ").split())
    except ValueError:
        box = ()
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        raise AnatomyError(f"anatomy drawing {path.name} needs a viewBox of four numbers")
    return Figure(view=view, source=source, elements=tuple(elements), view_box=(box[0], box[1], box[2], box[3]))


@lru_cache(maxsize=4)
def _load_figures_cached(folder: str | None, known: frozenset[str] | None) -> dict[str, Figure]:
    where = Path(folder) if folder is not None else ANATOMY_DIR  # the shipped ones, wherever installed
    return {view: _parse_figure(view, where / f"{view}.svg", known) for view in VIEWS}


def load_figures(known_muscles: Iterable[str] | None = None, folder: Path | None = None) -> dict[str, Figure]:
    """The figures of every view; only shapes named after a known muscle count as muscles."""
    known = frozenset(known_muscles) if known_muscles is not None else None
    return _load_figures_cached(str(folder) if folder is not None else None, known)


def best_view(figures: Mapping[str, Figure], primary: Iterable[str]) -> str:
    """The one view that shows most of the primary muscles, for thumbnails.

    On a tie the side of the body (back or front, with its deep layer) holding more of them
    wins, then a superficial view, then the back; so a thumbnail shows a deep view only when
    the exercise is mainly about deep muscles."""
    wanted = set(primary)
    surface_of = {deep: surface for surface, deep in DEEP_OF.items()}

    def side_count(view: str) -> int:
        surface = surface_of.get(view, view)
        return sum(len(figures[v].muscles & wanted) for v in (surface, DEEP_OF[surface]) if v in figures)

    ranked = [v for v in VIEWS if v in figures]
    return max(ranked, key=lambda v: (len(figures[v].muscles & wanted), side_count(v), v in SUPERFICIAL_VIEWS,
                                      v == VIEWS[0]))


def figure_views(figures: Mapping[str, Figure], muscles: Iterable[str]) -> list[str]:
    """The views the full-size figure shows for an exercise: the back and front always, and
    a deep view beside its superficial one when a muscle is drawn only in the deep layer.

    Beside rather than translucent: two layers blended at thumbnail size smear into a third
    colour, and the user could not tell which layer a lit patch belongs to."""
    wanted = set(muscles)
    surface = set().union(*(figures[v].muscles for v in SUPERFICIAL_VIEWS if v in figures))
    shown: list[str] = []
    for view in SUPERFICIAL_VIEWS:
        if view not in figures:
            continue
        shown.append(view)
        deep = DEEP_OF[view]
        if deep in figures and (figures[deep].muscles & wanted) - surface:
            shown.append(deep)
    return shown


def deep_muscles(figures: Mapping[str, Figure]) -> frozenset[str]:
    """Muscles that lie under others: drawn only in a deep view, never on the surface."""
    surface = set().union(*(figures[v].muscles for v in SUPERFICIAL_VIEWS if v in figures))
    deep = set().union(*(figures[v].muscles for v in figures if v not in SUPERFICIAL_VIEWS))
    return frozenset(deep - surface)
