"""The shipped voice clips cover every word a guided set can say."""

from __future__ import annotations

from backcoach.movement import FIXED_WORDS, WORD_KINDS
from backcoach.resources import ASSETS_DIR
from backcoach.voice import PHRASES, WORDS, clip_name, phrases_in


def test_every_word_an_exercise_uses_is_shipped_as_a_clip(library):
    words = {ex.movement.word(kind).lower() for ex in library.exercises.values() for kind in WORD_KINDS}
    words |= {w.lower() for w in FIXED_WORDS.values()}
    missing = sorted(w for w in words if w not in WORDS)
    assert not missing, f"add these to voice.WORDS and rerun scripts/make_voice.py: {missing}"


def test_every_phrase_has_its_clip_file():
    folder = ASSETS_DIR / "voice"
    assert [p for p in PHRASES if not (folder / f"{clip_name(p)}.wav").is_file()] == []


def test_a_new_side_is_said_before_the_word():
    assert phrases_in("right, step up") == ["right", "step up"]
