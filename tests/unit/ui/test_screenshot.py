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
