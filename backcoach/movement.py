"""How a rep moves: the part it starts with, how the sides are worked, and the words for each part.

Tempo notation (`tempo.py`) says how long each part lasts; the movement says in which order a
rep plays those parts and what the coach calls them. A row starts with the pull (concentric
first) and a squat with the descent (eccentric first); a bird dog alternates sides every rep,
a split squat does every rep on one leg and then the other. Defaults live per movement pattern
in `data/vocabulary.toml` and an exercise may override them (`[exercise.movement]`), so a
new exercise is a TOML edit, not a code branch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class SegmentKind(StrEnum):
    """What a stretch of a guided set is. The four rep parts follow tempo notation's names."""

    GET_READY = "get-ready"
    CONCENTRIC = "concentric"            # the lift: pull, stand, reach, press
    CONCENTRIC_HOLD = "concentric-hold"  # the pause at the contraction: squeeze, top, hold
    ECCENTRIC = "eccentric"              # the lowering or return
    ECCENTRIC_HOLD = "eccentric-hold"    # the pause at the stretch: stretch, bottom hold
    HOLD = "hold"                        # a whole timed set (plank, dead hang, stretch)
    SWITCH = "switch"                    # between the sides of a one-side-then-the-other set
    REST = "rest"                        # between sets (its own timeline)


REP_KINDS = (SegmentKind.ECCENTRIC, SegmentKind.ECCENTRIC_HOLD, SegmentKind.CONCENTRIC, SegmentKind.CONCENTRIC_HOLD)
"""The rep parts in the order tempo notation writes them (3-2-1-2)."""

IN_REP_HOLDS = (SegmentKind.CONCENTRIC_HOLD, SegmentKind.ECCENTRIC_HOLD)


class Start(StrEnum):
    """Which half of the rep a set begins with, i.e. where the lifter stands at the start."""

    CONCENTRIC = "concentric"  # from the stretch: pulls, rows, deadlifts from the floor, raises
    ECCENTRIC = "eccentric"    # from the top: squats, good mornings, RDLs, back extensions, negatives


class Sides(StrEnum):
    """How the two sides of the body are worked in one set."""

    BOTH = "both"                      # both at once (or no sides at all)
    ONE_THEN_OTHER = "one-then-other"  # every rep on the left, SWITCH SIDES, every rep on the right
    ALTERNATING = "alternating"        # left, right, left, ... one rep each, no switch gap


FIXED_WORDS: dict[SegmentKind, str] = {
    SegmentKind.GET_READY: "GET READY",
    SegmentKind.SWITCH: "SWITCH SIDES",
    SegmentKind.REST: "REST",
}
"""Words that are the same for every exercise."""

DEFAULT_WORDS: dict[SegmentKind, str] = {
    SegmentKind.CONCENTRIC: "PULL",
    SegmentKind.CONCENTRIC_HOLD: "SQUEEZE",
    SegmentKind.ECCENTRIC: "LOWER",
    SegmentKind.ECCENTRIC_HOLD: "STRETCH",
    SegmentKind.HOLD: "HOLD",
}
"""A row's words: what a back exercise says when nothing more specific is known."""

WORD_KINDS = (*REP_KINDS, SegmentKind.HOLD)
"""The kinds whose word an exercise or a pattern may choose."""

MAX_WORD = 14          # fits the ring at 1024x600
MAX_EXPLOSIVE_SECONDS = 5.0


@dataclass(frozen=True)
class Movement:
    """How one exercise's rep moves. `words` maps a kind (see WORD_KINDS) to the word shown."""

    start: Start = Start.CONCENTRIC
    sides: Sides = Sides.BOTH
    words: Mapping[SegmentKind, str] = field(default_factory=lambda: dict(DEFAULT_WORDS))
    explosive_seconds: float = 1.0   # time given to an X part; 0 leaves it out (a negative's lift)

    def word(self, kind: SegmentKind | str) -> str:
        kind = SegmentKind(kind)
        return FIXED_WORDS.get(kind) or self.words.get(kind) or DEFAULT_WORDS[kind]

    def rep_order(self) -> tuple[SegmentKind, ...]:
        """The parts of a rep in the order they are performed."""
        if self.start is Start.ECCENTRIC:
            return (SegmentKind.ECCENTRIC, SegmentKind.ECCENTRIC_HOLD,
                    SegmentKind.CONCENTRIC, SegmentKind.CONCENTRIC_HOLD)
        return (SegmentKind.CONCENTRIC, SegmentKind.CONCENTRIC_HOLD,
                SegmentKind.ECCENTRIC, SegmentKind.ECCENTRIC_HOLD)

    def for_step(self, per_side: bool) -> Movement:
        """The movement as a routine item asks for it: a per-side item of a two-sided
        exercise is done one side then the other; an item not per side works both at once."""
        if not per_side:
            return self if self.sides is Sides.BOTH else _replace_sides(self, Sides.BOTH)
        return _replace_sides(self, Sides.ONE_THEN_OTHER) if self.sides is Sides.BOTH else self

    def get_ready_caption(self) -> str:
        """What to do during the get-ready: where the first part starts from."""
        return "start at the top" if self.start is Start.ECCENTRIC else "grip, brace, breathe"

    def to_dict(self) -> dict[str, object]:
        return {"start": str(self.start), "sides": str(self.sides),
                "words": {str(k): self.word(k) for k in WORD_KINDS},
                "explosive_seconds": self.explosive_seconds}

    @classmethod
    def from_dict(cls, data: object) -> Movement:
        """The Movement `to_dict` wrote; ValueError on anything else (the library cache reads it)."""
        if not isinstance(data, dict) or set(data) != {"start", "sides", "words", "explosive_seconds"}:
            raise ValueError("not a movement")
        words = data["words"]
        if not isinstance(words, dict) or not all(isinstance(v, str) for v in words.values()):
            raise ValueError("movement words are a table of texts")
        seconds = data["explosive_seconds"]
        if type(seconds) not in (int, float):
            raise ValueError("explosive_seconds is a number")
        return cls(start=Start(data["start"]), sides=Sides(data["sides"]),
                   words={SegmentKind(k): v for k, v in words.items()}, explosive_seconds=float(seconds))


def _replace_sides(movement: Movement, sides: Sides) -> Movement:
    return Movement(movement.start, sides, movement.words, movement.explosive_seconds)


DEFAULT_MOVEMENT = Movement()
