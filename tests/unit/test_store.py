"""The store's promises: bad files, newer files, migrations, one writer, full disks,
interrupted transactions, backups, and exact backup round trips."""

from __future__ import annotations

import errno
import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from backcoach import storage, store as store_module
from backcoach.model import CustomExercise, SessionLog, SetLog
from backcoach.storage import MANIFEST, ReadOnlyError, WriteFailedError
from backcoach.store import NewerSchemaError, Store


def session(day: int = 1, year: int = 2025, sets: int = 3, **kw) -> SessionLog:
    return SessionLog(
        started_at=f"{year}-03-{day:02d}T18:00:00+01:00", ended_at=f"{year}-03-{day:02d}T19:00:00+01:00",
        routine="Pull day", sets=[SetLog("barbell-row", n, reps=8, load_kg=60.0 + n, rpe=8.0) for n in range(1, sets + 1)],
        **kw,
    )


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


def saved(data_dir: Path, *sessions: SessionLog) -> None:
    with Store.open(data_dir) as st:
        st.add_sessions(sessions)


# --- basics -------------------------------------------------------------------------------

def test_sessions_go_to_year_files_newest_first(data_dir):
    a, b = session(1, 2024), session(2, 2025)
    saved(data_dir, a, b)
    assert sorted(p.name for p in (data_dir / "history").iterdir()) == ["2024.json", "2025.json"]
    with Store.open(data_dir) as st:
        assert [s.id for s in st.sessions()] == [b.id, a.id]
        assert st.session(a.id) == a


def test_adding_the_same_sessions_twice_adds_nothing(data_dir):
    imported = session(source="strong", source_key="strong|2025-03-01|Pull")
    with Store.open(data_dir) as st:
        assert st.add_sessions([imported]).sessions_added == 1
        again = SessionLog(started_at=imported.started_at, sets=imported.sets, source="strong",
                           source_key=imported.source_key)  # new id, same import key
        counts = st.add_sessions([imported, again])
        assert (counts.sessions_added, counts.sessions_skipped) == (0, 2)
        assert len(st.sessions()) == 1


def test_edit_and_delete_with_undo(data_dir):
    original = session()
    saved(data_dir, original)
    with Store.open(data_dir) as st:
        fixed = original.with_sets([*original.sets[:2], SetLog("barbell-row", 3, reps=6, load_kg=65.0)])
        st.replace_session(fixed)
        assert st.session(original.id).sets[2].reps == 6
        removed = st.delete_session(original.id)
        assert st.sessions() == []
        st.add_session(removed)  # undo
    with Store.open(data_dir) as st:
        assert st.session(original.id) == fixed


def test_journal_then_commit(data_dir):
    with Store.open(data_dir) as st:
        state = st.start_session(routine="Pull day", started_at="2025-05-01T18:00:00+02:00")
        st.log_set(SetLog("pull-up", 1, reps=8))
        st.log_set(SetLog("pull-up", 2, reps=7))
        assert st.unfinished_session().sets[1].reps == 7
        done = st.finish_session("2025-05-01T18:40:00+02:00")
        assert done.id == state.session_id and st.unfinished_session() is None
        assert not (data_dir / "journal.jsonl").exists()
    with Store.open(data_dir) as st:
        assert [len(s.sets) for s in st.sessions()] == [2]


def test_journal_drops_a_torn_last_line_and_keeps_the_rest(data_dir):
    with Store.open(data_dir) as st:
        st.start_session(started_at="2025-05-01T18:00:00+02:00")
        st.log_set(SetLog("pull-up", 1, reps=8))
    with open(data_dir / "journal.jsonl", "ab") as fh:
        fh.write(b'{"event":"set","set":{"exercise_id":"pull-u')  # power lost mid-line
    with Store.open(data_dir) as st:
        state = st.unfinished_session()
        assert [s.reps for s in state.sets] == [8] and state.damaged_lines == 0


