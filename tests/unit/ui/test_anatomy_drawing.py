"""Each muscle, rendered alone, lights up where anatomy puts it relative to the skeleton.

The landmarks are the ones scripts/draw_anatomy.py builds the drawing from (C7, T3, T7, T12,
L5, the scapula, humerus, iliac crest, trochanter, knee). A check per catalogue muscle: a
new muscle without a check fails here, and so does a shape moved off its landmarks.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor

from backcoach.anatomy import load_figures
from backcoach.ui.anatomy import render_figure
from backcoach.ui.theme import LIGHT

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "draw_anatomy.py"
_spec = importlib.util.spec_from_file_location("draw_anatomy", SCRIPT)
draw = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("draw_anatomy", draw)  # dataclasses look their module up by name
_spec.loader.exec_module(draw)
S = draw.S
SCALE = 2  # render at twice the view box: pixel / SCALE = view-box units
H = draw.HEIGHT
FEW_PERCENT = 0.03 * H  # "within a few percent of the figure's height"


@dataclass
class Lit:
    """The lit pixels of one muscle in one view, in view-box units: d from the midline, y down."""

    d: np.ndarray
    y: np.ndarray

    def rows(self, y0: float, y1: float, max_d: float) -> bool:
        """From y0 to y1 the muscle lies within max_d of the midline without a gap: no more
        than 2 units unlit in a row (the outline between two parts of a muscle is a line)."""
        near = set(np.unique(np.floor(self.y[self.d <= max_d]).astype(int)).tolist())
        run = 0
        for y in range(int(y0), int(y1) + 1):
            run = 0 if y in near else run + 1
            if run > 2:
                return False
        return int(y0) in near or int(y0) + 1 in near

    def near(self, point: tuple[float, float], radius: float) -> bool:
        return bool(np.any(np.hypot(self.d - point[0], self.y - point[1]) <= radius))


def lit_pixels(figure, muscle: str) -> Lit:
    size = QSize(draw.WIDTH * SCALE, H * SCALE)
    image = render_figure(figure, size, LIGHT, primary=[muscle])
    ptr = image.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8).reshape(size.height(), image.bytesPerLine())[:, : size.width() * 4]
    b, g, r, a = (arr[:, i::4].astype(int) for i in range(4))  # ARGB32 is BGRA in memory (little-endian)
    want = QColor(LIGHT.figure.primary)
    mask = (abs(r - want.red()) <= 8) & (abs(g - want.green()) <= 8) & (abs(b - want.blue()) <= 8) & (a == 255)
    ys, xs = np.nonzero(mask)
    return Lit(d=np.abs((xs + 0.5) / SCALE - draw.MID), y=(ys + 0.5) / SCALE)


ARMPIT_Y = 172
SPINE_MIDDLE = ((S.spine_root[0] + S.acromion[0]) / 2, (S.spine_root[1] + S.acromion[1]) / 2)  # scapular spine
POSTERIOR_AXILLARY_FOLD = (70, 192)  # where the lats turn round teres major into the armpit
# muscle -> (view, check(lit) -> bool, what a coach would see wrong if it fails)
CHECKS = {
    "traps-upper": ("back", lambda m: m.y.min() <= S.occiput[1] + 4 and m.y.max() <= S.c7 + 14
                    and m.d.max() >= S.acromion[0] - 8, "from the skull to the acromion, above C7"),
    "traps-middle": ("back", lambda m: m.rows(S.c7 + 4, S.t3, 3) and m.d.max() >= S.acromion[0] - 6,
                     "from C7-T3 out to the acromion"),
    "traps-lower": ("back", lambda m: m.rows(S.t3 + 8, S.t12 - 6, 3) and m.near(S.spine_root, 5),
                    "from T4-T12 up to the root of the scapular spine"),
    "levator-scapulae": ("deep-back", lambda m: m.y.min() <= 90 and m.near(S.scap_superior, 5),
                         "from the neck to the superior angle"),
    "rhomboid-minor": ("deep-back", lambda m: m.rows(S.c7 + 2, S.c7 + 14, 3) and m.near(S.scap_superior, 6)
                       and m.y.max() <= S.spine_root[1] + 6, "from C7-T1 to the top of the medial border"),
    "rhomboid-major": ("deep-back", lambda m: m.rows(S.t3 - 14, S.t3 + 20, 3) and m.near(S.scap_inferior, 6)
                       and m.near(S.spine_root, 6), "from T2-T5 to the medial border down to the inferior angle"),
    "lats": ("back", lambda m: m.near(POSTERIOR_AXILLARY_FOLD, 4) and m.y.min() <= 195 and m.y.max() >= S.iliac_crest[1] - 6
             and m.d.min() <= FEW_PERCENT and m.d.max() >= 60,
             "a fan from the armpit to the iliac crest, reaching close to the spine"),
    "teres-major": ("back", lambda m: m.near(S.scap_inferior, 5) and m.d.max() >= 68,
                    "from the inferior angle to the humerus"),
    "serratus-posterior-superior": ("deep-back", lambda m: m.rows(S.c7 - 8, S.c7 - 1, 4) and m.d.max() >= 52
                                    and m.y.max() <= S.t7 - 30, "a sheet from C6-T2 out to the upper ribs"),
    "serratus-posterior-inferior": ("deep-back", lambda m: m.rows(S.t12 - 10, S.t12 + 18, 3)
                                    and m.y.min() >= S.t7, "a sheet from T11-L2 to the lowest ribs"),
    "erector-spinae": ("deep-back", lambda m: m.y.min() <= S.t7 - 20 and m.y.max() >= S.l5 + 10
                       and m.d.max() <= 36, "columns beside the spine from under the rhomboids to the sacrum"),
    # serratus posterior inferior lies over its thoracolumbar part; it shows below
    "multifidus": ("deep-back", lambda m: m.d.max() <= 14 and m.rows(S.t12 + 26, S.l5 + 20, 12),
                   "hugging the spine through the lumbar spine to the sacrum"),
    "rear-delts": ("back", lambda m: m.near(SPINE_MIDDLE, 5) and not m.near(S.spine_root, 6)
                   and m.near(S.deltoid_tuberosity, 5),
                   "from the scapular spine to the deltoid tuberosity"),
    "biceps": ("front", lambda m: m.y.min() <= S.deltoid_tuberosity[1] - 10 and abs(m.y.max() - S.med_epicondyle[1]) <= 6
               and m.d.min() >= 66, "down the front of the arm to the elbow"),
    "triceps": ("back", lambda m: abs(m.y.max() - S.olecranon[1]) <= 5 and m.d.min() >= 66
                and m.y.min() <= S.deltoid_tuberosity[1] - 10, "down the back of the arm to the olecranon"),
    "forearms": ("front", lambda m: m.y.min() >= S.med_epicondyle[1] - 2 and m.y.max() <= S.wrist + 2
                 and m.near(S.med_epicondyle, 6), "flexors from the medial epicondyle, palm side"),
    "rectus-abdominis": ("front", lambda m: m.rows(215, 345, 4) and m.d.max() <= 24,
                         "from the sternum to the pubis beside the midline"),
    "transversus-abdominis": ("deep-front", lambda m: m.y.min() >= 212 and m.y.max() <= S.asis[1] + 8
                              and m.d.max() >= 50, "between ribs and pelvis, round the waist"),
    "obliques": ("front", lambda m: m.y.min() >= 205 and m.near(S.asis, 4) and m.d.max() >= 52,
                 "the flank, from the lower ribs to the iliac crest"),
    "glutes": ("back", lambda m: m.y.min() >= S.iliac_crest[1] - 2 and m.y.max() <= 395
               and m.near(S.greater_trochanter, 8) and m.near(S.psis, 6),
               "from the iliac crest and sacrum to the greater trochanter, above the gluteal fold"),
    "hip-flexors": ("deep-front", lambda m: m.y.min() <= S.t12 + 4 and m.d.min() <= 8 and m.y.max() >= 375,
                    "psoas from the lumbar spine to the lesser trochanter"),
    "hamstrings": ("back", lambda m: m.y.min() <= 392 and m.d.min() <= S.ischial_tuberosity[0] + 2
                   and abs(m.y.max() - S.knee) <= 6,
                   "from the ischial tuberosity (under gluteus maximus) to below the knee"),
    "quadriceps": ("front", lambda m: m.y.min() <= 335 and abs(m.y.max() - S.knee) <= 12 and m.d.max() >= 56,
                   "from the hip to the knee, the front and outside of the thigh"),
    "side-delts": ("back", lambda m: m.d.max() >= 86 and m.near(S.acromion, 6) and m.near(S.deltoid_tuberosity, 5),
                   "the cap of the shoulder, acromion to deltoid tuberosity"),
    "front-delts": ("front", lambda m: m.d.min() <= 50 and m.near(S.deltoid_tuberosity, 5),
                    "from the lateral clavicle to the deltoid tuberosity"),
    "infraspinatus": ("back", lambda m: m.near(S.spine_root, 6) and m.d.max() >= 60  # deltoid covers the rest
                      and S.spine_root[1] - 12 <= m.y.mean() <= S.scap_inferior[1] - 20,
                      "below the scapular spine, from the medial border to the humerus"),
    "teres-minor": ("back", lambda m: m.d.min() >= 46 and m.y.min() >= S.glenoid[1] - 2
                    and m.y.max() <= S.scap_inferior[1] - 4 and m.d.max() >= 66,
                    "along the upper lateral border of the scapula to the humerus"),
    "serratus-anterior": ("front", lambda m: m.y.min() >= ARMPIT_Y + 8 and m.y.max() <= 245
                          and 40 <= m.d.min() and m.d.max() <= 64, "on the side of the ribs below the armpit"),
    "brachialis": ("front", lambda m: m.y.min() >= S.deltoid_tuberosity[1] - 10 and m.y.max() >= 242
                   and m.d.max() >= 88, "beside the lower biceps, down to the elbow"),
    "quadratus-lumborum": ("deep-back", lambda m: m.y.min() >= S.t12 - 4 and m.y.max() <= S.iliac_crest[1] + 8
                           and m.d.min() >= 20, "from the 12th rib to the iliac crest, beside the erectors"),
    "adductor-magnus": ("back", lambda m: m.d.max() <= 24 and m.y.min() <= S.ischial_tuberosity[1] + 10
                        and m.y.max() >= 455, "the inner thigh, from the ischium to above the knee"),
}


@pytest.fixture(scope="module")
def figures(library):
    return load_figures(library.muscles)


def test_every_catalogue_muscle_has_a_landmark_check(library):
    assert set(CHECKS) == set(library.muscles)


@pytest.mark.parametrize("muscle", sorted(CHECKS))
def test_muscle_lights_where_it_belongs(qapp, figures, library, muscle):
    view, check, where = CHECKS[muscle]
    assert muscle in figures[view].muscles, f"{muscle} is not drawn in the {view} view"
    lit = lit_pixels(figures[view], muscle)
    assert lit.d.size > 40, f"{muscle} is hardly visible in the {view} view"
    assert check(lit), f"{muscle} in the {view} view should be: {where}"


def test_trapezius_is_one_kite_along_the_spine(qapp, figures):
    """Upper, middle and lower parts lit together cover the spine from the neck to about T12
    without a gap, as the one muscle it is."""
    fig = figures["back"]
    size = QSize(draw.WIDTH * SCALE, H * SCALE)
    image = render_figure(fig, size, LIGHT, primary=["traps-upper", "traps-middle", "traps-lower"])
    want = QColor(LIGHT.figure.primary)
    x_left = round((draw.MID - 4) * SCALE)  # just beside the midline, where the halves meet
    run, longest, at = 0, 0, None
    for y in range(round(S.occiput[1] + 6) * SCALE, round(S.t12 - 4) * SCALE):
        c = image.pixelColor(x_left, y)
        unlit = max(abs(c.red() - want.red()), abs(c.green() - want.green()), abs(c.blue() - want.blue())) > 40
        run = run + 1 if unlit else 0
        if run > longest:
            longest, at = run, y / SCALE
    # the outlines where the three parts meet are a line, not a gap
    assert longest <= 2 * SCALE, f"the trapezius has a gap beside the spine near y={at}"


def test_grip_flexors_sit_on_the_palm_side(qapp, figures):
    """The catalogue's forearm muscle is the grip flexors: from the medial epicondyle on the
    palm side; from behind only their inner (ulnar) edge shows, never the extensor side."""
    for view in ("back", "front"):
        lit = lit_pixels(figures[view], "forearms")
        assert lit.d.size > 40 and lit.y.min() >= 238 and lit.y.max() <= S.wrist + 2, view
        assert lit.near(S.med_epicondyle, 6), view  # the flexors' common origin
        assert not lit.near(S.lat_epicondyle, 4), view  # the extensors' origin


def test_erectors_show_below_the_lats_on_the_surface(qapp, figures):
    lit = lit_pixels(figures["back"], "erector-spinae")
    lumbar = (lit.y >= S.t12) & (lit.y <= S.l5)
    assert lumbar.sum() > 400 and lit.d[lumbar].max() <= 32 and lit.y.min() >= S.t12 - 30


def test_deep_muscles_are_not_drawn_on_the_surface(figures):
    for muscle in ("rhomboid-major", "rhomboid-minor", "serratus-posterior-superior", "multifidus",
                   "quadratus-lumborum", "levator-scapulae"):
        assert muscle not in figures["back"].muscles
    assert "transversus-abdominis" not in figures["front"].muscles


def test_shipped_drawings_are_the_generator_output():
    """The SVGs are built by scripts/draw_anatomy.py; a hand edit would be lost on the next
    run, so the files must match what the script makes."""
    for view in draw.VIEWS:
        shipped = (draw.OUT / f"{view}.svg").read_text(encoding="utf-8")
        assert shipped == draw.render(view), f"{view}.svg differs: run python scripts/draw_anatomy.py"


def test_list_thumbnails_keep_every_muscle(qapp, figures, library):
    """Thumbnails crop the figure below the knees; no muscle may lie in the part cut off."""
    from backcoach.ui.anatomy import THUMBNAIL_SPAN, figure_thumbnail
    from tests.helpers.anatomy import muscle_pixels

    for view, fig in figures.items():
        for muscle, points in muscle_pixels(fig, QSize(draw.WIDTH, H)).items():
            assert max(y for _, y in points) < THUMBNAIL_SPAN * H - 2, (view, muscle)
    ex = library.exercise("deadlift")
    thumb = figure_thumbnail(figures["back"], 52, LIGHT, ex.primary_muscles, ex.secondary_muscles).toImage()
    assert thumb.height() == 52 and thumb.width() == round(52 * figures["back"].aspect / THUMBNAIL_SPAN)
    primary = QColor(LIGHT.figure.primary)
    assert any(thumb.pixelColor(x, y) == primary for x in range(thumb.width()) for y in range(thumb.height()))
