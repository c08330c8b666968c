"""Qt models for the Routines area: the list of routines and the items of one routine.

The items model never changes a routine itself: every accepted edit builds a new Routine
and hands it to `commit(routine, description)`, which the view turns into an undoable,
autosaved step. A refused value emits `edit_refused(row, column, reason)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from backcoach.routines import (
    MAX_REST_SECONDS,
    MAX_SETS,
    Routine,
    RoutineError,
    RoutineItem,
    build_sets,
    format_loads,
    format_reps,
)
from backcoach.rules import MAX_WARMUP_SETS
from backcoach.tempo import Tempo, TempoError

RoutineIdRole = Qt.ItemDataRole.UserRole
_Index = QModelIndex | QPersistentModelIndex
ROWS_MIME = "application/x-backcoach-routine-rows"


class RoutineListModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._routines: list[Routine] = []

    def set_routines(self, routines: Sequence[Routine]) -> None:
        self.beginResetModel()
        self._routines = list(routines)
        self.endResetModel()

    def routine_at(self, row: int) -> Routine:
        return self._routines[row]

    def row_of(self, routine_id: str) -> int:
        return next((i for i, r in enumerate(self._routines) if r.id == routine_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._routines)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._routines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return r.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{len(r.items)} exercise{'' if len(r.items) == 1 else 's'} · {r.sessions_per_week}× a week"
        if role == RoutineIdRole:
            return r.id
        return None


class RoutineItemsModel(QAbstractTableModel):
    """One routine's items as an editable table."""

    COLUMNS = ("Exercise", "Sets", "Reps / hold", "Load", "Next time", "Tempo", "Rest (s)", "Per side",
               "Warm-up", "Superset", "Note", "Last time")
    EXERCISE, SETS, REPS, LOAD, NEXT, TEMPO, REST, SIDE, WARMUP, SUPERSET, NOTE, LAST = range(12)
    # Shown through the Columns… menu: most routines never change them from the exercise's own.
    COLUMNS_HIDDEN_AT_FIRST = (TEMPO, SIDE, WARMUP, SUPERSET, NOTE)
    TIPS = {
        SETS: f"Work sets, 1–{MAX_SETS}.",
        REPS: "Reps as 8-12 (a range) or 8; different sets as 10/8/6; holds as 30 s.",
        LOAD: "Load per set in your unit, e.g. 60 or 80/70/70; empty or BW for body weight.",
        TEMPO: "Lower–pause–pull–squeeze in seconds, e.g. 3-2-1-2; X = explosive. Empty: the exercise's own.",
        REST: "Rest after each set, in seconds.",
        SIDE: "Do every set on the left, then on the right.",
        WARMUP: "Lighter sets before the work sets (0–5).",
        SUPERSET: "Items with the same letter alternate set by set (A, B…). Empty: none.",
        NEXT: "What progressive overload suggests for next time, from your last sessions.",
        LAST: "What you did the last time you trained this exercise: sets × reps @ load, hardest RPE, best set.",
    }
    edit_refused = Signal(int, int, str)

    def __init__(self, name_of: Callable[[str], str], commit: Callable[[Routine, str], None], parent=None,
                 uses_load: Callable[[str], bool] = lambda _exercise_id: False):
        super().__init__(parent)
        self._name_of = name_of
        self._uses_load = uses_load  # an exercise done with a weight: no load yet is "—", not "BW"
        self._commit = commit
        self._routine: Routine | None = None
        self._unit = "kg"
        self._next: dict[str, str] = {}  # item id -> "next time" text
        self._reasons: dict[str, str] = {}
        self._last: dict[str, str] = {}  # exercise id -> "last time" text
        self.read_only = False

    def set_routine(self, routine: Routine | None, unit: str, next_texts: dict[str, tuple[str, str]] | None = None,
                    last_texts: dict[str, str] | None = None) -> None:
        # An edit of a value keeps the same rows: say which cells changed instead of
        # resetting, which would delete the cell editor that is committing this very edit
        # (Qt: "commitData called with an editor that does not belong to this view").
        same_rows = (routine is not None and self._routine is not None and unit == self._unit
                     and [i.id for i in routine.items] == [i.id for i in self._routine.items])
        if not same_rows:
            self.beginResetModel()
        self._routine = routine
        self._unit = unit
        self._last = last_texts or {}
        next_texts = next_texts or {}
        self._next = {k: v[0] for k, v in next_texts.items()}
        self._reasons = {k: v[1] for k, v in next_texts.items()}
        if not same_rows:
            self.endResetModel()
        elif self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def routine(self) -> Routine | None:
        return self._routine

    # --- reading ------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self._routine is None else len(self._routine.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"Load ({self._unit})" if section == self.LOAD else self.COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.TIPS.get(section)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        if self.read_only or index.column() in (self.EXERCISE, self.NEXT, self.LAST):
            return base
        if index.column() == self.SIDE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._routine is None:
            return None
        item = self._routine.items[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == self.EXERCISE:
                return self._name_of(item.exercise_id)
            if col == self.SETS:
                return len(item.sets)
            if col == self.REPS:
                return format_reps(item.sets)
            if col == self.LOAD:
                text = format_loads(item.sets, self._unit)
                if text or role == Qt.ItemDataRole.EditRole:
                    return text
                return "—" if self._uses_load(item.exercise_id) else "BW"
            if col == self.TEMPO:
                return item.tempo or ("" if role == Qt.ItemDataRole.EditRole else "—")
            if col == self.REST:
                return item.rest_seconds
            if col == self.WARMUP:
                return item.warmup_sets
            if col == self.SUPERSET:
                return item.superset or ""
            if col == self.NEXT:
                return self._next.get(item.id, "")
            if col == self.NOTE:
                return item.note
            if col == self.LAST:
                return self._last.get(item.exercise_id, "first time")
            return None
        if role == Qt.ItemDataRole.CheckStateRole and col == self.SIDE:
            return Qt.CheckState.Checked if item.per_side else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.NEXT:
                return self._reasons.get(item.id)
            if col == self.LOAD and not format_loads(item.sets, self._unit) and self._uses_load(item.exercise_id):
                return "No load yet: type the weight you will use (the first session helps you find it)."
            if col == self.LAST:  # the whole line when the column is narrow
                return f"Last time: {self._last.get(item.exercise_id, 'first time')}"
            return self.TIPS.get(col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.SETS, self.REST, self.WARMUP):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    # --- editing ------------------------------------------------------------------------
    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if self._routine is None or not index.isValid() or self.read_only:
            return False
        row, col = index.row(), index.column()
        item = self._routine.items[row]
        try:
            if role == Qt.ItemDataRole.CheckStateRole and col == self.SIDE:
                checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
                new = replace(item, per_side=checked)
            elif role == Qt.ItemDataRole.EditRole:
                new = self._edited(item, col, value)
            else:
                return False
        except RoutineError as exc:
            self.edit_refused.emit(row, col, str(exc))
            return False
        if new == item:
            return True
        items = list(self._routine.items)
        items[row] = new
        what = self.COLUMNS[col].lower().replace(" (s)", "")
        self._commit(self._routine.with_items(items), f"Change {what} of {self._name_of(item.exercise_id)}")
        return True

    def _edited(self, item: RoutineItem, col: int, value: Any) -> RoutineItem:
        text = str(value).strip() if value is not None else ""
        if col == self.SETS:
            count = _whole(text, "sets", 1, MAX_SETS)
            kept = (list(item.sets) + [item.sets[-1]] * MAX_SETS)[:count]
            return replace(item, sets=tuple(kept))
        if col == self.REPS:
            # For a hold, a bare number means seconds ("40" is a 40 s hold, not 40 reps).
            bare_hold = item.timed and text.isdigit()
            sets = build_sets(text, format_loads(item.sets, self._unit), len(item.sets), self._unit, bare_hold)
            return replace(item, sets=sets)
        if col == self.LOAD:
            sets = build_sets(format_reps(item.sets), text, len(item.sets), self._unit, item.timed)
            return replace(item, sets=sets)
        if col == self.TEMPO:
            if not text:
                return replace(item, tempo=None)
            try:
                return replace(item, tempo=str(Tempo.parse(text)))
            except TempoError as exc:
                raise RoutineError(str(exc)) from None
        if col == self.REST:
            return replace(item, rest_seconds=_whole(text, "rest", 0, MAX_REST_SECONDS))
        if col == self.WARMUP:
            return replace(item, warmup_sets=_whole(text, "warm-up sets", 0, MAX_WARMUP_SETS))
        if col == self.SUPERSET:
            letter = text.upper()
            if letter and (len(letter) != 1 or not letter.isalpha() or not letter.isascii()):
                raise RoutineError("a superset group is one letter, A to Z (empty for none)")
            return replace(item, superset=letter or None)
        if col == self.NOTE:
            if len(text) > 1000:
                raise RoutineError("a note can have at most 1,000 characters")
            return replace(item, note=text)
        raise RoutineError("this column cannot be edited")

    # --- moving rows (drag and drop, keyboard) ------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ROWS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data = QMimeData()
        data.setData(ROWS_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return data

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index) -> bool:  # noqa: N802
        if self._routine is None or self.read_only or not data.hasFormat(ROWS_MIME):
            return False
        rows = [int(r) for r in bytes(data.data(ROWS_MIME).data()).decode().split(",") if r]
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._routine.items)
        self.move_rows(rows, row)
        # The move is done (as one undoable step); returning False keeps the view from also
        # removing the dragged rows, as it would after a "real" move.
        return False

    def move_rows(self, rows: Sequence[int], target: int) -> int:
        """Move the items at `rows` to before `target`; returns their new first row."""
        routine = self._routine
        if routine is None:  # no routine shown: nothing to move
            return target
        items = list(routine.items)
        moving = [items[r] for r in sorted(rows)]
        before = sum(1 for r in rows if r < target)
        rest = [it for i, it in enumerate(items) if i not in set(rows)]
        new_first = max(0, min(len(rest), target - before))
        reordered = rest[:new_first] + moving + rest[new_first:]
        if reordered != items:
            name = self._name_of(moving[0].exercise_id) if len(moving) == 1 else f"{len(moving)} exercises"
            self._commit(routine.with_items(reordered), f"Move {name}")
        return new_first


def _whole(text: str, name: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise RoutineError(f"{name} must be a whole number, not {text!r}") from None
    if not low <= value <= high:
        raise RoutineError(f"{name} must be {low}–{high}, not {value}")
    return value
