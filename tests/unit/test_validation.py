"""backcoach.validation: typed fields with ranges that collect every problem with its place."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backcoach.validation import Fields, Problems, is_int, is_number


@given(st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(), st.none()))
def test_a_bool_is_never_a_number(value):
    assert is_int(value) == (type(value) is int)
    assert is_number(value) == (type(value) in (int, float))


def test_every_problem_is_collected_with_its_place():
    problems = Problems()
    fields = Fields({"name": "", "sets": True, "reps": 500, "colour": "red"}, "templates.toml, template 'pull'",
                    problems)
    fields.text("name")
    fields.positive_int("sets", 1, 12)
    fields.positive_int("reps", 1, 100)
    fields.unknown_keys({"name", "sets", "reps"})
    fields.text("notes")
    assert not fields.ok
    assert problems.items == [
        "templates.toml, template 'pull', field 'name': must not be empty",
        "templates.toml, template 'pull', field 'sets': expected a whole number, got True",
        "templates.toml, template 'pull', field 'reps': 500 is outside the sensible range 1–100",
        "templates.toml, template 'pull', field 'colour': unknown field (allowed: name, reps, sets)",
        "templates.toml, template 'pull', field 'notes': missing",
    ]
