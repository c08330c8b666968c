"""A monotonic clock that only moves when a test says so.

Timers take their clock as an argument; passing a `FakeClock` lets a test stand at an exact
instant (a phase boundary, the middle of a pause) without sleeping, and UI tests can share
one with the widgets they drive.
"""

from __future__ import annotations


class FakeClock:
    """Callable like `time.monotonic`; `now` is the current reading and may be set directly."""

    def __init__(self, start: float = 0.0):
        self.now = float(start)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        """Move forward by `seconds` and return the new reading. Never backwards: a
        monotonic clock cannot, and code under test may rely on it."""
        if seconds < 0:
            raise ValueError(f"a monotonic clock cannot go back ({seconds} s)")
        self.now += seconds
        return self.now

    def advance_to(self, instant: float) -> float:
        """Move forward to exactly `instant` (e.g. a scheduler's next_boundary())."""
        if instant < self.now:
            raise ValueError(f"a monotonic clock cannot go back from {self.now} to {instant}")
        self.now = float(instant)
        return self.now

    def __repr__(self) -> str:
        return f"FakeClock(now={self.now!r})"
