"""Timelines and the scheduler: phases at exact instants, pauses, skips, and no drift.

Durations in these tests are whole or binary-fraction seconds and the fake clock starts on
the same grid, so times compare exactly (==); approx appears only where a realistic,
off-grid monotonic reading is the point of the test.
"""

import inspect
import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcoach import timers
from backcoach.movement import Movement, SegmentKind, Sides, Start
from backcoach.tempo import DEFAULT_TEMPO, Tempo
from backcoach.timers import (
    PHASES,
    RESOLUTION,
    Position,
    Scheduler,
    Segment,
    Timeline,
    rest_timeline,
    work_timeline,
)
from tests.helpers.fake_clock import FakeClock


def full_set(**overrides) -> Timeline:
    """3-2-1-2 x 8 with a 5 s get-ready: the set the brief describes."""
    args = dict(reps=8, tempo=DEFAULT_TEMPO, hold_seconds=None, per_side=False, get_ready=5)
    args.update(overrides)
    return work_timeline(**args)


def started(timeline: Timeline, at: float = 0.0) -> tuple[Scheduler, FakeClock]:
    clock = FakeClock(at)
    scheduler = Scheduler(timeline, clock)
    scheduler.start()
    return scheduler, clock


def where(timeline: Timeline, t: float) -> Position:
    """The position `t` seconds after starting (no pauses)."""
    scheduler, clock = started(timeline)
    clock.advance(t)
    return scheduler.position()


def brief(position: Position) -> tuple:
    return (position.phase, position.rep, position.side)


# --- constants, segments, timelines --------------------------------------------------------

def test_every_phase_has_a_word():
    assert {str(p) for p in PHASES} == {"get-ready", "concentric", "concentric-hold", "eccentric",
                                        "eccentric-hold", "hold", "switch", "rest"}
    assert all(Segment(p, 0, 1).word for p in PHASES)
    assert Segment("switch", 0, 1).word == "SWITCH SIDES" and Segment("get-ready", 0, 1).word == "GET READY"


def test_segment_end_and_checks():
    assert Segment("concentric", 2.0, 1.5, 1, None).end == 3.5
    with pytest.raises(ValueError, match="unknown phase 'jump'"):
        Segment("jump", 0, 1)
    with pytest.raises(ValueError, match="duration must be 0 s or more"):
        Segment("rest", 0, -1)
    with pytest.raises(ValueError, match="start must be 0 s or more"):
        Segment("rest", float("nan"), 1)
    with pytest.raises(ValueError, match="rep must be 1 or more"):
        Segment("concentric", 0, 1, rep=0)
    with pytest.raises(ValueError, match="side must be"):
        Segment("concentric", 0, 1, rep=1, side="middle")


def test_timeline_segments_must_be_back_to_back():
    a = Segment("concentric", 0.0, 1.0, 1)
    assert Timeline((a, Segment("eccentric", 1.0, 2.0, 1)), reps=1).total == 3.0
    with pytest.raises(ValueError, match="back to back: 'eccentric' starts at 1.5 s but 'concentric' ends at 1.0 s"):
        Timeline((a, Segment("eccentric", 1.5, 2.0, 1)))
    with pytest.raises(ValueError, match="starts at 0 s"):
        Timeline((Segment("rest", 1.0, 2.0),))
    with pytest.raises(ValueError, match="at least one segment"):
        Timeline(())
    with pytest.raises(ValueError, match="sides must be"):
        Timeline((a,), sides=("left",))
    with pytest.raises(ValueError, match="reps must be 0 or more"):
        Timeline((a,), reps=-1)


def test_index_at_uses_half_open_segments():
    timeline = full_set()
    assert timeline.index_at(0.0) == 0
    assert timeline.index_at(4.999) == 0
    assert timeline.index_at(5.0) == 1
    assert timeline.index_at(timeline.total) == len(timeline.segments)
    assert timeline.index_at(1e9) == len(timeline.segments)


# --- work_timeline ----------------------------------------------------------------------

def test_full_set_segments_and_total():
    timeline = full_set()
    # every rep timed; the pause at the stretch after the last rep is left out (the set is over)
    assert timeline.total == 5 + 8 * 8 - 2 == 67.0
    assert timeline.reps == 8 and timeline.sides == (None,)
    assert len(timeline.segments) == 1 + 8 * 4 - 1
    assert timeline.segments[0] == Segment("get-ready", 0.0, 5.0, None, None)
    assert timeline.segments[1:5] == (
        Segment("concentric", 5.0, 1.0, 1, None), Segment("concentric-hold", 6.0, 2.0, 1, None),
        Segment("eccentric", 8.0, 3.0, 1, None), Segment("eccentric-hold", 11.0, 2.0, 1, None),
    )
    assert timeline.segments[-1] == Segment("eccentric", 64.0, 3.0, 8, None)
    assert [s.rep for s in timeline.segments[1:]] == [n for n in range(1, 9) for _ in range(4)][:-1]
    assert [s.word for s in timeline.segments[1:5]] == ["PULL", "SQUEEZE", "LOWER", "STRETCH"]


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (0.0, ("get-ready", None, None)), (4.999, ("get-ready", None, None)),
        (5.0, ("concentric", 1, None)), (5.5, ("concentric", 1, None)), (6.0, ("concentric-hold", 1, None)),
        (7.999, ("concentric-hold", 1, None)), (8.0, ("eccentric", 1, None)), (10.75, ("eccentric", 1, None)),
        (11.0, ("eccentric-hold", 1, None)), (12.999, ("eccentric-hold", 1, None)), (13.0, ("concentric", 2, None)),
        (21.0, ("concentric", 3, None)), (41.5, ("eccentric", 5, None)), (46.0, ("concentric-hold", 6, None)),
        (61.0, ("concentric", 8, None)), (64.0, ("eccentric", 8, None)), (66.999, ("eccentric", 8, None)),
        (67.0, ("done", None, None)), (500.0, ("done", None, None)),
    ],
)
def test_full_set_phase_at_many_instants(t, expected):
    assert brief(where(full_set(), t)) == expected


