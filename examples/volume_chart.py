"""Weekly hard sets per movement pattern (two years of demo data)."""

import sys

from _common import finish, setup


def main() -> int:
    args, app, library, sessions = setup(__doc__)
    from backcoach.analytics import weekly_volume_by_pattern
    from backcoach.ui.charts import VolumeChart, pattern_names

    chart = VolumeChart(pattern_names(library.patterns))
    chart.set_weeks(weekly_volume_by_pattern(sessions, library), "kg", "sets")
    return finish(args, app, chart)


if __name__ == "__main__":
    sys.exit(main())
