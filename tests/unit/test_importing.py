"""Strong and Hevy exports come in whole and right, or not at all with the line named.

The fixtures in tests/data/imports are written by hand from the apps' documented column
layouts (no real user's file): every variant the importer claims to read has one.
"""

from __future__ import annotations

import codecs
import csv
import io
import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcoach import importing
from backcoach.importing import (
    IMPORTERS,
    MAX_IMPORT_BYTES,
    ImportFormatError,
    ImportResult,
    load_import_names,
    parse_hevy,
    parse_strong,
)
from backcoach.library import LibraryError, normalize
from backcoach.model import CustomExercise, SessionLog, SetLog, custom_exercise_id

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "imports"
FIXTURE_FILES = sorted(FIXTURES.glob("*.csv"))


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parser_for(path: Path):
    return IMPORTERS[path.name.split("_")[0]]


def local(y, mo, d, h=0, mi=0, s=0) -> str:
    """A wall-clock time in the test machine's zone, as the importer stores it."""
    return datetime(y, mo, d, h, mi, s).astimezone().isoformat(timespec="seconds")


def sets_of(session: SessionLog) -> list[tuple]:
    return [(s.exercise_id, s.set_number, s.kind, s.reps, s.load_kg, s.seconds, s.rpe, s.note) for s in session.sets]


# Builders for small files that change one cell at a time.
STRONG_COLUMNS = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE".split(",")
STRONG_ROW = {"Date": "2023-05-01 18:30:00", "Workout Name": "Pull Day", "Duration": "1h",
              "Exercise Name": "Lat Pulldown (Cable)", "Set Order": "1", "Weight": "50", "Reps": "10",
              "Distance": "0", "Seconds": "0", "Notes": "", "Workout Notes": "", "RPE": ""}
HEVY_COLUMNS = ("title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,"
                "set_type,weight_kg,reps,distance_km,duration_seconds,rpe").split(",")
HEVY_ROW = {"title": "Pull A", "start_time": "1 Jan 2024, 18:30", "end_time": "1 Jan 2024, 19:30",
            "exercise_title": "Face Pull", "set_index": "0", "set_type": "normal", "weight_kg": "20", "reps": "15"}


