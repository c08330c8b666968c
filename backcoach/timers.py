"""The clock of a guided set: which phase of which rep is happening now, and until when.

A timeline is the list of segments a set or a rest is made of: get ready, then each rep's
parts in the order the exercise's movement performs them (a row: pull, squeeze, lower,
stretch; a squat: down, hold, stand, top), switch sides, rest. Each segment carries its kind
(`SegmentKind`) and the word the screen shows and the voice says. A `Scheduler` answers
"where are we?" from a monotonic start time and the timeline, never by counting timer
ticks: UI timers fire late and drop ticks, and counting them would drift by seconds over an
hour. The clock is
injected, so tests drive time exactly and nothing here waits or needs Qt.

Exactness: the builders round every duration to `RESOLUTION` (1/1024 s, about a
millisecond, far below what the display shows) and add them as integers. On that binary grid
every start, end and total is an exact float, so each segment starts exactly where the
previous one ends and a boundary an hour in is exactly the sum of the durations before it.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Protocol

from backcoach.movement import DEFAULT_MOVEMENT, IN_REP_HOLDS, Movement, SegmentKind, Sides
from backcoach.tempo import Tempo
from backcoach.validation import is_int, is_number

PHASES = tuple(SegmentKind)
COUNTDOWN_KINDS = (SegmentKind.GET_READY, SegmentKind.HOLD, SegmentKind.REST)
LONG_HOLD_SECONDS = 5.0   # a hold within a rep this long (bird dog, a mobility breath) counts down too
SWITCH_SECONDS = 5.0      # the SWITCH SIDES gap of a one-side-then-the-other set

TICKS_PER_SECOND = 1024
RESOLUTION = 1 / TICKS_PER_SECOND   # exact: a power of two
MAX_REPS = 100
BACK_GRACE = 1.0   # skip_phase(-1) this early in a segment goes to the previous one: ← restarts the
                   # part, and a second ← within a second goes back one (the media-player rule)
SIDES = ("left", "right")


class Clock(Protocol):
    def __call__(self) -> float:
        """Monotonic seconds, like `time.monotonic`."""
        ...


# --- timelines ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Segment:
    phase: SegmentKind        # what this part is (a str enum: "concentric", "rest", ...)
    start: float              # seconds from the timeline's start
    duration: float
    rep: int | None = None    # 1-based rep within the side (None for get-ready/switch/rest/hold)
    side: str | None = None   # "left" / "right" / None
    word: str = ""            # what the screen shows and the voice says; the kind's default if empty

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise ValueError(f"unknown phase {self.phase!r}; phases are {', '.join(PHASES)}")
        object.__setattr__(self, "phase", SegmentKind(self.phase))
        if not self.word:
            object.__setattr__(self, "word", DEFAULT_MOVEMENT.word(self.phase))
        for name in ("start", "duration"):
            value = getattr(self, name)
            if not _is_number(value) or not math.isfinite(value) or value < 0:
                raise ValueError(f"a segment's {name} must be 0 s or more, not {value!r}")
        if self.rep is not None and (not _is_int(self.rep) or self.rep < 1):
            raise ValueError(f"a segment's rep must be 1 or more, not {self.rep!r}")
        if self.side not in (None, *SIDES):
            raise ValueError(f"a segment's side must be 'left', 'right' or None, not {self.side!r}")

    @property
    def end(self) -> float:
        return self.start + self.duration

    @property
    def kind(self) -> SegmentKind:
        return self.phase

    @property
    def counts_down(self) -> bool:
        """Whether the last 3 s get a 3-2-1: waits the lifter watches (get ready, a timed
        hold, a rest) and long holds within a rep (a bird dog's 8 s reach), not quick parts."""
        return self.phase in COUNTDOWN_KINDS or (self.phase in IN_REP_HOLDS
                                                  and self.duration >= LONG_HOLD_SECONDS)

    def to_dict(self) -> dict[str, object]:
        """As `backcoach set-plan --json` prints it."""
        return {"kind": str(self.phase), "word": self.word, "seconds": self.duration,
                "rep": self.rep, "side": self.side}


@dataclass(frozen=True)
class Timeline:
    """Segments back to back from 0: each starts exactly where the previous one ends, so
    every instant of the timeline belongs to exactly one segment."""

    segments: tuple[Segment, ...]
    reps: int = 0                                # reps per side (0 for a hold or a rest)
    sides: tuple[str | None, ...] = (None,)      # (None,) or ("left", "right")
    alternating: bool = False                    # sides swap every rep (no switch segment)

    def __post_init__(self) -> None:
        object.__setattr__(self, "segments", tuple(self.segments))
        object.__setattr__(self, "sides", tuple(self.sides))
        if not self.segments:
            raise ValueError("a timeline needs at least one segment")
        if self.segments[0].start != 0:
            raise ValueError(f"a timeline starts at 0 s, not {self.segments[0].start!r}")
        for before, after in zip(self.segments, self.segments[1:]):
            if after.start != before.end:
                raise ValueError(
                    f"segments must be back to back: {str(after.phase)!r} starts at {after.start!r} s "
                    f"but {str(before.phase)!r} ends at {before.end!r} s"
                )
        if not _is_int(self.reps) or self.reps < 0:
            raise ValueError(f"reps must be 0 or more, not {self.reps!r}")
        if self.sides not in ((None,), SIDES):
            raise ValueError(f"sides must be (None,) or ('left', 'right'), not {self.sides!r}")

    @property
    def total(self) -> float:
        return self.segments[-1].end

    def reps_done(self, index: int) -> int:
        """Reps completed on the side being worked when the lifter stops in segment `index`
        ("failed at rep n" logs n - 1): a rep counts once its last moving part is over, so
        stopping in the pause at the start position still counts it. Both sides are logged
        with the same reps, so an alternating set counts the reps both sides have done."""
        if index >= len(self.segments):
            return self.reps
        segment = self.segments[index]
        if segment.phase is SegmentKind.SWITCH:
            return self.reps
        if segment.rep is None:
            return 0
        same = [i for i, s in enumerate(self.segments) if (s.rep, s.side) == (segment.rep, segment.side)]
        moving = [i for i in same if self.segments[i].phase not in IN_REP_HOLDS] or same
        done = segment.rep if index > moving[-1] else segment.rep - 1
        if self.alternating and segment.side == SIDES[0]:
            done = segment.rep - 1   # the right side has not done this rep yet
        return done

    def index_at(self, elapsed: float) -> int:
        """The segment containing `elapsed` (start <= elapsed < end); len(segments) at or
        after the end. Zero-length segments contain no instant and are never returned."""
        return bisect_right(self.segments, elapsed, key=lambda s: s.end)


Part = tuple[SegmentKind, int, int | None, str | None, str]   # (kind, ticks, rep, side, word)


def work_timeline(*, reps: int | None, tempo: Tempo | str | None, hold_seconds: float | None,
                  per_side: bool, get_ready: float, switch_gap: float = SWITCH_SECONDS,
                  movement: Movement = DEFAULT_MOVEMENT, explosive_seconds: float | None = None) -> Timeline:
    """The work of one set as the movement performs it.

    A get-ready countdown (left out when 0), then the reps: each rep's parts in the
    movement's order (a row from the pull, a squat from the descent), every rep timed, the
    first and the last included. The pause at the starting position after the last rep of a
    side is left out (the set is over; a negative ends after its last lowering). Sides follow
    the movement as the item asks for it (`Movement.for_step`): one side then a "switch"
    segment then the other, or alternating every rep with no gap. A timed set is one "hold"
    segment per side. Rest is its own timeline, because the set is logged between the work
    and the rest."""
    if (reps is None) == (hold_seconds is None):
        raise ValueError("a set is either reps (with a tempo) or a hold (hold_seconds), "
                         f"so give exactly one of them (got reps={reps!r}, hold_seconds={hold_seconds!r})")
    ready = _ticks(get_ready, "get_ready")
    gap = _ticks(switch_gap, "switch_gap")
    movement = movement.for_step(per_side)
    sides: tuple[str | None, ...] = (None,) if movement.sides is Sides.BOTH else SIDES
    if reps is not None:
        if not _is_int(reps) or not 1 <= reps <= MAX_REPS:
            raise ValueError(f"reps must be a whole number from 1 to {MAX_REPS}, not {reps!r}")
        if tempo is None:
            raise ValueError("a set of reps needs a tempo to time, e.g. 3-2-1-2")
        if isinstance(tempo, str):
            tempo = Tempo.parse(tempo)
        x = movement.explosive_seconds if explosive_seconds is None else explosive_seconds
        _ticks(x, "explosive_seconds")
        rep = [(kind, _ticks(seconds, str(kind))) for kind, seconds in tempo.rep_parts(movement, x)]
        rep = [(kind, ticks) for kind, ticks in rep if ticks > 0]
        if not rep:
            raise ValueError(f"tempo {tempo} gives reps that take no time; at least one part must last")
        last_rep = _without_trailing_holds(rep)

        def one_rep(n: int, side: str | None, last: bool) -> list[Part]:
            return [(kind, ticks, n, side, movement.word(kind)) for kind, ticks in (last_rep if last else rep)]

        if movement.sides is Sides.ALTERNATING:
            order = [(n, side) for n in range(1, reps + 1) for side in SIDES]
            blocks = [[part for i, (n, side) in enumerate(order)
                       for part in one_rep(n, side, i == len(order) - 1)]]
        else:
            blocks = [[part for n in range(1, reps + 1) for part in one_rep(n, side, n == reps)]
                      for side in sides]
    else:
        hold = _ticks(hold_seconds, "hold_seconds", positive=True)
        word = movement.word(SegmentKind.HOLD)
        blocks = [[(SegmentKind.HOLD, hold, None, side, word)] for side in sides]

    parts: list[Part] = []
    if ready:
        parts.append((SegmentKind.GET_READY, ready, None, None, movement.word(SegmentKind.GET_READY)))
    for i, block in enumerate(blocks):
        if i and gap:
            parts.append((SegmentKind.SWITCH, gap, None, None, movement.word(SegmentKind.SWITCH)))
        parts.extend(block)
    return Timeline(_segments(parts), reps=reps or 0, sides=sides,
                    alternating=reps is not None and movement.sides is Sides.ALTERNATING)


def _without_trailing_holds(rep: list[tuple[SegmentKind, int]]) -> list[tuple[SegmentKind, int]]:
    """The last rep of a side: the pauses at the start position that would lead into a next
    rep are left out, but never the whole rep."""
    out = list(rep)
    while len(out) > 1 and out[-1][0] in IN_REP_HOLDS:
        out.pop()
    return out


def rest_timeline(seconds: float) -> Timeline:
    """One "rest" segment. A rest of 0 s is finished as soon as it starts (and can still be
    extended)."""
    return Timeline(_segments([(SegmentKind.REST, _ticks(seconds, "rest seconds"), None, None, "")]))


def _segments(parts: list[Part]) -> tuple[Segment, ...]:
    """Segments from (kind, ticks, rep, side, word); starts are integer cumulative sums, so exact."""
    segments, at = [], 0
    for phase, ticks, rep, side, word in parts:
        segments.append(Segment(phase, at / TICKS_PER_SECOND, ticks / TICKS_PER_SECOND, rep, side, word))
        at += ticks
    return tuple(segments)


def _ticks(seconds: object, name: str, *, positive: bool = False) -> int:
    """Seconds as whole 1/1024 s ticks, checked. A positive value is at least one tick."""
    if not _is_number(seconds) or not math.isfinite(seconds):
        raise ValueError(f"{name} must be a number of seconds, not {seconds!r}")
    if positive and seconds <= 0:
        raise ValueError(f"{name} must be more than 0 s, not {seconds!r}")
    if seconds < 0:
        raise ValueError(f"{name} cannot be negative ({seconds!r} s)")
    ticks = round(seconds * TICKS_PER_SECOND)
    return max(ticks, 1) if seconds > 0 else 0


_is_number = is_number  # backcoach.validation


_is_int = is_int  # backcoach.validation


# --- where we are ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Position:
    index: int                 # segment index (len(segments) when finished)
    segment: Segment | None    # None when finished
    phase: str                 # segment.phase, or "done"
    remaining: float           # seconds left in the segment (0 when finished), exact
    elapsed: float             # seconds into the timeline (pauses excluded)
    rep: int | None
    side: str | None
    finished: bool
    paused: bool

    @property
    def word(self) -> str:
        """The word on screen: the segment's, or DONE once finished."""
        return self.segment.word if self.segment is not None else "DONE"

    @property
    def display_seconds(self) -> int:
        """The whole seconds a countdown shows: 3 until the last 2 s begin, so a phase shows
        its full length at its start and never shows 0 while it lasts."""
        return math.ceil(self.remaining)


class Scheduler:
    """Answers where we are from a monotonic start time; never counts ticks.

    The state is one anchor: `elapsed = offset + (clock() - anchor)` while running, and
    `offset` while paused. Pausing, resuming and skipping each set the anchor once, so no
    error builds up however long the timeline runs or however often the UI asks.
    """

    def __init__(self, timeline: Timeline, clock: Clock = time.monotonic):
        self._timeline = timeline
        self._clock = clock
        self._started = False
        self._paused = False
        self._offset = 0.0               # elapsed at the anchor (or frozen, while paused)
        self._anchor: float | None = None  # clock value at `offset`; None unless running
        self._units = _units(timeline)

    # --- state ---------------------------------------------------------------------------
    @property
    def timeline(self) -> Timeline:
        return self._timeline

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def started(self) -> bool:
        return self._started

    def start(self, at: float | None = None) -> None:
        """Run from the beginning, now or at clock value `at` (a second call starts over).

        A start a little in the future lets a cue that must be handed to the sound device
        ahead (a key press starting a set) be heard on the beat: until `at` the position
        stays at the beginning, then runs, so screen and sound start together."""
        self._started, self._paused = True, False
        now = self._clock()
        self._offset, self._anchor = 0.0, now if at is None else max(at, now)

    def begins_at(self) -> float | None:
        """The clock value at which a start (or a skip) in the future begins to run; None once
        it runs (or when paused or not started)."""
        if not self._started or self._anchor is None or self._anchor <= self._clock():
            return None
        return self._anchor

    def position(self) -> Position:
        """Where we are now. Before start(), the beginning."""
        elapsed = self._elapsed()
        segments = self._timeline.segments
        index = self._timeline.index_at(elapsed)
        if index >= len(segments):
            return Position(len(segments), None, "done", 0.0, elapsed, None, None, True, self._paused)
        segment = segments[index]
        return Position(index, segment, segment.phase, segment.end - elapsed, elapsed,
                        segment.rep, segment.side, False, self._paused)

    def next_boundary(self) -> float | None:
        """The clock() value when the current segment ends (at which position() has moved
        on); None when paused, finished or not started."""
        position = self._running_position()
        if position is None or position.segment is None:
            return None
        return self._clock_at(position.segment.end)

    def next_display_change(self) -> float | None:
        """The clock() value when `display_seconds` next changes (or the segment ends), so the
        UI can wake exactly then instead of polling; None when next_boundary() is."""
        position = self._running_position()
        if position is None or position.segment is None:
            return None
        shown = position.display_seconds
        target = position.segment.end - (shown - 1) if shown > 1 else position.segment.end
        return self._clock_at(target)

    # --- controls ------------------------------------------------------------------------
    def pause(self) -> None:
        """Freeze the position; the whole remaining schedule moves later by the pause."""
        self._require_started()
        if not self._paused:
            self._offset, self._anchor, self._paused = self._elapsed(), None, True

    def resume(self) -> None:
        """Continue from exactly where the pause froze the position."""
        self._require_started()
        if self._paused:
            self._anchor, self._paused = self._clock(), False

    def skip_phase(self, step: int = 1, at: float | None = None) -> None:
        """To the start of the segment `step` ahead (or back). Going back within the first
        BACK_GRACE (1 s) of a segment goes to the previous one, else restarts this one, as media players
        do, so a double tap reaches the previous phase. Past the end finishes; before the
        beginning stays at 0. Works while paused (and stays paused).

        `at`, a clock value a little ahead: the new segment waits at its start until then and
        runs from there, as start(at) does, so a cue handed to the sound device ahead is heard
        as it begins."""
        self._require_started()
        if not step:
            return
        position = self.position()
        index = position.index
        if step < 0:
            start = position.segment.start if position.segment else self._timeline.total
            if position.elapsed - start >= BACK_GRACE:
                index += 1   # the first step back lands on this segment's own start
        self._go_to_segment(index + step, at)

    def skip_rep(self, step: int = 1, at: float | None = None) -> None:
        """To the first segment of the rep `step` ahead (or back). The get-ready, a switch, a
        hold and a rest count as one rep each, so the last rep of the left side skips to the
        switch and that to the right side's first rep. Past the end finishes; before the
        beginning stays at 0. Works while paused. `at`: as for skip_phase."""
        self._require_started()
        if not step:
            return
        index = self.position().index
        unit = bisect_right(self._units, index) - 1 if index < len(self._timeline.segments) \
            else len(self._units)
        target = unit + step
        if target >= len(self._units):
            self._go_to(self._timeline.total)
        else:
            self._go_to_segment(self._units[max(target, 0)], at)

    def finish(self) -> None:
        """Jump to the end; position() is finished."""
        self._require_started()
        self._go_to(self._timeline.total)

    def extend(self, seconds: float) -> None:
        """Lengthen the last segment ("rest +30 s"). A rest that has already finished
        re-opens with `seconds` left from now; other finished timelines refuse."""
        extra = _ticks(seconds, "extend seconds")
        finished = self._started and self._elapsed() >= self._timeline.total
        last = self._timeline.segments[-1]
        if finished and last.phase != "rest" and extra:
            raise ValueError(f"this {last.phase} has finished; only a rest can be extended after it ends")
        old_total = self._timeline.total
        longer = replace(last, duration=last.duration + extra / TICKS_PER_SECOND)
        self._timeline = replace(self._timeline, segments=self._timeline.segments[:-1] + (longer,))
        if finished:
            self._go_to(old_total)

    def shorten(self, seconds: float) -> None:
        """Take `seconds` off the last segment ("rest −30 s"), never before what has already
        run: with less than that left, the timeline finishes now."""
        self._require_started()
        cut = _ticks(seconds, "shorten seconds") / TICKS_PER_SECOND
        last = self._timeline.segments[-1]
        ran = max(0.0, self._elapsed() - last.start)
        shorter = replace(last, duration=max(last.duration - cut, ran))
        self._timeline = replace(self._timeline, segments=self._timeline.segments[:-1] + (shorter,))

    # --- internals -----------------------------------------------------------------------
    def _elapsed(self) -> float:
        if not self._started:
            return 0.0
        # Before a start in the future (start(at)) the position waits at the offset.
        elapsed = self._offset if self._anchor is None else self._offset + max(0.0, self._clock() - self._anchor)
        return min(max(elapsed, 0.0), self._timeline.total)

    def _running_position(self) -> Position | None:
        if not self._started or self._paused:
            return None
        position = self.position()
        return None if position.finished or position.segment is None else position

    def _clock_at(self, elapsed: float) -> float:
        """The clock value at which elapsed reaches `elapsed`. With a clock far from 0, the
        subtraction in _elapsed can round down, so step up until it is really reached."""
        assert self._anchor is not None
        at = self._anchor + (elapsed - self._offset)
        while self._offset + (at - self._anchor) < elapsed:
            at = math.nextafter(at, math.inf)
        return at

    def _go_to_segment(self, index: int, at: float | None = None) -> None:
        segments = self._timeline.segments
        if index >= len(segments):
            self._go_to(self._timeline.total)  # finishing is never put off
        else:
            self._go_to(segments[max(index, 0)].start, at)

    def _go_to(self, elapsed: float, at: float | None = None) -> None:
        """Re-anchor so that elapsed is exactly `elapsed` now, and stays so until clock value
        `at` when that is ahead (see start)."""
        self._offset = elapsed
        if self._anchor is not None:
            now = self._clock()
            self._anchor = now if at is None else max(at, now)

    def _require_started(self) -> None:
        if not self._started:
            raise RuntimeError("the timer has not started; call start() first")


def _units(timeline: Timeline) -> list[int]:
    """Indices of the segments that begin a rep (or a segment that is not part of a rep)."""
    starts, previous = [], None
    for i, segment in enumerate(timeline.segments):
        key = (segment.rep, segment.side) if segment.rep is not None else None
        if key is None or key != previous:
            starts.append(i)
        previous = key
    return starts
