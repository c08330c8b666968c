"""One small validation helper for the data BackCoach reads: typed fields with ranges that
collect every problem with its place instead of stopping at the first.

`Problems` collects; `Fields` reads one table's fields (type, range, choices, ids, unknown
keys); `read_toml` reads a TOML file into them; `is_int`/`is_number` are "a whole number /
a number, not a bool" (JSON and TOML booleans are ints to Python). The library loader and
the templates use `Fields`; routine files, timers and the settings use the type guards.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources.abc import Traversable
from typing import Any, TypeGuard


def is_int(value: object) -> TypeGuard[int]:
    """A whole number, not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> TypeGuard[int | float]:
    """An int or a float, not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Problems:
    """Every problem found, each with its place ("exercises.toml, exercise 'x', field 'reps'"),
    so one run reports them all."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def read_toml(path: Traversable, problems: Problems, label: str) -> dict[str, Any] | None:
    import tomllib  # only when the files are really read (not when the cache answers)

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        problems.add(label, "file not found")
    except tomllib.TOMLDecodeError as exc:
        problems.add(label, f"not valid TOML: {exc}")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(label, f"cannot be read: {exc}")
    return None


_TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a table"}


class Fields:
    """Typed access to one TOML table, recording problems instead of raising."""

    def __init__(self, data: dict[str, Any], where: str, problems: Problems):
        self.data = data
        self.where = where
        self.problems = problems
        self.ok = True

    def fail(self, key: str, message: str) -> None:
        self.ok = False
        self.problems.add(f"{self.where}, field '{key}'", message)

    def get(self, key: str, kind: type, required: bool = True, default: Any = None) -> Any:
        if key not in self.data:
            if required:
                self.fail(key, "missing")
            return default
        value = self.data[key]
        wrong = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        if kind is float and is_int(value):
            return float(value)
        if wrong:
            expected = _TYPE_NAMES.get(kind, "a number" if kind is float else kind.__name__)
            self.fail(key, f"expected {expected}, got {value!r}")
            return default
        return value

    def text(self, key: str, required: bool = True, max_len: int | None = None) -> str:
        value = self.get(key, str, required, "")
        if required and isinstance(value, str) and key in self.data and not value.strip():
            self.fail(key, "must not be empty")
        if max_len is not None and len(value) > max_len:
            self.fail(key, f"must be at most {max_len} characters, has {len(value)}")
        return value

    def texts(self, key: str, required: bool = True, min_items: int = 0) -> tuple[str, ...]:
        value = self.get(key, list, required, [])
        if not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, "every item must be non-empty text")
            return ()
        if key in self.data and len(value) < min_items:
            self.fail(key, f"needs at least {min_items} item{'s' if min_items != 1 else ''}, has {len(value)}")
        if len(set(value)) != len(value):
            self.fail(key, "has the same item twice")
        return tuple(value)

    def choice(self, key: str, allowed: Iterable[str]) -> str:
        value = self.text(key)
        allowed = list(allowed)
        if value and value not in allowed:
            self.fail(key, f"{value!r} is not one of: {', '.join(allowed)}")
        return value

    def ids(self, key: str, known: Iterable[str], what: str, required: bool = True, min_items: int = 0) -> tuple[str, ...]:
        values = self.texts(key, required, min_items)
        known = set(known)
        for v in values:
            if v not in known:
                self.fail(key, f"unknown {what} id {v!r}")
        return values

    def positive_int(self, key: str, low: int, high: int, required: bool = True) -> int | None:
        value = self.get(key, int, required)
        if value is not None and not low <= value <= high:
            self.fail(key, f"{value} is outside the sensible range {low}–{high}")
        return value

    def unknown_keys(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.fail(key, f"unknown field (allowed: {', '.join(sorted(allowed))})")
