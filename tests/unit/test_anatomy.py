"""The drawings (as data): every muscle is drawn, and colouring rewrites the right shapes."""

import xml.etree.ElementTree as ET

from backcoach.anatomy import VIEWS, best_view, deep_muscles, figure_views, load_figures, muscle_of


def test_every_catalogue_muscle_is_drawn(library):
    figures = load_figures(library.muscles)
    drawn = set().union(*(fig.muscles for fig in figures.values()))
    assert set(library.muscles) == drawn


def test_every_muscle_an_exercise_uses_is_drawn(library):
    figures = load_figures(library.muscles)
    drawn = set().union(*(fig.muscles for fig in figures.values()))
    used = {m for ex in library.exercises.values() for m in ex.muscles}
    assert used <= drawn


def test_shape_ids_are_muscle_ids_or_halves(library):
    for fig in load_figures().values():  # every id'd shape, known or not
        for element_id, muscle in fig.elements:
            assert muscle in library.muscles, f"{fig.view}.svg has a shape {element_id!r} that is no muscle"
            assert element_id in (muscle, f"{muscle}-l", f"{muscle}-r")


def test_all_views_share_a_viewbox(library):
    figures = load_figures(library.muscles)
    assert set(figures) == set(VIEWS) == {"back", "front", "deep-back", "deep-front"}
    assert len({fig.view_box for fig in figures.values()}) == 1


def test_muscle_of():
    assert muscle_of("lats-l") == "lats" and muscle_of("lats-r") == "lats"
    assert muscle_of("multifidus") == "multifidus"


def _fills(svg: bytes) -> dict[str, str]:
    root = ET.fromstring(svg)
    return {el.get("id"): el.get("fill") for el in root.iter() if el.get("id")}


def test_colouring_marks_primary_secondary_and_neutral(library):
    from backcoach.ui.theme import LIGHT  # the colours only; no widget

    fig = load_figures(library.muscles)["back"]
    fills = _fills(fig.coloured(LIGHT.figure, primary=["lats"], secondary=["biceps", "traps-middle"]))
    c = LIGHT.figure
    for element_id, muscle in fig.elements:
        expected = c.primary if muscle == "lats" else c.secondary if muscle == "traps-middle" else c.neutral
        assert fills[element_id] == expected, element_id
    assert fills["silhouette"] == c.silhouette_fill


def test_shades_override_for_heatmaps(library):
    from backcoach.ui.theme import LIGHT

    fig = load_figures(library.muscles)["back"]
    fills = _fills(fig.coloured(LIGHT.figure, primary=["lats"], shades={"lats": "#123456"}))
    assert {fills[e] for e, m in fig.elements if m == "lats"} == {"#123456"}


def test_id_map_codes_are_unique(library):
    for fig in load_figures(library.muscles).values():
        svg, codes = fig.id_map()
        fills = [f for e, f in _fills(svg).items() if muscle_of(e) in fig.muscles]
        assert len(set(fills)) == len(fills) == len(fig.elements)
        assert set(codes.values()) == fig.muscles


def test_deep_muscles_are_the_ones_under_others(library):
    deep = deep_muscles(load_figures(library.muscles))
    assert {"rhomboid-major", "rhomboid-minor", "levator-scapulae", "serratus-posterior-superior",
            "serratus-posterior-inferior", "multifidus", "transversus-abdominis", "quadratus-lumborum"} == deep
    assert "erector-spinae" not in deep  # its lumbar columns show below the lats


def test_figure_views_put_a_deep_view_beside_its_surface(library):
    figures = load_figures(library.muscles)
    assert figure_views(figures, []) == ["back", "front"]
    assert figure_views(figures, ["lats", "biceps"]) == ["back", "front"]
    assert figure_views(figures, ["lats", "rhomboid-major"]) == ["back", "deep-back", "front"]
    assert figure_views(figures, ["transversus-abdominis"]) == ["back", "front", "deep-front"]
    # erector spinae shows on the surface, so it does not call for the deep view by itself
    assert figure_views(figures, ["erector-spinae"]) == ["back", "front"]


def test_best_view_for_thumbnails(library):
    figures = load_figures(library.muscles)
    assert best_view(figures, library.exercise("barbell-row").primary_muscles) == "back"
    assert best_view(figures, library.exercise("pallof-press").primary_muscles) == "front"
    assert best_view(figures, ["obliques"]) == "back"  # drawn on both: back wins the tie
    assert best_view(figures, ["rhomboid-major", "rhomboid-minor"]) == "deep-back"
    assert best_view(figures, ["erector-spinae"]) == "back"  # surface wins a tie with the deep view
