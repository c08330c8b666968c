"""Every chart example runs and renders a picture (pyqtgraph's one-example-per-chart habit)."""

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("script", sorted(p.name for p in EXAMPLES.glob("[!_]*.py")))
def test_example_renders(qapp, tmp_path, script):
    out = tmp_path / "chart.png"
    proc = subprocess.run([sys.executable, str(EXAMPLES / script), "--png", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1100, 620)
    colours = {image.pixel(x, y) for x in range(0, 1100, 25) for y in range(0, 620, 25)}
    assert len(colours) > 5  # something was drawn, not a blank window