def test_remaining_is_exact_and_display_rounds_up():
    timeline = full_set()
    p = where(timeline, 8.25)          # 0.25 s into a 3 s lower
    assert p.remaining == 2.75 and p.display_seconds == 3 and p.elapsed == 8.25
    p = where(timeline, 8.0)           # its first instant shows the full 3
    assert p.remaining == 3.0 and p.display_seconds == 3
    p = where(timeline, 10.0)
    assert p.remaining == 1.0 and p.display_seconds == 1
    p = where(timeline, 10.999)
    assert p.remaining == pytest.approx(0.001) and p.display_seconds == 1   # 10.999 is off-grid
    p = where(timeline, 67.0)
    assert p.finished and p.remaining == 0.0 and p.display_seconds == 0 and p.elapsed == 67.0
    assert p.segment is None and p.index == len(timeline.segments)


def test_per_side_switches_and_restarts_rep_numbers():
    timeline = full_set(per_side=True, switch_gap=5.0)
    assert timeline.sides == ("left", "right") and timeline.reps == 8
    # no pause after the last rep of a side before SWITCH SIDES
    assert timeline.total == 5 + 62 + 5 + 62 == 134.0
    switch = timeline.segments[32]
    assert switch == Segment("switch", 67.0, 5.0, None, None)
    left, right = timeline.segments[1:32], timeline.segments[33:]
    assert {s.side for s in left} == {"left"} and {s.side for s in right} == {"right"}
    assert [s.rep for s in left] == [s.rep for s in right]
    assert right[0] == Segment("concentric", 72.0, 1.0, 1, "right")
    assert brief(where(timeline, 66.0)) == ("eccentric", 8, "left")
    assert brief(where(timeline, 67.0)) == ("switch", None, None)
    assert brief(where(timeline, 72.0)) == ("concentric", 1, "right")
    assert brief(where(timeline, 133.5)) == ("eccentric", 8, "right")


def test_zero_parts_are_left_out_and_explosive_gets_its_seconds():
    timeline = work_timeline(reps=2, tempo=Tempo.parse("2-0-X-1"), hold_seconds=None,
                             per_side=False, get_ready=0, explosive_seconds=0.5)
    assert [(s.phase, s.start, s.duration, s.rep) for s in timeline.segments] == [
        ("concentric", 0.0, 0.5, 1), ("concentric-hold", 0.5, 1.0, 1), ("eccentric", 1.5, 2.0, 1),
        ("concentric", 3.5, 0.5, 2), ("concentric-hold", 4.0, 1.0, 2), ("eccentric", 5.0, 2.0, 2),
    ]


def test_tempo_may_be_given_as_text():
    assert full_set(tempo="3-2-1-2") == full_set()


def test_no_get_ready_and_no_switch_when_zero():
    timeline = full_set(get_ready=0, per_side=True, switch_gap=0)
    assert timeline.segments[0].phase == "concentric"
    assert "switch" not in {s.phase for s in timeline.segments}
    assert timeline.total == 124.0


def test_hold_is_one_segment_per_side():
    plain = work_timeline(reps=None, tempo=None, hold_seconds=30, per_side=False, get_ready=5)
    assert plain.segments == (Segment("get-ready", 0.0, 5.0), Segment("hold", 5.0, 30.0))
    assert plain.reps == 0 and plain.total == 35.0
    sided = work_timeline(reps=None, tempo=DEFAULT_TEMPO, hold_seconds=20, per_side=True,
                          get_ready=0, switch_gap=3)
    assert sided.segments == (
        Segment("hold", 0.0, 20.0, None, "left"), Segment("switch", 20.0, 3.0),
        Segment("hold", 23.0, 20.0, None, "right"),
    )
    assert sided.sides == ("left", "right") and sided.reps == 0


def test_rest_timeline():
    rest = rest_timeline(90)
    assert rest.segments == (Segment("rest", 0.0, 90.0),) and rest.total == 90.0
    assert rest.reps == 0 and rest.sides == (None,)
    assert rest_timeline(0).total == 0.0


