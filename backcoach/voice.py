"""What the coach can say without a speech engine: the fixed phrases shipped as clips in
assets/voice/ (made by scripts/make_voice.py with espeak-ng), how a sentence is cut into
those phrases, and espeak-ng as the synthesiser for what is not shipped (exercise names).

Why clips: a speech engine answers `say()` 30-160 ms late and later under load, after its own
silent lead-in, and many laptops have none. A clip trimmed to start on its first sample can be
mixed in on the beat like a tone.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import wave

from backcoach.resources import ASSETS_DIR

VOICE_DIR = ASSETS_DIR / "voice"
ESPEAK_VOICE = "en-us"  # espeak-ng's voice for the clips and for names said at run time
ESPEAK_SPEED = 165  # words a minute: clear in a noisy gym without dragging

# The words of a guided session: phase words (old and new names), sides, and the few others.
WORDS = ("get ready", "pull", "squeeze", "lower", "pause", "stretch", "down", "hold", "stand", "top", "hinge",
         "press", "return", "reach", "step up", "switch sides", "rest", "left", "right", "go",
         "arch", "hang", "jump", "lift", "lock out", "raise", "relax", "reset", "rise", "rotate", "round",
         "shrug", "stand tall")
NUMBERS = tuple(str(n) for n in range(1, 21))
SECONDS = tuple(f"{n} seconds" if n != 1 else "1 second"
                for n in (*range(1, 21), *range(25, 120, 5), *range(135, 300, 30)))  # the odd quarters: 135, 165…
MINUTES = (*(f"{n} minutes" for n in range(2, 11)), *(f"{n} and a half minutes" for n in range(2, 10)))
PHRASES = (*WORDS, *NUMBERS, *SECONDS, *MINUTES)


def clip_name(phrase: str) -> str:
    """The file stem of a phrase's clip: 'switch sides' -> 'switch-sides', '90 seconds' -> '90-seconds'."""
    return re.sub(r"[^a-z0-9]+", "-", phrase.lower()).strip("-")


def phrases_in(text: str) -> list[str]:
    """Cut what the coach says into shipped phrases: 'rest, 90 seconds' -> ['rest', '90 seconds'].
    A part with no clip is left out ('rest, 137 seconds' -> ['rest']): better the word alone
    than a wrong number."""
    shipped = set(PHRASES)
    parts = [p.strip().lower() for p in re.split(r"[,.;:!?]", text)]
    return [p for p in parts if p in shipped]


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def espeak(text: str, timeout: float = 10.0) -> tuple[bytes, int, int]:
    """`text` spoken by espeak-ng as (16-bit PCM, rate, channels). Raises OSError or
    subprocess.SubprocessError when it cannot; runs a process, so never on the UI thread."""
    result = subprocess.run(["espeak-ng", "-v", ESPEAK_VOICE, "-s", str(ESPEAK_SPEED), "--stdout", text],
                            capture_output=True, timeout=timeout, check=True)
    data = result.stdout
    # espeak-ng writes a WAV whose sizes are unknown when it streams: read the header ourselves.
    with wave.open(io.BytesIO(_fix_sizes(data)), "rb") as wav:
        return wav.readframes(wav.getnframes()), wav.getframerate(), wav.getnchannels()


def _fix_sizes(data: bytes) -> bytes:
    """A streamed WAV has 0xFFFFFFFF sizes; make them match what was written."""
    if data[:4] != b"RIFF" or len(data) < 44:
        raise OSError("espeak-ng wrote no WAV")
    pos = data.find(b"data", 12)
    if pos < 0:
        raise OSError("espeak-ng wrote no audio")
    body = len(data) - pos - 8
    return (data[:4] + (len(data) - 8).to_bytes(4, "little") + data[8:pos + 4] + body.to_bytes(4, "little")
            + data[pos + 8:])


__all__ = ["VOICE_DIR", "PHRASES", "WORDS", "NUMBERS", "SECONDS", "MINUTES", "clip_name", "phrases_in", "espeak",
           "espeak_available"]
