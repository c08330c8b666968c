"""Builds small library folders on disk so loader tests can break one thing at a time."""

from __future__ import annotations

from pathlib import Path

from backcoach.resources import DATA_DIR

VALID_EXERCISE = '''
[[exercise]]
id = "test-row"
name = "Test row"
aliases = ["Tester"]
pattern = "horizontal-row"
equipment = ["dumbbell"]
level = "beginner"
primary_muscles = ["lats"]
secondary_muscles = ["biceps"]
unilateral = false
mode = "reps"
focus_cue = "Elbows back"
steps = ["One.", "Two.", "Three."]
tips = ["A tip."]
mistakes = ["A mistake."]
harder = ["test-row-2"]
increment_kg = 2

[exercise.prescription]
sets = 3
reps = [8, 12]
tempo = "3-2-1-2"
rest_seconds = 90

[[exercise]]
id = "test-row-2"
name = "Test row two"
pattern = "horizontal-row"
equipment = ["barbell"]
level = "intermediate"
primary_muscles = ["lats"]
unilateral = false
mode = "timed"
focus_cue = "Hold"
steps = ["One.", "Two.", "Three."]
tips = ["A tip."]
mistakes = ["A mistake."]

[exercise.prescription]
sets = 2
seconds = 30
rest_seconds = 60
'''


def make_library_dir(root: Path, exercises: str = VALID_EXERCISE, muscles: str | None = None,
                     vocabulary: str | None = None) -> Path:
    """A data folder with the shipped muscles and vocabulary and one exercise file."""
    folder = root / "lib"
    (folder / "exercises").mkdir(parents=True)
    if muscles is None:
        (folder / "muscles.toml").write_bytes((DATA_DIR / "muscles.toml").read_bytes())
    else:
        (folder / "muscles.toml").write_text(muscles, encoding="utf-8")
    if vocabulary is None:
        (folder / "vocabulary.toml").write_bytes((DATA_DIR / "vocabulary.toml").read_bytes())
    else:
        (folder / "vocabulary.toml").write_text(vocabulary, encoding="utf-8")
    (folder / "exercises" / "test.toml").write_text(exercises, encoding="utf-8")
    return folder