def test_durations_are_rounded_to_the_resolution():
    assert RESOLUTION == 2 ** -10
    timeline = work_timeline(reps=1, tempo="0-0-X-0", hold_seconds=None, per_side=False,
                             get_ready=0.3, explosive_seconds=0.3)
    grid = round(0.3 * 1024) / 1024
    assert [s.duration for s in timeline.segments] == [grid, grid]
    assert timeline.total == 2 * grid                          # exact, no 0.6000000000000001
    assert rest_timeline(1e-6).total == RESOLUTION             # a positive time never vanishes
    assert work_timeline(reps=None, tempo=None, hold_seconds=1e-9, per_side=False,
                         get_ready=0).total == RESOLUTION


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (dict(reps=0), "reps must be a whole number from 1 to 100, not 0"),
        (dict(reps=101), "from 1 to 100, not 101"),
        (dict(reps=-3), "not -3"),
        (dict(reps=2.5), "not 2.5"),
        (dict(reps=True), "not True"),
        (dict(hold_seconds=30), "exactly one of them"),
        (dict(reps=None), "exactly one of them"),
        (dict(reps=None, hold_seconds=0), "hold_seconds must be more than 0 s, not 0"),
        (dict(reps=None, hold_seconds=-5), "hold_seconds must be more than 0 s, not -5"),
        (dict(reps=None, hold_seconds=float("inf")), "hold_seconds must be a number"),
        (dict(reps=None, hold_seconds="30"), "hold_seconds must be a number of seconds, not '30'"),
        (dict(get_ready=-1), "get_ready cannot be negative"),
        (dict(get_ready=float("nan")), "get_ready must be a number"),
        (dict(switch_gap=-0.5), "switch_gap cannot be negative"),
        (dict(explosive_seconds=-1), "explosive_seconds cannot be negative"),
        (dict(tempo="0-0-X-0", explosive_seconds=0), "tempo 0-0-X-0 gives reps that take no time"),
        (dict(tempo=None), "needs a tempo"),
        (dict(tempo="0-0-0-0"), "tempo 0-0-0-0 gives reps that take no time"),
        (dict(tempo="3-2-1"), "four parts"),
    ],
)
def test_bad_work_timelines_say_why(overrides, message):
    with pytest.raises(ValueError, match=message):
        full_set(**overrides)


@pytest.mark.parametrize("seconds", [-1, float("nan"), "90", None])
def test_bad_rest_says_why(seconds):
    with pytest.raises(ValueError, match="rest seconds"):
        rest_timeline(seconds)


# --- scheduler basics -------------------------------------------------------------------

def test_before_start_it_stands_at_the_beginning():
    scheduler = Scheduler(full_set(), FakeClock(100.0))
    p = scheduler.position()
    assert (p.index, p.phase, p.elapsed, p.remaining, p.finished, p.paused) == (0, "get-ready", 0.0, 5.0, False, False)
    assert not scheduler.started and scheduler.next_boundary() is None
    assert scheduler.next_display_change() is None
    for action in (scheduler.pause, scheduler.resume, scheduler.skip_phase, scheduler.skip_rep,
                   scheduler.finish):
        with pytest.raises(RuntimeError, match="start"):
            action()


def test_start_and_boundaries_follow_the_clock():
    scheduler, clock = started(full_set(), at=1000.0)
    assert scheduler.started and scheduler.timeline == full_set()
    assert scheduler.next_boundary() == 1005.0
    clock.advance_to(1005.0)
    assert brief(scheduler.position()) == ("concentric", 1, None)
    assert scheduler.next_boundary() == 1006.0
    clock.advance(61.5)                                    # 66.5 s in: the last lowering
    assert scheduler.position().phase == "eccentric" and scheduler.next_boundary() == 1067.0
    clock.advance(0.5)
    assert scheduler.position().finished and scheduler.next_boundary() is None
    clock.advance(1000)
    assert scheduler.position().elapsed == 67.0            # clamped to the timeline's length


def test_start_again_starts_over():
    scheduler, clock = started(full_set())
    clock.advance(30)
    scheduler.pause()
    scheduler.start()
    p = scheduler.position()
    assert p.elapsed == 0.0 and not p.paused and scheduler.next_boundary() == 35.0


def test_default_clock_is_monotonic():
    scheduler = Scheduler(rest_timeline(600))
    scheduler.start()
    p = scheduler.position()
    assert p.phase == "rest" and 0 < p.remaining <= 600
    assert scheduler.next_boundary() == pytest.approx(timers.time.monotonic() + p.remaining, abs=5)


def test_core_module_never_sleeps():
    source = inspect.getsource(timers)
    assert "sleep(" not in source and "PySide6" not in source


def test_boundary_is_reached_with_a_clock_far_from_zero():
    """A real monotonic reading is not on the binary grid; next_boundary() must still be an
    instant at which the position has moved on, or a UI timer would wake up too early."""
    for t0 in (0.1, 1 / 3, 8123.456789, 98765.4321, 3.7e6 + 0.07, 1e9 + 0.1):
        scheduler, clock = started(full_set(per_side=True), at=t0)
        seen = []
        while (boundary := scheduler.next_boundary()) is not None:
            before = scheduler.position().index
            clock.advance_to(boundary)
            assert scheduler.position().index == before + 1
            seen.append(boundary - t0)
        assert len(seen) == len(full_set(per_side=True).segments)
        ends = [s.end for s in full_set(per_side=True).segments]
        assert seen == pytest.approx(ends, abs=1e-6)      # off-grid clock: rounding only


def test_next_display_change_wakes_once_per_shown_second():
    scheduler, clock = started(rest_timeline(3), at=50.0)
    shown = []
    while (wake := scheduler.next_display_change()) is not None:
        shown.append(scheduler.position().display_seconds)
        clock.advance_to(wake)
    assert shown == [3, 2, 1] and clock.now == 53.0
    scheduler, clock = started(rest_timeline(2.5))
    assert scheduler.next_display_change() == 0.5          # 2.5 shows 3 until 2 s are left
    clock.advance(0.5)
    assert scheduler.position().display_seconds == 2
    scheduler.pause()
    assert scheduler.next_display_change() is None


# --- pause and resume ---------------------------------------------------------------------

