"""The rendered figure: primary colour inside primary muscles, not elsewhere; hover and click."""

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor

from backcoach.anatomy import load_figures
from backcoach.ui.anatomy import AnatomyFigure, render_figure
from backcoach.ui.theme import DARK, LIGHT
from tests.helpers.anatomy import muscle_points

SIZE = QSize(450, 960)


def _close(a: QColor, b: QColor, tol: int = 6) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a.getRgb()[:3], b.getRgb()[:3]))


@pytest.fixture(scope="module")
def points(library):
    figures = load_figures(library.muscles)
    return {view: muscle_points(fig, SIZE) for view, fig in figures.items()}


def test_every_muscle_is_visible_when_rendered(library, points):
    seen = set().union(*(set(p) for p in points.values()))
    assert seen == set(library.muscles)


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("exercise_id", ["barbell-row", "deadlift", "pull-up", "pallof-press", "goblet-squat"])
def test_primary_colour_inside_primary_muscles_only(qapp, library, points, theme, exercise_id):
    ex = library.exercise(exercise_id)
    figures = load_figures(library.muscles)
    for view, fig in figures.items():
        image = render_figure(fig, SIZE, theme, ex.primary_muscles, ex.secondary_muscles)
        for muscle, point in points[view].items():
            colour = image.pixelColor(point)
            if muscle in ex.primary_muscles:
                assert _close(colour, QColor(theme.figure.primary)), (view, muscle)
            elif muscle in ex.secondary_muscles:
                assert _close(colour, QColor(theme.figure.secondary)), (view, muscle)
            else:
                assert _close(colour, QColor(theme.figure.neutral)), (view, muscle)
                assert not _close(colour, QColor(theme.figure.primary))


@pytest.fixture
def figure(qtbot, themed_app, library):
    widget = AnatomyFigure(library.muscles)
    widget.resize(500, 560)
    qtbot.add_widget(widget)
    widget.show()
    qtbot.wait_exposed(widget)
    return widget


def _point_on(widget: AnatomyFigure, muscle: str):
    for y in range(0, widget.height(), 3):
        for x in range(0, widget.width(), 3):
            from PySide6.QtCore import QPoint
            p = QPoint(x, y)
            if widget.muscle_at(p) == muscle and all(
                widget.muscle_at(QPoint(x + dx, y + dy)) == muscle for dx in (-2, 2) for dy in (-2, 2)
            ):
                return p
    raise AssertionError(f"{muscle} not found on the widget")


def test_click_on_a_muscle_emits_its_id(qtbot, figure):
    figure.set_highlight(["lats"], ["biceps"])
    point = _point_on(figure, "erector-spinae")
    with qtbot.wait_signal(figure.muscle_clicked) as blocker:
        qtbot.mouseClick(figure, Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == ["erector-spinae"]


def test_hover_names_the_muscle_and_outlines_it(qtbot, figure):
    point = _point_on(figure, "lats")
    with qtbot.wait_signal(figure.muscle_hovered) as blocker:
        qtbot.mouseMove(figure, point)
    assert blocker.args == ["lats"]


def test_click_outside_every_muscle_emits_nothing(qtbot, figure):
    from PySide6.QtCore import QPoint

    with qtbot.assert_not_emitted(figure.muscle_clicked):
        qtbot.mouseClick(figure, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))


def test_heatmap_shades(qapp, library, points):
    fig = load_figures(library.muscles)["back"]
    image = render_figure(fig, SIZE, LIGHT, shades={"lats": "#2255aa"})
    assert _close(image.pixelColor(points["back"]["lats"]), QColor("#2255aa"))


def test_views_follow_the_lit_muscles(qtbot, figure):
    """A deep muscle brings its deep view beside the surface; without one, back and front."""
    figure.set_highlight(["lats"], ["biceps"])
    assert figure.views() == ["back", "front"]
    figure.set_highlight(["lats", "rhomboid-major"], ["biceps"])
    assert figure.views() == ["back", "deep-back", "front"]
    figure.set_shades({"transversus-abdominis": "#2255aa", "lats": "#2255aa"})
    assert figure.views() == ["back", "front", "deep-front"]
    figure.set_views(["front"])  # a fixed choice stays
    figure.set_highlight(["rhomboid-major"])
    assert figure.views() == ["front"]


def test_hover_says_whether_a_muscle_is_deep(qtbot, figure):
    figure.set_highlight(["rhomboid-major"], ["lats"])
    text = figure.tooltip_text("rhomboid-major")
    assert "Rhomboid major" in text and "primary" in text and "Deep muscle" in text
    assert "Deep muscle" not in figure.tooltip_text("lats")
    point = _point_on(figure, "rhomboid-major")  # hit-testing finds it in the deep view
    with qtbot.wait_signal(figure.muscle_hovered) as blocker:
        qtbot.mouseMove(figure, point)
    assert blocker.args == ["rhomboid-major"]
    with qtbot.wait_signal(figure.muscle_clicked) as blocker:
        qtbot.mouseClick(figure, Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == ["rhomboid-major"]


def test_view_labels_shorten_when_narrow(qtbot, figure):
    wide = figure.fontMetrics().horizontalAdvance("Back, deep") + 4
    assert figure.view_label("deep-back", wide) == "Back, deep"
    assert figure.view_label("deep-back", wide - 10) == "Deep"
    assert figure.view_label("front", 400) == "Front"


def test_off_the_ui_thread_a_new_shading_is_rendered_on_the_render_thread(qtbot, library, monkeypatch):
    """History during a session: a ~20 ms SVG render must not hold up the session's paints."""
    import threading

    from backcoach.ui import anatomy

    threads = []
    real = anatomy.render_figure
    monkeypatch.setattr(anatomy, "render_figure", lambda *a, **k: threads.append(threading.current_thread()) or real(*a, **k))
    figure = AnatomyFigure(library.muscles, legend=False)
    figure.render_off_thread = True
    qtbot.add_widget(figure)
    figure.resize(300, 300)
    figure.set_shades({"lats": "#ff0000"})
    figure.grab()  # the first paint asks for the image; it is not rendered here
    assert threads == [] or threading.main_thread() not in threads
    qtbot.wait_until(lambda: not figure.rendering() and bool(figure._cache))
    assert threads and threading.main_thread() not in threads
    image = next(iter(figure._cache.values()))
    assert not image.isNull() and image.size().width() > 0
    painted = figure.grab().toImage()
    assert any(painted.pixelColor(x, y).red() > 200 and painted.pixelColor(x, y).green() < 80
               for x in range(0, 300, 4) for y in range(0, 300, 4))  # the shaded muscle is on screen


def test_on_the_ui_thread_by_default(qtbot, library, monkeypatch):
    import threading

    from backcoach.ui import anatomy

    threads = []
    real = anatomy.render_figure
    monkeypatch.setattr(anatomy, "render_figure", lambda *a, **k: threads.append(threading.current_thread()) or real(*a, **k))
    figure = AnatomyFigure(library.muscles, legend=False)
    qtbot.add_widget(figure)
    figure.resize(300, 300)
    figure.grab()
    assert threads and all(t is threading.main_thread() for t in threads)
