"""PySide6 6.12.0 on CPython < 3.12 aborts (`Fatal Python error: none_dealloc`) after about
100,000 calls of a void method such as QLabel.setText. A session countdown makes that many
calls within minutes, so the pin in pyproject.toml must keep such a build out."""

import subprocess
import sys

import PySide6


def test_installed_pyside_is_not_the_crashing_build():
    major, minor = (int(p) for p in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert (major, minor) < (6, 12), f"PySide6 {PySide6.__version__} crashes on Python {sys.version.split()[0]}"


def test_many_void_calls_survive():
    # In a child process: the crash kills the interpreter outright.
    code = (
        "import os; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([])\n"
        "label = QLabel()\n"
        "for i in range(100_000):\n"
        "    label.setText(str(i))\n"
        "print(label.text())\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.strip() == "99999"
