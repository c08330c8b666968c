"""The core is Qt-free: importing every core module loads no Qt or pyqtgraph module."""

import json
import pkgutil
import subprocess
import sys

import backcoach

CORE_MODULES = sorted(
    f"backcoach.{m.name}" for m in pkgutil.iter_modules(backcoach.__path__) if m.name not in ("ui", "__main__")
)


def test_core_modules_are_found():
    assert {"backcoach.library", "backcoach.cli", "backcoach.tempo", "backcoach.anatomy"} <= set(CORE_MODULES)


def test_core_imports_no_qt():
    code = (
        "import importlib, json, sys\n"
        f"for name in {CORE_MODULES!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "print(json.dumps(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_ui_does_not_import_pyqtgraph_at_start_up():
    code = (
        "import sys\n"
        "import backcoach.ui.app, backcoach.ui.main_window\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pyqtgraph', 'PySide6.QtMultimedia', 'PySide6.QtTextToSpeech'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_library_screen_loads_no_storage():
    """The first screen shows shipped content only: TinyDB and the store load later."""
    code = (
        "import sys\n"
        "import backcoach.cli, backcoach.ui.screenshot, backcoach.ui.main_window\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tinydb', 'backcoach.store', 'backcoach.session'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
