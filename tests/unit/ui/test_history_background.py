"""History in the background, as the app opens it: the figures are worked out on a worker
thread, the area says it is loading until they arrive, and every tab fills in from there, so
opening History during a session's rest never holds up the UI thread for long."""

from __future__ import annotations

import threading

import pytest

from backcoach import analytics
from backcoach.history import HistoryData
from backcoach.store import Store
from backcoach.ui.history_view import TABS, HistoryView
from tests.unit.ui.test_history_view import HISTORY, TODAY


@pytest.fixture
def store(tmp_path):
    st = Store.open(tmp_path / "data")
    st.add_sessions(HISTORY)
    yield st
    st.close()


@pytest.fixture
def threads(monkeypatch):
    """The threads the PR flags (first screen) and the records (a tab) were computed on."""
    seen: dict[str, list[threading.Thread]] = {"prs": [], "records": []}
    session_prs, personal_records = analytics.session_prs, analytics.personal_records

    def prs(*a, **k):
        seen["prs"].append(threading.current_thread())
        return session_prs(*a, **k)

    def records(*a, **k):
        seen["records"].append(threading.current_thread())
        return personal_records(*a, **k)

    monkeypatch.setattr(analytics, "session_prs", prs)
    monkeypatch.setattr(analytics, "personal_records", records)
    return seen


def open_view(qtbot, library, store) -> HistoryView:
    view = HistoryView(library, store, today=TODAY, background=True)
    view.resize(1300, 760)
    qtbot.add_widget(view)
    view.show()
    return view


def test_history_says_it_is_loading_then_fills_in_from_a_worker(qtbot, themed_app, library, store, threads):
    view = open_view(qtbot, library, store)
    assert view.loading and view.pages.currentWidget() is view.loading_label
    assert view.session_model.rowCount() == 0 and not view.export_button.isEnabled()
    with qtbot.wait_signal(view.filled_in, timeout=10_000):
        pass
    assert not view.loading and view.pages.currentWidget() is view.tabs
    assert view.session_model.rowCount() == len(HISTORY) and view.export_button.isEnabled()
    assert "6 sessions" in view.stats.text()
    assert threads["prs"] and all(t is not threading.main_thread() for t in threads["prs"])


def test_each_tab_fills_in_from_the_worker(qtbot, themed_app, library, store, threads):
    view = open_view(qtbot, library, store)
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    for tab in TABS[1:]:
        view.tabs.setCurrentIndex(TABS.index(tab))
        qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    view.progress_exercise.setCurrentIndex(view.progress_exercise.findData("deadlift"))
    qtbot.wait_until(lambda: "112.5 kg × 5" in view.progress_chart.readout.text(), timeout=10_000)
    assert "Hinge" in view.volume_chart.readout.text()
    assert view.records_model.rowCount() == 3
    assert view.streak_label.text().startswith("Current weekly streak: 3 weeks")
    assert "Latissimus dorsi" in view.muscle_text.text()
    assert threads["records"] and all(t is not threading.main_thread() for t in threads["records"])


def test_a_refresh_drops_figures_still_on_their_way(qtbot, themed_app, library, store, monkeypatch):
    shown: list[HistoryData] = []
    show = HistoryView._show_data
    monkeypatch.setattr(HistoryView, "_show_data", lambda self, data: (shown.append(data), show(self, data)))
    view = open_view(qtbot, library, store)
    store.delete_session(view.store.sessions()[0].id)
    view.refresh()  # the first load is now out of date
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    assert len(shown) == 1 and view.session_model.rowCount() == len(HISTORY) - 1


def test_a_failure_on_the_worker_is_said_not_swallowed(qtbot, themed_app, library, store, monkeypatch):
    def broken(*_a, **_k):
        raise OSError("the disk went away")

    monkeypatch.setattr(analytics, "session_prs", broken)
    view = open_view(qtbot, library, store)
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    assert view.pages.currentWidget() is view.loading_label
    assert "could not be shown" in view.loading_label.text() and "the disk went away" in view.loading_label.text()


def test_the_worker_never_reads_the_store(qtbot, themed_app, library, store, monkeypatch):
    """It computes from a snapshot taken on the UI thread, so it cannot race a set being saved."""
    readers: list[threading.Thread] = []
    for name in ("sessions", "custom_exercises", "settings"):
        original = getattr(Store, name)
        monkeypatch.setattr(Store, name, lambda self, *a, _f=original, **k: (readers.append(threading.current_thread()),
                                                                           _f(self, *a, **k))[1])
    view = open_view(qtbot, library, store)
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    for tab in TABS[1:]:
        view.tabs.setCurrentIndex(TABS.index(tab))
        qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    assert readers and all(t is threading.main_thread() for t in readers)