def test_pause_in_the_middle_of_a_phase_then_resume():
    scheduler, clock = started(full_set(), at=200.0)
    clock.advance(9.5)                                     # 1.5 s into rep 1's lower
    scheduler.pause()
    frozen = scheduler.position()
    assert frozen.paused and scheduler.paused
    assert (frozen.phase, frozen.rep, frozen.elapsed, frozen.remaining) == ("eccentric", 1, 9.5, 1.5)
    assert scheduler.next_boundary() is None
    clock.advance(120)                                     # a long break changes nothing
    assert scheduler.position() == frozen
    scheduler.resume()
    assert not scheduler.paused
    assert scheduler.position() == Position(3, frozen.segment, "eccentric", 1.5, 9.5, 1, None, False, False)
    assert scheduler.next_boundary() == 200.0 + 120 + 11.0  # the schedule moved by the pause
    clock.advance(1.5)
    assert brief(scheduler.position()) == ("eccentric-hold", 1, None)
    clock.advance_to(200.0 + 120 + 69.0)
    assert scheduler.position().finished


def test_pauses_accumulate():
    scheduler, clock = started(full_set(), at=0.0)
    for running, pause in [(2.0, 10.0), (4.0, 0.25), (7.0, 100.0)]:
        clock.advance(running)
        scheduler.pause()
        clock.advance(pause)
        scheduler.resume()
    assert scheduler.position().elapsed == 13.0             # 2 + 4 + 7 of running
    assert brief(scheduler.position()) == ("concentric", 2, None)
    assert scheduler.next_boundary() == clock.now + 1.0
    clock.advance_to(110.25 + 69.0)
    assert scheduler.position().finished


def test_pause_and_resume_twice_are_harmless():
    scheduler, clock = started(full_set())
    clock.advance(3)
    scheduler.pause()
    clock.advance(5)
    scheduler.pause()                                      # does not re-freeze later
    assert scheduler.position().elapsed == 3.0
    scheduler.resume()
    clock.advance(1)
    scheduler.resume()                                     # does not re-anchor
    assert scheduler.position().elapsed == 4.0


# --- skipping -------------------------------------------------------------------------

def test_skip_phase_forward_goes_to_the_next_start():
    scheduler, clock = started(full_set(), at=10.0)
    scheduler.skip_phase()                                 # get-ready -> pull
    assert brief(scheduler.position()) == ("concentric", 1, None)
    assert scheduler.position().elapsed == 5.0 and scheduler.next_boundary() == 11.0
    clock.advance(1.0)                                     # exactly at the squeeze boundary
    assert scheduler.position().phase == "concentric-hold"
    scheduler.skip_phase()
    p = scheduler.position()
    assert (p.phase, p.elapsed, p.remaining) == ("eccentric", 8.0, 3.0)
    scheduler.skip_phase(2)
    assert brief(scheduler.position()) == ("concentric", 2, None)      # lower -> pause -> pull


def test_a_skip_ahead_waits_at_the_new_phase_start_until_then_and_runs_from_there():
    """A skip `at` a clock value a little ahead (so its cue can be heard on the beat): the
    new phase is there at once, whole, until then; its boundary counts from then."""
    scheduler, clock = started(full_set(), at=10.0)
    scheduler.skip_phase(at=10.25)                         # get-ready -> pull, from 10.25
    p = scheduler.position()
    assert (p.phase, p.remaining) == ("concentric", 1.0) and scheduler.begins_at() == 10.25
    clock.advance(0.2)
    assert scheduler.position().remaining == 1.0           # still waiting for its cue
    clock.advance(0.05)
    assert scheduler.begins_at() is None and scheduler.next_boundary() == 11.25
    clock.advance(0.5)
    scheduler.skip_rep(at=clock() + 0.25)                  # a rep ahead, likewise
    assert brief(scheduler.position()) == ("concentric", 2, None) and scheduler.begins_at() == 11.0
    scheduler.skip_phase(at=clock() - 5.0)                 # a time already past: now
    assert scheduler.begins_at() is None
    scheduler.pause()
    scheduler.skip_phase(at=clock() + 0.25)                # paused: moves, and stays paused
    assert scheduler.paused and scheduler.begins_at() is None
    scheduler.skip_phase(100, at=clock() + 0.25)           # past the end finishes at once
    assert scheduler.position().finished


def test_skip_phase_back_within_a_second_goes_to_the_previous_phase():
    scheduler, clock = started(full_set())
    clock.advance(8.99)                                    # 0.99 s into lower
    scheduler.skip_phase(-1)
    p = scheduler.position()
    assert (p.phase, p.elapsed) == ("concentric-hold", 6.0)
    scheduler.skip_phase(-1)                               # 0 s into squeeze: previous again
    assert scheduler.position().phase == "concentric"


def test_skip_phase_back_later_restarts_the_phase():
    scheduler, clock = started(full_set())
    clock.advance(9.0)                                     # exactly 1 s into lower
    scheduler.skip_phase(-1)
    assert (scheduler.position().phase, scheduler.position().elapsed) == ("eccentric", 8.0)
    clock.advance(2.0)
    scheduler.skip_phase(-2)                               # restart, then one more back
    assert (scheduler.position().phase, scheduler.position().elapsed) == ("concentric-hold", 6.0)


