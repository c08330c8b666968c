from hypothesis import given
from hypothesis import strategies as st

from backcoach.settings import BY_KEY
from backcoach.window_place import WindowPlace, fit_on_screens

LAPTOP = (0, 0, 1366, 768)
BIG = (1366, 0, 2560, 1440)


def test_a_place_on_a_screen_stays():
    assert fit_on_screens((100, 50, 1000, 600), [LAPTOP]) == (100, 50, 1000, 600)
    assert fit_on_screens((1500, 100, 1600, 900), [LAPTOP, BIG]) == (1500, 100, 1600, 900)


def test_a_place_on_a_monitor_that_is_gone_comes_back_onto_the_first_screen():
    assert fit_on_screens((1500, 100, 1600, 900), [LAPTOP]) == (0, 0, 1366, 768)  # shrunk to fit
    assert fit_on_screens((1500, 100, 1000, 600), [LAPTOP]) == (183, 84, 1000, 600)  # centred
    assert fit_on_screens((100, -500, 1000, 600), [LAPTOP]) == (183, 84, 1000, 600)  # title bar above the top


@given(st.tuples(st.integers(-10000, 10000), st.integers(-10000, 10000), st.integers(1, 5000), st.integers(1, 5000)))
def test_the_title_bar_always_ends_up_on_a_screen(rect):
    x, y, w, h = fit_on_screens(rect, [LAPTOP, BIG])
    assert any(min(x + w, sx + sw) - max(x, sx) >= min(w, 160) and sy <= y < sy + sh for sx, sy, sw, sh in (LAPTOP, BIG))


def test_the_saved_place_round_trips_and_bad_text_is_no_place():
    place = WindowPlace(10, 20, 1200, 700, maximized=True, area="history", screen="HDMI-1")
    assert WindowPlace.from_json(place.to_json()) == place
    for bad in ("", "[]", "{}", '{"x": "a", "y": 0, "width": 1, "height": 1}', '{"x": 0, "y": 0, "width": 0, "height": 5}',
                '{"x": 0, "y": 0, "width": 10, "height": 5, "maximized": "yes"}'):
        assert WindowPlace.from_json(bad) is None
    assert BY_KEY["window_state"].check(place.to_json())