def test_the_progress_tab_is_built_over_several_turns_of_the_event_loop(qtbot, themed_app, library, store):
    """During a session no single step may take a frame: the controls come first, the plot
    and its series on later turns (each is most of a frame the first time)."""
    import importlib

    importlib.import_module("backcoach.ui.charts")  # imported already: the build itself is what is split
    view = open_view(qtbot, library, store)
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    view.tabs.setCurrentIndex(TABS.index("progress"))
    assert view.progress_exercise is not None and not hasattr(view, "progress_chart")  # not in this turn
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    chart = view.progress_chart
    assert chart.plot.getPlotItem().legend is not None and chart.isVisible()
    view.progress_exercise.setCurrentIndex(view.progress_exercise.findData("deadlift"))
    qtbot.wait_until(lambda: "112.5 kg × 5" in chart.readout.text() or len(chart._xs) > 0, timeout=10_000)


def test_the_body_weight_panel_is_made_on_a_later_turn(qtbot, themed_app, library, store):
    import importlib

    importlib.import_module("backcoach.ui.charts")
    view = open_view(qtbot, library, store)
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    view.tabs.setCurrentIndex(TABS.index("body_weight"))
    assert not hasattr(view, "body_weight") and view.loading  # not in the turn that switched the tab
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    assert view.body_weight.latest.text() == "Nothing logged yet"
    view.tabs.setCurrentIndex(0)
    view.tabs.setCurrentIndex(TABS.index("body_weight"))  # built once
    assert not view.loading


def test_the_progress_chart_first_paints_its_line_then_the_dots_then_the_stars(qtbot, themed_app, library, store,
                                                                              monkeypatch):
    """Each series' first paint is most of a frame: during a session they appear on separate
    turns, after an off-screen warm-up paint of the empty plot, never all in one."""
    import importlib

    charts = importlib.import_module("backcoach.ui.charts")
    seen: list[tuple[bool, bool, int]] = []
    warmed: list[int] = []
    original_warm, original_marks = charts.ProgressChart.warm_up, charts.ProgressChart.show_marks
    monkeypatch.setattr(charts.ProgressChart, "warm_up", lambda self: (warmed.append(len(self._xs)),
                                                                       original_warm(self))[1])
    monkeypatch.setattr(charts.ProgressChart, "show_marks", lambda self, dots, stars: (
        seen.append((dots, stars, len(self._xs))), original_marks(self, dots, stars))[1])
    view = open_view(qtbot, library, store)
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    view.tabs.setCurrentIndex(TABS.index("progress"))
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    chart = view.progress_chart
    assert warmed == [0]  # the warm-up paint had no data yet
    assert [s[:2] for s in seen] == [(False, False), (True, False), (True, True)]
    assert chart.isVisible() and chart.top.isVisible() and chart.prs.isVisible()
    seen.clear()
    view.progress_exercise.setCurrentIndex(view.progress_exercise.findData("deadlift"))
    qtbot.wait_until(lambda: "112.5 kg × 5" in chart.readout.text(), timeout=10_000)
    assert seen == [] and chart.top.isVisible()  # once shown, new data paints at once


def test_opening_shows_the_frame_first_and_the_sessions_tab_on_a_later_turn(qtbot, themed_app, library, store):
    """The sessions tab (filters, two tables) is most of a frame: in the background it is made
    on the turn after the area opens, and the store is read after that."""
    view = open_view(qtbot, library, store)
    assert view.loading and not hasattr(view, "session_table") and view.tabs.count() == len(TABS)
    view.refresh()  # before the tab is made: nothing to fill yet, and nothing breaks
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    assert view.session_model.rowCount() == len(HISTORY) and view.session_table.model() is view.session_model


def test_the_volume_tab_makes_its_plot_legend_and_curves_on_separate_turns(qtbot, themed_app, library, store,
                                                                          monkeypatch):
    import importlib

    from backcoach.ui import history_view

    charts = importlib.import_module("backcoach.ui.charts")
    made: list[str] = []
    for name in ("add_legend", "add_curves", "set_weeks"):
        original = getattr(charts.VolumeChart, name)
        monkeypatch.setattr(charts.VolumeChart, name, lambda self, *a, _f=original, _n=name, **k: (
            made.append(_n), _f(self, *a, **k))[1])
    monkeypatch.setattr(history_view, "CURVES_A_TURN", 1)
    view = open_view(qtbot, library, store)
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    view.tabs.setCurrentIndex(TABS.index("volume"))
    assert not hasattr(view, "volume_chart")  # not in the turn that switched the tab
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    patterns = len(view.volume_chart._curves)
    assert patterns >= 2 and made[0] == "add_legend" and made[-1] == "set_weeks"
    assert made.count("add_curves") == patterns  # one new curve a turn, the data with the last
    assert "Hinge" in view.volume_chart.readout.text() and view.volume_chart.isVisible()