def test_journal_of_an_already_committed_session_is_dropped(data_dir):
    with Store.open(data_dir) as st:
        st.start_session(started_at="2025-05-01T18:00:00+02:00")
        st.log_set(SetLog("pull-up", 1, reps=8))
        journal_bytes = (data_dir / "journal.jsonl").read_bytes()
        st.finish_session()
    (data_dir / "journal.jsonl").write_bytes(journal_bytes)  # crash before the journal was removed
    with Store.open(data_dir) as st:
        assert st.unfinished_session() is None
        assert len(st.sessions()) == 1
    assert not (data_dir / "journal.jsonl").exists()


def test_one_session_at_a_time(data_dir):
    with Store.open(data_dir) as st:
        st.start_session()
        with pytest.raises(storage.StorageError, match="still in progress"):
            st.start_session()


# --- bad files ---------------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b'{"meta": {"1": {"kind": "main"}}}'])
def test_a_bad_main_file_is_moved_aside_and_the_app_still_starts(data_dir, content):
    saved(data_dir, session())
    with Store.open(data_dir, today=date.today() + timedelta(days=1)):
        pass  # the next day's start backs the files up
    (data_dir / "backcoach.json").write_bytes(content)
    with Store.open(data_dir, today=date.today() + timedelta(days=2)) as st:
        (problem,) = st.problems
        assert problem.file == "backcoach.json" and "could not be read" in problem.message
        moved = data_dir / problem.moved_to
        assert moved.read_bytes() == content  # never deleted or overwritten
        assert moved.name.startswith("backcoach.bad-")
        assert problem.backup is not None  # the day's backup from the first open
        assert len(st.sessions()) == 1  # history is unaffected
        st.restore_backup(problem)
        assert st.problems == []


def test_a_bad_year_file_is_moved_aside_and_its_backup_restored(data_dir):
    good = session()
    saved(data_dir, good)
    with Store.open(data_dir, today=date.today() + timedelta(days=1)):
        pass  # the next day's start backs the files up
    (data_dir / "history" / "2025.json").write_text('{"meta": {"1": {"schema": 1}}, "sessions": {"1": {"sets": 5}}}')
    with Store.open(data_dir, today=date.today() + timedelta(days=2)) as st:  # backs up the bad file too
        assert st.sessions() == []
        (problem,) = st.problems
        assert problem.file == "history/2025.json" and "unreadable session" in problem.message
        assert problem.backup.startswith(f"backups/{date.today() + timedelta(days=1)}")  # the good one
        st.restore_backup(problem)
        assert [s.id for s in st.sessions()] == [good.id]


def test_quarantine_never_overwrites_an_earlier_bad_file(data_dir):
    saved(data_dir, session())
    names = set()
    for attempt in range(3):
        (data_dir / "backcoach.json").write_text(f"broken {attempt}")
        with Store.open(data_dir) as st:
            new = [p for p in st.problems if "could not be read" in p.message]
            assert len(st.problems) == attempt + 1  # the earlier ones are still reported
            names.add(new[0].moved_to)
    assert len(names) == 3
    assert sorted((data_dir / n).read_text() for n in names) == ["broken 0", "broken 1", "broken 2"]


def test_a_file_from_a_newer_version_is_refused_and_untouched(data_dir):
    saved(data_dir, session())
    main = data_dir / "backcoach.json"
    data = json.loads(main.read_text())
    data["meta"]["1"]["schema"] = 99
    main.write_text(json.dumps(data))
    before = main.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer version of BackCoach"):
        Store.open(data_dir)
    assert main.read_bytes() == before


def test_an_older_file_is_migrated_after_a_backup(data_dir, monkeypatch):
    saved(data_dir, session())
    main = data_dir / "backcoach.json"
    before = main.read_bytes()

    def add_units(data, kind):
        data.setdefault("settings", {})["1"] = {"units": "kg"}
        return data

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(store_module.MIGRATIONS, 1, add_units)
    with Store.open(data_dir) as st:
        assert st.schema_version() == 2
        assert st.settings() == {"units": "kg"}
        assert len(st.sessions()) == 1  # the year file was migrated too
    backups = list((data_dir / "backups").glob("before-migration-*/backcoach.json"))
    assert backups and backups[0].read_bytes() == before


