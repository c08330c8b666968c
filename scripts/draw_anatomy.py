"""Draw BackCoach's anatomy figures (backcoach/assets/anatomy/*.svg) from a skeleton.

The drawing is code so it can be reviewed and changed like code. It works in three steps:

1. `Skeleton` places the landmarks a coach or physiotherapist finds by touch: the spinous
   processes C7, T3, T7, T12 and L5, the sacrum, the scapula (superior and inferior angles,
   medial border, spine, acromion, glenoid), the humerus (head, deltoid tuberosity,
   epicondyles), the iliac crest, PSIS/ASIS, the greater trochanter, the ischial tuberosity
   and the knee. Everything is in "half" coordinates: `d` is the distance from the midline,
   `y` the height in the 300 x 640 view box; each shape is mirrored for the other side.
2. Each muscle is a closed outline through points taken from its origin and insertion
   landmarks, smoothed with Catmull-Rom splines (points marked sharp stay corners, as at a
   tendon). Muscles with several parts under one catalogue id (glutes: maximus and medius;
   quadriceps: three heads; erector spinae: three columns) are one compound path whose
   parts abut, so recolouring, hover and the heatmap still see one element per side.
3. Four views share one silhouette and view box: the superficial back and front, and the
   deep back and deep front, where the muscles that lie under others are drawn with the
   covering layer taken away (the scapula and pelvis stay as outlines to find your way).

Run `python scripts/draw_anatomy.py` after a change; tests/unit/test_anatomy_drawing.py checks
the result against the same landmarks. Original drawing made for BackCoach.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "backcoach" / "assets" / "anatomy"
WIDTH, HEIGHT = 300, 640
MID = WIDTH / 2

# Paint as shipped; the app recolours silhouette, details and muscles from its theme.
SILHOUETTE_PAINT = 'fill="#f1ede8" stroke="#6f6962" stroke-width="1.5" stroke-linejoin="round"'
MUSCLE_PAINT = 'fill="#ddd7d0" stroke="#9c958d" stroke-width="0.9" stroke-linejoin="round"'
DETAIL_PAINT = 'fill="none" stroke="#a49d95" stroke-width="0.9" stroke-linecap="round" stroke-linejoin="round"'

Point = tuple  # (d, y) or (d, y, "s") for a sharp corner


@dataclass(frozen=True)
class Skeleton:
    """Landmarks as (distance from midline, height). One place for every proportion."""

    vertex: float = 12
    occiput: tuple = (0, 72)           # external occipital protuberance
    c7: float = 116                    # vertebra prominens, base of the neck
    t3: float = 150                    # level of the root of the scapular spine
    t7: float = 208                    # level of the inferior angle of the scapula
    t12: float = 262
    l5: float = 318
    sacrum_tip: float = 352
    acromion: tuple = (68, 126)
    scap_superior: tuple = (38, 138)   # superior angle
    spine_root: tuple = (40, 152)      # where the scapular spine meets the medial border
    scap_inferior: tuple = (48, 210)   # inferior angle
    glenoid: tuple = (70, 150)
    humerus_head: tuple = (74, 140)
    bicipital_groove: tuple = (74, 168)  # lats and teres major insert here (front of the humerus)
    deltoid_tuberosity: tuple = (86, 202)
    olecranon: tuple = (85, 246)
    lat_epicondyle: tuple = (93, 243)
    med_epicondyle: tuple = (76, 244)
    wrist: float = 328
    iliac_crest: tuple = (54, 298)     # highest point, at the side
    psis: tuple = (16, 318)
    asis: tuple = (52, 312)
    greater_trochanter: tuple = (62, 350)
    ischial_tuberosity: tuple = (16, 372)
    knee: float = 476
    ankle: float = 606


S = Skeleton()


# --- geometry -----------------------------------------------------------------------------
def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _spline(points: list[Point], closed: bool) -> str:
    """Catmull-Rom through the points as cubic Beziers (absolute image coordinates)."""
    n = len(points)
    xy = [(p[0], p[1]) for p in points]
    sharp = [len(p) > 2 and p[2] == "s" for p in points]

    def tangent(i: int) -> tuple[float, float]:
        if sharp[i]:
            return (0.0, 0.0)
        if closed:
            a, b = xy[(i - 1) % n], xy[(i + 1) % n]
        else:
            a, b = xy[max(i - 1, 0)], xy[min(i + 1, n - 1)]
        return ((b[0] - a[0]) / 6, (b[1] - a[1]) / 6)

    out = [f"M{_fmt(xy[0][0])} {_fmt(xy[0][1])}"]
    segments = n if closed else n - 1
    for i in range(segments):
        j = (i + 1) % n
        t0, t1 = tangent(i), tangent(j)
        c1 = (xy[i][0] + t0[0], xy[i][1] + t0[1])
        c2 = (xy[j][0] - t1[0], xy[j][1] - t1[1])
        out.append("C" + " ".join(f"{_fmt(c1[0])} {_fmt(c1[1])} {_fmt(c2[0])} {_fmt(c2[1])} {_fmt(xy[j][0])} {_fmt(xy[j][1])}".split()))
    if closed:
        out.append("Z")
    return "".join(out)


def _side(points: list[Point], side: str) -> list[Point]:
    """Half coordinates to image coordinates; 'l' is the image's left half."""
    sign = -1 if side == "l" else 1
    return [(MID + sign * p[0], p[1], *p[2:]) for p in points]


