"""`backcoach screenshot` renders real PNGs of the requested size and palette."""

import subprocess
import sys

import pytest
from PySide6.QtGui import QColor, QImage


@pytest.mark.parametrize(("theme", "dark"), [("light", False), ("dark", True)])
def test_screenshot_library(qapp, tmp_path, theme, dark):
    out = tmp_path / f"library-{theme}.png"
    proc = subprocess.run(
        [sys.executable, "-m", "backcoach", "screenshot", "library", str(out),
         "--size", "1100x700", "--theme", theme, "--exercise", "deadlift"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1100, 700)
    corner = image.pixelColor(600, 690)  # status bar background
    assert (corner.lightness() < 80) is dark
    # The figure shows the deadlift's primary colour somewhere.
    from backcoach.ui.theme import theme_by_name
    primary = QColor(theme_by_name(theme).figure.primary)
    assert any(
        image.pixelColor(x, y) == primary for y in range(0, 700, 3) for x in range(400, 1100, 3)
    )


@pytest.mark.parametrize(("theme", "view"), [("light", "back"), ("dark", "deep-back")])
def test_figure_alone_on_a_plain_background(qapp, tmp_path, theme, view):
    """`backcoach figure` draws one view, lit as asked, on the theme's window colour with
    nothing else (no caption, no legend): the same pixels as the app's renderer."""
    from PySide6.QtCore import QSize

    from backcoach.anatomy import load_figures
    from backcoach.library import load_library
    from backcoach.ui.anatomy import render_figure
    from backcoach.ui.theme import theme_by_name

    out = tmp_path / "figure.png"
    proc = subprocess.run(
        [sys.executable, "-m", "backcoach", "figure", str(out), "--view", view, "--primary", "rhomboid-major,lats",
         "--secondary", "biceps", "--size", "300x640", "--theme", theme],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    palette = theme_by_name(theme)
    assert (image.width(), image.height()) == (300, 640)
    assert image.pixelColor(2, 2) == QColor(palette.window)  # plain background, no caption
    assert image.pixelColor(150, 636) == QColor(palette.window)  # no legend under the feet
    figure = load_figures(load_library().muscles)[view]
    expected = render_figure(figure, QSize(300, 640), palette, ["rhomboid-major", "lats"], ["biceps"])
    primary = QColor(palette.figure.primary)
    lit = [(x, y) for y in range(0, 640, 2) for x in range(0, 300, 2) if image.pixelColor(x, y) == primary]
    assert len(lit) > 200
    assert all(expected.pixelColor(x, y) == primary for x, y in lit[::7])
@pytest.mark.parametrize(("exercise", "phase", "extra"), [
    ("goblet-squat", "eccentric", []),
    ("bird-dog", "concentric-hold", ["--side", "right", "--rep", "2"]),
])
def test_screenshot_session_of_any_exercise_at_any_part(qapp, tmp_path, exercise, phase, extra):
    from backcoach.ui.session_view import PHASE_COLOURS

    out = tmp_path / f"{exercise}.png"
    proc = subprocess.run(
        [sys.executable, "-m", "backcoach", "screenshot", "session", str(out), "--size", "1024x600",
         "--exercise", exercise, "--phase", phase, *extra],
        capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 600)
    colour = QColor(PHASE_COLOURS[phase])   # the ring and the word are in the part's colour
    assert sum(image.pixelColor(x, y) == colour for y in range(90, 500, 4) for x in range(0, 600, 4)) > 50
