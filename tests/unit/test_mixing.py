"""The mixer's arithmetic on synthetic PCM: placing a cue on its sample, summing, clipping,
tails that carry over blocks, latency compensation, late cues, cancelling, WAV reading."""

from __future__ import annotations

import wave

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.mixing import (RATE, Clip, Mixer, StreamClock, join, pcm16_to_float, read_wav, resample, to_int16,
                              trim_lead_in, volume_gain)


def ramp(n: int, name: str = "ramp", value: float | None = None) -> Clip:
    samples = np.full(n, value, dtype=np.float32) if value is not None else np.arange(1, n + 1, dtype=np.float32) / (n + 1)
    return Clip(name, samples)


def running_mixer(latency: float = 0.0, origin: float = 100.0) -> Mixer:
    """A mixer whose stream has frame 0 leave for the speaker at monotonic `origin`."""
    clock = StreamClock(latency=latency)
    clock.observe(origin + 1.0, RATE)  # one second in, one second of frames consumed
    return Mixer(clock)


def render_all(mixer: Mixer, blocks: list[int]) -> np.ndarray:
    return np.concatenate([mixer.render(n) for n in blocks])


def test_a_cue_starts_on_the_frame_heard_at_its_instant():
    mixer = running_mixer()
    clip = ramp(50)
    mixer.schedule(clip, 100.0 + 1000 / RATE)  # frame 1000
    out = render_all(mixer, [512, 512, 512])
    assert np.all(out[:1000] == 0)
    assert out[1000] == pytest.approx(clip.samples[0])
    np.testing.assert_allclose(out[1000:1050], clip.samples)
    assert np.all(out[1050:] == 0)
    assert mixer.started[0].start == 1000 and mixer.started[0].late == 0.0


def test_the_output_latency_is_taken_off_so_the_cue_is_heard_on_time():
    """The frame that is heard at `at` left `latency` earlier: the cue goes on that frame."""
    mixer = running_mixer(latency=0.020)
    mixer.schedule(ramp(10), 100.0 + 2000 / RATE)
    out = render_all(mixer, [4096])
    first = int(np.flatnonzero(out)[0])
    assert first == 2000 - round(0.020 * RATE)
    assert mixer.clock.heard_at(first) == pytest.approx(100.0 + 2000 / RATE, abs=1 / RATE)


