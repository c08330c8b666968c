"""Regenerate the README's screenshots with the app's own `backcoach screenshot` command.

History pictures use a throwaway data folder filled by `backcoach demo-data --years 3`.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

SHOTS = [
    # (file name, arguments after `backcoach screenshot`)
    ("library-light.png", ["library", "--exercise", "barbell-row", "--theme", "light"]),
    ("library-dark.png", ["library", "--exercise", "deadlift", "--theme", "dark"]),
    ("routines.png", ["routines"]),
    ("settings.png", ["settings"]),
    *[(f"session-{phase}.png", ["session", "--phase", phase])
      for phase in ("get-ready", "pull", "squeeze", "lower", "pause", "hold", "switch", "rest", "log", "summary")],
    ("history-sessions.png", ["history"]),
    ("history-progress.png", ["history", "--tab", "progress", "--exercise", "deadlift"]),
    ("history-muscles.png", ["history", "--tab", "muscles", "--theme", "dark"]),
    ("history-consistency.png", ["history", "--tab", "consistency"]),
]


def backcoach(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "backcoach", *args], check=True)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        demo = str(Path(tmp) / "demo")
        backcoach("--data-dir", demo, "demo-data", "--years", "3", "--seed", "4")
        for name, (view, *options) in SHOTS:
            backcoach("--data-dir", demo, "screenshot", view, str(OUT / name), *options)
            print(f"wrote docs/screenshots/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
