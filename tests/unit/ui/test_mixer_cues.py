"""MixerCues: which clips go on the mixer for each cue, scheduling ahead without doubles,
settings, problems, exercise names from a worker; and the shipped voice clips.

The sound device is replaced by a fake output (tests never open the sound system); the real
stream is exercised by test_audio_output.py against a private PulseAudio."""

from __future__ import annotations

import numpy as np
import pytest

from backcoach.mixing import RATE, read_wav
from backcoach.settings import Settings
from backcoach.ui.cues import Cues, spoken_words
from backcoach.ui.mixer_cues import NO_VOICE, MixerCues
from backcoach.voice import PHRASES, VOICE_DIR, clip_name, phrases_in


class FakeOutput:
    """Stands in for AudioOutput: opens nothing, or fails as a missing device does."""

    def __init__(self, mixer, problem=None):
        self.mixer, self.problem, self.closed, self.finished = mixer, problem, 0, 0

    def open(self):
        return self.problem is None

    def close(self):
        self.closed += 1

    def finish(self):
        self.finished += 1


class Clock:
    def __init__(self, now=100.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def make(qapp, clock):
    made = []

    def make(settings=None, **kwargs):
        kwargs.setdefault("output_factory", FakeOutput)
        cues = MixerCues(settings or Settings(None), clock=clock, **kwargs)
        made.append(cues)
        return cues

    yield make
    for cues in made:
        cues.close()


def placed(cues, frames=RATE * 10):
    """Names of the clips the mixer starts within `frames` (tone and word alike)."""
    cues.mixer.render(frames)
    return [p.clip.name for p in cues.mixer.started]


def run_stream(cues, clock):
    """The fake stream runs: frame 0 left for the speaker at clock.now (no latency)."""
    cues.mixer.clock.latency = 0.0
    cues.mixer.clock.observe(clock.now, 1)


def test_it_is_a_cues_and_plays_tone_and_word_at_once_when_called_at_the_boundary(make):
    cues = make()
    assert isinstance(cues, Cues) and cues.available and cues.problem is None
    cues.phase_changed("concentric", 1.0, 1, None, "PULL")
    cues.phase_changed("rest", 90, None, None)
    cues.countdown(3)
    cues.countdown(0)
    cues.set_finished()
    assert placed(cues) == ["concentric", "pull", "rest", "rest, 90 seconds", "countdown-tick", "3", "countdown-go",
                            "set-finished"]
    # The tone is the shipped WAV, the word the shipped clip, sample for sample.
    first, second = cues.mixer.started[:2]
    assert first.clip is cues._tones["concentric"] and second.clip is cues._voice["pull"]


def test_cues_expected_ahead_land_on_their_sample_and_are_not_played_twice(make, clock):
    cues = make()
    run_stream(cues, clock)
    lower = ("eccentric", 1.0, 1, None, "LOWER")
    cues.expect([(101.0, "phase", lower), (102.0, "countdown", (3,))])
    cues.expect([(101.0, "phase", lower), (102.0, "countdown", (3,))])  # idempotent
    clock.now = 101.004  # the driver's timer fires a little late and calls as today
    cues.phase_changed(*lower)
    cues.mixer.render(3 * RATE)
    starts = {(p.clip.name, p.start) for p in cues.mixer.started}
    frame = cues.mixer.clock.frame_at
    assert starts == {("eccentric", frame(101.0)), ("lower", frame(101.0)), ("countdown-tick", frame(102.0)), ("3", frame(102.0))}
    assert len(cues.mixer.started) == 4  # lower tone + word, tick + "3": nothing doubled


def test_a_cue_no_longer_expected_is_dropped_and_a_different_phase_is_still_played(make, clock):
    cues = make()
    run_stream(cues, clock)
    cues.expect([(101.0, "phase", ("concentric", 1.0, 2, None, "PULL"))])
    cues.expect([])  # paused
    assert cues.mixer.pending() == 0
    cues.expect([(102.0, "phase", ("concentric", 1.0, 2, None, "PULL"))])  # resumed a second later
    clock.now = 101.0
    cues.phase_changed("concentric-hold", 1.0, 1, None, "SQUEEZE")  # not what was scheduled: played at once
    assert cues.mixer.pending() == 4  # squeeze now, pull at 102 (tone and word each)
    assert placed(cues, 3 * RATE) == ["concentric-hold", "squeeze", "concentric", "pull"]


def test_volume_mute_and_spoken_cues_follow_the_settings(make):
    settings = Settings(None)
    cues = make(settings)
    loud = cues.mixer.gain
    settings.set("sound_volume", 20)
    assert 0 < cues.mixer.gain < loud
    settings.set("voice", False)
    cues.phase_changed("concentric", 1.0, 1, None, "PULL")
    assert placed(cues) == ["concentric"] and cues.mixer.started[0].clip is cues._tones["concentric"]
    settings.set("muted", True)
    cues.phase_changed("concentric", 1.0, 1, None, "PULL")
    assert cues.mixer.pending() == 0 and not cues.mixer.render(1000).any()


def test_missing_sounds_or_no_device_mean_visual_cues_with_the_reason(make, tmp_path, qtbot):
    no_files = make(sounds_dir=tmp_path)
    assert not no_files.available and "missing" in no_files.problem
    no_files.phase_changed("concentric", 1.0, 1, None, "PULL")
    assert no_files.mixer.pending() == 0
    no_device = make(output_factory=lambda mixer: FakeOutput(mixer, "No audio device found: cues are shown on screen only."))
    with qtbot.wait_signal(no_device.problem_found, timeout=1000) as told:
        pass
    assert told.args == ["No audio device found: cues are shown on screen only."]
    assert not no_device.available
    no_voice = make(voice_dir=tmp_path)
    assert no_voice.available and no_voice.problem == NO_VOICE


def test_close_drops_what_is_waiting_and_lets_the_output_play_out_then_stop(make, clock):
    cues = make()
    run_stream(cues, clock)
    cues.expect([(101.0, "phase", ("concentric", 1.0, 1, None, "PULL"))])
    cues.phase_changed("eccentric", 1.0, 1, None, "LOWER")
    cues.mixer.render(100)  # the lower tone and word are sounding
    cues.close()
    assert cues._output.finished == 1 and cues._output.closed == 0  # not cut off
    assert cues.mixer.pending() == 0 and cues.mixer.busy()


def test_exercise_names_are_synthesised_off_the_ui_thread_or_fall_back_to_a_tone_once(make, qtbot):
    import threading

    threads = []

    def synthesise(text):
        threads.append(threading.current_thread())
        pcm = (np.sin(np.arange(4410) / 10) * 10000).astype("<i2").tobytes()
        return b"\0\0" * 500 + pcm, 22_050, 1  # a silent lead-in that must go

    cues = make(synthesise=synthesise)
    with qtbot.wait_signal(cues.names_ready, timeout=5000):
        cues.announce(["Lat pulldown", "Seated cable row"])
    assert threads and all(t is not threading.main_thread() for t in threads)
    cues.say_name("Lat pulldown")
    assert placed(cues) == ["Lat pulldown"]
    assert abs(cues.mixer.started[0].clip.samples[0]) > 0  # trimmed: the name starts at once
    silent = make(synthesise=None)
    silent._synthesise = None
    silent.announce(["Lat pulldown"])
    silent.say_name("Lat pulldown")
    silent.say_name("Lat pulldown")
    assert placed(silent) == ["get-ready"]  # a tone, once


def test_every_shipped_phrase_starts_on_its_first_sample():
    for phrase in PHRASES:
        clip = read_wav(VOICE_DIR / f"{clip_name(phrase)}.wav")
        assert 0.15 < clip.seconds < 2.5, phrase
        assert abs(clip.samples[0]) > 0.005, f"{phrase} starts with silence"


@pytest.mark.parametrize("seconds", [*range(1, 21), *range(30, 301, 15)])
def test_every_rest_the_settings_allow_in_steps_of_15_s_is_said_whole(seconds):
    words = spoken_words("rest", seconds)
    assert phrases_in(words) == [p.strip() for p in words.split(",")], words


def test_every_part_word_has_a_clip():
    from backcoach.movement import SegmentKind

    for kind in SegmentKind:
        assert phrases_in(spoken_words(kind, 0) or ""), kind
    assert phrases_in(spoken_words("concentric", 1, "STEP UP", "left")) == ["left", "step up"]


class ExpectingCues:
    """Records what the session driver says is coming, as MixerCues would receive it."""

    available, problem = True, None

    def __init__(self):
        self.expected: list[list[tuple]] = []
        self.called: list[tuple] = []

    def expect(self, upcoming):
        self.expected.append([(round(at, 3), str(kind), tuple(args)) for at, kind, args in upcoming])

    def phase_changed(self, phase, seconds, rep, side, word=None):
        self.called.append(("phase", phase))

    def countdown(self, n):
        self.called.append(("countdown", n))

    def set_finished(self):
        self.called.append(("set_finished",))


def test_the_session_driver_tells_the_cues_each_boundary_before_it_comes(qapp, tmp_path, library):
    from backcoach.session import SessionFlow, Step
    from backcoach.store import Store
    from backcoach.ui.session_driver import SessionDriver
    from tests.helpers.fake_clock import FakeClock

    store = Store.open(tmp_path / "data")
    step = Step(exercise_id="lat-pulldown", set_number=1, warmup=False, target_reps=1, rep_range=(1, 1), seconds=None,
                load_kg=40.0, tempo="1-1-1-1", rest_seconds=4, per_side=False, superset=None, item_id=None)
    flow = SessionFlow.start(store, library, [step, Step(**{**step.__dict__, "set_number": 2})], "Driver hook")
    clock = FakeClock(1000.0)
    cues = ExpectingCues()
    driver = SessionDriver(flow, cues=cues, clock=clock, get_ready=3.0, realtime=False)
    driver.start()  # get ready, 3 s: its 2-1 marks and the pull that follows are announced ahead
    assert cues.expected[-1] == [(1001.0, "countdown", (2,)), (1002.0, "countdown", (1,)),
                                 (1003.0, "phase", ("concentric", 1.0, 1, None, "PULL"))]
    for _ in range(3):  # the 2, the 1, then the pull: each boundary comes as announced
        clock.advance_to(driver.next_wake)
        driver.poll(on_time=True)
    assert cues.expected[-1] == [(1004.0, "phase", ("concentric-hold", 1.0, 1, None, "SQUEEZE"))]
    for _ in range(2):  # squeeze, lower (no pause after the last rep): the last announces the end
        clock.advance_to(driver.next_wake)
        driver.poll(on_time=True)
    assert cues.expected[-1] == [(1006.0, "set_finished", ())]
    driver.toggle_pause()
    assert cues.expected[-1] == []  # paused: nothing is coming, what was scheduled is dropped
    driver.stop()
    store.close()


@pytest.mark.parametrize("auto_start", [True, False])
def test_a_rest_announces_the_next_get_ready_only_when_the_set_starts_by_itself(qapp, tmp_path, library, auto_start):
    from backcoach.session import SessionFlow, Step
    from backcoach.store import Store
    from backcoach.ui.session_driver import SessionDriver
    from tests.helpers.fake_clock import FakeClock

    store = Store.open(tmp_path / "data")
    step = Step(exercise_id="lat-pulldown", set_number=1, warmup=False, target_reps=1, rep_range=(1, 1), seconds=None,
                load_kg=40.0, tempo="1-1-1-1", rest_seconds=10, per_side=False, superset=None, item_id=None)
    flow = SessionFlow.start(store, library, [step, Step(**{**step.__dict__, "set_number": 2})], "Auto start")
    clock = FakeClock(1000.0)
    cues = ExpectingCues()
    driver = SessionDriver(flow, cues=cues, clock=clock, get_ready=3.0, realtime=False, auto_start=auto_start)
    driver.start()
    while flow.stage == "work":
        clock.advance_to(driver.next_wake)
        driver.poll(on_time=True)
    driver.log(reps=1, load_kg=40.0)
    assert flow.stage == "rest"
    phases = [args[0] for _, kind, args in cues.expected[-1] if kind == "phase"]
    assert phases == (["get-ready"] if auto_start else [])
    driver.stop()
    store.close()


class LeadingCues(ExpectingCues):
    """Cues that must be told a moment ahead, as MixerCues once its stream runs."""

    lead = 0.25


def test_a_key_press_starts_the_new_part_a_lead_ahead_so_its_first_cue_is_scheduled(qapp, tmp_path, library):
    """The session's first get-ready and the rest after Enter are scheduled on their sample
    like every other cue (none waits a device buffer), and the screen moves with the sound."""
    from backcoach.session import SessionFlow, Step
    from backcoach.store import Store
    from backcoach.ui.session_driver import SessionDriver
    from tests.helpers.fake_clock import FakeClock

    store = Store.open(tmp_path / "data")
    step = Step(exercise_id="lat-pulldown", set_number=1, warmup=False, target_reps=1, rep_range=(1, 1), seconds=None,
                load_kg=40.0, tempo="1-1-1-1", rest_seconds=10, per_side=False, superset=None, item_id=None)
    flow = SessionFlow.start(store, library, [step, Step(**{**step.__dict__, "set_number": 2})], "Lead")
    clock = FakeClock(1000.0)
    cues = LeadingCues()
    driver = SessionDriver(flow, cues=cues, clock=clock, get_ready=3.0, realtime=False)
    driver.start()
    assert cues.called == []  # nothing played at once...
    assert cues.expected[-1][0] == (1000.25, "phase", ("get-ready", 3.0, None, None, "GET READY"))  # ...on its sample
    assert driver.next_wake == pytest.approx(1000.25)
    assert driver.position().remaining == pytest.approx(3.0)  # the screen waits with the sound
    clock.advance_to(driver.next_wake)
    driver.poll(on_time=True)
    assert cues.called == [("phase", "get-ready")]  # the boundary claims the cue scheduled ahead
    assert (1001.25, "countdown", (2,)) in cues.expected[-1]
    while flow.stage == "work":
        clock.advance_to(driver.next_wake)
        driver.poll(on_time=True)
    called = len(cues.called)
    driver.log(reps=1, load_kg=40.0)  # Enter: the rest begins a lead later, its cue ahead
    assert flow.stage == "rest" and len(cues.called) == called
    first = cues.expected[-1][0]
    assert first[:2] == (round(clock.now + 0.25, 3), "phase") and first[2][:2] == ("rest", 10.0)
    clock.advance_to(driver.next_wake)
    driver.poll(on_time=True)  # the rest begins
    ends = driver.scheduler.next_boundary()
    assert (round(ends, 3), "phase", ("get-ready", 3.0, None, None, None)) in cues.expected[-1]
    clock.advance_to(ends)
    driver.poll(on_time=True)  # the rest ends into the next set: its get-ready was cued ahead,
    assert flow.stage == "work" and driver.scheduler.begins_at() is None  # so it starts on time
    assert cues.called[-1] == ("phase", "get-ready")
    driver.stop()
    store.close()


def test_a_skip_inside_a_set_replans_the_cues_so_the_next_part_is_heard_on_time(qapp, tmp_path, library):
    """Arrow keys in a set: the cue of the boundary that no longer comes is dropped, and the
    part skipped to begins a lead later with its cue scheduled on its sample (not played at
    once, a device buffer late); the screen shows that part at once, waiting for its cue."""
    from backcoach.session import SessionFlow, Step
    from backcoach.store import Store
    from backcoach.ui.session_driver import SessionDriver
    from tests.helpers.fake_clock import FakeClock

    store = Store.open(tmp_path / "data")
    step = Step(exercise_id="lat-pulldown", set_number=1, warmup=False, target_reps=3, rep_range=(3, 3), seconds=None,
                load_kg=40.0, tempo="2-1-2-1", rest_seconds=10, per_side=False, superset=None, item_id=None)
    flow = SessionFlow.start(store, library, [step], "Skip")
    clock = FakeClock(1000.0)
    cues = LeadingCues()
    driver = SessionDriver(flow, cues=cues, clock=clock, get_ready=3.0, realtime=False)
    driver.start()
    while driver.position().phase != "concentric":  # into the first rep's pull (2 s)
        clock.advance_to(driver.next_wake)
        driver.poll(on_time=True)
    clock.advance(0.5)
    driver.poll()
    old_boundary = driver.scheduler.next_boundary()
    assert any(round(old_boundary, 3) == at for at, _kind, _args in cues.expected[-1])
    called = len(cues.called)
    driver.skip(1)  # → the squeeze, now
    assert len(cues.called) == called  # nothing played at once...
    first = cues.expected[-1][0]
    assert first == (round(clock.now + 0.25, 3), "phase", ("concentric-hold", 1.0, 1, None, "SQUEEZE"))  # ...ahead
    assert all(round(old_boundary, 3) != at for at, _kind, _args in cues.expected[-1])  # the old one dropped
    assert driver.position().phase == "concentric-hold" and driver.position().remaining == pytest.approx(1.0)
    assert driver.next_wake == pytest.approx(clock.now + 0.25)
    clock.advance_to(driver.next_wake)
    driver.poll(on_time=True)
    assert cues.called[called:] == [("phase", "concentric-hold")]  # the boundary claims the cue scheduled ahead
    assert driver.scheduler.next_boundary() == pytest.approx(clock.now + 1.0)  # a whole squeeze from its cue
    clock.advance(0.2)
    driver.skip(-1)  # back within a second: to the pull again, also a lead later, its cue ahead
    assert cues.expected[-1][0] == (round(clock.now + 0.25, 3), "phase", ("concentric", 2.0, 1, None, "PULL"))
    clock.advance_to(driver.next_wake)
    driver.poll(on_time=True)
    assert cues.called[-1] == ("phase", "concentric")
    driver.stop()
    store.close()


def test_a_skip_with_cues_that_play_at_once_moves_at_once(qapp, tmp_path, library):
    from backcoach.session import SessionFlow, Step
    from backcoach.store import Store
    from backcoach.ui.session_driver import SessionDriver
    from tests.helpers.fake_clock import FakeClock

    store = Store.open(tmp_path / "data")
    step = Step(exercise_id="lat-pulldown", set_number=1, warmup=False, target_reps=3, rep_range=(3, 3), seconds=None,
                load_kg=40.0, tempo="2-1-2-1", rest_seconds=10, per_side=False, superset=None, item_id=None)
    flow = SessionFlow.start(store, library, [step], "Skip at once")
    clock = FakeClock(1000.0)
    cues = ExpectingCues()  # no lead: no stream yet, or no sound
    driver = SessionDriver(flow, cues=cues, clock=clock, get_ready=3.0, realtime=False)
    driver.start()
    driver.skip(1)
    assert cues.called[-1] == ("phase", "concentric") and driver.scheduler.begins_at() is None
    driver.stop()
    store.close()


class StartingCues(LeadingCues):
    """Cues whose stream is still opening (`starting`): no lead until it is ready."""

    def __init__(self):
        super().__init__()
        self.starting = True

    @property
    def lead(self):
        return 0.0 if self.starting else 0.25


def test_a_session_started_while_the_stream_opens_waits_for_it_so_the_get_ready_is_on_time(qapp, tmp_path,
                                                                                           library):
    from backcoach.session import SessionFlow, Step
    from backcoach.store import Store
    from backcoach.ui import session_driver
    from backcoach.ui.session_driver import SessionDriver
    from tests.helpers.fake_clock import FakeClock

    store = Store.open(tmp_path / "data")
    step = Step(exercise_id="lat-pulldown", set_number=1, warmup=False, target_reps=1, rep_range=(1, 1), seconds=None,
                load_kg=40.0, tempo="1-1-1-1", rest_seconds=10, per_side=False, superset=None, item_id=None)
    flow = SessionFlow.start(store, library, [step], "Quick start")
    clock = FakeClock(1000.0)
    cues = StartingCues()
    driver = SessionDriver(flow, cues=cues, clock=clock, get_ready=3.0, realtime=False)
    driver.start()
    assert cues.called == [] and cues.expected == []  # nothing played into a stream still opening
    assert driver.position().phase == "get-ready" and driver.position().remaining == pytest.approx(3.0)
    for _ in range(10):  # half a second: it looks again every 50 ms, the part waiting at its start
        clock.advance_to(driver.next_wake)
        driver.poll(on_time=True)
    assert clock.now == pytest.approx(1000.5) and cues.called == [] and driver.position().remaining == 3.0
    cues.starting = False  # the stream is ready: the get-ready begins a lead from now, its cue ahead
    clock.advance_to(driver.next_wake)
    driver.poll(on_time=True)
    assert cues.expected[-1][0] == (round(clock.now + 0.25, 3), "phase", ("get-ready", 3.0, None, None, "GET READY"))
    clock.advance_to(driver.next_wake)
    driver.poll(on_time=True)
    assert cues.called == [("phase", "get-ready")]  # claimed: heard on its sample, not late
    driver.stop()
    store.close()

    store = Store.open(tmp_path / "data2")
    flow = SessionFlow.start(store, library, [step], "Never ready")
    cues = StartingCues()
    driver = SessionDriver(flow, cues=cues, clock=clock, get_ready=3.0, realtime=False)
    start = clock.now
    driver.start()
    while not cues.called:  # a stream that never gets ready: the part starts after the wait anyway
        clock.advance_to(driver.next_wake)
        driver.poll(on_time=True)
    assert clock.now == pytest.approx(start + session_driver.SOUND_WAIT_SECONDS)
    driver.stop()
    store.close()


def test_cues_ask_for_a_lead_only_once_the_stream_runs(qapp):
    from backcoach.settings import Settings
    import time

    from backcoach.ui.mixer_cues import LEAD, SETTLE

    class StartingOutput(FakeOutput):
        def __init__(self, mixer):
            super().__init__(mixer)
            import threading

            self.opened, self.running = threading.Event(), threading.Event()

    made = []
    cues = MixerCues(Settings(None), output_factory=lambda m: made.append(StartingOutput(m)) or made[-1])
    assert cues.lead == 0.0 and not cues.ready  # not started yet: a cue can only play at once
    made[0].opened.set()
    made[0].running.set()
    made[0].running_since = time.monotonic()
    assert cues.lead == 0.0 and not cues.ready  # just started: its clock is not steady yet
    made[0].running_since = time.monotonic() - SETTLE
    assert cues.lead == LEAD and cues.ready
    cues.close()