def table(columns: list[str], base: dict[str, str], *rows: dict[str, str], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([{**base, **row}.get(c, "") for c in columns])
    return out.getvalue().encode()


def strong(*rows: dict[str, str], columns: list[str] = STRONG_COLUMNS) -> bytes:
    return table(columns, STRONG_ROW, *(rows or ({},)))


def hevy(*rows: dict[str, str], columns: list[str] = HEVY_COLUMNS) -> bytes:
    return table(columns, HEVY_ROW, *(rows or ({},)))


@pytest.fixture
def berlin():
    """The local zone is Central European (with summer time) for the test."""
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset (POSIX)")
    mp = pytest.MonkeyPatch()
    mp.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")  # a POSIX rule: needs no tz database
    time.tzset()
    yield
    mp.undo()
    time.tzset()


# --- Strong --------------------------------------------------------------------------------

def test_strong_current_export(library):
    result = parse_strong(fixture("strong_current.csv"), library)

    pull, legs, evening = result.sessions  # oldest first, although the file lists the evening first
    assert [s.routine for s in result.sessions] == ["Pull Day", "Legs, heavy", "Pull Day"]
    assert pull.started_at == local(2023, 5, 1, 18, 30)
    assert pull.ended_at == local(2023, 5, 1, 19, 35)  # 1h 5m
    assert legs.ended_at == local(2023, 5, 3, 8, 0)  # 45m
    assert evening.ended_at == local(2023, 5, 3, 19, 0)  # 1h
    assert pull.source == "strong"
    # The workout note is written on every row: kept once, with the Note row after it.
    assert pull.note == "Felt strong\nPull Up: grip slipped, last rep"
    assert sets_of(pull) == [
        ("lat-pulldown", 1, "warmup", 10, 30.0, None, None, ""),  # Strong's W: not set 1 of the work
        ("lat-pulldown", 1, "normal", 10, 50.0, None, 7.0, ""),
        ("lat-pulldown", 2, "normal", 8, 55.0, None, 8.0, "slow eccentric"),
        ("lat-pulldown", 3, "failure", 7, 55.0, None, 10.0, ""),
        ("seated-cable-row", 1, "normal", 12, 45.0, None, None, ""),
        ("seated-cable-row", 2, "normal", 12, 45.0, None, None, ""),
        ("seated-cable-row", 3, "drop", 10, 35.0, None, None, ""),
        ("pull-up", 1, "normal", 8, None, None, None, ""),  # weight 0: body weight
        ("pull-up", 2, "normal", 6, None, None, None, ""),
        ("custom-plank", 1, "normal", None, None, 60.0, None, ""),  # a hold keeps its seconds
        ("custom-plank", 2, "normal", None, None, 45.0, None, ""),
        ("custom-zercher-row", 1, "normal", 8, 60.0, None, None, ""),
    ]
    assert sets_of(legs) == [
        ("deadlift", 1, "warmup", 5, 60.0, None, None, ""),
        ("deadlift", 1, "normal", 5, 140.0, None, None, ""),
        ("deadlift", 2, "normal", 5, 140.0, None, 8.5, ""),
        ("custom-romanian-deadlift-barbell", 1, "normal", 8, 100.0, None, None, ""),
    ]
    # Two rest timers, a note row and a set with nothing filled in are not sets.
    assert result.skipped_rows == 4


def test_strong_sets_follow_the_files_set_numbers_when_rows_are_out_of_order(library):
    evening = parse_strong(fixture("strong_current.csv"), library).sessions[2]
    # The file lists Face Pull set 2 (20 kg) before set 1 (17.5 kg).
    assert sets_of(evening) == [
        ("barbell-row", 1, "normal", 10, 60.0, None, None, ""),
        ("face-pull", 1, "normal", 15, 17.5, None, None, ""),
        ("face-pull", 2, "normal", 15, 20.0, None, None, ""),
        ("custom-running", 1, "normal", None, None, 900.0, None, "distance 2.5"),
    ]


def test_strong_two_workouts_on_one_day_stay_apart_and_spread_rows_join(library):
    data = strong({"Workout Name": "A", "Weight": "50"},
                  {"Workout Name": "B", "Weight": "20"},
                  {"Workout Name": "A", "Set Order": "2", "Weight": "55"},
                  {"Date": "2023-05-01 19:30:00", "Workout Name": "A", "Weight": "60"})
    sessions = parse_strong(data, library).sessions
    assert [(s.routine, [x.load_kg for x in s.sets]) for s in sessions] == [
        ("A", [50.0, 55.0]), ("B", [20.0]), ("A", [60.0])]


def test_strong_unknown_exercises_become_listed_custom_exercises(library):
    result = parse_strong(fixture("strong_current.csv"), library)
    assert result.created == ["Running", "Plank", "Zercher Row", "Romanian Deadlift (Barbell)"]
    assert result.custom_exercises == [
        CustomExercise(id="custom-running", name="Running", source="strong", timed=True),
        CustomExercise(id="custom-plank", name="Plank", source="strong", timed=True),
        CustomExercise(id="custom-zercher-row", name="Zercher Row", source="strong", timed=False),
        CustomExercise(id="custom-romanian-deadlift-barbell", name="Romanian Deadlift (Barbell)", source="strong"),
    ]
    assert result.mapped == {
        "Bent Over Row (Barbell)": "barbell-row", "Face Pull (Cable)": "face-pull", "Running": "custom-running",
        "Lat Pulldown (Cable)": "lat-pulldown", "Seated Row (Cable)": "seated-cable-row", "Pull Up": "pull-up",
        "Plank": "custom-plank", "Zercher Row": "custom-zercher-row", "Deadlift (Barbell)": "deadlift",
        "Romanian Deadlift (Barbell)": "custom-romanian-deadlift-barbell",
    }


def test_strong_plain_weight_column_is_in_the_unit_the_user_names(library):
    kg = parse_strong(strong({"Weight": "135"}), library).sessions[0].sets[0]
    lb = parse_strong(strong({"Weight": "135"}), library, weight_unit="lb").sessions[0].sets[0]
    assert kg.load_kg == 135.0
    assert lb.load_kg == 61.23
    with pytest.raises(ValueError):
        parse_strong(strong(), library, weight_unit="stone")


def test_strong_older_export_with_unit_columns(library):
    result = parse_strong(fixture("strong_old_units.csv"), library)
    back_a, back_b = result.sessions
    assert back_a.started_at == local(2019, 1, 11, 12, 31)  # no seconds in the file
    assert back_a.ended_at is None  # this generation has no Duration column
    assert sets_of(back_a) == [
        ("barbell-row", 1, "normal", 8, 61.23, None, None, ""),  # 135 lbs
        ("barbell-row", 2, "normal", 8, 61.23, None, None, "elbows in"),
        ("dumbbell-shrug", 1, "normal", 12, 30.0, None, None, ""),  # kg on the same file
        ("back-extension", 1, "normal", 15, None, None, None, ""),
        ("custom-rowing-machine", 1, "normal", None, None, 480.0, None, "distance 2000 m"),
    ]
    assert back_b.note == "Hamstrings sore"
    assert [s.load_kg for s in back_b.sets] == [40.0, 42.5]


def test_strong_semicolon_export_with_decimal_commas(library):
    result = parse_strong(fixture("strong_semicolon.csv"), library)
    heavy, short = result.sessions
    assert heavy.routine == "Rücken; schwer"  # a quoted ';' stays in the title
    assert heavy.ended_at == local(2024, 2, 10, 10, 5)  # "Duration (sec)" 3900
    assert heavy.note == "Guter Tag"
    assert sets_of(heavy) == [
        ("lat-pulldown", 1, "normal", 10, 62.5, None, 7.5, ""),
        ("lat-pulldown", 2, "normal", 8, 65.0, None, 8.0, ""),
        ("custom-kreuzheben-trap-bar", 1, "normal", 5, 102.5, None, None, "Griff neutral"),
        ("back-extension", 1, "normal", 15, None, None, None, ""),
    ]
    assert sets_of(short) == [("one-arm-dumbbell-row", 1, "normal", 12, 27.5, None, None, "")]
    assert result.skipped_rows == 1


def test_strong_pounds_in_the_header_and_12_hour_times(library):
    evening, morning, lunch = parse_strong(fixture("strong_lbs_12h.csv"), library).sessions
    assert evening.started_at == local(2024, 1, 5, 18, 30, 12)  # "6:30:12\u202fPM"
    assert evening.ended_at == local(2024, 1, 5, 19, 20, 12)
    assert morning.started_at == local(2024, 1, 7, 7, 5)
    assert lunch.started_at == local(2024, 1, 9, 12, 0)  # ISO with T
    assert [s.load_kg for s in evening.sets] == [102.06, 102.06, 61.23]  # 225 and 135 lbs
    assert morning.sets[0].load_kg == 20.41
    assert lunch.sets[0].load_kg == 13.61


@pytest.mark.parametrize(("text", "seconds"), [
    ("1h 5m", 3900), ("45m", 2700), ("1h", 3600), ("1h5m", 3900), ("1 h 5 min", 3900), ("30s", 30),
    ("1:05:00", 3900), ("0:45", 2700), ("", None), ("0m", None),
])
def test_strong_durations(library, text, seconds):
    session = parse_strong(strong({"Duration": text}), library).sessions[0]
    assert session.duration_seconds == seconds


def test_strong_duration_in_seconds_and_in_minutes_by_header(library):
    sec = table([c if c != "Duration" else "Duration (sec)" for c in STRONG_COLUMNS],
                {**STRONG_ROW, "Duration (sec)": "3900"}, {})
    minutes = table([c if c != "Duration" else "Duration (min)" for c in STRONG_COLUMNS],
                    {**STRONG_ROW, "Duration (min)": "65"}, {})
    assert parse_strong(sec, library).sessions[0].duration_seconds == 3900
    assert parse_strong(minutes, library).sessions[0].duration_seconds == 3900


def test_strong_timer_left_running_keeps_the_workout_without_an_end(library):
    result = parse_strong(strong({"Duration": "26h 3m"}), library)
    assert result.sessions[0].ended_at is None
    assert any("timer left running" in line for line in result.summary())


@pytest.mark.parametrize("text", [
    "2023-05-01 18:30:00", "2023-05-01 18:30", "2023-05-01T18:30:00", "2023-05-01T18:30", "2023-05-01 6:30:00 PM",
    "2023-05-01 6:30 pm", "2023-05-01 6:30:00\u202fPM", "2023-05-01  18:30:00 ",
])
def test_strong_date_styles(library, text):
    assert parse_strong(strong({"Date": text}), library).sessions[0].started_at == local(2023, 5, 1, 18, 30)


def test_a_time_with_an_offset_keeps_it(library):
    session = parse_strong(strong({"Date": "2023-05-01T18:30:00+02:00"}), library).sessions[0]
    assert session.started_at == "2023-05-01T18:30:00+02:00"
    assert session.ended_at == "2023-05-01T19:30:00+02:00"
    assert session.source_key == "strong|2023-05-01T18:30:00+02:00|Pull Day"


def test_times_get_the_local_offset_of_their_own_date(library, berlin):
    summer = parse_strong(strong({"Date": "2023-07-01 18:30:00"}), library).sessions[0]
    winter = parse_strong(strong({"Date": "2023-01-10 18:30:00"}), library).sessions[0]
    assert summer.started_at == "2023-07-01T18:30:00+02:00"
    assert winter.started_at == "2023-01-10T18:30:00+01:00"
    # One hour from 01:30 on the night the clocks go forward ends at 03:30 summer time.
    spring = parse_strong(strong({"Date": "2023-03-26 01:30:00"}), library).sessions[0]
    assert (spring.started_at, spring.ended_at) == ("2023-03-26T01:30:00+01:00", "2023-03-26T03:30:00+02:00")
    assert spring.duration_seconds == 3600
    # The key is the file's own wall-clock time, whatever zone the computer is in.
    assert summer.source_key == "strong|2023-07-01T18:30:00|Pull Day"


# --- Hevy ----------------------------------------------------------------------------------

def test_hevy_kilogram_export(library):
    result = parse_hevy(fixture("hevy_kg.csv"), library)
    first, third = result.sessions
    assert (first.started_at, first.ended_at) == (local(2024, 1, 1, 18, 30), local(2024, 1, 1, 19, 35))
    assert first.routine == "Pull A"
    assert first.note == "New year, new back"
    assert first.source == "hevy"
    assert sets_of(first) == [
        ("lat-pulldown", 1, "warmup", 12, 30.0, None, None, "Slow negatives"),  # the note once, not per row
        ("lat-pulldown", 2, "normal", 10, 55.0, None, 8.0, ""),
        ("lat-pulldown", 3, "normal", 8, 57.5, None, 9.0, ""),
        ("lat-pulldown", 4, "drop", 10, 40.0, None, None, ""),
        ("seated-cable-row", 1, "normal", 12, 50.0, None, None, ""),
        ("seated-cable-row", 2, "failure", 9, 50.0, None, 10.0, ""),
        ("pull-up", 1, "normal", 8, None, None, None, ""),
        ("pull-up", 2, "normal", 6, None, None, None, ""),
        ("custom-plank", 1, "normal", None, None, 60.0, None, ""),
        ("dead-hang", 1, "normal", None, None, 45.0, None, ""),
        ("custom-sled-push", 1, "normal", None, 100.0, None, None, "distance 0.05 km"),
    ]
    # Face Pull done in two blocks: set_index restarts, so the file's order stands.
    assert sets_of(third) == [
        ("face-pull", 1, "normal", 15, 20.0, None, None, ""),
        ("face-pull", 2, "normal", 14, 20.0, None, None, ""),
        ("dumbbell-shrug", 1, "normal", 12, 32.5, None, None, ""),
        ("face-pull", 3, "normal", 12, 22.5, None, None, ""),
    ]
    assert result.skipped_rows == 1  # the pull-up set with nothing filled in
    assert result.created == ["Plank", "Sled Push"]
    assert [c.timed for c in result.custom_exercises] == [True, False]
    assert {c.source for c in result.custom_exercises} == {"hevy"}


def test_hevy_pound_export_and_an_end_before_the_start(library):
    result = parse_hevy(fixture("hevy_lbs.csv"), library)
    back, deadlift = result.sessions
    assert (back.started_at, back.ended_at) == (local(2024, 3, 2, 7, 0), local(2024, 3, 2, 8, 10))
    assert sets_of(back) == [
        ("barbell-row", 1, "normal", 8, 61.23, None, 7.5, ""),
        ("barbell-row", 2, "normal", 6, 65.77, None, 8.0, ""),
        ("custom-running", 1, "normal", None, None, 720.0, None, "distance 1.5 mi"),
    ]
    assert deadlift.started_at == local(2024, 3, 4, 7, 0)
    assert deadlift.ended_at is None  # the file's end is before its start
    assert deadlift.sets[0].load_kg == 142.88
    assert any("end time" in line for line in result.summary())


@pytest.mark.parametrize("text", [
    "1 Jan 2024, 18:30", "01 Jan 2024, 18:30", "1 January 2024, 18:30", "1 Jan 2024 18:30", "1 jan 2024, 18:30:00",
    "2024-01-01 18:30:00", "2024-01-01T18:30:00", "2024-01-01 18:30", "Jan 1, 2024, 6:30 PM", "Jan 1, 2024, 6:30:00 PM",
])
def test_hevy_date_styles(library, text):
    session = parse_hevy(hevy({"start_time": text, "end_time": ""}), library).sessions[0]
    assert session.started_at == local(2024, 1, 1, 18, 30)


@pytest.mark.parametrize(("set_type", "kind"), [
    ("normal", "normal"), ("warmup", "warmup"), ("dropset", "drop"), ("failure", "failure"), ("", "normal"),
    ("Warmup", "warmup"),
])
def test_hevy_set_types(library, set_type, kind):
    assert parse_hevy(hevy({"set_type": set_type}), library).sessions[0].sets[0].kind == kind


def test_hevy_with_only_the_required_columns(library):
    columns = ["title", "start_time", "exercise_title", "weight_kg", "reps"]
    session = parse_hevy(hevy({}, columns=columns), library).sessions[0]
    assert session.ended_at is None
    assert sets_of(session) == [("face-pull", 1, "normal", 15, 20.0, None, None, "")]


# --- every fixture -------------------------------------------------------------------------

@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_parsing_twice_gives_identical_results(library, path):
    parse = parser_for(path)
    first, second = parse(path.read_bytes(), library), parse(path.read_bytes(), library)
    assert first == second
    keys = [s.source_key for s in first.sessions]
    assert len(set(keys)) == len(keys)
    for s in first.sessions:
        app, start, title = s.source_key.split("|", 2)
        assert app == s.source and title == (s.routine or "")
        assert s.id == uuid.uuid5(importing._SESSION_NAMESPACE, s.source_key).hex


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_byte_order_mark_and_windows_line_ends_change_nothing(library, path):
    parse = parser_for(path)
    plain = path.read_bytes()
    assert parse(codecs.BOM_UTF8 + plain.replace(b"\n", b"\r\n"), library) == parse(plain, library)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_every_fixture_gives_valid_records_and_a_summary(library, path):
    result = parser_for(path)(path.read_bytes(), library)
    assert result.sessions
    for session in result.sessions:
        assert SessionLog.from_dict(session.to_dict()) == session
        numbers: dict[tuple, list[int]] = {}
        for s in session.sets:  # Strong numbers warm-ups apart from the work sets
            apart = path.name.startswith("strong") and s.kind == "warmup"
            numbers.setdefault((s.exercise_id, apart), []).append(s.set_number)
            assert s.side is None  # other apps do not record a side
        assert all(n == list(range(1, len(n) + 1)) for n in numbers.values())
    assert set(result.mapped) >= set(result.created)
    assert [c.id for c in result.custom_exercises] == [result.mapped[n] for n in result.created]
    lines = result.summary()
    assert lines and all(isinstance(line, str) and line for line in lines)


def test_summary_in_words(library):
    lines = parse_strong(fixture("strong_current.csv"), library).summary()
    assert lines == [
        "3 workouts with 20 sets, 2023-05-01 to 2023-05-03.",
        "6 exercises matched to exercises BackCoach already knows.",
        "4 new custom exercises: Running, Plank, Zercher Row, Romanian Deadlift (Barbell).",
        "4 rows skipped that were not sets (rest timers, notes, sets with nothing filled in).",
    ]


def test_a_file_with_only_a_header_has_nothing_to_import(library):
    result = parse_strong(",".join(STRONG_COLUMNS).encode() + b"\n", library)
    assert result == ImportResult(sessions=[], custom_exercises=[], mapped={}, created=[], skipped_rows=0, app="strong")
    assert result.summary() == ["No workouts with sets were found in the file."]


# --- exercise names ------------------------------------------------------------------------

def test_shipped_name_table_loads_and_every_target_is_in_the_library(library):
    tables = load_import_names(library)
    assert set(tables) == {"strong", "hevy", "fitnotes", "stronglifts"}
    for app_table in tables.values():
        assert app_table
        assert set(app_table.values()) <= set(library.exercises)
    assert tables["strong"][normalize("Lat Pulldown (Cable)")] == "lat-pulldown"
    assert tables["hevy"][normalize("Seated Cable Row - V Grip (Cable)")] == "seated-cable-row"
    assert tables["strong"][normalize("Bent Over Row (Barbell)")] == "barbell-row"
    assert tables["strong"][normalize("Deadlift (Barbell)")] == "deadlift"


def test_name_table_never_contradicts_a_library_name_or_alias(library):
    import tomllib

    data = tomllib.loads(importing.IMPORT_NAMES_PATH.read_text(encoding="utf-8"))
    for section in data.values():
        for name, target in section.items():
            found = library.find(name)
            assert found is None or found.id == target, f"{name!r}: table says {target}, library says {found.id}"


@pytest.mark.parametrize("name", ["Romanian Deadlift (Barbell)", "T Bar Row", "Plank", "Chin Up (Weighted)"])
def test_different_movements_are_not_mapped(library, name):
    result = parse_strong(strong({"Exercise Name": name}), library)
    assert result.created == [name]


def test_name_table_comes_before_library_aliases(library, tmp_path, monkeypatch):
    path = tmp_path / "import_names.toml"
    path.write_text('[strong]\n"Dumbbell Row" = "dumbbell-bent-over-row"\n[common]\n"Zercher Row" = "barbell-row"\n')
    monkeypatch.setattr(importing, "IMPORT_NAMES_PATH", path)
    data = strong({"Exercise Name": "Dumbbell Row"}, {"Exercise Name": "zercher row"})
    assert parse_strong(data, library).mapped == {"Dumbbell Row": "dumbbell-bent-over-row",
                                                  "zercher row": "barbell-row"}
    # Hevy reads [common] but not [strong]: its "Dumbbell Row" falls through to the library alias.
    assert parse_hevy(hevy({"exercise_title": "Dumbbell Row"}), library).mapped == {
        "Dumbbell Row": "one-arm-dumbbell-row"}


@pytest.mark.parametrize(("toml", "message"), [
    ('[common]\n"Foo (Barbell)" = "foo"\n', "import_names.toml, [common] 'Foo (Barbell)': unknown exercise id 'foo'"),
    ('[hevy]\n"Row" = 3\n', "[hevy] 'Row': must map to an exercise id"),
    ('[common]\n"Pull Up" = "pull-up"\n"pull-up" = "chin-up"\n', "is the same name as 'Pull Up'"),
    ('[fitbod]\n"Row" = "barbell-row"\n', "unknown table [fitbod]"),
    ('[common]\n"--" = "barbell-row"\n', "no letters or digits"),
    ("[common\n", "not valid TOML"),
])
def test_a_broken_name_table_is_refused_naming_the_entry(library, tmp_path, toml, message):
    path = tmp_path / "import_names.toml"
    path.write_text(toml)
    with pytest.raises(LibraryError) as err:
        load_import_names(library, path)
    assert message in str(err.value)


def test_a_broken_name_table_stops_an_import_with_its_own_error(library, tmp_path, monkeypatch):
    path = tmp_path / "import_names.toml"
    path.write_text('[common]\n"Foo" = "no-such-exercise"\n"Bar" = "nor-this"\n')
    monkeypatch.setattr(importing, "IMPORT_NAMES_PATH", path)
    with pytest.raises(LibraryError) as err:
        parse_strong(strong(), library)
    assert len(err.value.problems) == 2  # every problem at once, as the library loader does


def test_existing_custom_exercises_are_reused_not_created_again(library):
    mine = CustomExercise(id="custom-zercher-row", name="Zercher row", source="user")
    result = parse_strong(fixture("strong_current.csv"), library, {mine.id: mine})
    assert result.mapped["Zercher Row"] == "custom-zercher-row"
    assert "Zercher Row" not in result.created
    assert mine not in result.custom_exercises
    # Importing again with everything the first import created adds no exercises.
    first = parse_strong(fixture("strong_current.csv"), library)
    again = parse_strong(fixture("strong_current.csv"), library, {c.id: c for c in first.custom_exercises})
    assert again.created == [] and again.custom_exercises == []
    assert again.mapped == first.mapped


def test_names_in_other_scripts_stay_separate_exercises(library):
    taken = CustomExercise(id=custom_exercise_id("Тяга"), name="Тяга", source="user")
    assert taken.id == "custom-тяга"  # ids keep the letters of any script
    data = strong({"Exercise Name": "Тяга"}, {"Exercise Name": "Жим лёжа"}, {"Exercise Name": "懸垂"})
    result = parse_strong(data, library, {taken.id: taken})
    assert result.mapped == {"Тяга": "custom-тяга", "Жим лёжа": "custom-жим-лёжа", "懸垂": "custom-懸垂"}
    assert result.created == ["Жим лёжа", "懸垂"]


def test_two_spellings_of_a_new_name_make_one_custom_exercise(library):
    result = parse_strong(strong({"Exercise Name": "Zercher Row"}, {"Exercise Name": "zercher-row"}), library)
    assert result.created == ["Zercher Row"]
    assert result.mapped == {"Zercher Row": "custom-zercher-row", "zercher-row": "custom-zercher-row"}
    assert [s.set_number for s in result.sessions[0].sets] == [1, 2]


def test_a_custom_exercise_is_timed_only_when_every_set_is_a_hold(library):
    data = strong({"Exercise Name": "Hollow Hold", "Weight": "0", "Reps": "0", "Seconds": "30"},
                  {"Exercise Name": "Hollow Hold", "Weight": "0", "Reps": "5", "Seconds": "0"},
                  {"Exercise Name": "L-Sit", "Weight": "0", "Reps": "", "Seconds": "20"})
    timed = {c.name: c.timed for c in parse_strong(data, library).custom_exercises}
    assert timed == {"Hollow Hold": False, "L-Sit": True}


# --- files that are refused ----------------------------------------------------------------

@pytest.mark.parametrize(("row", "message"), [
    ({"Weight": "-20"}, "line 3: weight '-20' is negative"),
    ({"Weight": "abc"}, "line 3: weight 'abc' is not a number"),
    ({"Weight": "1e3"}, "line 3: weight '1e3' is not a number"),
    ({"Weight": "nan"}, "line 3: weight 'nan' is not a number"),
    ({"Weight": "9" * 400}, "line 3: weight '9999999999999999999999999999999999999...' is not a sensible number"),
    ({"Weight": "1200"}, "line 3: weight '1200' kg is more than 1000 kg"),
    ({"Weight": "62,5"}, "line 3: weight '62,5' is not a number"),  # decimal commas only with ';'
    ({"Reps": "8.5"}, "line 3: reps '8.5' is not a whole number"),
    ({"Reps": "5000"}, "line 3: reps '5000' is more than 1000"),
    ({"Reps": "-3"}, "line 3: reps '-3' is negative"),
    ({"Seconds": "90000"}, "line 3: seconds '90000' is more than 24 hours"),
    ({"RPE": "11"}, "line 3: RPE '11' is not between 1 and 10"),
    ({"RPE": "0.5"}, "line 3: RPE '0.5' is not between 1 and 10"),
    ({"Date": "yesterday"}, "line 3: date 'yesterday' is not a date and time"),
    ({"Date": ""}, "line 3: the date is empty"),
    ({"Date": "2023-02-30 10:00:00"}, "line 3: date '2023-02-30 10:00:00' is not a date and time"),
    ({"Date": "1900-05-01 18:30:00"}, "line 3: date '1900-05-01 18:30:00' is not a plausible date"),
    ({"Date": "2023-05-01 18:30 XM"}, "is not a date and time"),
    ({"Set Order": "X"}, "line 3: set order 'X' is not a set number, W, D, F, Rest Timer or Note"),
    ({"Duration": "forever"}, "line 3: workout duration 'forever' is not a duration"),
    ({"Exercise Name": ""}, "line 3: the exercise name is empty"),
    ({"Exercise Name": "x" * 201}, "line 3: the exercise name is longer than 200 characters"),
])
def test_strong_bad_values_name_the_line(library, row, message):
    with pytest.raises(ImportFormatError) as err:
        parse_strong(strong({}, row, {}), library)  # the bad row sits between good ones
    assert str(err.value).startswith("line 3: ")
    assert message in str(err.value)
    assert err.value.line == 3
    assert len(str(err.value)) < 150  # a long cell is shortened, not echoed whole


@pytest.mark.parametrize(("row", "message"), [
    ({"set_type": "superset"}, "line 2: set_type 'superset' is not normal, warmup, dropset or failure"),
    ({"start_time": "32 Jan 2024, 18:30"}, "line 2: start_time '32 Jan 2024, 18:30' is not a date and time"),
    ({"start_time": "1 Foo 2024, 18:30"}, "is not a date and time"),
    ({"start_time": "1 Jan 2024, 13:30 PM"}, "is not a date and time"),
    ({"end_time": "soon"}, "line 2: end_time 'soon' is not a date and time"),
    ({"set_index": "1.5"}, "line 2: set_index '1.5' is not a whole number"),
    ({"weight_kg": "-5"}, "line 2: weight '-5' is negative"),
    ({"rpe": "12"}, "line 2: RPE '12' is not between 1 and 10"),
])
def test_hevy_bad_values_name_the_line(library, row, message):
    with pytest.raises(ImportFormatError) as err:
        parse_hevy(hevy(row), library)
    assert str(err.value).startswith("line 2: ")
    assert message in str(err.value)
    assert err.value.line == 2


def test_one_bad_row_at_the_end_refuses_the_whole_file(library):
    rows = [{"Set Order": str(n)} for n in range(1, 200)] + [{"Reps": "lots"}]
    with pytest.raises(ImportFormatError) as err:
        parse_strong(strong(*rows), library)
    assert err.value.line == 201


def test_the_line_of_a_row_is_where_it_starts_even_after_multi_line_notes(library):
    data = strong({"Notes": "first line\nsecond line\nthird"}, {"Weight": "-1"})
    with pytest.raises(ImportFormatError) as err:
        parse_strong(data, library)
    assert err.value.line == 5


def test_a_row_with_more_cells_than_the_header(library):
    data = strong() + b"2023-05-01 18:30:00,Pull Day,1h,Row, wide,1,50,10,0,0,,,8\n"
    with pytest.raises(ImportFormatError) as err:
        parse_strong(data, library)
    assert err.value.line == 3
    assert "has 13 cells but the header has 12" in str(err.value)


def test_unknown_weight_units_are_refused(library):
    columns = ["Date", "Workout Name", "Exercise Name", "Set Order", "Weight", "Weight Unit", "Reps"]
    with pytest.raises(ImportFormatError, match="line 2: weight unit 'stone' is not kg or lbs"):
        parse_strong(strong({"Weight Unit": "stone"}, columns=columns), library)
    header = [c if c != "Weight" else "Weight (st)" for c in STRONG_COLUMNS]
    with pytest.raises(ImportFormatError, match="line 1: the weight unit 'st' in the header"):
        parse_strong(table(header, {**STRONG_ROW, "Weight (st)": "10"}, {}), library)


def test_not_utf8_names_the_line(library):
    data = strong({}, {}).replace(b"Pull Day", "Rücken".encode("latin-1"))
    with pytest.raises(ImportFormatError) as err:
        parse_strong(data, library)
    assert str(err.value).startswith("the file is not UTF-8 text")
    assert err.value.line == 2


def test_utf16_is_not_utf8(library):
    with pytest.raises(ImportFormatError, match="not UTF-8 text .it is UTF-16"):
        parse_strong(strong().decode().encode("utf-16"), library)


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",  # an image
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00",  # a zip (an unzipped export was expected)
    b"Date,Workout Name\n2023-05-01\x00,x\n",
])
def test_binary_files_are_refused(library, data):
    for parse in (parse_strong, parse_hevy):
        with pytest.raises(ImportFormatError):
            parse(data, library)