# --- one writer ---------------------------------------------------------------------------

def test_a_second_instance_is_read_only(data_dir):
    saved(data_dir, session())
    with Store.open(data_dir) as first:
        with Store.open(data_dir) as second:
            assert second.read_only and not first.read_only
            assert second.lock_holder == str(os.getpid())
            assert len(second.sessions()) == 1
            with pytest.raises(ReadOnlyError, match="read-only"):
                second.add_session(session(2))
            with pytest.raises(ReadOnlyError):
                second.start_session()
        first.add_session(session(3))
    with Store.open(data_dir) as again:
        assert not again.read_only and len(again.sessions()) == 2


# --- full disk ----------------------------------------------------------------------------

def test_a_full_disk_loses_nothing_and_keeps_the_change_in_memory(data_dir, monkeypatch):
    first = session(1)
    saved(data_dir, first)
    on_disk = (data_dir / "history" / "2025.json").read_bytes()

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with Store.open(data_dir) as st:
        monkeypatch.setattr(storage, "write_temp", no_space)
        second = session(2)
        with pytest.raises(WriteFailedError, match="No space left on device"):
            st.add_session(second)
        assert (data_dir / "history" / "2025.json").read_bytes() == on_disk  # old data intact
        assert st.unsaved
        assert {s.id for s in st.sessions()} == {first.id, second.id}  # not silently dropped
        monkeypatch.undo()
        st.save_pending()  # space freed: saved now
        assert not st.unsaved
    with Store.open(data_dir) as st:
        assert {s.id for s in st.sessions()} == {first.id, second.id}


def test_a_full_disk_while_logging_a_set_raises(data_dir, monkeypatch):
    with Store.open(data_dir) as st:
        st.start_session()
        monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space")))
        with pytest.raises(OSError):
            st.log_set(SetLog("pull-up", 1, reps=5))


# --- interrupted transactions and leftovers ----------------------------------------------

def test_a_committed_transaction_is_finished_after_a_crash(data_dir, monkeypatch):
    saved(data_dir, session(1, 2024))
    monkeypatch.setattr(storage, "finish_transaction", lambda root: (_ for _ in ()).throw(KeyboardInterrupt()))
    with Store.open(data_dir) as st:
        with pytest.raises(KeyboardInterrupt):  # "crash" right after the commit point
            st.add_sessions([session(2, 2024), session(3, 2025)])
    assert (data_dir / MANIFEST).exists()
    monkeypatch.undo()
    with Store.open(data_dir) as st:
        assert len(st.sessions()) == 3
    assert not (data_dir / MANIFEST).exists()


def test_a_crash_before_the_commit_point_changes_nothing(data_dir, monkeypatch):
    saved(data_dir, session(1, 2024))
    real = storage.atomic_write

    def die_on_manifest(path, payload):
        if path.name == MANIFEST:
            raise KeyboardInterrupt()
        real(path, payload)

    monkeypatch.setattr(storage, "atomic_write", die_on_manifest)
    with Store.open(data_dir) as st:
        with pytest.raises(KeyboardInterrupt):
            st.add_sessions([session(2, 2024), session(3, 2025)])
    monkeypatch.undo()
    with Store.open(data_dir) as st:
        assert len(st.sessions()) == 1
    assert not list(data_dir.rglob("*.tmp-*"))


def test_stale_temporary_files_are_cleaned_at_start(data_dir):
    saved(data_dir, session())
    (data_dir / "backcoach.json.tmp-deadbeef").write_text("half")
    (data_dir / "history" / "2025.json.tmp-cafe").write_text("half")
    with Store.open(data_dir):
        pass
    assert not list(data_dir.rglob("*.tmp-*"))


# --- opening with the history deferred (the app, until its first paint) -------------------

@pytest.fixture
def years_read(monkeypatch) -> list[str]:
    """The year files the store reads and checks, in order."""
    read: list[str] = []
    real = store_module._read_history

    def spy(data, path):
        read.append(Path(path).name)
        return real(data, path)

    monkeypatch.setattr(store_module, "_read_history", spy)
    return read


