"""Draw BackCoach's app icon into backcoach/assets/icons/ (committed; rerun to change it).

The icon is drawn here from a few shapes: a deep-teal rounded square, the tempo ring of a
guided set (an orange arc three-quarters of the way round, as the session screen shows a
countdown) and a back seen from behind, V-shaped from the lats to the waist, with the spine
as a groove. It stays readable at 16 px: two colours, no text, no thin lines.

    python scripts/make_icon.py               # SVG + PNGs into backcoach/assets/icons/
    python scripts/make_icon.py --out DIR     # anywhere else (the tests compare the SVG)
    python scripts/make_icon.py --svg-only    # without Qt (only the SVG)

PNGs are rendered with QtSvg (offscreen), in the sizes desktops ask for.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent.parent / "backcoach" / "assets" / "icons"
NAME = "backcoach"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

TEAL, TEAL_DARK, TRACK, ORANGE, WHITE = "#1d6a86", "#134a5e", "#2f88a6", "#ff8a3d", "#ffffff"


def _arc(cx: float, cy: float, r: float, start_deg: float, sweep_deg: float) -> str:
    """An SVG arc path, angles clockwise from 12 o'clock."""
    def point(deg: float) -> tuple[float, float]:
        rad = math.radians(deg - 90)
        return cx + r * math.cos(rad), cy + r * math.sin(rad)

    (x0, y0), (x1, y1) = point(start_deg), point(start_deg + sweep_deg)
    large = 1 if sweep_deg > 180 else 0
    return f"M {x0:.2f} {y0:.2f} A {r} {r} 0 {large} 1 {x1:.2f} {y1:.2f}"


def icon_svg() -> str:
    # Traps slope from the neck to round shoulders, the lats flare under the armpits and
    # taper to a narrow waist: the V a back day is after.
    torso = (
        "M 120 74 C 110 80 98 82 88 86 C 76 90 72 102 76 114 C 78 120 84 122 92 118 "
        "L 98 116 C 100 140 106 160 110 178 L 146 178 C 150 160 156 140 158 116 "
        "L 164 118 C 172 122 178 120 180 114 C 184 102 180 90 168 86 C 158 82 146 80 136 74 Z"
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- BackCoach app icon, drawn by scripts/make_icon.py (rerun it to change this file). -->
<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="{TEAL}"/>
      <stop offset="1" stop-color="{TEAL_DARK}"/>
    </linearGradient>
  </defs>
  <rect x="8" y="8" width="240" height="240" rx="52" fill="url(#bg)"/>
  <circle cx="128" cy="128" r="98" fill="none" stroke="{TRACK}" stroke-width="16"/>
  <path d="{_arc(128, 128, 98, 0, 270)}" fill="none" stroke="{ORANGE}" stroke-width="16" stroke-linecap="round"/>
  <circle cx="128" cy="58" r="15" fill="{WHITE}"/>
  <path d="{torso}" fill="{WHITE}"/>
  <path d="M 128 88 L 128 168" fill="none" stroke="{TEAL}" stroke-width="7" stroke-linecap="round"/>
  <path d="M 106 98 C 112 110 116 122 117 136 M 150 98 C 144 110 140 122 139 136" fill="none"
        stroke="{TEAL}" stroke-width="4" stroke-linecap="round" opacity="0.55"/>
</svg>
"""


def render_pngs(svg: str, out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QByteArray, QRectF
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (keeps Qt alive)
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        if not image.save(str(out / f"{NAME}-{size}.png"), "PNG"):
            raise SystemExit(f"could not write {out / f'{NAME}-{size}.png'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--svg-only", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    svg = icon_svg()
    (args.out / f"{NAME}.svg").write_text(svg, encoding="utf-8")
    if not args.svg_only:
        render_pngs(svg, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
