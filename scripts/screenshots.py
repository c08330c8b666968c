"""Regenerate the README's screenshots with the app's own `backcoach screenshot` command."""

import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

SHOTS = [
    # (file name, arguments after `backcoach screenshot`)
    ("library-light.png", ["library", "--exercise", "barbell-row", "--theme", "light"]),
    ("library-dark.png", ["library", "--exercise", "deadlift", "--theme", "dark"]),
]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, args in SHOTS:
        view, *options = args
        cmd = [sys.executable, "-m", "backcoach", "screenshot", view, str(OUT / name), *options]
        subprocess.run(cmd, check=True)
        print(f"wrote docs/screenshots/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
