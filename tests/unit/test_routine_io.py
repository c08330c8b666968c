"""Routine files: export and import round-trip, every kind of bad file is refused with its own
message and leaves the store as it was, names never clash, and garbage never escapes as
anything but RoutineFileError."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcoach.routine_io import (
    FORMAT,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    MAX_ROUTINES_PER_FILE,
    RoutineFileError,
    export_routines,
    import_routines,
    parse_routines,
    read_routines,
    write_routines,
)
from backcoach.routines import (
    MAX_HOLD_SECONDS,
    MAX_NAME,
    MAX_REPS,
    MAX_SETS,
    PlannedSet,
    Routine,
    RoutineBook,
    RoutineError,
    RoutineItem,
    check_routine,
    item_for_exercise,
)
from backcoach.storage import ReadOnlyError, encode
from backcoach.store import MAIN_FILE, Store

# --- builders -----------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "d")
    yield s
    s.close()


@pytest.fixture
def book(store, library):
    return RoutineBook(store, library.exercises)


def sample_routines(library) -> list[Routine]:
    """Routines that use every field: per-set loads, holds, supersets, notes, Unicode."""
    pulldown = item_for_exercise(library.exercise("lat-pulldown"))
    row = RoutineItem(
        exercise_id="one-arm-dumbbell-row",
        sets=(PlannedSet((10, 10), None, 24.0), PlannedSet((8, 8), None, 26.0), PlannedSet((6, 6), None, 28.0)),
        tempo="3-2-1-2", rest_seconds=75, per_side=True, warmup_sets=1, superset="A",
        note="Ellbogen eng am Körper — pull to the hip", increment_kg=1.0,
    )
    face = RoutineItem(exercise_id="face-pull", sets=(PlannedSet((12, 15)),) * 3, superset="A", rest_seconds=60)
    hang = RoutineItem(exercise_id="dead-hang", sets=(PlannedSet(None, 30), PlannedSet(None, 25)), rest_seconds=60)
    pull_day = Routine("Pull day", items=(pulldown, row, face, hang), notes="Mondays.\nKeep it strict.",
                       sessions_per_week=2)
    hinge = Routine("Rücken & Hüfte", items=(
        RoutineItem(exercise_id="deadlift", sets=(PlannedSet((5, 5), None, 100.0),) * 3, rest_seconds=180,
                    warmup_sets=2),
        item_for_exercise(library.exercise("bird-dog")),
    ), sessions_per_week=1, template="lower-back-hinge")
    empty = Routine("Empty for now")
    return [pull_day, hinge, empty]


def content(routine: Routine) -> dict:
    """What a routine says, without its ids and timestamps (an import makes those new)."""
    d = routine.to_dict()
    for key in ("id", "created_at", "updated_at"):
        d.pop(key)
    for item in d["items"]:
        item.pop("id")
    return d


def valid_document(library) -> dict:
    return json.loads(json.dumps(export_routines(sample_routines(library))))


def snapshot(store: Store) -> list[dict]:
    return [r.to_dict() for r in RoutineBook(store).all()]


def import_file(book: RoutineBook, path: Path, library) -> list[tuple[str, str]]:
    """What the app does with a file the user picked: read it all, then import it."""
    return import_routines(book, read_routines(path, library))


# --- writing and the round trip ------------------------------------------------------------


def test_export_is_json_ready_with_marker_version_and_time(library):
    doc = export_routines(sample_routines(library))
    assert doc["format"] == FORMAT == "backcoach-routines"
    assert doc["version"] == FORMAT_VERSION == 1
    assert datetime.fromisoformat(doc["exported_at"]).tzinfo is not None
    assert [r["name"] for r in doc["routines"]] == ["Pull day", "Rücken & Hüfte", "Empty for now"]
    assert json.loads(json.dumps(doc)) == doc


def test_write_then_read_gives_the_same_routines(tmp_path, library):
    routines = sample_routines(library)
    path = tmp_path / "routines.json"
    write_routines(routines, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["routines.json"]  # no temporary file left
    back = read_routines(path, library)
    assert [content(r) for r in back] == [content(r) for r in routines]


def test_write_replaces_an_existing_file_whole(tmp_path, library):
    path = tmp_path / "routines.json"
    path.write_text("old content that is much longer than nothing " * 100)
    write_routines(sample_routines(library)[:1], path)
    assert [r.name for r in read_routines(path, library)] == ["Pull day"]


def test_export_import_round_trip_through_a_store(tmp_path, library, book):
    routines = sample_routines(library)
    path = tmp_path / "routines.json"
    write_routines(routines, path)
    pairs = import_file(book, path, library)
    assert pairs == [(r.name, r.name) for r in routines]
    saved = {r.name: r for r in book.all()}
    for original in routines:
        copy_ = saved[original.name]
        assert content(copy_) == content(original)
        assert copy_.id != original.id
        assert not {i.id for i in copy_.items} & {i.id for i in original.items}


def test_an_exported_store_imports_into_another(tmp_path, library, book):
    book.save_many(sample_routines(library))
    path = tmp_path / "out.json"
    write_routines(book.all(), path)
    other = Store.open(tmp_path / "other")
    try:
        other_book = RoutineBook(other, library.exercises)
        import_file(other_book, path, library)
        assert [content(r) for r in other_book.all()] == [content(r) for r in book.all()]
    finally:
        other.close()


def test_a_file_with_no_routines_imports_nothing(tmp_path, library, book, store):
    path = tmp_path / "none.json"
    write_routines([], path)
    before = (store.data_dir / MAIN_FILE).read_bytes() if (store.data_dir / MAIN_FILE).exists() else None
    assert import_file(book, path, library) == []
    after = (store.data_dir / MAIN_FILE).read_bytes() if (store.data_dir / MAIN_FILE).exists() else None
    assert before == after


def test_the_format_version_and_time_are_optional_extras_but_the_file_is_checked(library):
    doc = valid_document(library)
    del doc["exported_at"]
    assert len(parse_routines(json.dumps(doc).encode(), library)) == 3
    assert parse_routines(b"\xef\xbb\xbf" + json.dumps(doc).encode(), library)  # a BOM from a Windows editor


def test_custom_exercise_ids_are_accepted_when_known(library):
    doc = valid_document(library)
    doc["routines"][0]["items"][0]["exercise_id"] = "my-band-row"
    with pytest.raises(RoutineFileError):
        parse_routines(json.dumps(doc).encode(), library)
    known = set(library.exercises) | {"my-band-row"}
    assert parse_routines(json.dumps(doc).encode(), known)[0].items[0].exercise_id == "my-band-row"


# --- names --------------------------------------------------------------------------------


def test_a_name_clash_imports_under_a_numbered_name_and_keeps_the_original(tmp_path, library, book):
    mine = book.save(Routine("Pull day", items=(item_for_exercise(library.exercise("pull-up")),)))
    path = tmp_path / "r.json"
    write_routines(sample_routines(library)[:1], path)
    assert import_file(book, path, library) == [("Pull day", "Pull day (2)")]
    assert book.get(mine.id) == mine
    assert [r.name for r in book.all()] == ["Pull day", "Pull day (2)"]
    imported = next(r for r in book.all() if r.name == "Pull day (2)")
    assert content(imported)["items"] == content(sample_routines(library)[0])["items"]


def test_a_clash_ignores_case(tmp_path, library, book):
    book.save(Routine("PULL DAY"))
    path = tmp_path / "r.json"
    write_routines(sample_routines(library)[:1], path)
    assert import_file(book, path, library) == [("Pull day", "Pull day (2)")]


def test_importing_twice_gives_two_copies_with_distinct_names_and_ids(tmp_path, library, book):
    path = tmp_path / "r.json"
    write_routines(sample_routines(library), path)
    first = import_file(book, path, library)
    second = import_file(book, path, library)
    assert [saved for _, saved in first] == ["Pull day", "Rücken & Hüfte", "Empty for now"]
    assert [saved for _, saved in second] == ["Pull day (2)", "Rücken & Hüfte (2)", "Empty for now (2)"]
    routines = book.all()
    assert len(routines) == 6
    assert len({r.id for r in routines}) == 6
    item_ids = [i.id for r in routines for i in r.items]
    assert len(set(item_ids)) == len(item_ids)
    by_name = {r.name: r for r in routines}
    assert content(by_name["Pull day"])["items"] == content(by_name["Pull day (2)"])["items"]


def test_numbered_names_in_the_file_keep_their_numbers_when_free(library, book):
    book.save(Routine("Pull day"))
    pairs = import_routines(book, [Routine("Pull day"), Routine("Pull day (2)")])
    assert pairs == [("Pull day", "Pull day (3)"), ("Pull day (2)", "Pull day (2)")]
    assert sorted(r.name for r in book.all()) == ["Pull day", "Pull day (2)", "Pull day (3)"]


def test_a_renamed_long_name_still_fits(library, book):
    long_name = "L" * MAX_NAME
    book.save(Routine(long_name))
    (_, saved), = import_routines(book, [Routine(long_name.lower())])
    assert saved.endswith(" (2)") and len(saved) <= MAX_NAME
    assert len(book.all()) == 2


def test_an_import_is_all_or_nothing(library, store):
    book = RoutineBook(store, {"lat-pulldown"})  # knows fewer exercises than the routines use
    book.save(Routine("Mine"))
    before = snapshot(store)
    good = Routine("Good", items=(item_for_exercise(library.exercise("lat-pulldown")),))
    bad = Routine("Bad", items=(item_for_exercise(library.exercise("bird-dog")),))
    with pytest.raises(RoutineError):
        import_routines(book, [good, bad])
    assert snapshot(store) == before


def test_a_read_only_store_is_not_changed(tmp_path, library):
    folder = tmp_path / "d"
    with Store.open(folder) as s:
        RoutineBook(s).save(Routine("Mine"))
    holder = Store.open(folder)  # holds the lock: the next one is read-only
    try:
        reader = Store.open(folder)
        try:
            assert reader.read_only
            with pytest.raises(ReadOnlyError):
                import_routines(RoutineBook(reader, library.exercises), sample_routines(library))
        finally:
            reader.close()
        assert [r.name for r in RoutineBook(holder).all()] == ["Mine"]
    finally:
        holder.close()


# --- bad files -----------------------------------------------------------------------------

def _routine(doc, n=0):
    return doc["routines"][n]


def _item(doc, n=0, m=1):
    return doc["routines"][n]["items"][m]


def _set(doc, k=0):
    return doc["routines"][0]["items"][1]["sets"][k]


def edit(fn):
    """A bad file made by changing one thing in a good one."""
    def make(library) -> bytes:
        doc = valid_document(library)
        fn(doc)
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return make


def raw(data: bytes):
    return lambda library: data


def _set_key(getter, key, value):
    def fn(doc):
        getter(doc)[key] = value
    return fn


def _del_key(getter, key):
    def fn(doc):
        del getter(doc)[key]
    return fn


def _dup_name(doc):
    doc["routines"][1]["name"] = "PULL DAY"


def _many_items(doc):
    _routine(doc)["items"] = [copy.deepcopy(_item(doc, 0, 0)) for _ in range(200)]


def _many_sets(doc):
    _item(doc)["sets"] = [copy.deepcopy(_set(doc))] * (MAX_SETS + 1)


def _many_routines(doc):
    doc["routines"] = [dict(copy.deepcopy(_routine(doc, 2)), name=f"R{n}") for n in range(MAX_ROUTINES_PER_FILE + 1)]


BAD_FILES = [
    # (case, file, words the problem must contain)
    ("empty", raw(b""), "the file is empty"),
    ("whitespace only", raw(b"  \n "), "the file is empty"),
    ("not JSON", raw(b"{routines: pull day}"), "not valid JSON"),
    ("truncated JSON", raw(b'{"format": "backcoach-routines", "version": 1, "routines": [{"na'), "not valid JSON"),
    ("not UTF-8", raw("{\"format\": \"backcoach-routines\", \"n\": \"Rücken\"}".encode("latin-1")), "not UTF-8"),
    ("binary", raw(b"\x89PNG\r\n\x1a\n\x00\x00"), "not UTF-8"),
    ("NaN", raw(b'{"format": "backcoach-routines", "version": 1, "routines": [], "x": NaN}'), "NaN is not a number"),
    ("Infinity", raw(b'{"format": "backcoach-routines", "version": 1, "routines": [Infinity]}'), "Infinity is not"),
    ("deep nesting", raw(b"[" * 100_000 + b"]" * 100_000), "nested far too deeply"),
    ("endless digits", raw(b'{"format": "backcoach-routines", "version": ' + b"9" * 5000 + b"}"), "thousands of digits"),
    ("a list", raw(b"[]"), "not a BackCoach routines file: it holds a list"),
    ("a number", raw(b"42"), "not a BackCoach routines file: it holds a number"),
    ("no format marker", edit(_del_key(lambda d: d, "format")), "not a BackCoach routines file: it has no 'format' field"),
    ("another app's format", edit(_set_key(lambda d: d, "format", "strong-export")),
     "its format is 'strong-export', expected 'backcoach-routines'"),
    ("newer version", edit(_set_key(lambda d: d, "version", 2)),
     "written by a newer version of BackCoach (routines format version 2; this version reads up to 1)"),
    ("version zero", edit(_set_key(lambda d: d, "version", 0)), "field 'version': 0 is not a routines format version"),
    ("version as text", edit(_set_key(lambda d: d, "version", "1")), "field 'version': expected a whole number, got '1'"),
    ("version as boolean", edit(_set_key(lambda d: d, "version", True)), "field 'version': expected a whole number, got true"),
    ("no version", edit(_del_key(lambda d: d, "version")), "field 'version' is missing"),
    ("unknown top-level field", edit(_set_key(lambda d: d, "owner", "me")), "unknown field 'owner'"),
    ("exported_at not text", edit(_set_key(lambda d: d, "exported_at", 12)), "field 'exported_at': expected text"),
    ("no routines", edit(_del_key(lambda d: d, "routines")), "field 'routines' is missing"),
    ("routines not a list", edit(_set_key(lambda d: d, "routines", {"name": "x"})),
     "field 'routines': expected a list of routines, got an object"),
    ("too many routines", edit(_many_routines), f"a file can hold at most {MAX_ROUTINES_PER_FILE}"),
    ("routine not an object", edit(lambda d: d["routines"].insert(0, "Pull day")),
     "routine 1: expected an object with a name and items, got text"),
    ("duplicate names", edit(_dup_name), "routine 2 'PULL DAY', field 'name': routine 1 has the same name"),
    ("no name", edit(_del_key(_routine, "name")), "routine 1, field 'name': missing"),
    ("blank name", edit(_set_key(_routine, "name", "   ")), "routine 1, field 'name': must not be empty"),
    ("name not text", edit(_set_key(_routine, "name", 7)), "routine 1, field 'name': expected text, got 7"),
    ("name too long", edit(_set_key(_routine, "name", "N" * 81)), "field 'name': at most 80 characters, has 81"),
    ("name with a line break", edit(_set_key(_routine, "name", "Pull\nday")), "contains control characters or line breaks"),
    ("name with a lone surrogate", raw(b'{"format": "backcoach-routines", "version": 1, "routines": '
                                       b'[{"name": "Pull \\ud800", "items": []}]}'), "a lone UTF-16 surrogate"),
    ("notes too long", edit(_set_key(_routine, "notes", "n" * 4001)), "routine 1 'Pull day', field 'notes': at most 4000"),
    ("notes not text", edit(_set_key(_routine, "notes", ["a"])), "field 'notes': expected text"),
    ("sessions zero", edit(_set_key(_routine, "sessions_per_week", 0)), "field 'sessions_per_week': 0 is outside the sensible range 1–7"),
    ("sessions daily and more", edit(_set_key(_routine, "sessions_per_week", 14)), "14 is outside the sensible range 1–7"),
    ("sessions as text", edit(_set_key(_routine, "sessions_per_week", "2")), "field 'sessions_per_week': expected a whole number, got '2'"),
    ("sessions as boolean", edit(_set_key(_routine, "sessions_per_week", True)), "expected a whole number, got true"),
    ("template not text", edit(_set_key(_routine, "template", 3)), "field 'template': expected text, got 3"),
    ("unknown routine field", edit(_set_key(_routine, "colour", "red")), "routine 1 'Pull day': unknown field 'colour'"),
    ("no items", edit(_del_key(_routine, "items")), "routine 1 'Pull day', field 'items': missing"),
    ("items not a list", edit(_set_key(_routine, "items", "lat-pulldown")), "field 'items': expected a list of exercises, got 'lat-pulldown'"),
    ("200 items", edit(_many_items), "200 exercises; a routine can have at most 40"),
    ("item not an object", edit(lambda d: _routine(d)["items"].append(5)), "routine 1 'Pull day', item 5: expected an object"),
    ("no exercise id", edit(_del_key(_item, "exercise_id")), "item 2, field 'exercise_id': missing"),
    ("exercise id not text", edit(_set_key(_item, "exercise_id", 12)), "field 'exercise_id': expected text, got 12"),
    ("unknown exercise", edit(_set_key(_item, "exercise_id", "moon-walk")),
     "routine 1 'Pull day', item 2 (moon-walk), field 'exercise_id': unknown exercise id 'moon-walk'"),
    ("unknown item field", edit(_set_key(_item, "weight", 50)), "item 2 (one-arm-dumbbell-row): unknown field 'weight'"),
    ("no sets", edit(_del_key(_item, "sets")), "item 2 (one-arm-dumbbell-row), field 'sets': missing"),
    ("sets not a list", edit(_set_key(_item, "sets", 3)), "field 'sets': expected a list of sets, got 3"),
    ("zero sets", edit(_set_key(_item, "sets", [])), "field 'sets': 0 sets; an exercise needs 1 to 12"),
    ("13 sets", edit(_many_sets), "13 sets; an exercise needs 1 to 12"),
    ("set not an object", edit(lambda d: _item(d)["sets"].append([8, 12])), "item 2 (one-arm-dumbbell-row), set 4: expected an object"),
    ("reps a single number", edit(_set_key(_set, "reps", 10)), "set 1, field 'reps': expected [low, high], two whole numbers, got 10"),
    ("reps one value", edit(_set_key(_set, "reps", [8])), "field 'reps': expected [low, high], two whole numbers, got [8]"),
    ("reps three values", edit(_set_key(_set, "reps", [8, 10, 12])), "expected [low, high]"),
    ("reps as text", edit(_set_key(_set, "reps", ["8", "12"])), "expected [low, high], two whole numbers, got ['8', '12']"),
    ("reps as a string", edit(_set_key(_set, "reps", "8-12")), "expected [low, high], two whole numbers, got '8-12'"),
    ("reps as booleans", edit(_set_key(_set, "reps", [True, 12])), "expected [low, high], two whole numbers, got [true, 12]"),
    ("reps as fractions", edit(_set_key(_set, "reps", [8.5, 12])), "expected [low, high]"),
    ("1000 reps", edit(_set_key(_set, "reps", [1000, 1000])), f"[1000, 1000] is not a sensible range: reps must be 1–{MAX_REPS}"),
    ("zero reps", edit(_set_key(_set, "reps", [0, 0])), "[0, 0] is not a sensible range"),
    ("negative reps", edit(_set_key(_set, "reps", [-5, 5])), "[-5, 5] is not a sensible range"),
    ("reps high before low", edit(_set_key(_set, "reps", [12, 8])), "low before high"),
    ("neither reps nor hold", edit(_set_key(_set, "reps", None)), "set 1: give either reps or hold seconds"),
    ("reps and hold", edit(_set_key(_set, "seconds", 30)), "set 1: give either reps or hold seconds, not both"),
    ("hold a day long", edit(lambda d: _set(d).update(reps=None, seconds=86_400)),
     f"field 'seconds': 86400 seconds is outside the sensible range 1–{MAX_HOLD_SECONDS} seconds"),
    ("hold as text", edit(lambda d: _set(d).update(reps=None, seconds="30")), "field 'seconds': expected a whole number, got '30'"),
    ("negative load", edit(_set_key(_set, "load_kg", -20)), "field 'load_kg': -20 kg is not sensible: it must be above 0"),
    ("zero load", edit(_set_key(_set, "load_kg", 0)), "field 'load_kg': 0 kg is not sensible"),
    ("huge load", edit(_set_key(_set, "load_kg", 5e9)), "field 'load_kg': 5000000000.0 kg is not sensible"),
    ("overflowing load", raw(b'{"format": "backcoach-routines", "version": 1, "routines": [{"name": "a", "items": '
                             b'[{"exercise_id": "lat-pulldown", "sets": [{"reps": [8, 12], "load_kg": 1e400}]}]}]}'),
     "field 'load_kg': inf kg is not sensible"),
    ("load as text", edit(_set_key(_set, "load_kg", "60")), "field 'load_kg': expected a number, got '60'"),
    ("load as boolean", edit(_set_key(_set, "load_kg", True)), "field 'load_kg': expected a number, got true"),
    ("unknown set field", edit(_set_key(_set, "rpe", 8)), "set 1: unknown field 'rpe'"),
    ("rest of a day", edit(_set_key(_item, "rest_seconds", 86_400)),
     "field 'rest_seconds': 86400 seconds is outside the sensible range 0–900 seconds"),
    ("negative rest", edit(_set_key(_item, "rest_seconds", -1)), "-1 seconds is outside the sensible range"),
    ("rest as a fraction", edit(_set_key(_item, "rest_seconds", 90.5)), "field 'rest_seconds': expected a whole number, got 90.5"),
    ("rest as text", edit(_set_key(_item, "rest_seconds", "90")), "field 'rest_seconds': expected a whole number, got '90'"),
    ("rest as boolean", edit(_set_key(_item, "rest_seconds", False)), "field 'rest_seconds': expected a whole number, got false"),
    ("bad tempo", edit(_set_key(_item, "tempo", "slow")), "field 'tempo': tempo 'slow' must have four parts"),
    ("tempo as a number", edit(_set_key(_item, "tempo", 3212)), "field 'tempo': expected text, got 3212"),
    ("per side as text", edit(_set_key(_item, "per_side", "yes")), "field 'per_side': expected true or false, got 'yes'"),
    ("per side as a number", edit(_set_key(_item, "per_side", 1)), "field 'per_side': expected true or false, got 1"),
    ("too many warm-ups", edit(_set_key(_item, "warmup_sets", 9)), "field 'warmup_sets': 9 is outside the sensible range 0–5"),
    ("warm-ups as boolean", edit(_set_key(_item, "warmup_sets", True)), "field 'warmup_sets': expected a whole number"),
    ("superset of two letters", edit(_set_key(_item, "superset", "AB")), "field 'superset': 'AB' is not a superset group"),
    ("superset lower case", edit(_set_key(_item, "superset", "a")), "'a' is not a superset group"),
    ("note too long", edit(_set_key(_item, "note", "x" * 1001)), "field 'note': at most 1000 characters, has 1001"),
    ("note with a NUL", edit(_set_key(_item, "note", "a\x00b")), "field 'note': contains control characters"),
    ("load step too big", edit(_set_key(_item, "increment_kg", 50)), "field 'increment_kg': 50 kg is not sensible"),
    ("load step negative", edit(_set_key(_item, "increment_kg", -1)), "field 'increment_kg': -1 kg is not sensible"),
]


@pytest.mark.parametrize("make, expected", [(m, e) for _, m, e in BAD_FILES], ids=[c for c, _, _ in BAD_FILES])
def test_a_bad_file_is_refused_with_its_message_and_the_store_is_unchanged(tmp_path, library, store, book, make, expected):
    book.save_many(sample_routines(library)[1:])
    main = store.data_dir / MAIN_FILE
    before, before_bytes = snapshot(store), main.read_bytes()
    path = tmp_path / "bad.json"
    path.write_bytes(make(library))
    with pytest.raises(RoutineFileError) as caught:
        import_file(book, path, library)
    err = caught.value
    assert any(expected in p for p in err.problems), err.problems
    assert str(err).startswith("bad.json cannot be imported")
    assert expected in str(err) or len(err.problems) > 20
    assert snapshot(store) == before
    assert main.read_bytes() == before_bytes


def test_the_good_file_the_bad_ones_are_made_from_is_good(library):
    assert len(parse_routines(edit(lambda d: None)(library), library)) == 3


def test_every_problem_is_reported_at_once(library):
    doc = valid_document(library)
    _routine(doc, 0)["sessions_per_week"] = 9
    _item(doc)["rest_seconds"] = "long"
    _routine(doc, 1)["items"][0]["sets"][0]["load_kg"] = -1
    _routine(doc, 2)["name"] = ""
    with pytest.raises(RoutineFileError) as caught:
        parse_routines(json.dumps(doc).encode(), library)
    problems = caught.value.problems
    assert len(problems) == 4
    assert problems[0].startswith("routine 1 'Pull day', field 'sessions_per_week'")
    assert problems[1].startswith("routine 1 'Pull day', item 2 (one-arm-dumbbell-row), field 'rest_seconds'")
    assert problems[2].startswith("routine 2 'Rücken & Hüfte', item 1 (deadlift), set 1, field 'load_kg'")
    assert problems[3].startswith("routine 3, field 'name'")
    assert str(caught.value).count("\n- ") == 4


def test_the_message_lists_the_first_twenty_problems(library):
    doc = valid_document(library)
    _routine(doc)["items"] = [{"exercise_id": f"nope-{n}", "sets": [{"reps": [8, 12]}]} for n in range(30)]
    with pytest.raises(RoutineFileError) as caught:
        parse_routines(json.dumps(doc).encode(), library)
    err = caught.value
    assert len(err.problems) == 30
    assert "nope-19" in str(err) and "nope-20" not in str(err)
    assert str(err).endswith("... and 10 more")


def test_a_missing_file_or_a_folder_is_refused(tmp_path, library):
    with pytest.raises(RoutineFileError, match="does not exist"):
        read_routines(tmp_path / "nothing.json", library)
    (tmp_path / "folder").mkdir()
    with pytest.raises(RoutineFileError, match="not a file"):
        read_routines(tmp_path / "folder", library)


# --- the size limit ------------------------------------------------------------------------


def padded(library, size: int) -> bytes:
    """A valid routines file padded with spaces to exactly `size` bytes."""
    data = edit(lambda d: None)(library)
    return data + b" " * (size - len(data))


def test_a_file_at_the_limit_is_read(tmp_path, library):
    path = tmp_path / "big.json"
    path.write_bytes(padded(library, MAX_FILE_BYTES))
    assert len(read_routines(path, library)) == 3


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, library, monkeypatch, book, store):
    path = tmp_path / "big.json"
    path.write_bytes(padded(library, MAX_FILE_BYTES + 1))
    before = snapshot(store)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(RoutineFileError) as caught:
        read_routines(path, library)
    monkeypatch.undo()
    assert caught.value.problems == ["the file is 1,000,001 bytes; a routines file can be at most 1 MB (1,000,000 bytes)"]
    assert snapshot(store) == before


def test_parse_also_refuses_too_many_bytes(library):
    with pytest.raises(RoutineFileError, match=r"at most 1 MB \(1,000,000 bytes\)"):
        parse_routines(padded(library, MAX_FILE_BYTES + 1), library)


def test_writing_more_than_a_file_may_hold_is_refused(tmp_path, library):
    item = RoutineItem(exercise_id="lat-pulldown", sets=tuple(PlannedSet((8, 12), None, 60.5) for _ in range(MAX_SETS)),
                       note="n" * 500)
    routines = [Routine(f"R{n}", items=(item,) * 40) for n in range(30)]
    path = tmp_path / "huge.json"
    with pytest.raises(RoutineFileError, match="export fewer at a time"):
        write_routines(routines, path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


# --- garbage never escapes as anything else ------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=25,
)


def parse_only(data: bytes, library) -> list[Routine]:
    try:
        routines = parse_routines(data, library)
    except RoutineFileError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        str(exc).encode("utf-8")  # the message can be shown anywhere
        return []
    for r in routines:
        check_routine(r, library.exercises)
    return routines


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400))
def test_garbage_bytes_only_ever_raise_routine_file_error(library, data):
    parse_only(data, library)


@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_garbage_json_only_ever_raises_routine_file_error(library, value):
    parse_only(json.dumps(value).encode(), library)
    parse_only(json.dumps({"format": FORMAT, "version": 1, "routines": value}).encode(), library)
    parse_only(json.dumps({"format": FORMAT, "version": 1, "routines": [value]}).encode(), library)
    parse_only(json.dumps({"format": FORMAT, "version": 1,
                           "routines": [{"name": "x", "items": [value]}]}).encode(), library)
    parse_only(json.dumps({"format": FORMAT, "version": 1, "routines": [
        {"name": "x", "items": [{"exercise_id": "lat-pulldown", "sets": [value]}]}]}).encode(), library)


def _paths(value, prefix=()):
    """Every place in a JSON document where a value sits."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_field_replaced_by_garbage_is_refused_or_still_valid(library, data):
    doc = valid_document(library)
    paths = [p for p in _paths(doc) if p]
    path = data.draw(st.sampled_from(paths))
    value = data.draw(json_values)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    parse_only(json.dumps(doc).encode(), library)