def test_skip_phase_edges():
    timeline = full_set()
    scheduler, clock = started(timeline)
    scheduler.skip_phase(-1)                               # before the start stays at 0
    assert scheduler.position().elapsed == 0.0
    scheduler.skip_phase(-5)
    assert scheduler.position().elapsed == 0.0
    scheduler.skip_phase(len(timeline.segments) - 1)       # the last segment
    assert scheduler.position().segment == timeline.segments[-1]
    scheduler.skip_phase()                                 # past the end finishes
    assert scheduler.position().finished and scheduler.next_boundary() is None
    scheduler.skip_phase(3)
    assert scheduler.position().finished
    scheduler.skip_phase(-1)                               # back from the end: the last phase
    p = scheduler.position()
    assert p.segment == timeline.segments[-1] and not p.finished
    assert scheduler.next_boundary() == clock.now + 3.0    # and it runs again
    scheduler.skip_phase(0)
    assert scheduler.position().segment == timeline.segments[-1]


def test_skips_work_while_paused():
    scheduler, clock = started(full_set(), at=5.0)
    clock.advance(3.0)
    scheduler.pause()
    scheduler.skip_phase()
    p = scheduler.position()
    assert (p.phase, p.rep, p.elapsed, p.paused) == ("concentric", 1, 5.0, True)
    assert scheduler.next_boundary() is None
    scheduler.skip_rep()
    assert brief(scheduler.position()) == ("concentric", 2, None) and scheduler.paused
    clock.advance(30)
    assert scheduler.position().elapsed == 13.0
    scheduler.resume()
    clock.advance(0.25)
    assert scheduler.position().elapsed == 13.25 and scheduler.next_boundary() == clock.now + 0.75


def test_skip_rep_moves_between_reps():
    scheduler, clock = started(full_set())
    scheduler.skip_rep()                                   # get-ready -> rep 1
    assert brief(scheduler.position()) == ("concentric", 1, None)
    clock.advance(8 * 2 + 4)                               # rep 3, in its lower
    assert brief(scheduler.position()) == ("eccentric", 3, None)
    scheduler.skip_rep()
    p = scheduler.position()
    assert brief(p) == ("concentric", 4, None) and p.elapsed == 29.0
    clock.advance(3)
    scheduler.skip_rep(-1)                                 # the previous rep's first phase
    assert brief(scheduler.position()) == ("concentric", 3, None)
    scheduler.skip_rep(-2)
    assert brief(scheduler.position()) == ("concentric", 1, None)
    scheduler.skip_rep(-1)                                 # the get-ready counts as one
    assert scheduler.position().phase == "get-ready"
    scheduler.skip_rep(-1)
    assert scheduler.position().elapsed == 0.0
    scheduler.skip_rep(7)                                  # get-ready + 7 -> rep 7
    assert brief(scheduler.position()) == ("concentric", 7, None)
    scheduler.skip_rep(2)                                  # past the end finishes
    assert scheduler.position().finished
    scheduler.skip_rep(-1)
    assert brief(scheduler.position()) == ("concentric", 8, None)
    scheduler.skip_rep(100)
    assert scheduler.position().finished
    scheduler.skip_rep(-100)
    assert scheduler.position().elapsed == 0.0


def test_skip_rep_across_sides():
    scheduler, clock = started(full_set(per_side=True))
    clock.advance(5 + 7 * 8 + 4)                           # left rep 8, its lowering
    assert brief(scheduler.position()) == ("eccentric", 8, "left")
    scheduler.skip_rep()
    assert brief(scheduler.position()) == ("switch", None, None)
    scheduler.skip_rep()
    assert brief(scheduler.position()) == ("concentric", 1, "right")
    scheduler.skip_rep(-1)
    assert scheduler.position().phase == "switch"
    scheduler.skip_rep(-1)
    assert brief(scheduler.position()) == ("concentric", 8, "left")
    scheduler.skip_rep(10)                                 # switch, right reps 1..8, then end
    assert scheduler.position().finished


def test_skip_rep_in_a_hold():
    timeline = work_timeline(reps=None, tempo=None, hold_seconds=20, per_side=True, get_ready=5)
    scheduler, clock = started(timeline)
    phases = []
    for _ in range(4):
        scheduler.skip_rep()
        phases.append(brief(scheduler.position()))
    assert phases == [("hold", None, "left"), ("switch", None, None), ("hold", None, "right"),
                      ("done", None, None)]


def test_finish():
    scheduler, clock = started(full_set())
    clock.advance(12)
    scheduler.finish()
    p = scheduler.position()
    assert p.finished and p.phase == "done" and p.elapsed == 67.0 and p.remaining == 0.0
    assert p.rep is None and p.side is None
    assert scheduler.next_boundary() is None and scheduler.next_display_change() is None


# --- extend --------------------------------------------------------------------------

def test_extend_a_running_rest():
    scheduler, clock = started(rest_timeline(90), at=7.0)
    clock.advance(60)
    scheduler.extend(30)
    p = scheduler.position()
    assert p.remaining == 60.0 and scheduler.timeline.total == 120.0
    assert scheduler.next_boundary() == 7.0 + 120.0
    scheduler.pause()
    scheduler.extend(15)                                   # paused: still frozen, longer
    assert scheduler.position().remaining == 75.0 and scheduler.paused


def test_extend_a_finished_rest_reopens_it_from_now():
    scheduler, clock = started(rest_timeline(90))
    clock.advance(200)                                     # the UI noticed late
    assert scheduler.position().finished
    scheduler.extend(30)
    p = scheduler.position()
    assert not p.finished and p.phase == "rest" and p.remaining == 30.0 and p.elapsed == 90.0
    assert scheduler.next_boundary() == 230.0
    zero, clock = started(rest_timeline(0))
    assert zero.position().finished
    zero.extend(30)
    assert zero.position().remaining == 30.0