def shape(*parts: list[Point], side: str) -> str:
    """One closed (compound) path for one side."""
    return "".join(_spline(_side(part, side), closed=True) for part in parts)


def line(points: list[Point], side: str | None = None) -> str:
    """An open smooth line; with side None, both sides (mirrored)."""
    if side is None:
        return line(points, "l") + line(points, "r")
    return _spline(_side(points, side), closed=False)


def dots(points: list[tuple[float, float]], r: float = 1.2) -> str:
    return "".join(f"M{_fmt(MID + d - r)} {_fmt(y)}a{r} {r} 0 1 0 {_fmt(2 * r)} 0a{r} {r} 0 1 0 {_fmt(-2 * r)} 0Z"
                   for d, y in points)


# --- the silhouette -----------------------------------------------------------------------
# One half, from the crown down the outside of the arm, round the hand, up the inside of
# the arm into the armpit, down the trunk, round the foot and up the inside of the leg.
HALF_OUTLINE: list[Point] = [
    (0, S.vertex), (15, 15), (25, 26), (29, 44), (28, 62), (25, 80), (20, 92),   # head
    (18, 100), (19, 108), (30, 114), (48, 119), (62, 123, "s"),                   # neck, trapezius slope
    (77, 130), (87, 142), (92, 160), (93, 185), (94, 210), (94, 235),             # deltoid, upper arm
    (95, 252), (98, 275), (100, 300), (100, S.wrist),                            # forearm
    (103, 342), (105, 360), (102, 378), (96, 384), (91, 376), (89, 358),          # hand
    (87, 340), (86, S.wrist, "s"), (84, 300), (80, 272), (76, 250), (74, 226),   # inside of the arm
    (71, 200), (66, 178), (64, 170, "s"),                                         # armpit
    (63, 190), (60, 215), (56, 242), (54, 262), (54, 282), (57, 302),            # trunk, waist
    (61, 325), (64, 350), (63, 372), (60, 400), (56, 435), (50, 468), (47, S.knee),  # hip, thigh
    (48, 500), (50, 525), (46, 560), (38, 590), (36, S.ankle), (38, 622),        # calf, ankle
    (32, 632), (22, 634), (17, 626), (17, 606),                                   # foot
    (15, 585), (13, 550), (11, 510), (11, S.knee), (9, 440), (6, 405), (2, 378), (0, 372, "s"),  # inside of the leg
]


def silhouette() -> str:
    left = _side(HALF_OUTLINE, "l")
    right = list(reversed(_side(HALF_OUTLINE, "r")))[1:-1]  # skip the shared crown and crotch
    return _spline(left + right, closed=True)


# --- muscles ------------------------------------------------------------------------------
# Each entry: muscle id -> list of parts (each a list of half points). Drawn in order, so a
# later muscle lies over an earlier one where they overlap, as in the body.

