"""Every format `backcoach import FILE` reads: recognised from the header, totals right,
idempotent, a bad file refused with the data folder untouched, and the last import undone
exactly (and all or nothing under a crash)."""

from __future__ import annotations

import csv
import hashlib
import io
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcoach.cli import main
from backcoach.importing import (
    IMPORTERS,
    ImportFormatError,
    ImportResult,
    detect_format,
    parse_fitnotes,
    parse_stronglifts,
)
from backcoach.model import BodyWeight, SetLog
from backcoach.store import Store
from backcoach.transfer import TransferError, import_file, preview_file, undo_last_import

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "imports"

# (file, app, sessions, sets, reps, kg volume): counted by hand from the fixture rows.
TOTALS = [
    ("fitnotes_android_kg.csv", "fitnotes", 2, 10, 61, 2280.0),
    # 1200 + 1040 lb of pulldowns, 600 + 1200 lb of rows (each set's load rounded to 0.01 kg), 40 kg x 15.
    ("fitnotes_android_lbs.csv", "fitnotes", 2, 5, 57, 2432.54),
    ("fitnotes_ios.csv", "fitnotes", 2, 4, 37, 540.0),
    # Squat 5x5x60, row 5x5x50, deadlift 5x80, row 5+5+5+4+3 x 52.5, pull-ups 5+4+3 (the 0 is not done).
    ("stronglifts_kg.csv", "stronglifts", 3, 19, 89, 4305.0),
    ("stronglifts_lb.csv", "stronglifts", 2, 4, 29, 1979.82),
    ("strong_current.csv", "strong", 3, 20, 154, 7197.5),
    ("strong_lbs_12h.csv", "strong", 3, 5, 47, 2163.61),
    ("strong_old_units.csv", "strong", 2, 7, 63, 2164.68),
    ("strong_semicolon.csv", "strong", 2, 5, 50, 1987.5),
    ("hevy_kg.csv", "hevy", 2, 15, 128, 4060.0),
    ("hevy_lbs.csv", "hevy", 2, 4, 17, 1313.1),
]


def folder_bytes(data_dir: Path) -> dict[str, str]:
    """Every data file's checksum (the lock and the day's backups aside)."""
    return {p.relative_to(data_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data_dir.rglob("*.json")) if "backups" not in p.parts}


def totals(store: Store) -> tuple[int, int, int, float]:
    sessions = store.sessions()
    sets = [s for session in sessions for s in session.sets]
    return len(sessions), len(sets), sum(s.reps or 0 for s in sets), round(sum(s.volume_kg for s in sets), 2)


@pytest.mark.parametrize("name,app,n_sessions,n_sets,reps,volume", TOTALS, ids=[t[0] for t in TOTALS])
def test_each_format_is_recognised_and_its_totals_land_once(tmp_path, library, name, app, n_sessions, n_sets, reps,
                                                             volume):
    path = FIXTURES / name
    assert detect_format(path.read_bytes()) == app
    with Store.open(tmp_path / "data") as store:
        report = import_file(store, library, None, path)
        assert report.kind == app
        assert report.lines[0].startswith("Read as ") and "recognised from the file" in report.lines[0]
        assert totals(store) == (n_sessions, n_sets, reps, volume)
        before = folder_bytes(tmp_path / "data")
        again = import_file(store, library, None, path)
        assert (again.counts.sessions_added, again.counts.sets_added) == (0, 0)
        assert totals(store) == (n_sessions, n_sets, reps, volume)
    assert folder_bytes(tmp_path / "data") == before  # a second import writes nothing


def damage(name: str) -> tuple[bytes, int]:
    """The fixture with one cell made impossible on its last data line; (bytes, that line)."""
    text = (FIXTURES / name).read_bytes().decode("utf-8-sig")
    lines = text.rstrip("\n").split("\n")
    last = len(lines)
    delimiter = ";" if name == "strong_semicolon.csv" else ","
    header = next(csv.reader([lines[0]], delimiter=delimiter))
    cells = next(csv.reader([lines[-1]], delimiter=delimiter))
    keys = [h.strip().casefold() for h in header]
    for wanted in ("set 1 (reps)", "reps"):
        if wanted in keys:
            cells[keys.index(wanted)] = "-3"
            break
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow(cells)
    lines[-1] = out.getvalue().rstrip("\n")
    return ("\n".join(lines) + "\n").encode(), last