def test_extend_lengthens_the_last_segment_of_work():
    scheduler, clock = started(work_timeline(reps=None, tempo=None, hold_seconds=20,
                                             per_side=False, get_ready=5))
    clock.advance(10)
    scheduler.extend(10)                                   # "hold +10 s"
    assert scheduler.timeline.segments[-1] == Segment("hold", 5.0, 30.0)
    assert scheduler.position().remaining == 25.0
    unstarted = Scheduler(full_set(), FakeClock())
    unstarted.extend(1)
    assert unstarted.timeline.total == 68.0 and unstarted.timeline.segments[-1].duration == 4.0


def test_extend_refusals():
    scheduler, clock = started(full_set())
    with pytest.raises(ValueError, match="extend seconds cannot be negative"):
        scheduler.extend(-30)
    scheduler.finish()
    with pytest.raises(ValueError, match="only a rest can be extended after it ends"):
        scheduler.extend(30)
    scheduler.extend(0)                                    # nothing to do is fine
    assert scheduler.position().finished


# --- properties -------------------------------------------------------------------------

part = st.one_of(st.integers(0, 10), st.just("X"))
tempos = st.tuples(st.integers(0, 10), st.integers(0, 10), part, st.integers(0, 10)).map(
    lambda p: "-".join(map(str, p))).filter(lambda t: Tempo.parse(t).rep_seconds(explosive_seconds=1.0) > 0)
seconds = st.floats(0, 20, allow_nan=False)
timelines = st.one_of(
    st.builds(lambda reps, tempo, per_side, ready, gap, x: work_timeline(
        reps=reps, tempo=tempo, hold_seconds=None, per_side=per_side, get_ready=ready,
        switch_gap=gap, explosive_seconds=x),
        st.integers(1, 100), tempos, st.booleans(), seconds, seconds, st.floats(0.01, 3)),
    st.builds(lambda hold, per_side, ready, gap: work_timeline(
        reps=None, tempo=None, hold_seconds=hold, per_side=per_side, get_ready=ready, switch_gap=gap),
        st.floats(0.001, 300), st.booleans(), seconds, seconds),
    st.builds(rest_timeline, st.floats(0, 600)),
)


def check(position: Position, timeline: Timeline) -> None:
    if position.finished:
        assert position.segment is None and position.index == len(timeline.segments)
        assert position.elapsed == timeline.total and position.remaining == 0.0
        return
    segment = position.segment
    assert segment is timeline.segments[position.index]
    assert segment.start <= position.elapsed < segment.end
    assert position.remaining == segment.end - position.elapsed > 0
    assert (position.phase, position.rep, position.side) == (segment.phase, segment.rep, segment.side)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines, st.floats(0, 1e7), st.floats(0, 1.2))
def test_position_contains_elapsed_at_any_instant(timeline, t0, fraction):
    scheduler, clock = started(timeline, at=t0)
    clock.advance(fraction * timeline.total)
    check(scheduler.position(), timeline)


@settings(max_examples=200, deadline=None)
@given(timelines)
def test_segments_tile_the_timeline_exactly(timeline):
    segments = timeline.segments
    assert segments[0].start == 0.0
    assert all(b.start == a.end for a, b in zip(segments, segments[1:]))
    assert all(s.duration * 1024 == int(s.duration * 1024) for s in segments)   # on the grid
    assert timeline.total == math.fsum(s.duration for s in segments)


actions = st.lists(st.one_of(
    st.tuples(st.just("advance"), st.floats(0, 30)),
    st.tuples(st.sampled_from(["pause", "resume", "finish"]), st.none()),
    st.tuples(st.sampled_from(["skip_phase", "skip_rep"]), st.integers(-3, 3)),
    st.tuples(st.just("extend"), st.integers(0, 60)),
), max_size=40)


@settings(max_examples=200, deadline=None)
@given(timelines, st.floats(0, 1e6), actions)
def test_any_sequence_of_controls_keeps_the_position_consistent(timeline, t0, steps):
    scheduler, clock = started(timeline, at=t0)
    for name, arg in steps:
        before = scheduler.position()
        if name == "advance":
            clock.advance(arg)
        elif name == "extend":
            if before.finished and scheduler.timeline.segments[-1].phase != "rest" and arg:
                with pytest.raises(ValueError):
                    scheduler.extend(arg)
            else:
                scheduler.extend(arg)
        else:
            getattr(scheduler, name)(*(() if arg is None else (arg,)))
        position = scheduler.position()
        check(position, scheduler.timeline)
        assert position.paused == scheduler.paused
        if name == "advance" and scheduler.paused:
            assert position.elapsed == before.elapsed     # frozen while paused
        if name == "advance" and not scheduler.paused:
            assert position.elapsed >= before.elapsed
        boundary = scheduler.next_boundary()
        assert (boundary is None) == (position.paused or position.finished)
        if boundary is not None:
            assert boundary >= clock.now
            saved = clock.now
            clock.now = boundary
            assert scheduler.position().index > position.index   # moved on exactly there
            clock.now = saved
        wake = scheduler.next_display_change()
        assert (wake is None) == (boundary is None)
        if wake is not None:
            saved = clock.now
            clock.now = wake
            later = scheduler.position()
            assert later.index > position.index or later.display_seconds == position.display_seconds - 1
            clock.now = saved


# --- an hour without drift -------------------------------------------------------------

