"""The committed cue tones in assets/sounds/: format, length, level, fades, and that
scripts/make_sounds.py makes exactly these files."""

from __future__ import annotations

import math
import subprocess
import sys
import wave
from array import array
from pathlib import Path

import pytest

from backcoach.resources import ASSETS_DIR

ROOT = Path(__file__).resolve().parents[2]

SOUNDS_DIR = ASSETS_DIR / "sounds"
SCRIPT = ROOT / "scripts" / "make_sounds.py"
PHASES = ("get-ready", "concentric", "concentric-hold", "eccentric", "eccentric-hold", "hold", "switch", "rest")
EXPECTED = (*PHASES, "countdown-tick", "countdown-go", "set-finished", "rest-over")
FULL_SCALE = 32767


def read(path: Path) -> tuple:  # (wave params, samples)
    with wave.open(str(path), "rb") as wav:
        params = wav.getparams()
        frames = array("h", wav.readframes(params.nframes))
    if sys.byteorder != "little":
        frames.byteswap()
    return params, frames


def test_every_expected_sound_is_there_and_nothing_else():
    assert sorted(p.stem for p in SOUNDS_DIR.glob("*.wav")) == sorted(EXPECTED)


def test_the_sounds_are_small():
    assert sum(p.stat().st_size for p in SOUNDS_DIR.glob("*.wav")) < 200 * 1024


@pytest.mark.parametrize("name", EXPECTED)
def test_format_and_length(name):
    params, frames = read(SOUNDS_DIR / f"{name}.wav")
    assert (params.nchannels, params.sampwidth, params.framerate, params.comptype) == (1, 2, 44_100, "NONE")
    assert len(frames) == params.nframes
    assert 0.080 <= params.nframes / params.framerate <= 0.250


@pytest.mark.parametrize("name", EXPECTED)
def test_audible_without_clipping(name):
    _, frames = read(SOUNDS_DIR / f"{name}.wav")
    peak = max(abs(s) for s in frames)
    rms = math.sqrt(sum(s * s for s in frames) / len(frames))
    assert peak > 0.3 * FULL_SCALE, "too quiet"
    assert rms > 0.05 * FULL_SCALE, "mostly silence"
    assert peak < 0.9 * FULL_SCALE, "too close to clipping"


@pytest.mark.parametrize("name", EXPECTED)
def test_fades_in_and_out_so_nothing_clicks(name):
    params, frames = read(SOUNDS_DIR / f"{name}.wav")
    assert abs(frames[0]) <= 0.01 * FULL_SCALE and abs(frames[-1]) <= 0.01 * FULL_SCALE
    # The first and last millisecond stay quiet: a fade, not a jump to full level.
    ms = params.framerate // 1000
    edges = [*frames[:ms], *frames[-ms:]]
    assert max(abs(s) for s in edges) < 0.15 * FULL_SCALE
    # The level reached somewhere past the fades is much louder than the edges.
    assert max(abs(s) for s in frames[10 * ms:-10 * ms]) > 3 * max(abs(s) for s in edges)


def test_every_sound_is_distinct():
    contents = {(SOUNDS_DIR / f"{name}.wav").read_bytes() for name in EXPECTED}
    assert len(contents) == len(EXPECTED)


def test_the_script_regenerates_identical_files(tmp_path):
    out = tmp_path / "sounds"
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in out.glob("*.wav"))
    assert made == sorted(f"{name}.wav" for name in EXPECTED)
    for name in made:
        assert (out / name).read_bytes() == (SOUNDS_DIR / name).read_bytes(), f"{name} differs: rerun the script"