@given(start=st.integers(0, 3000), length=st.integers(1, 2000),
       blocks=st.lists(st.integers(1, 700), min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_block_sizes_never_change_what_is_heard(start, length, blocks):
    """A clip crossing any number of block edges comes out whole and in place: no cut tail,
    no gap, no repeated fragment."""
    whole = running_mixer()
    whole.schedule(ramp(length), 100.0 + start / RATE)
    total = sum(blocks)
    expected = whole.render(total)
    pieces = running_mixer()
    pieces.schedule(ramp(length), 100.0 + start / RATE)
    np.testing.assert_array_equal(render_all(pieces, blocks), expected)
    if start + length <= total:
        np.testing.assert_allclose(expected[start:start + length], ramp(length).samples)


def test_overlapping_cues_are_summed_and_the_sum_is_clipped():
    mixer = running_mixer()
    mixer.schedule(ramp(100, value=0.3), 100.0)
    mixer.schedule(ramp(100, value=0.4), 100.0 + 50 / RATE)
    mixer.schedule(ramp(20, value=0.6), 100.0 + 60 / RATE)
    out = mixer.render(200)
    assert out[10] == pytest.approx(0.3)
    assert out[55] == pytest.approx(0.7)
    assert out[65] == 1.0  # 1.3 clipped
    assert out[120] == pytest.approx(0.4)
    assert out[160] == 0.0
    pcm = np.frombuffer(to_int16(np.array([1.5, -1.5, 0.5], dtype=np.float32)), dtype="<i2")
    assert list(pcm) == [32767, -32768, 16384]


def test_a_cue_asked_for_too_late_starts_at_once_whole_and_says_how_late():
    mixer = running_mixer()
    mixer.render(1000)
    mixer.schedule(ramp(30), 100.0 + 500 / RATE)  # its frame has already been rendered
    out = mixer.render(100)
    np.testing.assert_allclose(out[:30], ramp(30).samples)  # from its first sample, not mid-clip
    assert mixer.started[0].late == pytest.approx(500 / RATE)


def test_as_soon_as_possible_goes_first_in_the_next_block():
    mixer = Mixer(StreamClock())  # not even running: an immediate cue needs no clock
    mixer.render(64)
    mixer.schedule(ramp(10), None)
    out = mixer.render(64)
    np.testing.assert_allclose(out[:10], ramp(10).samples)


def test_timed_cues_wait_until_the_stream_runs():
    mixer = Mixer(StreamClock())
    mixer.schedule(ramp(10), 5.0)
    assert not mixer.render(256).any()
    assert mixer.pending() == 1


def test_cancel_drops_waiting_cues_but_lets_a_playing_one_finish():
    mixer = running_mixer()
    mixer.schedule(ramp(300, value=0.5), 100.0, key="pull")
    mixer.schedule(ramp(10, value=0.2), 100.0 + 1000 / RATE, key="lower")
    mixer.schedule(ramp(10, value=0.2), 100.0 + 2000 / RATE, key="pause")
    first = mixer.render(100)
    assert mixer.cancel(after=100.0 + 1500 / RATE) == 1
    assert mixer.cancel(key="lower") == 1
    rest = mixer.render(3000)
    assert np.all(first == 0.5) and np.all(rest[:200] == 0.5)  # the playing clip plays out
    assert not rest[200:].any()
    assert not mixer.busy()


def test_volume_and_mute_apply_to_the_whole_mix():
    mixer = running_mixer()
    mixer.gain = 0.5
    mixer.schedule(ramp(100, value=0.8), 100.0)
    assert mixer.render(10)[0] == pytest.approx(0.4)
    mixer.muted = True
    assert not mixer.render(10).any()


def test_the_stream_clock_takes_the_earliest_recent_observation_and_ignores_a_stream_not_started():
    clock = StreamClock(latency=0.01, window=2.0)  # seconds; the real one is shorter
    clock.observe(3.0, 0)
    assert not clock.running and clock.frame_at(3.0) is None and clock.heard_at(0) is None
    clock.observe(10.0, RATE)  # frame 0 left at 9.0
    assert clock.heard_at(0) == pytest.approx(9.01)
    clock.observe(10.5, RATE)  # a late wake-up says 9.5: ignored
    assert clock.heard_at(0) == pytest.approx(9.01)
    clock.observe(11.0, 2 * RATE + 441)  # an earlier one says 8.99: taken at once
    assert clock.heard_at(0) == pytest.approx(9.0)
    clock.observe(13.5, 4 * RATE)  # 2.5 s later the old ones have left the window: it follows drift
    assert clock.heard_at(0) == pytest.approx(9.51)
    assert clock.frame_at(clock.heard_at(4410)) == 4410


def test_trim_lead_in_starts_at_the_first_sound():
    samples = np.concatenate([np.zeros(300), np.full(5, 0.005), [0.2, -0.3, 0.1], np.zeros(50)]).astype(np.float32)
    trimmed = trim_lead_in(samples)
    assert list(trimmed) == pytest.approx([0.2, -0.3, 0.1])
    assert len(trim_lead_in(np.zeros(100, dtype=np.float32))) == 0


def test_resample_and_join():
    samples = np.sin(np.arange(2205) / 2205 * 2 * np.pi).astype(np.float32)
    up = resample(samples, 22_050, RATE)
    assert len(up) == 4410 and up[::2] == pytest.approx(samples, abs=1e-6)
    joined = join([Clip("a", np.ones(10, np.float32)), Clip("b", np.ones(5, np.float32))], "ab", gap=0.001)
    assert len(joined.samples) == 10 + round(0.001 * RATE) + 5 and joined.name == "ab"


def test_read_wav_at_any_rate_and_refuses_what_it_cannot_read(tmp_path):
    path = tmp_path / "word.wav"
    pcm = (np.array([0, 16384, -16384, 0] * 100, dtype="<i2")).tobytes()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1), wav.setsampwidth(2), wav.setframerate(22_050)
        wav.writeframes(pcm)
    clip = read_wav(path)
    assert clip.name == "word" and len(clip.samples) == 800
    assert pcm16_to_float(pcm)[1] == 0.5
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF nonsense")
    with pytest.raises(ValueError, match="bad.wav"):
        read_wav(bad)


def test_volume_follows_the_ear_like_qt_does():
    """Qt's QtAudio.convertVolume(0.8, Logarithmic, Linear) is 0.3495; 0.5 gives 0.1505."""
    assert volume_gain(80) == pytest.approx(0.349485, abs=1e-5)
    assert volume_gain(50) == pytest.approx(0.150515, abs=1e-5)
    assert volume_gain(0) == 0.0 and volume_gain(100) == 1.0 and volume_gain(250) == 1.0
