"""Chart details a lifter reads: the legend stays readable over the grid."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("kind", ["progress", "volume"])
def test_the_legend_sits_above_the_grid_in_a_box_of_the_plots_colour(qtbot, themed_app, kind):
    from PySide6.QtGui import QColor

    from backcoach.ui.charts import ProgressChart, VolumeChart
    from backcoach.ui.theme import current_theme

    chart = ProgressChart() if kind == "progress" else VolumeChart({"row": "Horizontal row"})
    qtbot.add_widget(chart)
    item = chart.plot.getPlotItem()
    # The grid is drawn by the axes: the view holding the legend must be stacked above them.
    assert item.vb.zValue() > item.getAxis("left").zValue()
    assert item.legend is not None
    assert item.legend.brush().color() == QColor(current_theme().base)
