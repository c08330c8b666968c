"""`backcoach set-plan` and the guided set's plan, walked for every exercise against its
movement data: where the set starts, the words, the sides, N reps per side."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from backcoach.cli import main
from backcoach.library import load_library
from backcoach.movement import IN_REP_HOLDS, SegmentKind, Sides, Start
from backcoach.setplan import SetPlanError, format_plan, set_plan
from backcoach.tempo import EXPLOSIVE

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = load_library()
KINDS = {"get-ready", "concentric", "concentric-hold", "eccentric", "eccentric-hold", "hold", "switch"}


def expected_rep(exercise) -> list[tuple[str, str, float]]:
    """One full rep from the data alone: the notation's parts in the movement's order."""
    m, tempo = exercise.movement, exercise.prescription.tempo
    by_kind = {"eccentric": tempo.eccentric, "eccentric-hold": tempo.pause_stretched,
               "concentric": tempo.concentric, "concentric-hold": tempo.pause_contracted}
    first_half = ["eccentric", "eccentric-hold"] if m.start is Start.ECCENTRIC else ["concentric", "concentric-hold"]
    second_half = ["concentric", "concentric-hold"] if m.start is Start.ECCENTRIC else ["eccentric", "eccentric-hold"]
    out = []
    for kind in first_half + second_half:
        seconds = m.explosive_seconds if by_kind[kind] is EXPLOSIVE else by_kind[kind]
        if seconds:
            out.append((kind, m.words.get(SegmentKind(kind)), float(seconds)))
    return out


@pytest.mark.parametrize("exercise_id", list(LIBRARY.exercises))
@pytest.mark.parametrize("reps", [1, 3])
def test_every_exercise_s_plan_follows_its_movement(exercise_id, reps):
    exercise = LIBRARY.exercises[exercise_id]
    m = exercise.movement
    sides = [None] if m.sides is Sides.BOTH else ["left", "right"]
    if exercise.is_timed:
        plan = set_plan(LIBRARY, exercise_id, seconds=20)
        assert [(s.phase, s.word, s.duration, s.side) for s in plan.segments if s.phase != "switch"] == [
            ("hold", m.word("hold"), 20.0, side) for side in sides]
        return
    plan = set_plan(LIBRARY, exercise_id, reps=reps)
    segments = plan.segments
    assert {s.phase for s in segments} <= KINDS and segments[0].phase != "get-ready"
    # where the set starts: the lowering for eccentric-first exercises, else the lift
    first = expected_rep(exercise)[0]
    assert (segments[0].phase, segments[0].word) == first[:2]
    assert segments[0].phase == ("eccentric" if m.start is Start.ECCENTRIC else "concentric") or first[2] == 0
    # every word is the movement's for the part
    assert all(s.word == m.word(s.phase) for s in segments)
    # N reps per side, each a full rep in order but the last, which ends on a moving part
    working = [s for s in segments if s.rep is not None]
    for side in sides:
        mine = [s for s in working if s.side == side]
        assert sorted({s.rep for s in mine}) == list(range(1, reps + 1)), side
        for n in range(1, reps + 1):
            rep = [(s.phase, s.word, s.duration) for s in mine if s.rep == n]
            full = expected_rep(exercise)
            last_of_set = n == reps and (m.sides is not Sides.ALTERNATING or side == "right")
            if not last_of_set:
                assert rep == full
            else:
                assert rep == full[:len(rep)] and rep[-1][0] not in IN_REP_HOLDS
    # the sides: both at once, one then the other with one switch, or alternating every rep
    switches = [s for s in segments if s.phase == "switch"]
    order = [s.side for s in working]
    if m.sides is Sides.BOTH:
        assert set(order) == {None} and not switches
    elif m.sides is Sides.ONE_THEN_OTHER:
        assert len(switches) == 1 and order == sorted(order)          # every left rep, then every right one
        assert segments[segments.index(switches[0]) - 1].side == "left"
    else:
        assert not switches
        rep_sides = [side for i, side in enumerate(order) if i == 0 or (working[i].rep, side) !=
                     (working[i - 1].rep, order[i - 1])]
        assert rep_sides == ["left", "right"] * reps


def test_the_issue_s_examples():
    def words(exercise_id, reps=2):
        return [(s.word, s.duration, s.rep, s.side) for s in set_plan(LIBRARY, exercise_id, reps=reps).segments]
    assert words("goblet-squat") == [("DOWN", 3, 1, None), ("HOLD", 2, 1, None), ("STAND", 1, 1, None),
                                     ("TOP", 1, 1, None), ("DOWN", 3, 2, None), ("HOLD", 2, 2, None),
                                     ("STAND", 1, 2, None)]
    assert words("negative-pull-up") == [("LOWER", 5, 1, None), ("STEP UP", 3, 1, None), ("HOLD", 2, 1, None),
                                         ("LOWER", 5, 2, None)]
    bird = words("bird-dog", reps=1)
    assert bird == [("REACH", 2, 1, "left"), ("HOLD", 8, 1, "left"), ("RETURN", 2, 1, "left"), ("RESET", 1, 1, "left"),
                    ("REACH", 2, 1, "right"), ("HOLD", 8, 1, "right"), ("RETURN", 2, 1, "right")]
    upright = words("upright-row", reps=1)
    assert upright == [("RAISE", 1, 1, None), ("LOWER", 2, 1, None)]     # no pause at the top


def test_set_plan_is_the_session_s_plan():
    from backcoach.session import plan_for_exercise, step_timeline

    ex = LIBRARY.exercise("goblet-bulgarian-split-squat")
    step = next(s for s in plan_for_exercise(ex, []) if not s.warmup)
    session = step_timeline(step, LIBRARY, get_ready=5)
    assert set_plan(LIBRARY, ex.id).segments == tuple(
        s.__class__(s.phase, s.start - 5, s.duration, s.rep, s.side, s.word) for s in session.segments[1:])


def test_json_output(capsys):
    assert main(["set-plan", "alternating-dumbbell-row", "--reps", "2", "--tempo", "2-0-1-1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["exercise"] == "alternating-dumbbell-row"
    assert data["segments"][0] == {"kind": "concentric", "word": "PULL", "seconds": 1.0, "rep": 1, "side": "left"}
    assert [(s["rep"], s["side"]) for s in data["segments"] if s["kind"] == "concentric"] == [
        (1, "left"), (1, "right"), (2, "left"), (2, "right")]
    assert all(set(s) == {"kind", "word", "seconds", "rep", "side"} for s in data["segments"])
    assert main(["set-plan", "dead-hang", "--seconds", "20", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["segments"] == [
        {"kind": "hold", "word": "HANG", "seconds": 20.0, "rep": None, "side": None}]


def test_table_output(capsys):
    assert main(["set-plan", "goblet-bulgarian-split-squat", "--reps", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Goblet Bulgarian split squat: 1 reps each side, tempo 3-1-1-1, starts with the lowering")
    assert "SWITCH SIDES" in out and "total" in out
    lines = [line.split() for line in out.splitlines()[3:-1]]
    assert [line[2] for line in lines] == ["DOWN", "HOLD", "STAND", "SWITCH", "DOWN", "HOLD", "STAND"]


@pytest.mark.parametrize(("args", "words"), [
    (["nope"], "unknown exercise id 'nope'"),
    (["dead-hang", "--reps", "5"], "timed hold"),
    (["pull-up", "--seconds", "5"], "done in reps"),
    (["pull-up", "--reps", "0"], "--reps must be 1–100"),
    (["pull-up", "--tempo", "3-2-1"], "four parts"),
])
def test_bad_requests_are_one_line_and_exit_2(capsys, args, words):
    assert main(["set-plan", *args]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_set_plan_error_type():
    with pytest.raises(SetPlanError):
        set_plan(LIBRARY, "pull-up", tempo="fast")
    assert "PULL" in format_plan(set_plan(LIBRARY, "pull-up", reps=1))


def test_the_docs_page_is_current():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "set_plans.py"), "--check"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    page = (ROOT / "docs" / "set-plans.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^\| .+ \(`[a-z0-9-]+`\) \|", page, re.MULTILINE)) == len(LIBRARY.exercises)
    assert "| Goblet squat (`goblet-squat`) | 3-2-1-1 | the lowering | both at once | DOWN 3 s → HOLD 2 s" in page
