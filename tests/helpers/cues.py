"""FakeCues: the session's cues for tests, recording every call."""

from __future__ import annotations

from typing import Any

from backcoach.ui.cues import SilentCues


class FakeCues(SilentCues):
    """Records every call as a tuple, e.g. ("phase_changed", "concentric", 1.0, 1, None, "PULL")."""

    def __init__(self, available: bool = True, problem: str | None = None):
        super().__init__(available, problem)
        self.calls: list[tuple[Any, ...]] = []

    def phase_changed(self, phase: str, seconds: float, rep: int | None, side: str | None,
                      word: str | None = None) -> None:
        self.calls.append(("phase_changed", phase, seconds, rep, side, word))

    def countdown(self, n: int) -> None:
        self.calls.append(("countdown", n))

    def set_finished(self) -> None:
        self.calls.append(("set_finished",))
