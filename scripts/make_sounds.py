"""Generate the guided session's cue tones into backcoach/assets/sounds/ (committed; rerun to change them).

Every tone is 16-bit mono PCM at 44.1 kHz, 80-250 ms long, built from sine partials with a soft
bell-like decay and an 8 ms raised-cosine fade at each end so nothing clicks. The phases are
told apart by pitch and shape: the lift (concentric) rises, the lowering falls, the holds and rest are low
and calm, the countdown tick is short and bright, and a finished set gets a two-note chime.

Only the standard library is used and nothing is random, so the output is byte-for-byte the
same on every run:

    python scripts/make_sounds.py                 # into backcoach/assets/sounds/
    python scripts/make_sounds.py --out DIR       # anywhere else (the tests compare the two)
"""

from __future__ import annotations

import argparse
import math
import sys
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

RATE = 44_100
SAMPLE_WIDTH = 2  # bytes: 16-bit
FADE_SECONDS = 0.008
PEAK = 0.55  # of full scale: loud enough, far from clipping, room for two notes to overlap
OUT_DIR = Path(__file__).resolve().parent.parent / "backcoach" / "assets" / "sounds"

# Partials: (multiple of the fundamental, relative amplitude). A little second and third
# harmonic makes a round, marimba-like tone instead of a thin beep.
SOFT = ((1.0, 1.0), (2.0, 0.18), (3.0, 0.05))
BRIGHT = ((1.0, 1.0), (2.0, 0.30), (3.0, 0.12), (4.0, 0.05))


@dataclass(frozen=True)
class Note:
    start: float  # seconds into the sound
    duration: float  # seconds
    freq: float  # Hz at the start
    end_freq: float | None = None  # Hz at the end for a glide; None holds the pitch
    gain: float = 1.0
    decay: float = 6.0  # exponential decay rate per second (0 = flat)
    partials: tuple[tuple[float, float], ...] = SOFT


@dataclass(frozen=True)
class Sound:
    name: str  # file name without .wav
    duration: float  # seconds
    notes: tuple[Note, ...]


# Equal-tempered pitches used below (A4 = 440 Hz).
G4, A4, C5, D5, E5, F5, G5, A5, B5, C6, D6, E6 = (
    392.00, 440.00, 523.25, 587.33, 659.26, 698.46, 783.99, 880.00, 987.77, 1046.50, 1174.66, 1318.51,
)

SOUNDS: tuple[Sound, ...] = (
    # Phases of a set, in the order the session meets them.
    Sound("get-ready", 0.16, (Note(0.0, 0.16, C5, gain=0.9, decay=8.0),)),
    Sound("concentric", 0.12, (Note(0.0, 0.12, E5, end_freq=A5, decay=4.0),)),  # rises like the pull
    Sound("concentric-hold", 0.10, (Note(0.0, 0.10, A5, gain=0.85, decay=10.0, partials=BRIGHT),)),
    Sound("eccentric", 0.18, (Note(0.0, 0.18, G5, end_freq=D5, decay=5.0),)),  # falls like the lowering
    Sound("eccentric-hold", 0.09, (Note(0.0, 0.09, G4, gain=0.8, decay=12.0),)),
    Sound("hold", 0.15, (Note(0.0, 0.15, F5, decay=3.0),)),
    Sound("switch", 0.16, (Note(0.0, 0.07, D5, decay=10.0), Note(0.075, 0.085, A5, decay=10.0))),
    Sound("rest", 0.20, (Note(0.0, 0.20, A4, end_freq=G4, gain=0.85, decay=7.0),)),
    # The last seconds of a rest or a hold: 3, 2, 1 ... go.
    Sound("countdown-tick", 0.08, (Note(0.0, 0.08, B5, gain=0.75, decay=20.0, partials=BRIGHT),)),
    Sound("countdown-go", 0.16, (Note(0.0, 0.16, E6, gain=0.9, decay=6.0, partials=BRIGHT),)),
    # A short two-note chime (a rising fourth) when the set's work is done.
    Sound("set-finished", 0.24, (Note(0.0, 0.11, G5, decay=9.0), Note(0.09, 0.15, C6, decay=7.0))),
    # The alert outside the window when a rest is over: a bright rising arpeggio, unlike any cue.
    Sound("rest-over", 0.25, (Note(0.0, 0.08, C5, decay=8.0, partials=BRIGHT),
                              Note(0.07, 0.08, E5, decay=8.0, partials=BRIGHT),
                              Note(0.14, 0.11, C6, decay=5.0, partials=BRIGHT))),
)


def _note_samples(note: Note) -> list[float]:
    """The note on its own, faded in and out, peak 1.0 before the note's gain."""
    count = round(note.duration * RATE)
    fade = round(FADE_SECONDS * RATE)
    end_freq = note.end_freq if note.end_freq is not None else note.freq
    phase = 0.0
    samples: list[float] = []
    for i in range(count):
        t = i / RATE
        # A glide moves through the pitch geometrically (even in the ear) by integrating phase.
        freq = note.freq * (end_freq / note.freq) ** (i / max(count - 1, 1))
        phase += 2.0 * math.pi * freq / RATE
        value = sum(amp * math.sin(k * phase) for k, amp in note.partials)
        envelope = math.exp(-note.decay * t)
        if i < fade:
            envelope *= 0.5 - 0.5 * math.cos(math.pi * i / fade)
        if i >= count - fade:
            envelope *= 0.5 - 0.5 * math.cos(math.pi * (count - 1 - i) / fade)
        samples.append(value * envelope)
    peak = max(abs(s) for s in samples) or 1.0
    return [s / peak * note.gain for s in samples]


def render(sound: Sound) -> bytes:
    """The sound as little-endian 16-bit PCM frames."""
    total = round(sound.duration * RATE)
    mix = [0.0] * total
    for note in sound.notes:
        offset = round(note.start * RATE)
        for i, value in enumerate(_note_samples(note)):
            if offset + i < total:
                mix[offset + i] += value
    peak = max(abs(s) for s in mix) or 1.0
    scale = PEAK * 32767 / peak
    frames = array("h", (int(round(s * scale)) for s in mix))
    if sys.byteorder != "little":
        frames.byteswap()
    return frames.tobytes()


def write_wav(path: Path, frames: bytes) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(RATE)
        out.writeframes(frames)


def make_sounds(out_dir: Path = OUT_DIR) -> list[Path]:
    """Write every sound into `out_dir`; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for sound in SOUNDS:
        path = out_dir / f"{sound.name}.wav"
        write_wav(path, render(sound))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder to write into (default: backcoach/assets/sounds)")
    args = parser.parse_args(argv)
    total = 0
    for path in make_sounds(args.out):
        size = path.stat().st_size
        total += size
        print(f"{path.name:20} {size / 1024:5.1f} KB")
    print(f"{'total':20} {total / 1024:5.1f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
