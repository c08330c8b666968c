"""Generate the coach's spoken phrases into backcoach/assets/voice/ (committed; rerun to change them).

Every phrase of backcoach.voice.PHRASES (phase words, sides, numbers 1-20, "N seconds",
"N minutes") is spoken by espeak-ng (scripts/audio-tools.sh installs it), trimmed of the
engine's silent lead-in so the word starts at sample 0 (and of trailing silence), brought to
the same peak as the tones, and written as 16-bit mono PCM at espeak-ng's 22.05 kHz. The same
espeak-ng version gives the same bytes.

    python scripts/make_voice.py                 # into backcoach/assets/voice/
    python scripts/make_voice.py --out DIR       # anywhere else
"""

from __future__ import annotations

import argparse
import sys
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from backcoach.mixing import pcm16_to_float, trim_lead_in  # noqa: E402
from backcoach.voice import PHRASES, VOICE_DIR, clip_name, espeak, espeak_available  # noqa: E402

PEAK = 0.6  # of full scale, like the tones (scripts/make_sounds.py)
THRESHOLD = 0.01  # below this a sample counts as the silence around the word


def make_clip(phrase: str) -> tuple[bytes, int]:
    """The phrase as trimmed, normalised 16-bit PCM and its rate."""
    data, rate, channels = espeak(phrase)
    samples = trim_lead_in(pcm16_to_float(data, channels), THRESHOLD)
    if len(samples) == 0:
        raise RuntimeError(f"espeak-ng said nothing for {phrase!r}")
    samples = samples / float(np.max(np.abs(samples))) * PEAK
    return np.round(samples * 32767).astype("<i2").tobytes(), rate


def make_voice(out_dir: Path = VOICE_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for phrase in PHRASES:
        pcm, rate = make_clip(phrase)
        path = out_dir / f"{clip_name(phrase)}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(pcm)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=VOICE_DIR, help="folder to write into (default: backcoach/assets/voice)")
    args = parser.parse_args(argv)
    if not espeak_available():
        print("espeak-ng is not installed: run scripts/audio-tools.sh (or apt-get install espeak-ng)", file=sys.stderr)
        return 1
    paths = make_voice(args.out)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} clips, {total / 1024:.0f} KB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