@pytest.mark.parametrize("data", [b"", b"   \n\n", codecs.BOM_UTF8])
def test_an_empty_file_is_refused(library, data):
    with pytest.raises(ImportFormatError, match="the file is empty"):
        parse_strong(data, library)


def test_a_huge_file_is_refused_before_it_is_read(library):
    huge = b"x" * (MAX_IMPORT_BYTES + 1)
    with pytest.raises(ImportFormatError) as err:
        parse_hevy(huge, library)
    assert err.value.line is None
    assert "50 MB" in str(err.value)


def test_a_hevy_file_given_as_strong_says_so(library):
    with pytest.raises(ImportFormatError) as err:
        parse_strong(fixture("hevy_kg.csv"), library)
    text = str(err.value)
    assert err.value.line == 1
    assert text.startswith("line 1: this is not a Strong export: the columns Date, Workout Name, Exercise Name, "
                           "Set Order, Weight are missing.")
    assert "It looks like a Hevy export; import it as Hevy instead." in text


def test_a_strong_file_given_as_hevy_says_so(library):
    with pytest.raises(ImportFormatError) as err:
        parse_hevy(fixture("strong_semicolon.csv"), library)
    assert "the columns title, start_time, exercise_title, weight_kg (or weight_lbs) are missing" in str(err.value)
    assert "It looks like a Strong export; import it as Strong instead." in str(err.value)


