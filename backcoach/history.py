"""What the History area shows, computed from the store: the Qt-free half of the view.

Each figure is computed on first use and kept until the history changes, so opening
History pays only for the session list and its PR flags; charts and records are worked
out when their tab is first shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import cached_property

from backcoach import analytics
from backcoach.library import Library
from backcoach.model import SessionLog
from backcoach.store import Store


def filter_sessions(sessions: Iterable[SessionLog], exercise_id: str | None = None,
                    start: date | None = None, end: date | None = None) -> list[SessionLog]:
    """Sessions that include the exercise and fall within start..end (inclusive)."""
    out = []
    for s in sessions:
        day = s.start.date()
        if start is not None and day < start:
            continue
        if end is not None and day > end:
            continue
        if exercise_id is not None and not any(x.exercise_id == exercise_id for x in s.sets):
            continue
        out.append(s)
    return out


class HistoryData:
    """A snapshot of the history and everything derived from it."""

    def __init__(self, store: Store, library: Library, today: date | None = None):
        self.store = store
        self.library = library
        self.today = today or date.today()

    @cached_property
    def sessions(self) -> list[SessionLog]:
        """Newest first."""
        return self.store.sessions()

    @cached_property
    def name_of(self) -> Callable[[str], str]:
        from backcoach.transfer import exercise_namer

        return exercise_namer(self.library, self.store)

    @cached_property
    def unit(self) -> str:
        return self.store.settings().get("units", "kg")

    @cached_property
    def body_weights(self) -> list:
        """The logged body weights, oldest first."""
        return self.store.body_weights()

    @cached_property
    def loaded_sessions(self) -> list[SessionLog]:
        """The sessions with body-weight exercises at their effective load (body weight +
        added - assistance), which e1RM, records, PRs and progress are measured in."""
        return analytics.with_effective_loads(self.sessions, self.library, self.body_weights)

    @property
    def effective_load_note(self) -> str:
        """The sentence that says so, or "" when no body weight is logged."""
        if not self.body_weights:
            return ("Log your body weight (Body weight tab) and pull-ups count it: body weight + added load, "
                    "or minus the assistance.")
        return "Pull-ups and chin-ups count your body weight: body weight + added load, or minus the assistance."

    @cached_property
    def prs(self) -> dict[str, list[analytics.PrEvent]]:
        return analytics.session_prs(self.loaded_sessions)

    @cached_property
    def records(self) -> dict[str, analytics.Records]:
        return analytics.personal_records(self.loaded_sessions)

    @cached_property
    def streaks(self) -> analytics.Streaks:
        return analytics.weekly_streaks(self.sessions, self.today)

    @cached_property
    def calendar(self) -> dict[date, float]:
        return analytics.training_calendar(self.sessions, self.today)

    @cached_property
    def weekly_volume(self) -> list[analytics.WeekVolume]:
        return analytics.weekly_volume_by_pattern(self.sessions, self.library)

    def muscle_sets(self, weeks: int) -> dict[str, float]:
        return analytics.weekly_sets_by_muscle(self.sessions, self.library, weeks=weeks, today=self.today)

    @cached_property
    def exercises_by_use(self) -> list[tuple[str, int]]:
        """(exercise id, sessions it appears in), most used first."""
        counts: dict[str, int] = {}
        for s in self.sessions:
            for ex in s.exercise_ids:
                counts[ex] = counts.get(ex, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], self.name_of(kv[0])))

    def progress(self, exercise_id: str) -> list[analytics.ProgressPoint]:
        return analytics.exercise_progress(self.loaded_sessions, exercise_id)