def back_muscles() -> dict[str, list[list[Point]]]:
    ac, sr = S.acromion, S.spine_root
    return {
        "erector-spinae": [[(3, 244), (16, 238), (27, 252), (31, 280), (30, 304), (24, 326), (12, 344),
                            (4, 344), (3, 300)]],
        # Below the scapular spine, from medial to lateral and top to bottom: infraspinatus in
        # its fossa, then teres minor and teres major along the lateral border to the humerus;
        # neighbours share their edge. The lats' upper border crosses the inferior angle.
        "infraspinatus": [[(sr[0], sr[1] + 1, "s"), (52, 146), (64, 138), (72, 134), (77, 146, "s"), (76, 156, "s"),
                           (66, 172), (56, 186), (47, 196, "s"), (46, 206, "s"), (41, 190), (40, 170)]],
        "teres-minor": [[(47, 196, "s"), (56, 186), (66, 172), (76, 156, "s"), (79, 162), (78, 170, "s"),
                         (68, 184), (58, 196), (48, 204, "s")]],
        "teres-major": [[(48, 204, "s"), (58, 196), (68, 184), (78, 170, "s"), (79, 180), (72, 192), (62, 204),
                         (54, 212), (46, 208)]],
        "triceps": [[(70, 180), (78, 178), (88, 190), (93, 212), (93, 232), (89, 244, "s"), (81, 246, "s"),
                     (77, 236), (73, 214), (70, 196)]],
        # The catalogue's forearm muscle is the grip flexors. Seen from behind (palms forward)
        # only their ulnar edge shows, flexor carpi ulnaris along the inside of the forearm; the
        # extensors on the back of the forearm are outlined in the details.
        "forearms": [[(76, 249, "s"), (82, 250), (86, 270), (89, 298), (90, 320), (87, 327, "s"), (84, 300),
                      (80, 274), (77, 258)]],
        "obliques": [[(52, 246), (55, 244), (54, 262), (54, 282), (56, 298, "s"), (48, 298, "s"), (52, 276),
                      (53, 262)]],
        "lats": [[(2, S.t7 - 2, "s"), (20, 203), (36, 204), (47, 211), (58, 206), (68, 196), (76, 184, "s"),
                  (73, 192), (67, 202), (63, 214), (57, 238), (53, 262), (50, 282), (46, 297, "s"),
                  (34, 290), (20, 278), (8, 266), (3, 262)]],
        "hamstrings": [
            # biceps femoris (long head) to the fibular head, lateral
            [(17, 378, "s"), (34, 380), (50, 392), (54, 420), (50, 448), (44, 470, "s"), (38, 470), (34, 440),
             (28, 410)],
            # semitendinosus and semimembranosus to the medial tibia
            [(17, 378, "s"), (28, 410), (34, 440), (38, 470), (30, 476, "s"), (22, 472), (18, 448), (15, 415),
             (14, 390)],
        ],
        "adductor-magnus": [[(3, 378, "s"), (14, 388), (15, 415), (18, 448), (20, 464, "s"), (13, 458),
                             (10, 440), (7, 410)]],
        "glutes": [
            # gluteus medius: iliac crest to the greater trochanter, showing above and beside maximus
            [(18, 312, "s"), (34, 302), (50, 299), (58, 312), (62, 334), (63, 354, "s"), (57, 341), (45, 328),
             (30, 318)],
            # gluteus maximus: sacrum, coccyx and posterior crest down and out to the ITB and femur
            [(18, 312, "s"), (30, 318), (45, 328), (57, 341), (63, 354, "s"), (63, 372), (52, 386), (34, 390),
             (16, 385), (4, 376, "s"), (5, 356), (9, 336), (13, 320)],
        ],
        # posterior deltoid: from the lateral two thirds of the scapular spine, its lower border
        # crossing infraspinatus and teres minor to the deltoid tuberosity
        "rear-delts": [[(sr[0] + 8, sr[1] - 5, "s"), (58, 140), (66, 132), (ac[0] + 2, ac[1] + 2, "s"),
                        (77, 150), (83, 178), (S.deltoid_tuberosity[0], S.deltoid_tuberosity[1], "s"), (81, 191),
                        (72, 174), (62, 158)]],
        "side-delts": [[(ac[0] + 2, ac[1] + 2, "s"), (79, 130), (88, 143), (92, 162), (91, 182),
                        (S.deltoid_tuberosity[0], S.deltoid_tuberosity[1], "s"), (83, 178), (77, 150)]],
        # The trapezius is one kite; its three parts share edges so it reads as one sheet.
        "traps-lower": [[(0, S.t3 + 6, "s"), (sr[0] + 2, sr[1], "s"), (39, 174), (31, 202), (19, 236),
                         (9, 254), (0, S.t12 + 2, "s")]],
        "traps-middle": [[(0, S.c7 + 2, "s"), (30, 122), (ac[0], ac[1] + 1, "s"), (56, 136), (sr[0] + 2, sr[1], "s"),
                          (0, S.t3 + 6, "s")]],
        "traps-upper": [[(0, S.occiput[1], "s"), (9, 74), (16, 88), (19, 104), (32, 114), (50, 120),
                         (ac[0], ac[1] + 1, "s"), (30, 122), (0, S.c7 + 2, "s")]],
    }