@pytest.mark.parametrize("name", [t[0] for t in TOTALS])
def test_a_bad_file_of_each_format_is_refused_and_the_folder_is_unchanged(tmp_path, library, name):
    data_dir = tmp_path / "data"
    with Store.open(data_dir) as store:
        import_file(store, library, None, FIXTURES / "strong_current.csv" if "strong_" not in name
                    else FIXTURES / "hevy_kg.csv")
    before = folder_bytes(data_dir)
    bad, line = damage(name)
    path = tmp_path / name
    path.write_bytes(bad)
    with Store.open(data_dir) as store:
        with pytest.raises(TransferError, match=rf"line {line}: reps '-3' is negative"):
            import_file(store, library, None, path)
    assert folder_bytes(data_dir) == before


def test_an_unknown_file_gets_one_sentence_naming_the_formats(tmp_path, library, capsys):
    path = tmp_path / "bank.csv"
    path.write_text("Date,Payee,Amount\n2024-01-01,Shop,12.50\n")
    with pytest.raises(ImportFormatError) as err:
        detect_format(path.read_bytes())
    message = str(err.value)
    assert message.count(".") == 1 and message.endswith(".")
    for app in ("Strong", "Hevy", "FitNotes", "StrongLifts", "BackCoach backup (JSON)", "CSV export"):
        assert app in message
    assert main(["--data-dir", str(tmp_path / "data"), "import", str(path)]) != 0
    assert "cannot tell which app wrote this file" in capsys.readouterr().err
    assert not (tmp_path / "data" / "history").exists() or not list((tmp_path / "data" / "history").iterdir())