names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=MAX_NAME).filter(str.strip)


@st.composite
def routines(draw, library):
    ids = sorted(library.exercises)
    count = draw(st.integers(0, 4))
    chosen = draw(st.lists(names, min_size=count, max_size=count, unique_by=lambda n: n.strip().casefold()))
    result = []
    for name in chosen:
        items = []
        for _ in range(draw(st.integers(0, 4))):
            n_sets = draw(st.integers(1, MAX_SETS))
            sets = []
            for _ in range(n_sets):
                low = draw(st.integers(1, MAX_REPS))
                timed = draw(st.booleans())
                sets.append(PlannedSet(
                    reps=None if timed else (low, draw(st.integers(low, MAX_REPS))),
                    seconds=draw(st.integers(1, MAX_HOLD_SECONDS)) if timed else None,
                    load_kg=draw(st.none() | st.floats(0.5, 1000))))
            items.append(RoutineItem(
                exercise_id=draw(st.sampled_from(ids)), sets=tuple(sets),
                tempo=draw(st.none() | st.sampled_from(["3-2-1-2", "2-0-X-1", "5-0-X-2"])),
                rest_seconds=draw(st.integers(0, 900)), per_side=draw(st.booleans()),
                warmup_sets=draw(st.integers(0, 5)), superset=draw(st.none() | st.sampled_from("ABZ")),
                note=draw(st.text(st.characters(blacklist_categories=("Cs",)), max_size=50).map(
                    lambda t: "".join(c for c in t if c in "\n\t\r" or (ord(c) >= 32 and ord(c) != 127)))),
                increment_kg=draw(st.none() | st.floats(0, 20))))
        result.append(Routine(name, items=tuple(items), sessions_per_week=draw(st.integers(1, 7)),
                              notes=draw(st.text(max_size=30).map(lambda t: "".join(c for c in t if ord(c) >= 32 and ord(c) != 127 and not 0xD800 <= ord(c) <= 0xDFFF))),
                              template=draw(st.none() | st.sampled_from(["beginner-back", "lats-v-taper"]))))
    return result


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_valid_routines_survive_the_round_trip(library, data):
    original = data.draw(routines(library))
    back = parse_routines(encode(export_routines(original)), library)
    assert [content(r) for r in back] == [content(r) for r in original]