WORKOUT = [
    dict(reps=8, tempo="3-2-1-2", hold_seconds=None, per_side=False, get_ready=5),
    90,
    dict(reps=6, tempo="2-0-X-1", hold_seconds=None, per_side=True, get_ready=5,
         switch_gap=5, explosive_seconds=0.5),
    60,
    dict(reps=None, tempo=None, hold_seconds=30, per_side=True, get_ready=3, switch_gap=4),
    45,
    dict(reps=12, tempo="4-1-X-1", hold_seconds=None, per_side=False, get_ready=5,
         explosive_seconds=0.75),
    120,
]


def an_hour() -> list[Timeline]:
    built, total = [], 0.0
    while total < 3600:
        for item in WORKOUT:
            timeline = rest_timeline(item) if isinstance(item, int) else work_timeline(**item)
            built.append(timeline)
            total += timeline.total
    return built


def expected_changes(start: float, timelines: list[Timeline]) -> list[tuple[float, str]]:
    """Each phase change (and each timeline's end) at its instant, from the durations alone:
    one exact sum over the whole hour, independent of the scheduler."""
    durations, phases = [], []
    for timeline in timelines:
        durations += [s.duration for s in timeline.segments]
        phases += [s.phase for s in timeline.segments[1:]] + ["done"]
    return [(start + math.fsum(durations[: k + 1]), phase) for k, phase in enumerate(phases)]


def run_back_to_back(clock: FakeClock, timelines: list[Timeline], wake) -> list[tuple[float, str]]:
    """Start each timeline when the previous one ends (by the clock); `wake(scheduler)`
    moves the clock to when the UI would next look. Record when each change is seen."""
    seen = []
    for timeline in timelines:
        scheduler = Scheduler(timeline, clock)
        scheduler.start()
        index = 0
        while True:
            wake(scheduler)
            position = scheduler.position()
            if position.index != index:
                assert position.index == index + 1         # no phase skipped
                index = position.index
                seen.append((clock.now, position.phase))
            if position.finished:
                break
    return seen


def test_an_hour_of_sets_and_rests_has_no_drift():
    timelines = an_hour()
    assert sum(t.total for t in timelines) >= 3600
    clock = FakeClock(5000.0)
    seen = run_back_to_back(clock, timelines, lambda s: clock.advance_to(s.next_boundary()))
    expected = expected_changes(5000.0, timelines)
    assert len(seen) == len(expected) > 500
    assert seen == expected                                # exactly, the k-th change included


def test_an_hour_with_late_irregular_timer_ticks_has_no_drift():
    """A UI timer firing every 10-70 ms, late and unevenly, still sees each change within one
    tick of its exact instant at the end of the hour as at the start."""
    timelines = an_hour()
    clock = FakeClock(5000.0)
    rng = random.Random(5)
    seen = run_back_to_back(clock, timelines, lambda s: clock.advance(rng.randint(10, 70) / 1000))
    expected = expected_changes(5000.0, timelines)
    assert [phase for _, phase in seen] == [phase for _, phase in expected]
    # Each timeline starts at a late tick, so lateness could only add up across timelines;
    # measured from each timeline's own start, every change is within one tick.
    lateness = [at - want for (at, _), (want, _) in zip(seen, expected)]
    assert all(x >= 0 for x in lateness)
    starts, i = [], 0
    for timeline in timelines:
        starts.append(i)
        i += len(timeline.segments)
    for timeline, first in zip(timelines, starts):
        t0 = seen[first - 1][0] if first else 5000.0
        for k, segment in enumerate(timeline.segments):
            at = seen[first + k][0]
            assert 0 <= at - (t0 + segment.end) <= 0.070 + 1e-9


def test_an_hour_from_a_real_monotonic_reading():
    """Off the binary grid only the clock's own rounding remains: far below a microsecond
    after an hour, not growing with the number of phases."""
    timelines = an_hour()
    start = 86_399.123_456_7
    clock = FakeClock(start)
    seen = run_back_to_back(clock, timelines, lambda s: clock.advance_to(s.next_boundary()))
    expected = expected_changes(start, timelines)
    assert [p for _, p in seen] == [p for _, p in expected]
    assert max(abs(a - b) for (a, _), (b, _) in zip(seen, expected)) < 1e-9


# --- the movement decides the order, the words and the sides --------------------------------

SQUAT = Movement(start=Start.ECCENTRIC, words={
    SegmentKind.ECCENTRIC: "DOWN", SegmentKind.ECCENTRIC_HOLD: "HOLD",
    SegmentKind.CONCENTRIC: "STAND", SegmentKind.CONCENTRIC_HOLD: "TOP"})


def words(timeline: Timeline) -> list[tuple]:
    return [(s.word, s.rep, s.side) for s in timeline.segments]


def test_an_eccentric_first_set_starts_with_the_lowering_and_ends_standing():
    timeline = work_timeline(reps=2, tempo="3-2-1-1", hold_seconds=None, per_side=False, get_ready=5,
                             movement=SQUAT)
    assert words(timeline) == [("GET READY", None, None), ("DOWN", 1, None), ("HOLD", 1, None),
                               ("STAND", 1, None), ("TOP", 1, None), ("DOWN", 2, None), ("HOLD", 2, None),
                               ("STAND", 2, None)]
    assert [s.phase for s in timeline.segments[1:5]] == ["eccentric", "eccentric-hold", "concentric",
                                                         "concentric-hold"]
    assert timeline.total == 5 + 7 + 6