def test_the_app_can_be_forced_and_a_wrong_choice_says_what_the_file_is(tmp_path, library, capsys):
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "import", "hevy", str(FIXTURES / "fitnotes_ios.csv")]) != 0
    assert "It looks like a FitNotes export; import it as FitNotes instead." in capsys.readouterr().err
    assert main(["--data-dir", data, "import", "fitnotes", str(FIXTURES / "fitnotes_ios.csv")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Read as FitNotes (as you chose).") and "Sessions added: 2" in out
    assert main(["--data-dir", data, "import", "endomondo", str(FIXTURES / "fitnotes_ios.csv")]) == 2


def test_backcoach_csv_and_json_exports_are_recognised_and_add_nothing_twice(tmp_path, library):
    with Store.open(tmp_path / "a") as store:
        import_file(store, library, None, FIXTURES / "strong_current.csv")
        import_file(store, library, None, FIXTURES / "stronglifts_kg.csv")
        store.log_body_weight(BodyWeight("2024-05-01", 80.0))
        expected = totals(store)
        assert main(["--data-dir", str(tmp_path / "x"), "export", "csv", str(tmp_path / "out.csv")]) == 0
    from backcoach.transfer import export_file

    with Store.open(tmp_path / "a") as store:
        export_file(store, library, "csv", tmp_path / "out.csv")
        export_file(store, library, "json", tmp_path / "out.json")
    for name, kind in (("out.csv", "backcoach"), ("out.json", "json")):
        with Store.open(tmp_path / name.replace(".", "-")) as fresh:
            report = import_file(fresh, library, None, tmp_path / name)
            assert report.kind == kind
            assert totals(fresh) == expected
            assert import_file(fresh, library, None, tmp_path / name).counts.sessions_added == 0
            if kind == "json":
                assert [b.day for b in fresh.body_weights()] == ["2024-03-04", "2024-03-06", "2024-03-08",
                                                                 "2024-05-01"]


def test_fitnotes_days_units_and_cardio(library):
    result = parse_fitnotes((FIXTURES / "fitnotes_android_lbs.csv").read_bytes(), library)
    first = result.sessions[0]
    assert first.started_at[:16] == "2024-05-10T12:00"  # a day without a time: midday
    loads = [s.load_kg for s in first.sets]
    assert loads == [54.43, 58.97, 22.68]  # lbs on each row
    assert result.sessions[1].sets[-1].load_kg == 40.0  # a kgs row in the same file
    assert result.skipped_cardio == 1
    assert "1 cardio or distance row skipped: they are not strength sets." in result.summary()
    ios = parse_fitnotes((FIXTURES / "fitnotes_ios.csv").read_bytes(), library)
    assert [s.load_kg for s in ios.sessions[0].sets] == [None, None, 70.0]


def test_stronglifts_sets_times_and_body_weight(library):
    result = parse_stronglifts((FIXTURES / "stronglifts_kg.csv").read_bytes(), library)
    late = result.sessions[1]
    assert late.started_at[:16] == "2024-03-06T23:50" and late.ended_at[:16] == "2024-03-07T00:35"
    pull_ups = [s for s in result.sessions[2].sets if s.exercise_id == "pull-up"]
    assert [(s.reps, s.load_kg) for s in pull_ups] == [(5, None), (4, None), (3, None)]
    assert [(b.day, b.kg) for b in result.body_weights] == [("2024-03-04", 82.5), ("2024-03-06", 82.0),
                                                            ("2024-03-08", 81.8)]
    assert result.sessions[0].note == "first day"


def test_undo_last_import_removes_exactly_what_it_added(tmp_path, library):
    data_dir = tmp_path / "data"
    with Store.open(data_dir) as store:
        store.log_body_weight(BodyWeight("2024-03-06", 79.0))  # the lifter's own entry wins
        import_file(store, library, None, FIXTURES / "strong_current.csv")
        first = {s.id for s in store.sessions()}
        customs_before = set(store.custom_exercises())
        import_file(store, library, None, FIXTURES / "stronglifts_kg.csv")
        assert [(b.day, b.kg) for b in store.body_weights()] == [("2024-03-04", 82.5), ("2024-03-06", 79.0),
                                                                 ("2024-03-08", 81.8)]
        assert "custom-squat" in store.custom_exercises()
        message = undo_last_import(store)
        assert message.startswith("Removed the StrongLifts import of stronglifts_kg.csv: 3 sessions, 19 sets")
        assert {s.id for s in store.sessions()} == first
        assert set(store.custom_exercises()) == customs_before
        assert [(b.day, b.kg) for b in store.body_weights()] == [("2024-03-06", 79.0)]
        undo_last_import(store)
        assert store.sessions() == []
        with pytest.raises(TransferError, match="no import to undo"):
            undo_last_import(store)
    with Store.open(data_dir) as store:  # and it is saved
        assert store.sessions() == [] and store.last_import() is None


def test_undo_keeps_a_custom_exercise_the_lifter_completed(tmp_path, library):
    with Store.open(tmp_path / "data") as store:
        import_file(store, library, None, FIXTURES / "stronglifts_kg.csv")
        squat = store.custom_exercises()["custom-squat"]
        from dataclasses import replace

        store.save_custom_exercise(replace(squat, pattern="squat", level="beginner", equipment=("barbell",),
                                           primary_muscles=("glutes",)))
        undo_last_import(store)
        assert "custom-squat" in store.custom_exercises()


def test_an_undo_killed_at_any_point_is_all_or_nothing(tmp_path, library):
    rng = random.Random(3)
    data_dir = tmp_path / "data"
    with Store.open(data_dir) as store:
        import_file(store, library, None, FIXTURES / "hevy_kg.csv")
        kept = {s.id for s in store.sessions()}
        import_file(store, library, None, FIXTURES / "stronglifts_kg.csv")
        full = {s.id for s in store.sessions()}
    outcomes = set()
    for _ in range(12):
        operations = rng.randrange(1, 60)
        proc = subprocess.run([sys.executable, "-m", "tests.helpers.undoer", str(data_dir), str(operations)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode in (0, -signal.SIGKILL), proc.stderr
        with Store.open(data_dir) as store:
            assert store.problems == []
            ids = {s.id for s in store.sessions()}
            assert ids in (kept, full)
            weights = [b.day for b in store.body_weights()]
            assert weights == ([] if ids == kept else ["2024-03-04", "2024-03-06", "2024-03-08"])
            assert store.last_import()["app"] == ("hevy" if ids == kept else "stronglifts")
            outcomes.add(ids == kept)
            if ids == kept:  # start again from the import
                import_file(store, library, None, FIXTURES / "stronglifts_kg.csv")
    assert outcomes == {True, False}


def test_preview_matches_names_and_a_mapping_sends_one_to_a_library_exercise(tmp_path, library):
    with Store.open(tmp_path / "data") as store:
        preview = preview_file(store, library, FIXTURES / "strong_current.csv")
        assert preview.kind == "strong" and preview.detected
        assert preview.unknown_names() == ["Running", "Plank", "Zercher Row", "Romanian Deadlift (Barbell)"]
        assert store.sessions() == []  # nothing written
        mapped = preview_file(store, library, FIXTURES / "strong_current.csv", mapping={"Zercher Row": "barbell-row"})
        assert "Zercher Row" not in mapped.unknown_names()
        report = import_file(store, library, None, FIXTURES / "strong_current.csv",
                             mapping={"Zercher Row": "barbell-row"})
        assert report.counts.custom_exercises_added == 3
        assert "custom-zercher-row" not in store.custom_exercises()
        with pytest.raises(TransferError, match="not an exercise BackCoach knows"):
            preview_file(store, library, FIXTURES / "hevy_kg.csv", mapping={"Face Pull": "no-such-thing"})


# --- hostile and random input for the new parsers ------------------------------------------

FITNOTES_COLUMNS = "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment".split(",")
SL_COLUMNS = ("Date (yyyy/mm/dd),Workout,Workout Name,Body Weight (KG),Exercise,Start Time (h:mm),End Time (h:mm),"
              "Notes,Set 1 (Reps),Set 1 (KG),Set 2 (Reps),Set 2 (KG)").split(",")
TRICKY = ["", " ", "0", "1", "-1", "8", "62.5", "1e309", "nan", "99999999", "kgs", "lbs", "stone", "Cardio", "Back",
          "2024-01-01", "2024/01/01", "2024-02-30", "0001-01-01", "7:37 PM", "13:99", "12:00 AM", "0:01:30", "99:99",
          "Pull Up", "Тяга", "\"", "a,b", "\n", "\ufeff", "\x00", "x" * 201, "500"]


def only_import_errors(parse, data: bytes, library) -> ImportResult | None:
    try:
        result = parse(data, library)
    except ImportFormatError as exc:
        assert str(exc) and (exc.line is None or exc.line >= 1)
        return None
    for session in result.sessions:
        assert session.sets and all(isinstance(s, SetLog) for s in session.sets)
    return result


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(app=st.sampled_from(["fitnotes", "stronglifts"]),
       rows=st.lists(st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=10)), max_size=13), max_size=6))
def test_garbage_rows_under_a_real_header_raise_only_import_errors(library, app, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FITNOTES_COLUMNS if app == "fitnotes" else SL_COLUMNS)
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8", "surrogatepass")
    first = only_import_errors(IMPORTERS[app], data, library)
    if first is not None:
        assert IMPORTERS[app](data, library) == first  # deterministic


@settings(deadline=None, max_examples=200)
@given(st.binary(max_size=2000))
def test_garbage_bytes_raise_only_import_errors(library, data):
    for parse in (parse_fitnotes, parse_stronglifts, IMPORTERS["backcoach"]):
        only_import_errors(parse, data, library)
    try:
        detect_format(data)
    except ImportFormatError:
        pass


def test_an_import_killed_at_any_point_lands_with_its_undo_record_or_not_at_all(tmp_path, library):
    """Sessions, body weights, new exercises and the record "Undo last import" needs are one
    commit: after a crash there is all of it, or none of it."""
    rng = random.Random(5)
    data_dir = tmp_path / "data"
    with Store.open(data_dir) as store:
        import_file(store, library, None, FIXTURES / "hevy_kg.csv")
        before = {s.id for s in store.sessions()}
    outcomes = set()
    for _ in range(12):
        proc = subprocess.run([sys.executable, "-m", "tests.helpers.csv_importer", str(data_dir),
                               str(FIXTURES / "stronglifts_kg.csv"), str(rng.randrange(1, 40))],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode in (0, -signal.SIGKILL), proc.stderr
        with Store.open(data_dir) as store:
            assert store.problems == []
            ids = {s.id for s in store.sessions()}
            landed = ids != before
            assert len(ids) == len(before) + (3 if landed else 0)
            assert len(store.body_weights()) == (3 if landed else 0)
            assert ("custom-squat" in store.custom_exercises()) == landed
            assert store.last_import()["app"] == ("stronglifts" if landed else "hevy")
            outcomes.add(landed)
            if landed:
                store.undo_last_import()
    assert outcomes == {True, False}