def test_some_other_csv_is_named_as_such(library):
    data = b"Date,Payee,Amount\n2024-01-01,Shop,12.50\n"
    with pytest.raises(ImportFormatError, match=r"does not look like a workout export BackCoach reads \(Strong, Hevy, FitNotes"):
        parse_strong(data, library)
    damaged = table(["Date", "Workout Name", "Exercise Name", "Weight"], STRONG_ROW, {})
    with pytest.raises(ImportFormatError, match="the columns Set Order, Reps are missing. It looks like a damaged"):
        parse_strong(damaged, library)


def test_a_huge_cell_is_refused_with_its_line(library):
    data = strong({}, {"Notes": "x" * 200_000})
    with pytest.raises(ImportFormatError) as err:
        parse_strong(data, library)
    assert err.value.line == 3


# --- fuzzing: nothing but ImportFormatError ------------------------------------------------

def only_import_errors(parse, data: bytes, library) -> ImportResult | None:
    try:
        result = parse(data, library)
    except ImportFormatError as exc:
        assert str(exc)
        assert exc.line is None or exc.line >= 1
        return None
    assert isinstance(result, ImportResult)
    return result


@settings(deadline=None, max_examples=300)
@given(st.binary(max_size=3000))
def test_garbage_bytes_raise_only_import_errors(library, data):
    for parse in (parse_strong, parse_hevy):
        only_import_errors(parse, data, library)


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=2000))
def test_garbage_text_raises_only_import_errors(library, text):
    for parse in (parse_strong, parse_hevy):
        only_import_errors(parse, text.encode("utf-8", "surrogatepass"), library)