# --- purpose and equipment ------------------------------------------------------------------

def test_purpose_and_equipment_travel_with_a_routine_and_default_for_older_files(tmp_path, library):
    from dataclasses import replace

    from backcoach.routines import Purpose

    [first, *_] = sample_routines(library)
    mine = replace(first, purpose=Purpose.MOBILITY, equipment=("mat", "bodyweight"))
    path = tmp_path / "r.json"
    write_routines([mine], path)
    [back] = read_routines(path, library)
    assert (back.purpose, back.equipment) == (Purpose.MOBILITY, ("mat", "bodyweight"))
    doc = export_routines([first])
    for key in ("purpose", "equipment"):
        del doc["routines"][0][key]  # a file written before routines declared them
    [old] = parse_routines(json.dumps(doc), library)
    assert (old.purpose, old.equipment) == (Purpose.BALANCED, ())
    assert Routine.from_dict(mine.to_dict()) == mine


@pytest.mark.parametrize(("key", "value", "message"), [
    ("purpose", "bulking", "field 'purpose': 'bulking' is not one of: balanced, specialisation, mobility"),
    ("equipment", ["Mat!"], "field 'equipment': every item must be an equipment id"),
    ("equipment", "mat", "field 'equipment': expected a list of equipment ids"),
])
def test_a_bad_purpose_or_equipment_is_refused(library, key, value, message):
    doc = export_routines(sample_routines(library)[:1])
    doc["routines"][0][key] = value
    with pytest.raises(RoutineFileError, match=message):
        parse_routines(json.dumps(doc), library)