def test_the_filled_list_is_painted_once_it_has_settled_then_its_sets(qtbot, themed_app, library, store,
                                                                      monkeypatch):
    """The tables settle their layout over a few turns: in the background the area holds its
    paints until then (one paint, not one a step), and paints the chosen session's sets on a
    turn after the list."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QWidget

    seen: list[str] = []

    class Painted(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint and view.session_model.rowCount():
                seen.append("list painted")
            return False

    painted = Painted()
    monkeypatch.setattr(HistoryView, "setUpdatesEnabled",
                        lambda self, on: (seen.append(f"area {on}"), QWidget.setUpdatesEnabled(self, on))[1])
    build = HistoryView._build_sessions_tab

    def built(self):
        build(self)
        detail = self.session_detail
        detail.setUpdatesEnabled = lambda on: (seen.append(f"sets {on}"), QWidget.setUpdatesEnabled(detail, on))[1]
        self.session_table.viewport().installEventFilter(painted)

    monkeypatch.setattr(HistoryView, "_build_sessions_tab", built)
    view = open_view(qtbot, library, store)
    qtbot.wait_until(lambda: "sets True" in seen, timeout=10_000)
    assert seen[:3] == ["area False", "sets False", "area True"]  # nothing painted while held
    assert seen.index("list painted") < seen.index("sets True")  # the list first, the sets a turn later
    assert not view.loading and view.session_model.rowCount() == len(HISTORY)


def test_the_loading_words_do_not_wrap_but_a_failure_does(qtbot, themed_app, library, store, monkeypatch):
    view = open_view(qtbot, library, store)
    assert not view.loading_label.wordWrap()  # a wrapping label here cost the first layout 20 ms
    monkeypatch.setattr(analytics, "session_prs", lambda *_a, **_k: (_ for _ in ()).throw(OSError("gone")))
    view.refresh()
    qtbot.wait_until(lambda: "could not be shown" in view.loading_label.text(), timeout=10_000)
    assert view.loading_label.wordWrap()


def test_body_weight_first_loads_the_chart_module_on_the_worker(qtbot, themed_app, library, store, monkeypatch):
    """Straight to Body weight during a session: pyqtgraph (a third of a second) is imported on
    the worker, as for the other chart tabs, with "Drawing the chart…" meanwhile."""
    import importlib
    import sys

    from PySide6.QtWidgets import QLabel

    from backcoach.ui import history_view

    monkeypatch.delitem(sys.modules, "backcoach.ui.charts", raising=False)
    imported_on: list[threading.Thread] = []
    real_import = importlib.import_module

    def import_module(name, *a, **k):
        if name == "backcoach.ui.charts":
            imported_on.append(threading.current_thread())
        return real_import(name, *a, **k)

    monkeypatch.setattr(history_view.importlib, "import_module", import_module)
    view = open_view(qtbot, library, store)
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    view.tabs.setCurrentIndex(TABS.index("body_weight"))
    page = view.tabs.widget(TABS.index("body_weight"))

    def drawing() -> bool:
        return any(label.text() == "Drawing the chart…" for label in page.findChildren(QLabel))

    assert drawing() and view.loading and not hasattr(view, "body_weight")
    qtbot.wait_until(lambda: not view.loading, timeout=10_000)
    qtbot.wait_until(lambda: not drawing(), timeout=10_000)  # (deleted later)
    assert view.body_weight.chart is not None
    assert imported_on and all(t is not threading.main_thread() for t in imported_on)


@pytest.mark.parametrize("tab", ["records", "consistency"])
def test_a_filled_tab_is_painted_once_it_has_settled(qtbot, themed_app, library, store, monkeypatch, tab):
    """Records' table and the calendar settle over a few turns too: their first fill holds the
    area's paints until then (one paint, not three in a row)."""
    from PySide6.QtWidgets import QWidget

    view = open_view(qtbot, library, store)
    qtbot.wait_until(lambda: not view.loading and view.updatesEnabled(), timeout=10_000)
    seen: list[tuple[bool, bool]] = []

    def filled() -> bool:
        return (view.records_model.rowCount() > 0 if tab == "records"
                else view.streak_label.text().startswith("Current weekly streak"))

    monkeypatch.setattr(HistoryView, "setUpdatesEnabled",
                        lambda self, on: (seen.append((on, filled())), QWidget.setUpdatesEnabled(self, on))[1])
    view.tabs.setCurrentIndex(TABS.index(tab))
    qtbot.wait_until(lambda: not view.loading and view.updatesEnabled(), timeout=10_000)
    assert seen == [(False, False), (True, True)]  # held before the fill, let go once filled and settled
