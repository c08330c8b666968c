"""Weekly hard sets per muscle on the anatomy figure (two years of demo data)."""

import sys
from datetime import date

from _common import finish, setup


def main() -> int:
    args, app, library, sessions = setup(__doc__)
    from backcoach.analytics import weekly_sets_by_muscle
    from backcoach.ui.anatomy import AnatomyFigure
    from backcoach.ui.history_view import heat_colour

    figure = AnatomyFigure(library.muscles, legend=False)
    sets = weekly_sets_by_muscle(sessions, library, weeks=12, today=date(2026, 1, 1))
    figure.set_shades({m: heat_colour(v) for m, v in sets.items()})
    return finish(args, app, figure)


if __name__ == "__main__":
    sys.exit(main())
