"""`make bench`: every benchmark, each printing its figures and its ratio to a reference
measured in the same run."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cue_timing  # noqa: E402
import history  # noqa: E402
import imports  # noqa: E402
import pixel_timing  # noqa: E402
import session_timing  # noqa: E402
import startup  # noqa: E402


def main() -> int:
    startup.report()
    print()
    history.report()
    print()
    session_timing.report(65.0)
    print()
    pixel_timing.report(30.0)
    print()
    imports.report()
    cue_timing.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
