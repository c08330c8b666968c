"""Tempo notation: the four-part code lifters write as eccentric-pause-concentric-pause.

`3-2-1-2` means: lower for 3 s, pause 2 s at the stretch, pull for 1 s, squeeze 2 s at the
contraction. `X` marks an explosive part (as fast as possible). This is the order the
notation is written in; a pull-up or a row actually starts from the stretch, so a rep is
performed pull -> squeeze -> lower -> pause (see `Tempo.rep_phases`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EXPLOSIVE = None  # an `X` part: no fixed duration

_PART = re.compile(r"^(?:[0-9]|[1-5][0-9]|60|x)$", re.IGNORECASE)
MAX_PART_SECONDS = 60


class TempoError(ValueError):
    """A tempo string that is not valid notation; the message says what is wrong."""


@dataclass(frozen=True)
class Tempo:
    eccentric: int | None
    pause_stretched: int | None
    concentric: int | None
    pause_contracted: int | None

    @classmethod
    def parse(cls, text: str) -> Tempo:
        if not isinstance(text, str):
            raise TempoError(f"a tempo must be text like 3-2-1-2, not {type(text).__name__}")
        cleaned = text.strip()
        parts = re.split(r"\s*[-:/ ]\s*", cleaned) if cleaned else []
        if len(parts) != 4 or not all(parts):
            raise TempoError(
                f"tempo {text!r} must have four parts, e.g. 3-2-1-2 "
                "(lower, pause at stretch, pull, squeeze)"
            )
        values: list[int | None] = []
        for part in parts:
            if not _PART.match(part):
                raise TempoError(
                    f"tempo {text!r}: {part!r} is not a number of seconds (0-{MAX_PART_SECONDS}) or X"
                )
            values.append(EXPLOSIVE if part.lower() == "x" else int(part))
        tempo = cls(*values)
        for name, value in zip(("lowering", "pause at the stretch", None, "squeeze"), tempo.parts):
            if name and value is EXPLOSIVE:
                raise TempoError(f"tempo {text!r}: only the pull can be X, not the {name}")
        return tempo

    def __str__(self) -> str:
        return "-".join("X" if v is EXPLOSIVE else str(v) for v in self.parts)

    @property
    def parts(self) -> tuple[int | None, int | None, int | None, int | None]:
        return (self.eccentric, self.pause_stretched, self.concentric, self.pause_contracted)

    def rep_phases(self, explosive_seconds: float = 1.0) -> list[tuple[str, float]]:
        """The phases of one rep in the order they are performed, with their seconds.

        An explosive part is given `explosive_seconds` so a timer has something to show.
        Zero-length pauses are left out.
        """
        def secs(v: int | None) -> float:
            return explosive_seconds if v is EXPLOSIVE else float(v)

        phases = [
            ("pull", secs(self.concentric)),
            ("squeeze", secs(self.pause_contracted)),
            ("lower", secs(self.eccentric)),
            ("pause", secs(self.pause_stretched)),
        ]
        return [(name, seconds) for name, seconds in phases if seconds > 0]

    def rep_seconds(self, explosive_seconds: float = 1.0) -> float:
        return sum(seconds for _, seconds in self.rep_phases(explosive_seconds))

    def describe(self) -> str:
        """One line a lifter reads before a set."""
        def part(v: int | None, verb: str) -> str:
            return f"{verb} explosively" if v is EXPLOSIVE else f"{verb} {v} s"
        bits = [part(self.concentric, "pull")]
        if self.pause_contracted:
            bits.append(f"squeeze {self.pause_contracted} s")
        bits.append(part(self.eccentric, "lower"))
        if self.pause_stretched:
            bits.append(f"pause {self.pause_stretched} s")
        return ", ".join(bits).capitalize()


DEFAULT_TEMPO = Tempo.parse("3-2-1-2")
