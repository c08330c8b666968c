"""Writing the training history as CSV: one row per set, for spreadsheets and other apps.

The history belongs to the user, so it leaves BackCoach in the plainest form there is. The
first twelve columns are the ones the issue asks for, in its order; the rest carry what a
set or session also records, so nothing is lost and our own importer could read it back.
Values are written as they are stored (loads in kg, times ISO 8601 with their offset), with
empty cells for "not recorded" and numbers without needless zeros (62.5, 8, not 62.50, 8.0).

Text a person typed (notes, routine and exercise names) could start with = + - @, which a
spreadsheet would run as a formula ("CSV injection"). As OWASP recommends, such a cell, and
one starting with a tab or carriage return, is written with a single quote in front
('=HYPERLINK(...) shows as text), and a text starting with a quote gets one more, so
`read_text_cell` reverses it exactly; the csv module quotes cells that need it. Numbers and
times we write ourselves never start with those characters, so they are left as they are.

Pure Python, no Qt: the UI opens the file and passes a text stream in.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import TextIO

from backcoach.model import SessionLog, SetLog

CSV_COLUMNS = [
    "session_start", "routine", "exercise_id", "exercise_name", "set_number", "side", "warmup",
    "reps", "load_kg", "rpe", "seconds", "note",
    # Beyond the twelve: the rest of what a set and its session record.
    "kind", "tempo", "session_end", "session_note", "session_id",
]


def export_csv(sessions: Iterable[SessionLog], name_of: Callable[[str], str], out: TextIO) -> int:
    """Write the header and one row per set, oldest session first; return the number of rows.

    `name_of` gives an exercise's display name from its id (library or custom exercise).
    Sessions with no sets write no rows. Rows end in CRLF as RFC 4180 says, so open a file
    with newline="" (as the csv module asks) to keep them from doubling on Windows.
    """
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    # sorted() is stable: sessions starting at the same moment keep the order given.
    for session in sorted(sessions, key=lambda s: s.start):
        for s in session.sets:
            writer.writerow(_row(session, s, name_of))
            rows += 1
    return rows


def _row(session: SessionLog, s: SetLog, name_of: Callable[[str], str]) -> list[str]:
    values = {
        "session_start": session.started_at,
        "routine": session.routine,
        "exercise_id": s.exercise_id,
        "exercise_name": name_of(s.exercise_id),
        "set_number": s.set_number,
        "side": s.side,
        "warmup": "true" if s.warmup else "false",
        "reps": s.reps,
        "load_kg": s.load_kg,
        "rpe": s.rpe,
        "seconds": s.seconds,
        "note": s.note,
        "kind": s.kind,
        "tempo": s.tempo,
        "session_end": session.ended_at,
        "session_note": session.note,
        "session_id": session.id,
    }
    return [_cell(values[column]) if column not in _TYPED else _text_cell(values[column]) for column in CSV_COLUMNS]


# Columns whose text a person (or an imported file) chose; every other column is a number,
# a time or an id BackCoach writes itself.
_TYPED = frozenset({"routine", "exercise_id", "exercise_name", "note", "tempo", "session_note"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(value: object) -> str:
    """A typed text cell, neutralised the way OWASP recommends if a spreadsheet would
    take it for a formula: a leading single quote. A text that itself starts with a quote
    gets one more, so `read_text_cell` gives back exactly what was typed."""
    text = _cell(value)
    return "'" + text if text.startswith(FORMULA_STARTS) or text.startswith("'") else text


def read_text_cell(cell: str) -> str:
    """The text as typed, from a cell `export_csv` wrote (drops the neutralising quote)."""
    return cell[1:] if cell.startswith("'") else cell


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same float: 62.5, 0.1, 102.06.
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