def back_details() -> str:
    return "".join([
        line([(0, S.c7 + 4), (0, S.t12)], "l"),                                   # spinal furrow
        line([(0, 322), (0, 348)], "l"),                                          # gluteal cleft
        line([(40, 470), (30, 480), (20, 472)]),                                  # knee crease
        line([(44, 486), (49, 510), (44, 540), (34, 556)]),                       # calf, outer head
        line([(17, 488), (14, 512), (18, 540), (28, 560)]),                       # calf, inner head
        line([(31, 566), (28, 600)]),                                             # Achilles tendon
        line([(62, 372), (58, 410), (52, 448)]),                                  # iliotibial band
        line([(84, 247), (86, 251)]),                                             # elbow point
        line([(91, 246), (96, 262), (99, 285), (99, 308), (96, 324)]),            # wrist extensors
        line([(88, 256), (90, 280), (92, 304), (94, 324)]),                       # extensors, ulnar edge
    ])


def front_muscles() -> dict[str, list[list[Point]]]:
    ac = S.acromion
    return {
        "lats": [[(63, 184, "s"), (62, 200), (60, 216), (56, 242, "s"), (54, 224), (56, 204), (58, 192)]],
        "serratus-anterior": [[(55, 188, "s"), (58, 196), (57, 212), (55, 228), (52, 240, "s"),
                               (45, 232, "s"), (49, 226), (43, 220, "s"), (48, 213), (43, 207, "s"),
                               (49, 200), (51, 193)]],
        # external oblique: digitations from the lower ribs meeting serratus anterior, fleshy
        # down to the iliac crest; medially it turns into the aponeurosis beside the rectus
        "obliques": [[(25, 232, "s"), (36, 226), (45, 232, "s"), (49, 226), (52, 240, "s"), (55, 248), (56, 264),
                      (55, 284), (S.asis[0], S.asis[1], "s"), (38, 306), (25, 300, "s"), (24, 280), (24, 256)]],
        "rectus-abdominis": [
            [(2, 212, "s"), (20, 210, "s"), (22, 236, "s"), (2, 238, "s")],
            [(2, 238, "s"), (22, 236, "s"), (22, 262, "s"), (2, 263, "s")],
            [(2, 263, "s"), (22, 262, "s"), (21, 288, "s"), (2, 289, "s")],
            [(2, 289, "s"), (21, 288, "s"), (18, 320), (11, 346, "s"), (2, 350, "s")],
        ],
        "hip-flexors": [[(24, 336, "s"), (40, 326, "s"), (38, 346), (32, 366), (27, 384, "s"), (22, 366),
                         (20, 350)]],
        "quadriceps": [
            # vastus lateralis
            [(52, 336, "s"), (60, 352), (60, 384), (57, 420), (51, 452), (44, 468, "s"), (42, 446), (46, 410),
             (47, 372)],
            # rectus femoris, from the anterior inferior iliac spine to the patella
            [(44, 326, "s"), (52, 336), (47, 372), (46, 410), (42, 446), (38, 462, "s"), (31, 462, "s"),
             (30, 430), (32, 390), (38, 350)],
            # vastus medialis, the teardrop above the inside of the knee
            [(31, 462, "s"), (24, 466), (16, 458), (13, 440), (17, 416), (30, 400, "s"), (30, 430)],
        ],
        "brachialis": [[(70, 196, "s"), (80, 198), (90, 206), (93, 224), (89, 243, "s"), (78, 246), (73, 236),
                        (70, 214)]],
        "biceps": [[(72, 160, "s"), (81, 164), (88, 182), (90, 206), (86, 228), (81, 244, "s"), (75, 228),
                    (72, 206), (70, 184)]],
        "forearms": [[(77, 248, "s"), (86, 252), (92, 268), (94, 292), (93, 316), (90, 326, "s"),
                      (87, 324), (85, 302), (82, 280), (79, 262)]],
        "front-delts": [[(46, 121, "s"), (58, 123), (ac[0], ac[1] + 1, "s"), (73, 146), (78, 172),
                         (S.deltoid_tuberosity[0], S.deltoid_tuberosity[1], "s"), (74, 186), (68, 166),
                         (60, 142), (52, 128)]],
        "side-delts": [[(ac[0], ac[1] + 1, "s"), (79, 130), (88, 143), (92, 162), (91, 182),
                        (S.deltoid_tuberosity[0], S.deltoid_tuberosity[1], "s"), (79, 172), (73, 146)]],
        "traps-upper": [[(18, 101, "s"), (28, 110), (44, 116), (60, 121, "s"), (44, 120), (30, 116), (20, 110)]],
    }