TRICKY = ["", " ", "0", "1", "-1", "8", "8.5", "62,5", "1e309", "nan", "inf", "99999999999", "9" * 50, "W", "d",
          "F3", "Rest Timer", "Note", "2023-05-01 18:30:00", "1 Jan 2024, 18:30", "2023-05-01 6:30 PM",
          "2023-02-30 10:00", "0001-01-01T00:00:00", "9999-12-31 23:59:59", "2023-05-01T18:30:00+14:00",
          "1h 5m", "99999h", "0:00", "12:99", "kg", "lbs", "stone", "warmup", "dropset", "failure",
          "Lat Pulldown (Cable)", "Тяга", "\"", "a,b", "x;y", "\n", "\u202f", "\ufeff", "\x00"]


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(app=st.sampled_from(["strong", "hevy"]), delimiter=st.sampled_from([",", ";"]),
       rows=st.lists(st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=12)), max_size=16),
                     max_size=8))
def test_garbage_rows_under_a_real_header_raise_only_import_errors(library, app, delimiter, rows):
    columns = STRONG_COLUMNS if app == "strong" else HEVY_COLUMNS
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    result = only_import_errors(IMPORTERS[app], out.getvalue().encode("utf-8", "surrogatepass"), library)
    if result is not None:
        for session in result.sessions:
            assert session.sets and all(isinstance(s, SetLog) for s in session.sets)