def test_deferred_years_are_read_before_anything_sees_the_history(data_dir, years_read):
    a, b, c = session(1, 2023), session(2, 2024), session(3, 2025)
    saved(data_dir, a, b, c)
    years_read.clear()
    with Store.open(data_dir, defer_history=True) as st:
        assert years_read == []  # nothing read yet: the window paints first
        assert [s.id for s in st.sessions()] == [c.id, b.id, a.id]
        assert years_read == ["2023.json", "2024.json", "2025.json"]
        st.finish_opening()
        assert years_read == ["2023.json", "2024.json", "2025.json"]  # once only


def test_has_history_reads_only_the_newest_year_it_needs(data_dir, years_read):
    saved(data_dir, session(1, 2023), session(2, 2024))
    years_read.clear()
    with Store.open(data_dir, defer_history=True) as st:
        assert st.has_history()
        assert years_read == ["2024.json"]
        st.finish_opening()
        assert years_read == ["2024.json", "2023.json"]


def test_a_session_saved_into_a_deferred_year_keeps_that_years_sessions(data_dir):
    old = session(1, 2024)
    saved(data_dir, old)
    late = session(20, 2024)
    with Store.open(data_dir, defer_history=True) as st:
        st.add_session(late)  # the 2024 file is read first, never written over
    with Store.open(data_dir) as st:
        assert {s.id for s in st.sessions()} == {old.id, late.id}


def test_a_bad_deferred_year_is_reported_when_opening_finishes(data_dir):
    good = session(1, 2025)
    saved(data_dir, session(1, 2024), good)
    (data_dir / "history" / "2024.json").write_text("{ torn")
    with Store.open(data_dir, defer_history=True) as st:
        assert st.problems == []
        st.finish_opening()
        (problem,) = st.problems
        assert problem.file == "history/2024.json" and problem.moved_to
        assert [s.id for s in st.sessions()] == [good.id]


def test_the_days_backup_waits_for_the_deferred_years_and_leaves_out_a_bad_one(data_dir):
    saved(data_dir, session(1, 2024), session(1, 2025))
    (data_dir / "history" / "2024.json").write_text("{ torn")
    day = date.today() + timedelta(days=1)
    with Store.open(data_dir, today=day, defer_history=True) as st:
        assert not (data_dir / "backups" / day.isoformat()).exists()
        st.finish_opening()
        taken = data_dir / "backups" / day.isoformat()
        assert sorted(p.name for p in (taken / "history").iterdir()) == ["2025.json"]
        assert (taken / "backcoach.json").is_file()


# --- backups ------------------------------------------------------------------------------

def test_a_backup_a_day_and_the_last_seven_kept(data_dir):
    saved(data_dir, session())
    start = date(2026, 1, 1)
    for n in range(10):
        with Store.open(data_dir, today=start + timedelta(days=n)):
            pass
    days = sorted(p.name for p in (data_dir / "backups").iterdir())
    assert days == [(start + timedelta(days=n)).isoformat() for n in range(3, 10)]
    assert (data_dir / "backups" / days[-1] / "history" / "2025.json").is_file()


# --- full backup export and import --------------------------------------------------------

def test_export_import_round_trip_is_exact(tmp_path):
    source, target = tmp_path / "a", tmp_path / "b"
    with Store.open(source) as st:
        st.add_sessions(
            [session(1, 2023), session(2, 2025, sets=5, note="felt strong"),
             SessionLog(started_at="2025-04-01T07:00:00-05:00", sets=[SetLog("dead-hang", 1, seconds=42.5, kind="warmup", side=None)])],
            [CustomExercise("custom-zercher-row", "Zercher Row", source="strong")],
        )
        st.save_settings({"units": "lb", "level": "intermediate"})
        backup = json.loads(json.dumps(st.export_all()))  # through real JSON text
    with Store.open(target) as st:
        counts = st.import_all(backup)
        assert counts.sessions_added == 3 and counts.custom_exercises_added == 1
        again = st.export_all()
    for key in ("sessions", "custom_exercises", "settings", "routines"):
        assert again[key] == backup[key]
    with Store.open(target) as st:  # importing again adds nothing
        assert st.import_all(backup).sessions_added == 0