def front_details() -> str:
    return "".join([
        line([(4, 120), (24, 117), (46, 121)]),                                   # clavicles
        line([(18, 100), (6, 120)]),                                              # sternocleidomastoid
        line([(4, 124), (4, 196), (20, 206), (40, 204), (50, 194), (58, 180), (68, 162)]),  # pectoralis major
        line([(48, 124), (64, 150)]),                                             # deltopectoral groove
        line([(9, 226), (20, 206)]),                                              # costal margin (ribs below the pec)
        line([(0, 270), (0, 272)], "l"),                                          # navel
        line([(40, 326), (32, 372), (18, 416), (13, 440)]),                       # sartorius
        line([(8, 350), (16, 384), (24, 414)]),                                   # adductor longus
        line([(4, 362), (8, 420), (12, 462)]),                                    # gracilis
        line([(52, 316), (56, 340), (60, 366)]),                                  # tensor fasciae latae
        line([(22, 470), (30, 484), (38, 472)]),                                  # patella
        line([(30, 496), (34, 540), (31, 590)]),                                  # tibialis anterior
        line([(20, 500), (16, 540), (20, 580)]),                                  # shin, inner calf
        line([(92, 258), (98, 280), (99, 306)]),                                  # brachioradialis
    ])


def deep_back_muscles() -> dict[str, list[list[Point]]]:
    si, sr, ia = S.scap_superior, S.spine_root, S.scap_inferior
    return {
        # quadratus lumborum: 12th rib and lumbar transverse processes to the back of the iliac
        # crest, its free lateral border slanting out and down
        "quadratus-lumborum": [[(22, S.t12, "s"), (38, 262), (45, 278), (48, 296, "s"), (30, 303, "s"),
                                (24, 284)]],
        "multifidus": [[(2, 228, "s"), (7, 232), (10, 260), (12, 300), (12, 330), (8, 350, "s"), (2, 350, "s")]],
        "erector-spinae": [
            # spinalis, beside the spinous processes in the thoracic spine
            [(2, 150, "s"), (7, 150), (9, 190), (9, 226, "s"), (7, 232, "s"), (2, 228, "s")],
            # longissimus, the middle and longest column
            [(9, 114, "s"), (13, 114), (19, 150), (21, 200), (22, 250), (24, 290), (20, 320), (12, 340, "s"),
             (12, 300), (10, 260), (7, 232, "s"), (9, 226, "s"), (9, 190), (7, 150), (7, 124)],
            # iliocostalis, the outer column from the iliac crest to the ribs and the neck
            [(13, 114, "s"), (18, 116), (26, 150), (32, 200), (33, 250), (32, 288), (26, 312, "s"),
             (24, 290), (22, 250), (21, 200), (19, 150)],
        ],
        "serratus-posterior-inferior": [[(2, 248, "s"), (30, 226), (48, 222, "s"), (52, 236), (50, 252, "s"),
                                         (30, 266), (2, 284, "s")]],
        # from C6-T2, above and under the rhomboids, to ribs 2-5 (under the scapula, drawn lifted)
        "serratus-posterior-superior": [[(2, 106, "s"), (22, 116), (54, 134, "s"), (58, 148), (56, 166, "s"),
                                         (30, 150), (2, 142, "s")]],
        "rhomboid-major": [[(2, 134, "s"), (sr[0], sr[1] + 2, "s"), (44, 182), (ia[0] - 1, ia[1] - 2, "s"),
                            (2, 180, "s")]],
        "rhomboid-minor": [[(2, S.c7 + 2, "s"), (si[0], si[1] + 2, "s"), (sr[0], sr[1] + 2, "s"), (2, 134, "s")]],
        "levator-scapulae": [[(10, 82, "s"), (16, 82), (18, 98), (27, 118), (si[0] + 2, si[1], "s"),
                              (si[0] - 2, si[1] + 2, "s"), (22, 122), (14, 104), (10, 92)]],
    }


