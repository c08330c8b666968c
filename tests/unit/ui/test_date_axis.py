"""The charts' date axis puts its ticks where pyqtgraph's own would, more cheaply."""

from __future__ import annotations

import time
from datetime import date

import pytest
from PySide6.QtGui import QFont, QFontMetrics

RANGES = [(date(2016, 1, 3), date(2026, 11, 30)), (date(2026, 3, 1), date(2026, 5, 2)),
          (date(2025, 3, 20), date(2025, 4, 5)), (date(2026, 10, 20), date(2026, 10, 27))]


@pytest.fixture(params=["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
def zone(request, monkeypatch):
    """Zones with and without daylight saving (Lord Howe moves by half an hour)."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("first", "last"), RANGES)
def test_ticks_fall_on_the_same_local_midnights_as_pyqtgraphs(themed_app, zone, first, last):
    import pyqtgraph as pg

    from backcoach.ui.charts import _DateAxis, timestamp

    lo, hi = timestamp(first), timestamp(last)
    ticks = []
    for axis in (_DateAxis(), pg.DateAxisItem()):
        axis.fontMetrics = QFontMetrics(QFont())
        axis.setZoomLevelForDensity((hi - lo) / 900)
        ticks.append(axis.tickValues(lo, hi, 900))
    assert ticks[0] == ticks[1] and sum(len(v) for _s, v in ticks[0]) > 5
