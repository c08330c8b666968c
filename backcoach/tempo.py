"""Tempo notation: the four-part code lifters write as eccentric-pause-concentric-pause.

`3-2-1-2` means: lower for 3 s, pause 2 s at the stretch, pull for 1 s, squeeze 2 s at the
contraction. `X` marks an explosive part (as fast as possible). This is the order the
notation is written in, not the order a rep is performed: a row starts from the stretch
(pull -> squeeze -> lower -> stretch) and a squat from the top (down -> hold -> stand -> top).
The exercise's movement (`backcoach.movement`) decides the order; see `Tempo.rep_parts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backcoach.movement import DEFAULT_MOVEMENT, Movement, SegmentKind

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

    def seconds_of(self, kind: SegmentKind, explosive_seconds: float = 1.0) -> float:
        """How long one rep part lasts; an X part gets `explosive_seconds`."""
        value = dict(zip(REP_KIND_ORDER, self.parts))[SegmentKind(kind)]
        return explosive_seconds if value is EXPLOSIVE else float(value)

    def rep_parts(self, movement: Movement = DEFAULT_MOVEMENT,
                  explosive_seconds: float | None = None) -> list[tuple[SegmentKind, float]]:
        """The parts of one rep in the order the movement performs them, with their seconds.

        An explosive part is given the movement's `explosive_seconds` (or the argument) so a
        timer has something to show. Parts of 0 s are left out.
        """
        x = movement.explosive_seconds if explosive_seconds is None else explosive_seconds
        parts = [(kind, self.seconds_of(kind, x)) for kind in movement.rep_order()]
        return [(kind, seconds) for kind, seconds in parts if seconds > 0]

    def rep_seconds(self, movement: Movement = DEFAULT_MOVEMENT, explosive_seconds: float | None = None) -> float:
        return sum(seconds for _, seconds in self.rep_parts(movement, explosive_seconds))

    def describe(self, movement: Movement = DEFAULT_MOVEMENT) -> str:
        """One line a lifter reads before a set, in the movement's words and order."""
        bits = []
        for kind in movement.rep_order():
            value = dict(zip(REP_KIND_ORDER, self.parts))[kind]
            word = movement.word(kind).lower()
            if value is EXPLOSIVE:
                if movement.explosive_seconds > 0:
                    bits.append(f"{word} explosively")
            elif value:
                bits.append(f"{word} {value} s")
        return ", ".join(bits).capitalize()


REP_KIND_ORDER = (SegmentKind.ECCENTRIC, SegmentKind.ECCENTRIC_HOLD, SegmentKind.CONCENTRIC,
                  SegmentKind.CONCENTRIC_HOLD)
"""Which rep part each position of the notation is (the order it is written in)."""

DEFAULT_TEMPO = Tempo.parse("3-2-1-2")
