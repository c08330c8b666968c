"""Runs a guided session in real time on the Qt event loop.

Timing never counts ticks. The scheduler (backcoach.timers) answers "where are we" from a
monotonic start time; this driver only decides *when to look*: one precise single-shot timer
is re-armed for the next boundary (a phase change, or a 3-2-1 countdown mark), computed from
the monotonic clock each time, so a busy UI thread makes a cue late by the delay but never
shifts the schedule. A separate 25 fps refresh repaints the countdown ring.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from backcoach import pauses
from backcoach.movement import SegmentKind
from backcoach.session import SessionFlow, Stage, step_timeline
from backcoach.timers import SWITCH_SECONDS, Position, Scheduler, Timeline, rest_timeline
from backcoach.ui.cues import Cues

REFRESH_MS = 40  # 25 frames a second for the ring and the big countdown
# A part started while the sound stream is still opening (a session begun within a second or
# two of opening the Session area) waits for it, up to this long, so its cue is heard on time.
SOUND_WAIT_SECONDS = 3.0
SOUND_CHECK_SECONDS = 0.05  # how often the driver looks whether the stream is ready meanwhile


class SessionDriver(QObject):
    """Connects a SessionFlow (what comes next) with a Scheduler (when) and the cues."""

    phase_changed = Signal(object)  # Position: a new phase began (cues have been played)
    refreshed = Signal(object)  # Position: repaint the ring (25 fps, and at once on each new second)
    stage_changed = Signal(str)  # "work" | "log" | "rest" | "done"
    countdown = Signal(int)  # 3, 2, 1
    set_logged = Signal(object)  # list[SetLog]
    paused_changed = Signal(bool)
    waiting_changed = Signal(bool)  # True: the rest is over and the next set waits for Enter

    def __init__(self, flow: SessionFlow, cues: Cues | None = None, clock: Callable[[], float] = time.monotonic,
                 get_ready: float = 5.0, switch_gap: float = SWITCH_SECONDS, default_tempo: str = "3-2-1-2",
                 realtime: bool = True, auto_start: bool = True, parent: QObject | None = None):
        super().__init__(parent)
        self.flow = flow
        self.auto_start = auto_start  # the "Start the next set by itself" setting
        self.waiting = False  # the rest ended with auto_start off: the set starts on Enter
        self.cues = cues
        self.clock = clock
        self.get_ready = get_ready
        self.switch_gap = switch_gap
        self.default_tempo = default_tempo
        self.scheduler: Scheduler | None = None
        self._last_index: int | None = None
        self._counted: set[tuple[int, int]] = set()
        self.lateness: list[float] = []  # seconds each phase change was handled after its time
        self._due: float | None = None  # the phase change the armed timer aims at
        self.next_wake: float | None = None
        self._boundary = QTimer(self)
        self._boundary.setSingleShot(True)
        self._boundary.setTimerType(Qt.TimerType.PreciseTimer)
        self._boundary.timeout.connect(lambda: self.poll(on_time=True))
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.setTimerType(Qt.TimerType.PreciseTimer)
        self._refresh.timeout.connect(self._emit_refresh)
        self.realtime = realtime  # False in tests: the test advances a fake clock and polls
        self._holding = False  # full garbage-collection passes held off while this session runs
        self._awaiting_sound = False  # the first part waits (at most SOUND_WAIT_SECONDS) for the stream

    # --- stages --------------------------------------------------------------------------
    def start(self) -> None:
        """Begin (or resume) at the flow's current stage."""
        stage = self.flow.stage
        if stage == Stage.WORK:
            self._begin(self._work_timeline())
        elif stage == Stage.REST:
            self._begin(rest_timeline(max(1, self.flow.current_rest_seconds())))
        else:
            self.scheduler = None
        self.stage_changed.emit(self.flow.stage)
        if self.realtime:
            self._refresh.start()
            if not self._holding:  # a 20-50 ms full pass must not land in a set (backcoach.pauses)
                pauses.hold_full_collections()
                self._holding = True

    def stop(self) -> None:
        self._boundary.stop()
        self._refresh.stop()
        if self._holding:
            self._holding = False
            pauses.release_full_collections()

    def _work_timeline(self) -> Timeline:
        step = self.flow.current
        assert step is not None  # called in the work stage only, which always has its set
        return step_timeline(step, self.flow.library, get_ready=self.get_ready,
                             switch_gap=self.switch_gap, default_tempo=self.default_tempo)

    def _begin(self, timeline: Timeline, announced: bool = False) -> None:
        """Guide `timeline` from its start. With cues that must be handed to the sound device
        ahead (MixerCues' `lead`), the timeline starts that little later, so the first part's
        cue is scheduled on its sample like every other one and the screen moves with it,
        instead of the sound coming a whole device buffer after the screen. `announced`: its
        first cue was scheduled ahead already (a rest ending into the next set), so it starts now.
        While the cues' stream is still opening (`starting`: a session begun a second after the
        Session area opened it), the part waits at its start until the stream is ready, at most
        SOUND_WAIT_SECONDS, rather than have its cue heard a second late or lost."""
        self.scheduler = Scheduler(timeline, self.clock)
        lead = 0.0 if announced else self.cue_lead()
        self._awaiting_sound = not announced and lead == 0 and self._sound_starting()
        if self._awaiting_sound:
            # The stream is still opening: the part waits at its start (the screen shows it)
            # until the stream is ready, then begins a lead later with its cue (see poll).
            lead = SOUND_WAIT_SECONDS
        self.scheduler.start(self.clock() + lead if lead > 0 else None)
        self._last_index = None
        self._counted = set()
        self.poll()

    def _sound_starting(self) -> bool:
        """Whether the cues' stream is opening and will soon place cues on their sample."""
        return bool(getattr(self.cues, "starting", False))

    def cue_lead(self) -> float:
        """Seconds ahead a cue must be known to be heard on its instant (0: cues play at once)."""
        return float(getattr(self.cues, "lead", 0.0) or 0.0)

    def poll(self, on_time: bool = False) -> None:
        """Look at the clock: announce a new phase, count down, change stage, re-arm.

        `on_time` marks a poll by the boundary timer (or a test's clock), whose delay after
        the scheduled phase change is recorded in `lateness`; polls after a key press are not.
        """
        if self.scheduler is None:
            return
        now = self.clock()
        pos = self.scheduler.position()
        begins = self.scheduler.begins_at()
        if begins is not None and self._awaiting_sound:
            if not self._sound_starting():  # ready (or given up on): begin a lead from now
                self._awaiting_sound = False
                self.scheduler.start(self._lead_at())
                self.poll()
                return
            self.next_wake = min(begins, now + SOUND_CHECK_SECONDS)
            if self.realtime:
                self._boundary.start(max(0, math.ceil((self.next_wake - now) * 1000)))
            return
        self._awaiting_sound = False
        if begins is not None:  # a start just ahead (see _begin): its cue is scheduled, wake then
            self._due = begins
            boundary = self.scheduler.next_boundary()
            assert boundary is not None  # a start ahead is running, and its first part has an end
            self._cue_ahead(pos, boundary, first_at=begins)
            self.next_wake = begins
            if self.realtime:
                self._boundary.start(max(0, math.ceil((begins - self.clock()) * 1000)))
            return
        if pos.index != self._last_index:
            if on_time and self._due is not None and self._last_index is not None:
                self.lateness.append(max(0.0, now - self._due))
            self._last_index = pos.index
            if not pos.finished:
                self._announce(pos)
        elif on_time and not pos.finished:
            # A new whole second: its digits are due now, not at the next 25 fps frame.
            self.refreshed.emit(pos)
        self._count_down(pos)
        if pos.finished:
            self._timeline_finished()
            return
        self._arm(pos)

    def _announce(self, pos: Position) -> None:
        if self.cues is not None and pos.segment is not None:  # only a running position is announced
            self.cues.phase_changed(pos.phase, pos.segment.duration, pos.rep, pos.side, pos.word)
        self.phase_changed.emit(pos)

    def _count_down(self, pos: Position) -> None:
        if pos.finished or pos.segment is None or not pos.segment.counts_down or pos.paused:
            return
        n = math.ceil(pos.remaining - 1e-9)
        if 1 <= n <= 3 and pos.segment.duration > n and (pos.index, n) not in self._counted:
            self._counted.add((pos.index, n))
            if self.cues is not None:
                self.cues.countdown(n)
            self.countdown.emit(n)

    def _arm(self, pos: Position) -> None:
        """Aim the single-shot timer at the next moment something must happen."""
        if pos.paused or pos.finished:
            self._boundary.stop()
            expect = getattr(self.cues, "expect", None)  # MixerCues only
            if expect is not None:
                expect([])  # nothing is coming: drop the cues scheduled ahead
            self._due = None
            self.next_wake = None
            return
        scheduler = self.scheduler
        boundary = scheduler.next_boundary() if scheduler is not None else None
        if scheduler is None or boundary is None:
            # Guiding stopped, or the part ended, while this poll ran (a slot of phase_changed
            # acted, or the clock moved on): look again at once instead of aiming at nothing.
            self._due = None
            self.next_wake = self.clock()
            if self.realtime:
                self._boundary.start(0)
            return
        # The next change of the whole seconds shown (the 3-2-1 marks are among them), or the
        # phase change itself: the screen's digits follow the schedule, not the refresh rate.
        due = min(boundary, scheduler.next_display_change() or boundary)
        self._due = boundary if due == boundary else None
        self._cue_ahead(pos, boundary)
        self.next_wake = due  # when the timer fires; a test with a fake clock wakes here too
        if self.realtime:
            delay_ms = max(0, math.ceil((due - self.clock()) * 1000))
            self._boundary.start(delay_ms)

    def _cue_ahead(self, pos: Position, boundary: float, first_at: float | None = None) -> None:
        """Tell cues that can play on the sample (MixerCues) what the next boundary brings,
        so it is heard on the beat rather than when the timer has fired. `first_at`: the
        timeline starts then (see _begin), and its first part's cue comes with it."""
        expect = getattr(self.cues, "expect", None)  # MixerCues only
        if expect is None or self.scheduler is None or pos.segment is None:
            return
        from backcoach.ui.mixer_cues import CueKind  # loaded already: the cues are MixerCues

        upcoming: list[tuple[float, CueKind, tuple]] = []
        if first_at is not None:
            seg = pos.segment
            upcoming.append((first_at, CueKind.PHASE, (seg.phase, seg.duration, seg.rep, seg.side, seg.word)))
        if pos.segment.counts_down:
            upcoming += [(boundary - n, CueKind.COUNTDOWN, (n,)) for n in (3, 2, 1)
                         if pos.segment.duration > n and (pos.index, n) not in self._counted]
        segments = self.scheduler.timeline.segments
        if pos.index + 1 < len(segments):
            nxt = segments[pos.index + 1]
            upcoming.append((boundary, CueKind.PHASE, (nxt.phase, nxt.duration, nxt.rep, nxt.side, nxt.word)))
        elif self.flow.stage == Stage.WORK:
            upcoming.append((boundary, CueKind.SET_FINISHED, ()))
        elif self.flow.stage == Stage.REST and self.get_ready > 0 and self.auto_start:  # the next set gets ready
            upcoming.append((boundary, CueKind.PHASE, (str(SegmentKind.GET_READY), self.get_ready, None, None, None)))
        expect(upcoming)

    def _timeline_finished(self) -> None:
        flow = self.flow
        self._boundary.stop()
        if flow.stage == Stage.WORK:
            flow.work_finished()
            if self.cues is not None:
                self.cues.set_finished()
            self.scheduler = None
        elif flow.stage == Stage.REST:
            flow.rest_finished()
            if flow.stage == Stage.WORK:  # type: ignore[comparison-overlap]  # rest_finished() moved the stage on; mypy keeps the narrowing above
                if not self.auto_start:
                    self._wait_for_start()
                    return
                self.stage_changed.emit(flow.stage)
                self._begin(self._work_timeline(), announced=True)  # its get-ready was cued ahead
                return
        self.stage_changed.emit(flow.stage)

    def _emit_refresh(self) -> None:
        if self.scheduler is not None:
            self.refreshed.emit(self.scheduler.position())

    # --- user actions -------------------------------------------------------------------
    def position(self) -> Position | None:
        return self.scheduler.position() if self.scheduler is not None else None

    def toggle_pause(self) -> None:
        if self.scheduler is None:
            return
        if self.scheduler.paused:
            self.scheduler.resume()
        else:
            self.scheduler.pause()
        self.paused_changed.emit(self.scheduler.paused)
        self.poll()

    def skip(self, step: int = 1) -> None:
        """Arrow keys: the next or previous phase (or, in the rest, skip the rest)."""
        if self.scheduler is None:
            return
        if self.flow.stage == Stage.REST and step > 0:
            self.skip_rest()
            return
        self.scheduler.skip_phase(step, self._lead_at())
        self._last_index = None if step < 0 else self._last_index
        self.poll()

    def skip_rep(self, step: int = 1) -> None:
        if self.scheduler is not None and self.flow.stage == Stage.WORK:
            self.scheduler.skip_rep(step, self._lead_at())
            self.poll()

    def _lead_at(self) -> float | None:
        """When a part started by a key press (a skip) begins: a cue lead from now, so the
        cues scheduled ahead are re-planned (the old boundary's dropped, the new part's placed
        on its sample) and it is heard on time rather than a device buffer late; at once
        when cues play at once."""
        lead = self.cue_lead()
        return self.clock() + lead if lead > 0 else None

    def end_set_early(self) -> None:
        """'Failed at rep n': stop guiding and log what was done."""
        if self.flow.stage != Stage.WORK or self.scheduler is None:
            return
        pos = self.scheduler.position()
        done = self.scheduler.timeline.reps_done(pos.index)
        self._boundary.stop()
        self.scheduler = None
        self.flow.end_early(done)
        self.stage_changed.emit(self.flow.stage)

    def finish_work(self) -> None:
        """Enter during the reps: the set is done, go to logging."""
        if self.flow.stage == Stage.WORK and self.scheduler is not None:
            self.scheduler.finish()
            self.poll()

    def log(self, **values) -> None:
        """Log the set (durable before this returns), then rest or finish."""
        logged = self.flow.log(**values)
        self.set_logged.emit(logged)
        if self.flow.stage == Stage.REST:
            self.stage_changed.emit("rest")
            self._begin(rest_timeline(max(1, self.flow.current_rest_seconds())))
        else:
            self.stage_changed.emit(self.flow.stage)

    def extend_rest(self, seconds: float = 30.0) -> None:
        if self.flow.stage == Stage.REST and self.scheduler is not None:
            self.scheduler.extend(seconds)
            self._counted = {c for c in self._counted if c[0] != self.scheduler.position().index}
            self.poll()

    def skip_rest(self) -> None:
        if self.flow.stage == Stage.REST:
            self._boundary.stop()
            self.scheduler = None
            self.flow.skip_rest()
            self.stage_changed.emit(self.flow.stage)
            if self.flow.stage == Stage.WORK:  # type: ignore[comparison-overlap]  # skip_rest() moved the stage on; mypy keeps the narrowing above
                self._begin(self._work_timeline())

    def _wait_for_start(self) -> None:
        """The rest is over; the next set's get-ready starts when the lifter says so."""
        self.scheduler = None
        self.waiting = True
        self.stage_changed.emit(self.flow.stage)
        self.waiting_changed.emit(True)

    def start_waiting_set(self) -> None:
        """Enter after a rest that waited: the next set's get-ready begins."""
        if not self.waiting or self.flow.stage != Stage.WORK:
            return
        self.waiting = False
        self.waiting_changed.emit(False)
        self._begin(self._work_timeline())
        self.stage_changed.emit(self.flow.stage)

    def shorten_rest(self, seconds: float = 30.0) -> None:
        """Rest −30 s; with less than that left, the rest ends now."""
        if self.flow.stage == Stage.REST and self.scheduler is not None:
            self.scheduler.shorten(seconds)
            self.poll()

    def hold(self) -> bool:
        """Pause while a dialog or menu covers the screen; True if this call paused (then
        `release` resumes), False if it was paused already or nothing runs."""
        if self.scheduler is None or self.scheduler.paused or self.scheduler.position().finished:
            return False
        self.toggle_pause()
        return True

    def release(self, held: bool) -> None:
        if held and self.scheduler is not None and self.scheduler.paused:
            self.toggle_pause()

    def jump_to(self, index: int) -> None:
        """From the workout overview: guide step `index` now (nothing is logged)."""
        self._boundary.stop()
        self.scheduler = None
        self.waiting = False
        self.flow.jump_to(index)
        self.stage_changed.emit(self.flow.stage)
        self._begin(self._work_timeline())

    def restart_set(self) -> None:
        """After a change to the plan (swap, add or remove a set): guide the current set again."""
        self._boundary.stop()
        self.waiting = False
        if self.flow.stage == Stage.WORK and self.flow.current is not None:
            self._begin(self._work_timeline())
        self.stage_changed.emit(self.flow.stage)
