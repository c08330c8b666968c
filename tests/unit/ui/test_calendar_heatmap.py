"""The consistency calendar paints a year of days cheaply: its five shades and its sizes are
worked out once a paint, not once a day (History may be opened while a session runs)."""

from __future__ import annotations

from datetime import date, timedelta

from backcoach.ui.calendar_heatmap import LEVELS, ConsistencyCalendar


def test_a_paint_mixes_each_shade_once_not_once_a_day(qtbot, themed_app, monkeypatch):
    today = date(2026, 11, 30)
    calendar = ConsistencyCalendar()
    qtbot.add_widget(calendar)
    calendar.resize(1000, calendar.heightForWidth(1000))
    calendar.set_days({today - timedelta(days=i): float(i % 20) for i in range(400)}, today)
    mixed: list[int] = []
    colour = ConsistencyCalendar.colour
    monkeypatch.setattr(ConsistencyCalendar, "colour", lambda self, level: (mixed.append(level), colour(self, level))[1])
    image = calendar.grab().toImage()
    assert sorted(mixed) == list(range(LEVELS))
    # and the days are where they were: yesterday (a Sunday, one hard set) at the bottom of
    # the week before today's column, in the lightest shade
    step = calendar.CELL + calendar.GAP
    x = calendar.LEFT + 51 * step + calendar.CELL // 2
    y = calendar.TOP + 6 * step + calendar.CELL // 2
    assert image.pixelColor(x, y) == colour(calendar, 1)
    assert image.pixelColor(x + step, calendar.TOP + calendar.CELL // 2) == colour(calendar, 0)  # today: rest