@pytest.mark.parametrize(
    ("backup", "message"),
    [
        ({"sessions": []}, "not a BackCoach backup"),
        ({"format": "backcoach-backup", "schema": 99}, "data format 99"),
        ({"format": "backcoach-backup", "schema": 1, "sessions": [{"started_at": "yesterday"}]}, "session 1"),
        ({"format": "backcoach-backup", "schema": 1, "sessions": [{"started_at": "2025-01-01T10:00:00",
          "sets": [{"exercise_id": "x", "reps": -3}]}]}, "reps"),
    ],
)
def test_a_bad_backup_is_refused_and_changes_nothing(data_dir, backup, message):
    from backcoach.model import InvalidRecord

    saved(data_dir, session())
    before = (data_dir / "history" / "2025.json").read_bytes()
    with Store.open(data_dir) as st:
        with pytest.raises(InvalidRecord, match=message):
            st.import_all(backup)
    assert (data_dir / "history" / "2025.json").read_bytes() == before


# --- the change path: every operation reports what it changed ----------------------------

def _heard(store: Store) -> list[frozenset]:
    heard: list[frozenset] = []
    store.on_change(heard.append)
    return heard


def test_every_operation_reports_what_it_changed(data_dir):
    from backcoach.model import BodyWeight
    from backcoach.routines import Routine, RoutineBook
    from backcoach.store import Change

    with Store.open(data_dir) as store:
        heard = _heard(store)
        session = SessionLog(started_at="2025-03-01T10:00:00+00:00", sets=[SetLog("pull-up", 1, reps=5)])
        store.add_session(session)
        store.save_custom_exercise(CustomExercise(id="custom-zercher-row", name="Zercher row"))
        store.log_body_weight(BodyWeight(day="2025-03-01", kg=80.0))
        store.save_settings({"units": "lb"})
        RoutineBook(store).save(Routine(name="Pull day"))
        store.delete_session(session.id)
        assert heard == [frozenset({Change.SESSIONS}), frozenset({Change.CUSTOM_EXERCISES}),
                         frozenset({Change.BODY_WEIGHT}), frozenset({Change.SETTINGS}),
                         frozenset({Change.ROUTINES}), frozenset({Change.SESSIONS})]


def test_listeners_read_the_change_they_are_told_of(data_dir):
    """A listener reads the store when told: the store's own caches already agree."""
    with Store.open(data_dir) as store:
        counts: list[int] = []
        store.on_change(lambda _changed: counts.append(len(store.sessions())))
        store.add_session(SessionLog(started_at="2025-03-01T10:00:00+00:00", sets=[SetLog("pull-up", 1, reps=5)]))
        store.add_import([SessionLog(started_at="2025-03-02T10:00:00+00:00", sets=[SetLog("pull-up", 1, reps=6)])],
                         app="strong", file_name="strong.csv")
        store.undo_last_import()
        assert counts == [1, 2, 1]


def test_a_batch_reports_once_and_a_failed_batch_not_at_all(data_dir):
    from backcoach.store import Change

    with Store.open(data_dir) as store:
        heard = _heard(store)
        with store.batch():
            store.add_session(SessionLog(started_at="2025-03-01T10:00:00+00:00", sets=[SetLog("pull-up", 1, reps=5)]))
            store.save_settings({"units": "lb"})
            assert heard == []
        assert heard == [frozenset({Change.SESSIONS, Change.SETTINGS})]
        with pytest.raises(RuntimeError), store.batch():
            store.save_settings({"units": "kg"})
            raise RuntimeError("the import found a bad row")
        assert len(heard) == 1 and store.settings() == {"units": "lb"}
        stop = store.on_change(heard.append)
        stop()
        store.save_settings({"units": "kg"})
        assert len(heard) == 2  # the first listener only
