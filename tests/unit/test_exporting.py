"""The CSV export has the issue's columns, one row per set, and every value reads back exactly."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.exporting import CSV_COLUMNS, export_csv, read_text_cell
from backcoach.importing import parse_strong
from backcoach.model import MAX_LOAD_KG, MAX_REPS, MAX_SECONDS, SET_KINDS, SIDES, SessionLog, SetLog

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "imports"
ISSUE_COLUMNS = ["session_start", "routine", "exercise_id", "exercise_name", "set_number", "side", "warmup",
                 "reps", "load_kg", "rpe", "seconds", "note"]


def names(exercise_id: str) -> str:
    return exercise_id.replace("-", " ").capitalize()


def export(sessions, name_of=names) -> tuple[int, str]:
    out = io.StringIO()
    count = export_csv(sessions, name_of, out)
    return count, out.getvalue()


def read_back(text: str) -> list[dict[str, str]]:
    """The rows as typed: typed-text cells lose the quote that neutralises formulas."""
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for row in rows:
        for column in ("routine", "exercise_id", "exercise_name", "note", "tempo", "session_note"):
            row[column] = read_text_cell(row[column])
    return rows


@pytest.mark.parametrize("typed", ["=HYPERLINK(\"http://x\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_leading_text_is_neutralised_for_spreadsheets(typed):
    history = [session("2025-03-01T18:00:00+01:00", SetLog("custom-x", 1, reps=5, note=typed), routine=typed)]
    _, text = export(history, name_of=lambda i: typed)
    (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
    for column in ("routine", "exercise_name", "note"):
        assert row[column] == "'" + typed  # a spreadsheet shows it as text, never runs it
    assert row["load_kg"] == "" and row["reps"] == "5"  # numbers untouched


def session(start: str, *sets: SetLog, **fields) -> SessionLog:
    return SessionLog(started_at=start, sets=sets, **fields)


def test_the_issues_twelve_columns_come_first_in_its_order():
    assert CSV_COLUMNS[:12] == ISSUE_COLUMNS
    assert len(set(CSV_COLUMNS)) == len(CSV_COLUMNS)
    _, text = export([])
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)


def test_one_row_per_set_oldest_session_first():
    newer = session("2024-03-02T07:00:00+01:00", SetLog("deadlift", 1, reps=5, load_kg=100.0), routine="B")
    older = session("2024-03-01T18:00:00+01:00", SetLog("pull-up", 1, reps=8), SetLog("pull-up", 2, reps=6),
                    routine="A")
    empty = session("2024-02-01T18:00:00+01:00")
    count, text = export([newer, empty, older])
    rows = read_back(text)
    assert count == len(rows) == 3  # a session without sets writes nothing
    assert [(r["routine"], r["exercise_id"], r["set_number"]) for r in rows] == [
        ("A", "pull-up", "1"), ("A", "pull-up", "2"), ("B", "deadlift", "1")]


def test_times_in_other_offsets_are_ordered_by_the_moment_not_the_text():
    tokyo = session("2024-03-01T08:00:00+09:00", SetLog("face-pull", 1, reps=15))  # 23:00 UTC the day before
    london = session("2024-02-29T23:30:00+00:00", SetLog("face-pull", 1, reps=12))
    rows = read_back(export([london, tokyo])[1])
    assert [r["reps"] for r in rows] == ["15", "12"]


def test_values_are_written_plainly():
    s = session(
        "2024-03-01T18:00:00+01:00",
        SetLog("one-arm-dumbbell-row", 1, reps=10, load_kg=62.5, side="left", kind="warmup", rpe=7.5,
               tempo="3-2-1-2", note='grip "hook", then straps'),
        SetLog("dead-hang", 1, seconds=60.0, rpe=8.0),
        SetLog("pull-up", 1, reps=8, load_kg=20.0),
        ended_at="2024-03-01T19:05:00+01:00", routine=None, note="line one\nline two",
    )
    rows = read_back(export([s])[1])
    first, hang, pull = rows
    assert first == {
        "session_start": "2024-03-01T18:00:00+01:00", "routine": "", "exercise_id": "one-arm-dumbbell-row",
        "exercise_name": "One arm dumbbell row", "set_number": "1", "side": "left", "warmup": "true",
        "reps": "10", "load_kg": "62.5", "rpe": "7.5", "seconds": "", "note": 'grip "hook", then straps',
        "kind": "warmup", "tempo": "3-2-1-2", "session_end": "2024-03-01T19:05:00+01:00",
        "session_note": "line one\nline two", "session_id": s.id,
    }
    assert (hang["reps"], hang["load_kg"], hang["seconds"], hang["rpe"], hang["warmup"]) == ("", "", "60", "8", "false")
    assert (pull["load_kg"], pull["side"], pull["kind"]) == ("20", "", "normal")


def test_exporting_to_a_file(tmp_path):
    s = session("2024-03-01T18:00:00+01:00", SetLog("deadlift", 1, reps=5, load_kg=102.06))
    path = tmp_path / "history.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        assert export_csv([s], names, out) == 1
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == 2 and b"\r\r\n" not in raw
    with path.open(newline="", encoding="utf-8") as fh:
        assert next(csv.DictReader(fh))["load_kg"] == "102.06"


def test_an_imported_history_exports_with_the_same_values(library):
    result = parse_strong((FIXTURES / "strong_current.csv").read_bytes(), library)
    count, text = export(result.sessions)
    rows = read_back(text)
    sets = [(sess, s) for sess in result.sessions for s in sess.sets]
    assert count == len(rows) == len(sets) == 20
    for row, (sess, s) in zip(rows, sets):
        assert row["session_start"] == sess.started_at
        assert row["session_id"] == sess.id
        assert row["exercise_id"] == s.exercise_id
        assert row["load_kg"] == ("" if s.load_kg is None else _same_float(row["load_kg"], s.load_kg))
        assert row["warmup"] == ("true" if s.kind == "warmup" else "false")


def _same_float(text: str, value: float) -> str:
    assert float(text) == value
    return text


# --- round trip of anything the model accepts --------------------------------------------

def _optional(strategy):
    return st.none() | strategy


sets = st.builds(
    SetLog,
    exercise_id=st.sampled_from(["pull-up", "deadlift", "custom-zercher-row", "face-pull"]),
    set_number=st.integers(1, 1000),
    reps=_optional(st.integers(0, MAX_REPS)),
    load_kg=_optional(st.floats(0, MAX_LOAD_KG, allow_nan=False)),
    seconds=_optional(st.floats(0, MAX_SECONDS, allow_nan=False)),
    rpe=_optional(st.floats(1, 10, allow_nan=False)),
    side=_optional(st.sampled_from(SIDES)),
    kind=st.sampled_from(SET_KINDS),
    tempo=_optional(st.sampled_from(["3-2-1-2", "2-0-X-1"])),
    note=st.text() | st.sampled_from(['a, "b"', "two\nlines", "cr\r\nlf", "=SUM(A1)", " padded "]),
)
# Local times, and times recorded in other zones (a trip abroad), as the model stores them.
starts = st.builds(
    lambda moment, offset: (moment.astimezone() if offset is None
                            else moment.replace(tzinfo=timezone(timedelta(minutes=offset)))).isoformat(),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)),
    st.none() | st.sampled_from([-600, -300, 0, 60, 330, 540, 765]),
)
sessions = st.builds(
    lambda start, its_sets, routine, note: SessionLog(started_at=start, sets=tuple(its_sets), routine=routine,
                                                      note=note),
    starts, st.lists(sets, max_size=5), _optional(st.text(min_size=1)), st.text(),
)


def _number(text: str):
    return None if text == "" else float(text)


@settings(deadline=None, max_examples=200)
@given(st.lists(sessions, max_size=5))
def test_every_value_reads_back_exactly(history):
    count, text = export(history, name_of=lambda i: f"Name of {i}, \"quoted\"")
    rows = read_back(text)
    ordered = sorted(history, key=lambda s: s.start)
    expected = [(sess, s) for sess in ordered for s in sess.sets]
    assert count == len(rows) == len(expected)
    for row, (sess, s) in zip(rows, expected):
        assert list(row) == CSV_COLUMNS
        assert row["session_start"] == sess.started_at
        assert row["routine"] == (sess.routine or "")
        assert row["exercise_id"] == s.exercise_id
        assert row["exercise_name"] == f"Name of {s.exercise_id}, \"quoted\""
        assert int(row["set_number"]) == s.set_number
        assert row["side"] == (s.side or "")
        assert row["warmup"] == ("true" if s.warmup else "false")
        assert (None if row["reps"] == "" else int(row["reps"])) == s.reps
        assert _number(row["load_kg"]) == s.load_kg
        assert _number(row["rpe"]) == s.rpe
        assert _number(row["seconds"]) == s.seconds
        assert row["note"] == s.note  # commas, quotes and line breaks included
        assert row["kind"] == s.kind
        assert row["tempo"] == (s.tempo or "")
        assert row["session_end"] == (sess.ended_at or "")
        assert row["session_id"] == sess.id
        for column in ("load_kg", "rpe", "seconds"):
            assert not row[column].endswith(".0")  # no needless zeros
