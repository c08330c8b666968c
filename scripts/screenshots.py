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
    # The guided set: the demo routine's moments, then one part of each kind of movement.
    ("session-get-ready.png", ["session", "--phase", "get-ready"]),
    ("session-pull.png", ["session", "--phase", "concentric"]),
    ("session-squat-down.png", ["session", "--exercise", "goblet-squat", "--phase", "eccentric"]),
    ("session-hinge.png", ["session", "--exercise", "kettlebell-romanian-deadlift", "--phase", "eccentric"]),
    ("session-alternating.png", ["session", "--exercise", "alternating-dumbbell-row", "--phase", "concentric",
                                 "--side", "right", "--rep", "2"]),
    ("session-bird-dog-hold.png", ["session", "--exercise", "bird-dog", "--phase", "concentric-hold"]),
    ("session-negative-step-up.png", ["session", "--exercise", "negative-pull-up", "--phase", "eccentric-hold"]),
    ("session-pallof-press.png", ["session", "--exercise", "pallof-press", "--phase", "concentric-hold"]),
    *[(f"session-{phase}.png", ["session", "--phase", phase]) for phase in ("hold", "switch", "rest", "log", "summary")],
    ("session-plates.png", ["session", "--exercise", "deadlift", "--phase", "concentric"]),
    ("session-log-plates.png", ["session", "--exercise", "deadlift", "--phase", "log"]),
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
