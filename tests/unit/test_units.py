import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.units import format_duration, format_load, format_tonnage, from_unit, to_unit


def test_format_load():
    assert format_load(62.5, "kg") == "62.5 kg"
    assert format_load(100.0, "kg") == "100 kg"
    assert format_load(100.0, "lb") == "220.5 lb"
    assert format_load(None, "kg") == "BW"
    assert format_load(20, "kg", with_unit=False) == "20"


def test_tonnage_and_duration():
    assert format_tonnage(12340.4, "kg") == "12,340 kg"
    assert format_duration(None) == "—"
    assert format_duration(45 * 60 + 20) == "45 min"
    assert format_duration(75 * 60) == "1 h 15 min"


@given(st.floats(min_value=0, max_value=1000, allow_nan=False))
def test_pounds_round_trip_to_a_gram(kg):
    assert from_unit(to_unit(kg, "lb"), "lb") == pytest.approx(kg, abs=0.001)
    assert from_unit(to_unit(kg, "kg"), "kg") == kg
