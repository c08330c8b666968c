"""The routine model: editor texts, checks, and the book of saved routines."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.routines import (
    MAX_NAME,
    PlannedSet,
    Routine,
    RoutineBook,
    RoutineError,
    RoutineItem,
    build_sets,
    check_routine,
    format_loads,
    format_reps,
    item_for_exercise,
    parse_loads,
    parse_reps,
)
from backcoach.store import Store


def test_reps_texts():
    assert parse_reps("8-12", 3) == [((8, 12), None)] * 3
    assert parse_reps("8 to 12", 1) == [((8, 12), None)]
    assert parse_reps("10/8/6", 3) == [((10, 10), None), ((8, 8), None), ((6, 6), None)]
    assert parse_reps("30 s", 2) == [(None, 30), (None, 30)]
    assert parse_reps("45", 1, timed=True) == [(None, 45)]
    assert format_reps(build_sets("10/8/6", "", 3, "kg")) == "10/8/6"
    assert format_reps(build_sets("8-12", "", 3, "kg")) == "8–12"


def test_loads_in_both_units():
    assert parse_loads("80/70/70", 3, "kg") == [80.0, 70.0, 70.0]
    assert parse_loads("62,5", 2, "kg") == [62.5, 62.5]
    assert parse_loads("", 2, "kg") == [None, None] and parse_loads("BW", 1, "kg") == [None]
    assert parse_loads("135", 1, "lb") == [pytest.approx(61.235, abs=0.001)]
    assert format_loads(build_sets("5", "135", 1, "lb"), "lb") == "135"


@pytest.mark.parametrize(("reps", "loads", "count", "words"), [
    ("", "", 3, "give the reps"), ("12-8", "", 1, "lower number first"), ("0", "", 1, "reps must be 1–100"),
    ("101", "", 1, "reps must be 1–100"), ("8/8", "", 3, "2 values for 3 sets"), ("8", "-5", 1, "not a sensible load"),
    ("8", "2000", 1, "not a sensible load"), ("8", "60/60", 3, "2 loads for 3 sets"), ("8", "lots", 1, "not a load"),
    ("999 s", "", 1, "hold of 1–600"), ("8", "", 0, "sets must be 1–12"), ("8", "", 13, "sets must be 1–12"),
])
def test_bad_texts_say_why(reps, loads, count, words):
    with pytest.raises(RoutineError, match=words):
        build_sets(reps, loads, count, "kg")


@given(st.text(max_size=20), st.text(max_size=20), st.integers(-3, 20))
def test_any_text_builds_or_raises_routine_error(reps, loads, count):
    try:
        sets = build_sets(reps, loads, count, "kg")
    except RoutineError:
        return
    check_routine(Routine(name="x", items=(RoutineItem("pull-up", sets=sets),)))


def test_item_for_exercise_uses_the_library_defaults(library):
    item = item_for_exercise(library.exercise("one-arm-dumbbell-row"))
    p = library.exercise("one-arm-dumbbell-row").prescription
    assert item.per_side and len(item.sets) == p.sets and item.sets[0].reps == p.reps and item.tempo == str(p.tempo)
    hang = item_for_exercise(library.exercise("dead-hang"))
    assert hang.timed and hang.tempo is None


@pytest.mark.parametrize(("routine", "words"), [
    (Routine(name=""), "needs a name"), (Routine(name="x" * (MAX_NAME + 1)), "at most 80"),
    (Routine(name="a\nb"), "line breaks"), (Routine(name="x", sessions_per_week=9), "1–7"),
    (Routine(name="x", items=(RoutineItem("pull-up", sets=()),)), "1 to 12 sets"),
    (Routine(name="x", items=(RoutineItem("pull-up", tempo="fast"),)), "four parts"),
    (Routine(name="x", items=(RoutineItem("pull-up", rest_seconds=-1),)), "rest"),
    (Routine(name="x", items=(RoutineItem("pull-up", sets=(PlannedSet(reps=None),)),)), "either reps or hold"),
    (Routine(name="x", items=(RoutineItem("nonsense"),)), "unknown exercise"),
])
def test_impossible_routines_are_refused(library, routine, words):
    with pytest.raises(RoutineError, match=words):
        check_routine(routine, library.exercises)


def test_book_saves_renames_duplicates_and_deletes(tmp_path, library):
    with Store.open(tmp_path / "d") as store:
        book = RoutineBook(store, library.exercises)
        first = book.save(Routine(name="Pull day", items=(item_for_exercise(library.exercise("pull-up")),)))
        with pytest.raises(RoutineError, match="already exists"):
            book.save(Routine(name="pull DAY"))
        copy = book.duplicate(first.id)
        assert copy.name == "Pull day (copy)" and copy.items[0].id != first.items[0].id
        assert book.unique_name("Pull day") == "Pull day (2)"
        assert len(book.unique_name("y" * MAX_NAME)) <= MAX_NAME
        book.delete(first.id)
    with Store.open(tmp_path / "d") as store:
        assert [r.name for r in RoutineBook(store).all()] == ["Pull day (copy)"]
