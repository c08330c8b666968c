"""Qt table models for the History area: sessions, one session's sets, and records."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from backcoach.analytics import PrEvent, Records
from backcoach.model import SET_KINDS, SIDES, InvalidRecord, SessionLog, SetLog
from backcoach.units import format_duration, format_load, format_tonnage, from_unit, to_unit
from backcoach.workout import set_counts

SessionIdRole = Qt.ItemDataRole.UserRole
SortRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
PR_MARK = "★"


class SessionTableModel(QAbstractTableModel):
    """Logged sessions, newest first: date, routine, duration, exercises, sets, volume, PRs."""

    HEADERS = ("Date", "Routine", "Duration", "Exercises", "Sets", "Volume", "PRs")

    def __init__(self, name_of: Callable[[str], str], parent=None):
        super().__init__(parent)
        self._name_of = name_of
        self._sessions: list[SessionLog] = []
        self._prs: Mapping[str, list[PrEvent]] = {}
        self._unit = "kg"
        self._rows: list[tuple[Any, ...] | None] = []  # display texts, computed once per reset (lazily)

    def set_sessions(self, sessions: Sequence[SessionLog], prs: Mapping[str, list[PrEvent]], unit: str) -> None:
        self.beginResetModel()
        self._sessions = list(sessions)
        self._prs = prs
        self._unit = unit
        self._rows = [None] * len(self._sessions)  # filled lazily: only visible rows are formatted
        self.endResetModel()

    def session_at(self, row: int) -> SessionLog:
        return self._sessions[row]

    def row_of(self, session_id: str) -> int:
        for row, s in enumerate(self._sessions):
            if s.id == session_id:
                return row
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._sessions)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def _texts(self, row: int) -> tuple:
        texts = self._rows[row]
        if texts is None:
            s = self._sessions[row]
            names = [self._name_of(i) for i in s.exercise_ids]
            exercises = ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
            prs = self._prs.get(s.id, [])
            texts = (
                s.start.strftime("%a %d %b %Y"),
                s.routine or "—",
                format_duration(s.duration_seconds),
                exercises,
                str(set_counts(s).work),  # a left/right pair is one set, as in the session summary
                format_tonnage(s.volume_kg, self._unit) if s.volume_kg else "—",
                f"{PR_MARK} {len({(p.exercise_id, p.kind) for p in prs})}" if prs else "",
            )
            self._rows[row] = texts
        return texts

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts(row)[col]
        if role == SessionIdRole:
            return self._sessions[row].id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 4, 5):
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            s = self._sessions[row]
            if col == 6 and self._prs.get(s.id):
                return "Personal records set in this session:\n" + "\n".join(
                    describe_pr(p, self._name_of, self._unit) for p in self._prs[s.id])
            if col == 3:
                return "\n".join(self._name_of(i) for i in s.exercise_ids)
        return None


def describe_pr(p: PrEvent, name_of: Callable[[str], str], unit: str) -> str:
    name = name_of(p.exercise_id)
    if p.kind == "load":
        return f"{name}: heaviest load, {format_load(p.value, unit)} × {p.reps}"
    if p.kind == "e1rm":
        return f"{name}: best estimated 1RM (Epley), {format_load(p.value, unit)}"
    if p.kind == "reps":
        return f"{name}: most reps at {format_load(p.load_kg, unit)}, {int(p.value)}"
    if p.kind == "hold":
        return f"{name}: longest hold, {p.value:g} s"
    return f"{name}: most volume in a session, {format_tonnage(p.value, unit)}"


class SetTableModel(QAbstractTableModel):
    """The sets of one session, editable. Each accepted edit is handed to `save`, which
    stores the changed session; a refused value emits `edit_refused` with the reason."""

    HEADERS = ("Exercise", "Set", "Side", "Kind", "Reps", "Load", "Seconds", "RPE", "Note")
    EDITABLE = {2, 3, 4, 5, 6, 7, 8}
    edit_refused = Signal(str)

    def __init__(self, name_of: Callable[[str], str], save: Callable[[SessionLog], None], parent=None):
        super().__init__(parent)
        self._name_of = name_of
        self._save = save
        self._session: SessionLog | None = None
        self._unit = "kg"
        self.read_only = False

    def set_session(self, session: SessionLog | None, unit: str) -> None:
        self.beginResetModel()
        self._session = session
        self._unit = unit
        self.endResetModel()

    def session(self) -> SessionLog | None:
        return self._session

    def columns_in_use(self) -> dict[int, bool]:
        """Optional columns (side, seconds, RPE) that some set of the session fills in;
        the view hides the others so the table fits beside the session list."""
        sets = self._session.sets if self._session else ()
        return {
            2: any(s.side for s in sets),
            6: any(s.seconds is not None for s in sets),
            7: any(s.rpe is not None for s in sets),
        }

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self._session is None else len(self._session.sets)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if section != 5 else f"Load ({self._unit})"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() in self.EDITABLE and not self.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._session is None:
            return None
        s = self._session.sets[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            edit = role == Qt.ItemDataRole.EditRole
            values = (
                self._name_of(s.exercise_id),
                s.set_number,
                s.side or ("" if edit else "—"),
                s.kind,
                "" if s.reps is None else s.reps,
                ("" if edit or not s.assist_kg else "\u2212" + format_load(s.assist_kg, self._unit, with_unit=False))
                if s.load_kg is None else (round(to_unit(s.load_kg, self._unit), 2) if edit else format_load(s.load_kg, self._unit, with_unit=False)),
                "" if s.seconds is None else (s.seconds if edit else f"{s.seconds:g}"),
                "" if s.rpe is None else (s.rpe if edit else f"{s.rpe:g}"),
                s.note,
            )
            return values[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 4, 5, 6, 7):
            return _RIGHT
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or self._session is None or not index.isValid():
            return False
        old = self._session.sets[index.row()]
        try:
            new = _edited(old, index.column(), value, self._unit)
        except (ValueError, InvalidRecord) as exc:
            self.edit_refused.emit(str(exc))
            return False
        if new == old:
            return True
        sets = list(self._session.sets)
        sets[index.row()] = new
        updated = self._session.with_sets(sets)
        try:
            self._save(updated)
        except Exception as exc:  # noqa: BLE001 - a failed save is reported, the table keeps the old value
            self.edit_refused.emit(str(exc))
            return False
        self._session = updated
        self.dataChanged.emit(index, index)
        return True


def _number(text: Any, name: str, integer: bool = False) -> float | int | None:
    text = str(text).strip().replace(",", ".")
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {text!r}") from None
    if integer:
        if value != int(value):
            raise ValueError(f"{name} must be a whole number, not {text!r}")
        return int(value)
    return value


def _edited(old: SetLog, column: int, value: Any, unit: str) -> SetLog:
    from dataclasses import replace

    if column == 2:
        side = str(value).strip().lower() or None
        if side is not None and side not in SIDES:
            raise ValueError("side must be left, right or empty")
        return replace(old, side=side)
    if column == 3:
        kind = str(value).strip().lower()
        if kind not in SET_KINDS:
            raise ValueError(f"kind must be one of {', '.join(SET_KINDS)}")
        return replace(old, kind=kind)
    if column == 4:
        reps = _number(value, "reps", integer=True)
        return replace(old, reps=None if reps is None else int(reps))
    if column == 5:
        load = _number(value, "load")
        return replace(old, load_kg=None if load is None else from_unit(load, unit))
    if column == 6:
        return replace(old, seconds=_number(value, "seconds"))
    if column == 7:
        return replace(old, rpe=_number(value, "RPE"))
    if column == 8:
        return replace(old, note=str(value))
    raise ValueError("this column cannot be edited")


class RecordsTableModel(QAbstractTableModel):
    """All-time records per exercise."""

    HEADERS = ("Exercise", "Heaviest", "Most reps / hold", "Best e1RM", "Best volume")
    TIPS = (None, "The heaviest load of a work set, with its reps.", "Most reps in one set, or the longest hold.",
            "Best estimated one-rep max (Epley: load × (1 + reps / 30)).", "Most load × reps in one session.")

    def __init__(self, name_of: Callable[[str], str], parent=None):
        super().__init__(parent)
        self._name_of = name_of
        self._records: list[Records] = []
        self._unit = "kg"

    def set_records(self, records: Mapping[str, Records], unit: str) -> None:
        self.beginResetModel()
        self._records = sorted(records.values(), key=lambda r: self._name_of(r.exercise_id).casefold())
        self._unit = unit
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.TIPS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._records[index.row()]
        col = index.column()
        unit = self._unit
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self._name_of(r.exercise_id)
            best = (None, r.heaviest, r.most_reps or r.longest_hold, r.best_e1rm, r.best_volume)[col]
            if best is None:
                return "—"
            if col == 2 and r.most_reps is None:
                return f"{best.value:g} s hold   ({best.date:%d %b %Y})"
            when = best.date.strftime("%d %b %Y")
            if col == 1:
                return f"{format_load(best.value, unit)} × {best.reps}   ({when})"
            if col == 2:
                at = f" at {format_load(best.load_kg, unit)}" if best.load_kg else ""
                return f"{int(best.value)}{at}   ({when})"
            if col == 3:
                return f"{format_load(best.value, unit)}   ({when})"
            return f"{format_tonnage(best.value, unit)}   ({when})"
        if role == Qt.ItemDataRole.ToolTipRole and col == 3:
            return "Estimated one-rep max by the Epley formula: load × (1 + reps / 30)."
        return None