def deep_back_details() -> str:
    si, sr, ia, ac = S.scap_superior, S.spine_root, S.scap_inferior, S.acromion
    scapula = [si, (52, 134), (60, 136), (68, 142), (70, 152), (62, 176), (ia[0], ia[1], "s"), (44, 184),
               (40, 160)]
    spinous = [(0, y) for y in range(int(S.c7), int(S.l5) + 1, 13)]
    return "".join([
        shape(scapula, side="l"), shape(scapula, side="r"),
        line([sr, (54, 142), (ac[0], ac[1] + 2)]),                                # scapular spine
        dots(spinous),
        line([(20, 300), (38, 292), (54, 298), (60, 318)]),                       # iliac crest
        line([(16, 318), (12, 340), (0, 356)]),                                   # sacrum
        line([(58, 340), (64, 352)]),                                             # greater trochanter
        line([(40, 470), (30, 480), (20, 472)]),                                  # knee crease
    ])


def deep_front_muscles() -> dict[str, list[list[Point]]]:
    return {
        # The hip flexors lie deepest (psoas on the posterior abdominal wall), so they are
        # drawn first; transversus abdominis covers the top of iliacus.
        "hip-flexors": [
            # psoas major, from the lumbar spine over the pelvic brim to the lesser trochanter
            [(6, 262, "s"), (14, 264), (18, 300), (24, 340), (30, 372), (28, 384, "s"), (22, 370), (14, 334),
             (8, 300)],
            # iliacus, from the iliac fossa, joining psoas on its way to the same tendon
            [(19, 306, "s"), (36, 300), (48, 312), (44, 334), (34, 362), (30, 372, "s"), (24, 340)],
        ],
        # transversus abdominis: fleshy at the sides, its fibres running round the waist to the
        # aponeurosis (not drawn) behind the rectus sheath
        "transversus-abdominis": [[(18, 222, "s"), (34, 218), (48, 226), (54, 246), (55, 270), (54, 292),
                                   (S.asis[0], S.asis[1], "s"), (36, 314), (20, 316, "s"), (19, 280), (18, 250)]],
    }


def deep_front_details() -> str:
    return "".join([
        line([(4, 120), (24, 117), (46, 121)]),                                   # clavicles
        line([(0, 140), (0, 206)], "l"),                                          # sternum
        line([(6, 214), (18, 222), (38, 214), (52, 200)]),                        # costal margin
        line([(0, 222), (0, 318)], "l"),                                          # linea alba
        line([(S.asis[0], S.asis[1]), (54, 298)]),                                # iliac crest
        line([(S.asis[0], S.asis[1]), (34, 330), (8, 350)]),                      # inguinal ligament
        line([(22, 470), (30, 484), (38, 472)]),                                  # patella
    ])


VIEWS = {
    "back": ("back view, superficial layer", back_muscles, back_details),
    "deep-back": ("back view, deep layer (trapezius, latissimus and deltoid taken away)",
                  deep_back_muscles, deep_back_details),
    "front": ("front view, superficial layer", front_muscles, front_details),
    "deep-front": ("front view, deep layer (rectus abdominis and obliques taken away)",
                   deep_front_muscles, deep_front_details),
}


def render(view: str) -> str:
    title, muscles, details = VIEWS[view]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- BackCoach anatomy figure: {title}. Original drawing generated by scripts/draw_anatomy.py;"
        " edit the script, not this file. -->",
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">',
        f'  <g id="silhouette" {SILHOUETTE_PAINT}>',
        f'    <path d="{silhouette()}"/>',
        "  </g>",
        # Landmark lines go under the muscles: they show where a muscle is absent (the bare
        # scapula in the deep view, the calf) and never cut across a lit muscle.
        f'  <g id="details" {DETAIL_PAINT}>',
        f'    <path d="{details()}"/>',
        "  </g>",
        '  <g id="muscles">',
    ]
    for muscle, parts in muscles().items():
        for side in ("l", "r"):
            out.append(f'    <path id="{muscle}-{side}" {MUSCLE_PAINT} d="{shape(*parts, side=side)}"/>')
    out += [
        "  </g>",
        "</svg>",
        "",
    ]
    return "\n".join(out)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for view in VIEWS:
        (OUT / f"{view}.svg").write_text(render(view), encoding="utf-8")
        print(f"wrote {OUT / (view + '.svg')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
