"""One exercise's progress: estimated 1RM, top sets and PRs (two years of demo data)."""

import sys

from _common import finish, setup


def main() -> int:
    args, app, library, sessions = setup(__doc__)
    from backcoach.analytics import exercise_progress
    from backcoach.ui.charts import ProgressChart

    chart = ProgressChart()
    chart.set_points(exercise_progress(sessions, "deadlift"), "kg")
    return finish(args, app, chart)


if __name__ == "__main__":
    sys.exit(main())