def test_alternating_swaps_side_every_rep_without_a_switch():
    row = Movement(sides=Sides.ALTERNATING)
    timeline = work_timeline(reps=2, tempo="2-0-1-1", hold_seconds=None, per_side=True, get_ready=0,
                             movement=row)
    assert words(timeline) == [("PULL", 1, "left"), ("SQUEEZE", 1, "left"), ("LOWER", 1, "left"),
                               ("PULL", 1, "right"), ("SQUEEZE", 1, "right"), ("LOWER", 1, "right"),
                               ("PULL", 2, "left"), ("SQUEEZE", 2, "left"), ("LOWER", 2, "left"),
                               ("PULL", 2, "right"), ("SQUEEZE", 2, "right"), ("LOWER", 2, "right")]
    assert timeline.alternating and timeline.reps == 2 and timeline.sides == ("left", "right")
    # an item that is not per side does both at once; a per-side item of a two-sided
    # exercise is one side then the other
    both = work_timeline(reps=2, tempo="2-0-1-1", hold_seconds=None, per_side=False, get_ready=0, movement=row)
    assert {s.side for s in both.segments} == {None}
    sided = work_timeline(reps=1, tempo="2-0-1-1", hold_seconds=None, per_side=True, get_ready=0)
    assert [s.phase for s in sided.segments].count("switch") == 1 and not sided.alternating


def test_a_negative_lowers_first_and_ends_after_its_last_lowering():
    negative = Movement(start=Start.ECCENTRIC, explosive_seconds=0, words={
        SegmentKind.ECCENTRIC: "LOWER", SegmentKind.ECCENTRIC_HOLD: "STEP UP", SegmentKind.CONCENTRIC_HOLD: "HOLD"})
    timeline = work_timeline(reps=2, tempo="5-3-X-2", hold_seconds=None, per_side=False, get_ready=0,
                             movement=negative)
    assert [(s.word, s.duration) for s in timeline.segments] == [
        ("LOWER", 5.0), ("STEP UP", 3.0), ("HOLD", 2.0), ("LOWER", 5.0)]


def test_long_holds_within_a_rep_count_down():
    bird_dog = Movement(sides=Sides.ALTERNATING, words={SegmentKind.CONCENTRIC_HOLD: "HOLD"})
    timeline = work_timeline(reps=1, tempo="2-1-2-8", hold_seconds=None, per_side=True, get_ready=5,
                             movement=bird_dog)
    assert [s.word for s in timeline.segments if s.counts_down] == ["GET READY", "HOLD", "HOLD"]
    assert not Segment("concentric-hold", 0, 2.0).counts_down and Segment("rest", 0, 60).counts_down


@pytest.mark.parametrize(("t", "done"), [
    (0.0, 0), (5.0, 0), (6.0, 0), (8.0, 0), (11.0, 1), (13.0, 1), (66.9, 7), (67.0, 8)])
def test_reps_done_counts_a_rep_once_its_last_moving_part_is_over(t, done):
    timeline = full_set()
    assert timeline.reps_done(where(timeline, t).index) == done


def test_reps_done_across_sides():
    one_then_other = full_set(per_side=True)
    assert one_then_other.reps_done(32) == 8                     # the switch: the left side is done
    alternating = work_timeline(reps=3, tempo="2-0-1-1", hold_seconds=None, per_side=True, get_ready=0,
                                movement=Movement(sides=Sides.ALTERNATING))
    left2 = next(i for i, s in enumerate(alternating.segments) if (s.rep, s.side) == (2, "left"))
    right2 = next(i for i, s in enumerate(alternating.segments) if (s.rep, s.side) == (2, "right"))
    assert alternating.reps_done(left2 + 2) == 1     # left 2 lowered, right 2 not yet done
    assert alternating.reps_done(right2) == 1 and alternating.reps_done(right2 + 2) == 1
    assert alternating.reps_done(right2 + 3) == 2


def test_back_restarts_the_part_and_again_within_a_second_goes_back_one():
    """The media-player rule the README documents for ←."""
    scheduler, clock = started(full_set())
    clock.advance(9.5)                                     # 1.5 s into lower
    scheduler.skip_phase(-1)
    assert (scheduler.position().phase, scheduler.position().elapsed) == ("eccentric", 8.0)
    clock.advance(0.8)                                     # pressed again 0.8 s later
    scheduler.skip_phase(-1)
    assert (scheduler.position().phase, scheduler.position().elapsed) == ("concentric-hold", 6.0)


def test_shorten_a_rest_never_before_now():
    scheduler, clock = started(rest_timeline(90))
    clock.advance(10)
    scheduler.shorten(30)
    assert scheduler.position().remaining == pytest.approx(50)
    scheduler.shorten(30)
    assert scheduler.position().remaining == pytest.approx(20)
    scheduler.shorten(30)                                  # less than 30 s left: the rest ends now
    assert scheduler.position().finished


def test_a_start_a_moment_ahead_waits_at_the_beginning_then_runs_from_that_instant():
    """start(at): what the session driver uses so a key press's first cue can be scheduled."""
    clock = FakeClock(100.0)
    scheduler = Scheduler(full_set(), clock)
    scheduler.start(at=100.25)
    assert scheduler.begins_at() == 100.25
    clock.advance(0.2)
    assert scheduler.position().remaining == 5.0 and scheduler.position().elapsed == 0.0
    assert scheduler.next_boundary() == pytest.approx(105.25)
    clock.advance_to(100.25)
    assert scheduler.begins_at() is None
    clock.advance(1.0)
    assert scheduler.position().remaining == pytest.approx(4.0)
    scheduler.start(at=50.0)  # never in the past: a start behind the clock starts now
    assert scheduler.begins_at() is None and scheduler.position().elapsed == 0.0
