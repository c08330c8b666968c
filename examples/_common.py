"""Shared set-up for the chart examples: an app, a library and two years of demo data."""

import argparse
import os
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup(description: str):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--png", metavar="OUT", help="render once into a PNG and exit (no window)")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    args = parser.parse_args()
    if args.png:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from backcoach.demo import generate_history
    from backcoach.library import load_library
    from backcoach.ui.app import create_application

    app = create_application(args.theme)
    library = load_library()
    sessions = generate_history(library, years=2, seed=1, today=date(2026, 1, 1))
    return args, app, library, sessions


def finish(args, app, widget) -> int:
    widget.resize(1100, 620)
    if args.png:
        widget.show()
        app.processEvents()
        return 0 if widget.grab().save(args.png, "PNG") else 1
    widget.show()
    return app.exec()