TRICKY += ["0.004", "1000", "1001", "2204.6", "2205", "86400", "86401", "10", "10.5", "5000", "2023-05-01 18:30",
           "3 Jan 2024, 18:00", "Plank", "Тяга", "custom thing", "x" * 201, "26h", "3900"]


@settings(deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(app=st.sampled_from(["strong", "hevy"]), data=st.data(),
       changes=st.lists(st.dictionaries(st.integers(0, 13), st.one_of(st.sampled_from(TRICKY), st.text(max_size=8)),
                                        max_size=3), min_size=1, max_size=6))
def test_good_rows_with_a_few_bad_cells_raise_only_import_errors(library, app, data, changes):
    columns, base = (STRONG_COLUMNS, STRONG_ROW) if app == "strong" else (HEVY_COLUMNS, HEVY_ROW)
    rows = [{columns[i % len(columns)]: value for i, value in change.items()} for change in changes]
    result = only_import_errors(IMPORTERS[app], table(columns, base, *rows), library)
    if result is not None:
        again = IMPORTERS[app](table(columns, base, *rows), library)
        assert again == result  # deterministic, whatever the values


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(FIXTURE_FILES), data=st.data())
def test_damaged_real_files_raise_only_import_errors(library, path, data):
    raw = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(raw)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        byte = data.draw(st.sampled_from(list(b",;\"\n\r0-9.: aWF\x00\xc3\xff")))
        if action == "insert":
            raw.insert(at, byte)
        elif raw and at < len(raw):
            if action == "delete":
                del raw[at]
            else:
                raw[at] = byte
    only_import_errors(parser_for(path), bytes(raw), library)


def test_assisted_machine_weight_is_help_not_load(library):
    text = (
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
        "2024-02-01 18:00:00,Pull,1h,Pull Up (Assisted),1,30,8,0,0,,,\n"
    )
    result = parse_strong(text.encode(), library)
    (s,) = result.sessions[0].sets
    assert s.exercise_id == "band-assisted-pull-up"
    assert s.load_kg is None and "assisted by 30 kg" in s.note


def test_custom_exercise_ids_keep_non_latin_letters():
    from backcoach.model import custom_exercise_id

    assert custom_exercise_id("Тяга штанги") == "custom-тяга-штанги"
    assert custom_exercise_id("Zercher Row (Barbell)") == "custom-zercher-row-barbell"
