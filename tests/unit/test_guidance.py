"""Routine guidance: each rule's advice appears on a small hand-built library and routine, and
disappears once the routine is fixed; planned weekly sets are exact."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import date, timedelta

import pytest

from backcoach.guidance import (
    ADVICE_KINDS,
    TIP,
    WARNING,
    Advice,
    Rule,
    Severity,
    advise,
    planned_session_sets,
    planned_weekly_sets,
)
from backcoach.library import load_library
from backcoach.model import SessionLog, SetLog
from backcoach.routines import PlannedSet, Purpose, Routine, RoutineItem
from backcoach.rules import WEEKLY_SETS_FLOOR, WEEKLY_SETS_TIP, WEEKLY_SETS_WARNING
from tests.helpers.library_files import make_library_dir


def entry(ex_id: str, pattern: str, level: str, primary: tuple[str, ...], secondary: tuple[str, ...] = (),
          *, mode: str = "reps", unilateral: bool = False, equipment: str = "dumbbell") -> str:
    dose = "seconds = 30" if mode == "timed" else "reps = [8, 12]"
    return f'''
[[exercise]]
id = "{ex_id}"
name = "{ex_id.replace("-", " ").capitalize()}"
pattern = "{pattern}"
equipment = ["{equipment}"]
level = "{level}"
primary_muscles = {list(primary)!r}
secondary_muscles = {list(secondary)!r}
unilateral = {str(unilateral).lower()}
mode = "{mode}"
focus_cue = "Cue"
steps = ["One.", "Two.", "Three."]
tips = ["A tip."]
mistakes = ["A mistake."]

[exercise.prescription]
sets = 3
{dose}
rest_seconds = 90
'''.replace("'", '"')


# Listed in pattern order; within a pattern the order is what suggestions follow.
EXERCISES = "".join([
    entry("pull-up", "vertical-pull", "intermediate", ("lats", "teres-major"), ("biceps", "rhomboid-major", "traps-middle")),
    entry("pulldown", "vertical-pull", "beginner", ("lats",), ("biceps", "rear-delts")),
    entry("hang", "vertical-pull", "beginner", ("forearms",), ("lats",), mode="timed"),
    entry("row", "horizontal-row", "beginner", ("lats", "traps-middle", "rhomboid-major"), ("biceps",)),
    entry("cable-row", "horizontal-row", "beginner", ("traps-middle", "rhomboid-major"), ("lats",)),
    entry("one-arm-row", "horizontal-row", "beginner", ("lats", "rhomboid-major"), ("rear-delts",), unilateral=True),
    entry("pendlay", "horizontal-row", "advanced", ("lats", "traps-middle"), ("erector-spinae",)),
    entry("face-pull", "upper-back", "beginner", ("rear-delts", "traps-middle")),
    entry("reverse-fly", "upper-back", "beginner", ("rear-delts",)),
    entry("shrug", "upper-back", "beginner", ("traps-upper",)),
    entry("back-extension", "hinge", "beginner", ("erector-spinae", "glutes")),
    entry("rdl", "hinge", "intermediate", ("hamstrings", "glutes"), ("erector-spinae",)),
    entry("bird-dog", "core", "beginner", ("multifidus",), ("glutes",)),
    entry("floor-t-raise", "upper-back", "beginner", ("rear-delts",), ("traps-middle",), equipment="mat"),
    entry("cat-camel", "mobility", "beginner", ("erector-spinae", "multifidus"), ("rear-delts",), equipment="mat"),
    entry("open-book", "mobility", "beginner", ("obliques",), ("rear-delts",), equipment="mat"),
])


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    return load_library(make_library_dir(tmp_path_factory.mktemp("guidance"), exercises=EXERCISES))


def it(ex_id: str, n: int = 3, **kw) -> RoutineItem:
    return RoutineItem(ex_id, sets=(PlannedSet(),) * n, id=kw.pop("id", f"item-{ex_id}"), **kw)


def routine(*ex_ids: str, sessions: int = 2, name: str = "Back A", sets: int = 3, **kw) -> Routine:
    return Routine(name, items=tuple(it(e, sets) for e in ex_ids), sessions_per_week=sessions, **kw)


BALANCED = ("pull-up", "row", "face-pull", "back-extension")


def kinds(advice: list[Advice]) -> list[str]:
    return [a.rule for a in advice]


def one(advice: list[Advice], kind: str) -> Advice:
    found = [a for a in advice if a.rule == kind]
    assert len(found) == 1, kinds(advice)
    return found[0]


# --- rule a: the four movements -------------------------------------------------------------

def test_a_balanced_routine_gets_no_advice(lib):
    assert advise(routine(*BALANCED), lib, "intermediate") == []


def test_an_empty_routine_gets_one_gentle_tip(lib):
    advice = advise(routine(), lib, "beginner")
    assert kinds(advice) == ["empty-routine"]
    assert advice[0].severity == TIP


@pytest.mark.parametrize(("removed", "kind", "suggestions"), [
    ("pull-up", "no-vertical-pull", ("pull-up", "pulldown")),            # the lifter's level first; never the hang
    ("row", "no-horizontal-row", ("row", "cable-row", "one-arm-row")),  # at most 3; not the advanced pendlay
    ("face-pull", "no-rear-delts", ("face-pull", "reverse-fly", "floor-t-raise")),
    ("back-extension", "no-lower-back", ("back-extension",)),            # hinges with the erectors as prime movers
])
def test_each_missing_movement_is_warned_about_until_it_is_back(lib, removed, kind, suggestions):
    broken = routine(*(e for e in BALANCED if e != removed))
    advice = one(advise(broken, lib, "intermediate"), kind)
    assert advice.severity == WARNING
    assert advice.suggestions == suggestions
    assert kind not in kinds(advise(routine(*BALANCED), lib, "intermediate"))


def test_suggestions_stay_at_or_below_the_lifters_level(lib):
    advice = one(advise(routine("row", "face-pull", "back-extension"), lib, "beginner"), "no-vertical-pull")
    assert advice.suggestions == ("pulldown",)


def test_a_hang_is_not_a_vertical_pull(lib):
    assert "no-vertical-pull" in kinds(advise(routine("hang", "row", "face-pull", "back-extension"), lib, "beginner"))


def test_rear_delts_count_as_secondary_muscles_too(lib):
    assert "no-rear-delts" not in kinds(advise(routine("pulldown", "row", "back-extension"), lib, "beginner"))


@pytest.mark.parametrize("lower_back", ["rdl", "bird-dog"])
def test_lower_back_by_a_hinge_or_by_a_deep_back_muscle(lib, lower_back):
    assert "no-lower-back" not in kinds(advise(routine("pull-up", "row", "face-pull", lower_back), lib, "intermediate"))


# --- rule b: sessions a week ----------------------------------------------------------------

@pytest.mark.parametrize(("level", "sessions", "expected"), [
    ("beginner", 1, []),
    ("beginner", 2, []),
    ("beginner", 3, [("frequency-above-level", "tip")]),  # one above the range: a tip
    ("beginner", 4, [("frequency-above-level", "warning")]),  # more: a warning
    ("intermediate", 3, []),
    ("intermediate", 4, [("frequency-above-level", "tip")]),
    ("intermediate", 5, [("frequency-above-level", "warning")]),
    ("advanced", 1, []),  # fewer than the range is a choice, not a mistake
    ("advanced", 4, []),
    ("advanced", 5, []),
    ("advanced", 6, [("frequency-above-level", "tip")]),
    ("advanced", 7, [("back-every-day", "warning")]),
    ("beginner", 6, [("back-every-day", "warning")]),  # one warning, not both
    ("intermediate", 7, [("back-every-day", "warning")]),
])
def test_sessions_a_week_above_the_level(lib, level, sessions, expected):
    advice = advise(routine(*BALANCED, sessions=sessions), lib, level)
    found = [a for a in advice if a.rule in ("frequency-above-level", "back-every-day")]
    assert [(a.rule, a.severity) for a in found] == expected
    for a in found:
        assert a.text.startswith(f"{sessions} back sessions a week")


def test_the_frequency_message_names_the_levels_range(lib):
    advice = one(advise(routine(*BALANCED, sessions=3), lib, "beginner"), "frequency-above-level")
    assert "one more than the one or two" in advice.text and "a beginner lifter" in advice.text
    advice = one(advise(routine(*BALANCED, sessions=5), lib, "intermediate"), "frequency-above-level")
    assert "more than the up to three" in advice.text and "an intermediate lifter" in advice.text
    advice = one(advise(routine(*BALANCED, sessions=6), lib, "advanced"), "frequency-above-level")
    assert "four or five" in advice.text and "an advanced lifter" in advice.text


def test_mobility_does_not_count_toward_frequency_or_hard_sets(lib):
    drills = routine("cat-camel", "open-book", sessions=7)  # daily drills are fine for anyone
    assert [a for a in advise(drills, lib, "beginner") if a.rule in ("frequency-above-level", "back-every-day")] == []
    assert all(v == 0 for v in planned_weekly_sets(drills, lib).values())
    with_drill = routine(*BALANCED, "cat-camel")
    assert planned_weekly_sets(with_drill, lib) == planned_weekly_sets(routine(*BALANCED), lib)
    # A drill naming the rear delts does not stand in for rear-delt work.
    assert "no-rear-delts" in kinds(advise(routine("pull-up", "row", "back-extension", "cat-camel"), lib, "beginner"))


def test_a_declared_mobility_routine_gets_no_coverage_or_frequency_advice(lib):
    r = routine("cat-camel", "bird-dog", sessions=5, purpose=Purpose.MOBILITY)
    assert advise(r, lib, "beginner") == []
    assert kinds(advise(replace(r, purpose=Purpose.BALANCED), lib, "beginner"))[:4] == [
        "no-vertical-pull", "no-horizontal-row", "no-rear-delts", "frequency-above-level"]


def test_a_specialisation_routine_is_not_asked_to_cover_the_whole_back(lib):
    lats = routine("pull-up", "row", purpose=Purpose.SPECIALISATION)
    assert advise(lats, lib, "intermediate") == []
    balanced = kinds(advise(replace(lats, purpose=Purpose.BALANCED), lib, "intermediate"))
    assert "no-rear-delts" in balanced and "no-lower-back" in balanced
    # Excess is still excess, whatever the purpose.
    heavy = routine("pull-up", "pulldown", "row", sets=4, sessions=3, purpose=Purpose.SPECIALISATION)
    assert "sets-far-above" in kinds(advise(heavy, lib, "intermediate"))


def test_suggestions_keep_to_the_routines_equipment(lib):
    r = routine("pull-up", "row", "back-extension")
    assert one(advise(r, lib, "beginner"), "no-rear-delts").suggestions == ("face-pull", "reverse-fly", "floor-t-raise")
    mat_only = replace(r, equipment=("mat",))
    assert one(advise(mat_only, lib, "beginner"), "no-rear-delts").suggestions == ("floor-t-raise",)


def test_an_empty_routine_still_gets_the_frequency_warning(lib):
    assert kinds(advise(routine(sessions=4), lib, "beginner")) == ["frequency-above-level", "empty-routine"]
    assert advise(routine(sessions=4), lib, "beginner")[0].severity == Severity.WARNING


def test_an_unknown_level_is_refused(lib):
    with pytest.raises(ValueError, match="unknown level 'expert'"):
        advise(routine(*BALANCED), lib, "expert")


# --- rule d: planned weekly sets --------------------------------------------------------------

def test_planned_weekly_sets_per_muscle(lib):
    r = Routine("R", sessions_per_week=3, items=(
        it("pull-up", 3, warmup_sets=2),          # warm-ups are not hard sets
        it("one-arm-row", 2, per_side=True),      # a per-side set is one set
        it("custom-zercher-row", 4),              # unknown muscles: nothing
    ))
    planned = planned_weekly_sets(r, lib)
    assert set(planned) == set(lib.muscles)
    assert {m: v for m, v in planned.items() if v} == {
        "lats": (3 + 2) * 3,                   # primary of both
        "teres-major": 3 * 3,
        "biceps": 1.5 * 3,                     # secondary: half a set
        "rhomboid-major": (1.5 + 2) * 3,
        "traps-middle": 1.5 * 3,
        "rear-delts": 1 * 3,
    }
    assert planned["erector-spinae"] == 0.0
    assert all(v == 0 for v in planned_weekly_sets(routine(), lib).values())


def test_a_major_back_muscle_far_below_is_warned_with_its_number(lib):
    r = routine(*BALANCED, sessions=1)  # erectors and rear delts get 3 sets a week
    advice = [a for a in advise(r, lib, "intermediate") if a.rule == "sets-far-below"]
    assert [a.subject for a in advice] == ["erector-spinae", "rear-delts"]
    assert advice[0].text == (
        "Only 3 planned hard sets a week reach the erector spinae, under the 4 or so that merely keep a muscle "
        "where it is (10–20 is the usual range for growth).")
    # works the rear delts as a prime mover, not in the routine
    assert advice[1].suggestions == ("reverse-fly", "floor-t-raise")
    fixed = replace(r, items=tuple(it(e, 4) for e in BALANCED))  # 4 sets: at the floor, not below it
    assert planned_weekly_sets(fixed, lib)["rear-delts"] == WEEKLY_SETS_FLOOR
    assert "sets-far-below" not in kinds(advise(fixed, lib, "intermediate"))


def test_a_muscle_nothing_trains_is_left_to_the_missing_movement_warning(lib):
    advice = advise(routine("pull-up", "row", "back-extension"), lib, "intermediate")
    assert "no-rear-delts" in kinds(advice)
    assert "rear-delts" not in [a.subject for a in advice if a.rule == "sets-far-below"]


def test_weekly_sets_from_25_are_a_tip_and_above_30_a_warning(lib):
    def plan(pulldown_sets: int) -> Routine:
        return Routine("R", sessions_per_week=3, items=(it("pulldown", pulldown_sets), it("cable-row", 2),
                                                        it("face-pull", 3), it("back-extension", 3)))
    # pulldown sets + half of 2 cable-row sets, three sessions a week.
    assert planned_weekly_sets(plan(7), lib)["lats"] == 24
    assert not {"sets-high", "sets-far-above"} & set(kinds(advise(plan(7), lib, "intermediate")))
    assert planned_weekly_sets(plan(8), lib)["lats"] == 27 >= WEEKLY_SETS_TIP
    advice = one(advise(plan(8), lib, "intermediate"), "sets-high")
    assert (advice.severity, advice.subject) == (TIP, "lats")
    assert advice.text == ("27 planned hard sets a week land on the latissimus dorsi, above the 10–20 most lifters "
                           "grow on: a set or two less is likely to cost nothing and recover better.")
    assert planned_weekly_sets(plan(9), lib)["lats"] == WEEKLY_SETS_WARNING  # at 30: still a tip
    assert "sets-far-above" not in kinds(advise(plan(9), lib, "intermediate"))
    advice = one(advise(plan(10), lib, "intermediate"), "sets-far-above")
    assert (advice.severity, advice.subject) == (WARNING, "lats")
    assert advice.text == ("33 planned hard sets a week land on the latissimus dorsi, far above the 10–20 most "
                           "lifters grow on; past about 25 extra sets mostly add fatigue.")
    assert "sets-high" not in kinds(advise(plan(10), lib, "intermediate"))  # the warning, not both


def test_more_than_10_hard_sets_for_a_muscle_in_one_session_is_a_tip(lib):
    def plan(pulldown_sets: int) -> Routine:
        return Routine("R", sessions_per_week=1, items=(it("pulldown", pulldown_sets), it("cable-row", 2),
                                                        it("face-pull", 3), it("back-extension", 4)))
    assert planned_session_sets(plan(9), lib)["lats"] == 10  # about 10 is fine
    assert "session-sets-high" not in kinds(advise(plan(9), lib, "intermediate"))
    advice = one(advise(plan(10), lib, "intermediate"), "session-sets-high")
    assert (advice.severity, advice.subject) == (TIP, "lats")
    assert advice.text == ("11 hard sets for the latissimus dorsi in one session: past about 10 the later sets do "
                           "little, so move some to another day or drop them.")


def test_advice_has_rule_severity_and_text_as_json(lib):
    advice = one(advise(routine("pull-up", "row", "back-extension"), lib, "beginner"), "no-rear-delts")
    assert isinstance(advice.rule, Rule) and isinstance(advice.severity, Severity)
    assert advice.to_dict() == {"rule": "no-rear-delts", "severity": "warning", "text": advice.text,
                                "suggestions": list(advice.suggestions)}


# --- rule c: unchanged for weeks ---------------------------------------------------------------

MONDAY = date(2024, 1, 1)


def logged(day: date, ex_ids, name: str = "Back A", reps: int = 10, load: float = 50.0) -> SessionLog:
    sets = [SetLog("row", reps=10, load_kg=20, kind="warmup")]  # warm-ups say nothing about the plan
    sets += [SetLog(e, reps=reps, load_kg=load) for e in ex_ids for _ in range(3)]
    return SessionLog(started_at=f"{day.isoformat()}T18:00:00+01:00", sets=tuple(sets), routine=name,
                      id=f"{name}-{day.isoformat()}")


def weekly(weeks: int, ex_ids=BALANCED, name: str = "Back A", start: date = MONDAY) -> list[SessionLog]:
    return [logged(start + timedelta(weeks=k), ex_ids, name) for k in range(weeks)]


def test_the_same_exercises_for_8_weeks_suggest_same_pattern_swaps(lib):
    history = weekly(8)
    advice = one(advise(routine(*BALANCED), lib, "intermediate", history, today=MONDAY + timedelta(weeks=8)),
                 "unchanged-routine")
    assert advice.severity == TIP
    assert advice.text.startswith("Same exercises for 8 weeks")
    # One swap per exercise: same pattern, within a level of it, not above the lifter's level.
    assert advice.suggestions == ("pulldown", "cable-row", "reverse-fly", "rdl")
    patterns = {lib.exercise(e).pattern for e in BALANCED}
    assert all(lib.exercise(s).pattern in patterns for s in advice.suggestions)


def test_seven_weeks_are_not_yet_many(lib):
    assert "unchanged-routine" not in kinds(advise(routine(*BALANCED), lib, "intermediate", weekly(7)))


def test_the_tip_disappears_once_an_exercise_is_swapped(lib):
    swapped = routine("pull-up", "cable-row", "face-pull", "back-extension")
    assert "unchanged-routine" not in kinds(advise(swapped, lib, "intermediate", weekly(10)))


def test_only_this_routines_sessions_up_to_today_count(lib):
    assert "unchanged-routine" not in kinds(advise(routine(*BALANCED), lib, "intermediate", weekly(10, name="Back B")))
    history = weekly(10)
    assert "unchanged-routine" not in kinds(advise(routine(*BALANCED), lib, "intermediate", history,
                                                   today=MONDAY + timedelta(weeks=6)))
    # Without `today`, the latest session of the routine stands for it.
    assert "unchanged-routine" in kinds(advise(routine(*BALANCED), lib, "intermediate", history))


def test_a_session_with_other_exercises_restarts_the_count(lib):
    history = weekly(4) + [logged(MONDAY + timedelta(weeks=4), ("pulldown", "row", "face-pull", "back-extension"))]
    history += weekly(7, start=MONDAY + timedelta(weeks=5))
    assert "unchanged-routine" not in kinds(advise(routine(*BALANCED), lib, "intermediate", history))
    history += weekly(1, start=MONDAY + timedelta(weeks=12))
    assert one(advise(routine(*BALANCED), lib, "intermediate", history), "unchanged-routine").text.startswith(
        "Same exercises for 8 weeks")


def test_an_exercise_without_progress_for_12_weeks_gets_a_variation_tip(lib):
    r = routine("pull-up", "row")
    # Pull-ups gain a rep every week; the row stays at 50 kg × 10 for 13 weeks (12 after the first).
    history = [
        SessionLog(started_at=f"{(MONDAY + timedelta(weeks=k)).isoformat()}T18:00:00+01:00", routine="Back A",
                   id=f"s{k}", sets=(SetLog("pull-up", reps=5 + k), SetLog("row", reps=10, load_kg=50.0)))
        for k in range(13)
    ]
    advice = one(advise(r, lib, "intermediate", history), "stalled-exercise")
    assert advice.subject == "item-row"
    assert advice.text == ("No new best on the row in 12 weeks: a variation of the same movement can get "
                              "progress going again.")
    assert advice.suggestions == ("cable-row", "one-arm-row")
    # One more rep on the row in week 2 is progress: 11 weeks since then is not a stall yet.
    better = list(history)
    better[2] = replace(history[2], sets=(SetLog("pull-up", reps=7), SetLog("row", reps=11, load_kg=50.0)))
    assert "stalled-exercise" not in kinds(advise(r, lib, "intermediate", better))


# --- rule e and order -------------------------------------------------------------------------

def test_a_unilateral_exercise_not_done_per_side_gets_a_tip(lib):
    r = routine(*BALANCED)
    r = replace(r, items=(*r.items, it("one-arm-row")))
    advice = one(advise(r, lib, "intermediate"), "unilateral-not-per-side")
    assert (advice.severity, advice.subject) == (TIP, "item-one-arm-row")
    fixed = replace(r, items=(*r.items[:-1], it("one-arm-row", per_side=True)))
    assert advise(fixed, lib, "intermediate") == []


def test_warnings_come_before_tips_in_rule_order(lib):
    r = Routine("Back A", sessions_per_week=4, items=(it("one-arm-row"), it("row")))
    history = weekly(13, ex_ids=("one-arm-row", "row"))  # the same loads and reps every week
    advice = advise(r, lib, "beginner", history)
    assert kinds(advice) == ["no-vertical-pull", "no-lower-back", "frequency-above-level",
                             "unchanged-routine", "stalled-exercise", "stalled-exercise", "unilateral-not-per-side"]
    assert [a.subject for a in advice if a.rule == "stalled-exercise"] == ["item-one-arm-row", "item-row"]
    assert [a.severity for a in advice] == [WARNING] * 3 + [TIP] * 4
    assert advise(r, lib, "beginner", list(reversed(history))) == advice  # the order of the history does not matter


def test_every_message_is_one_sentence_and_every_kind_is_known(lib):
    routines = [routine(), routine("hang", sessions=7), routine("one-arm-row", sessions=3),
                Routine("Back A", items=(it("pulldown", 12), it("row", 1)), sessions_per_week=2)]
    seen = []
    for r in routines:
        for level in ("beginner", "intermediate", "advanced"):
            seen += advise(r, lib, level, weekly(13, ex_ids=("pulldown", "row")))
    assert {a.rule for a in seen} <= set(ADVICE_KINDS)
    for a in seen:
        assert a.text[0].isupper() or a.text[0].isdigit()
        assert a.text.endswith(".") and ". " not in a.text, a.text
    with pytest.raises(FrozenInstanceError):
        seen[0].kind = "other"


def test_a_sensible_routine_from_the_shipped_library_gets_no_advice(library):
    shipped = ("lat-pulldown", "seated-cable-row", "face-pull", "back-extension")
    r = Routine("Back", sessions_per_week=2, items=tuple(RoutineItem(e, sets=(PlannedSet(),) * 3) for e in shipped))
    assert advise(r, library, "intermediate") == []


def test_a_major_muscle_at_zero_sets_without_a_movement_warning_is_named(lib):
    # The one-arm row is a row (no missing-row warning), yet nothing here reaches the middle traps.
    r = routine("one-arm-row", "pulldown", "reverse-fly", "back-extension")
    advice = [a for a in advise(r, lib, "intermediate") if a.subject == "traps-middle"]
    assert kinds(advice) == ["sets-far-below"]
    assert advice[0].text.startswith("No planned hard sets a week reach the middle trapezius,")
    assert advice[0].suggestions == ("row", "cable-row", "face-pull")


def test_several_stalled_exercises_make_one_tip_naming_them_all():
    from backcoach.guidance import Advice, Rule, Severity, merge_stalled
    from backcoach.routines import PlannedSet, Routine, RoutineItem

    items = tuple(RoutineItem(ex, (PlannedSet(reps=(6, 8)),)) for ex in ("barbell-row", "pull-up", "deadlift"))
    routine = Routine(name="Pull day", items=items)
    other = Advice(Rule.FREQUENCY_ABOVE_LEVEL, Severity.TIP, "One session over the range.")
    stalled = [Advice(Rule.STALLED_EXERCISE, Severity.TIP, f"{i.exercise_id} stalled", subject=i.id) for i in items[:2]]
    names = {"barbell-row": "Barbell row", "pull-up": "Pull-up"}.__getitem__
    assert merge_stalled([other, stalled[0]], routine, names) == [other, stalled[0]]  # one stays as it is
    merged = merge_stalled([other, *stalled], routine, names)
    assert merged[0] == other and len(merged) == 2
    assert merged[1].rule == Rule.STALLED_EXERCISE and merged[1].text.startswith(
        "No new best for a long while on Barbell row and Pull-up:")
