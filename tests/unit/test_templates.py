"""Shipped routine templates: every one loads, keeps the programming guidance it promises, and
copies into a store as a new routine while the template itself stays as it was; a broken
templates file is refused with messages naming the template, the item and the field."""

from __future__ import annotations

import copy
import re
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backcoach.templates as templates_module
from backcoach.resources import DATA_DIR

from backcoach.routines import RoutineBook, check_routine
from backcoach.store import Store
from backcoach.tempo import Tempo
from backcoach.templates import (
    HEAVY_HINGE_MAX_REPS,
    Template,
    TemplateError,
    load_templates,
    routine_from_template,
)

REQUIRED = {
    "beginner-back": "Beginner back",
    "lats-v-taper": "Lats / V-taper",
    "upper-back-posture": "Upper back & posture",
    "lower-back-hinge": "Lower back & hinge",
    "home-no-equipment": "No-equipment home back",
    "back-pain-mobility": "Back-pain mobility",
}


@pytest.fixture(scope="module")
def templates(library) -> dict[str, Template]:
    return {t.id: t for t in load_templates(library)}


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "d")
    yield s
    s.close()


def exercises_of(template: Template, library):
    return [library.exercise(i.exercise_id) for i in template.routine.items]


def content(routine) -> dict:
    d = routine.to_dict()
    for key in ("id", "created_at", "updated_at", "name", "template"):
        d.pop(key)
    for item in d["items"]:
        item.pop("id")
    return d


# --- the shipped templates ------------------------------------------------------------------


def test_every_required_template_is_shipped_with_its_name(templates):
    assert {tid: templates[tid].name for tid in REQUIRED} == REQUIRED


def test_every_template_passes_the_routine_checks(templates, library):
    for t in templates.values():
        check_routine(t.routine, library.exercises)
        assert t.routine.items, t.id
        assert t.routine.template == t.id
        assert t.routine.notes == t.description
        assert t.level in library.levels


@pytest.mark.parametrize("template_id", sorted(REQUIRED))
def test_a_template_copies_into_a_store_and_stays_unchanged(library, templates, store, template_id):
    template = templates[template_id]
    before = template.routine.to_dict()
    book = RoutineBook(store, library.exercises)
    copy = routine_from_template(template, book)
    saved = book.save(copy)
    assert book.get(saved.id).name == template.name
    assert saved.template == template.id
    assert saved.id != template.routine.id
    assert not {i.id for i in saved.items} & {i.id for i in template.routine.items}
    assert content(saved) == content(template.routine)
    assert template.routine.to_dict() == before
    assert [content(r) for r in RoutineBook(store).all()] == [content(template.routine)]


def test_copying_a_template_twice_gives_a_numbered_name_and_new_ids(library, templates, store):
    book = RoutineBook(store, library.exercises)
    template = templates["beginner-back"]
    first = book.save(routine_from_template(template, book))
    second = book.save(routine_from_template(template, book))
    assert (first.name, second.name) == ("Beginner back", "Beginner back (2)")
    assert first.id != second.id
    assert not {i.id for i in first.items} & {i.id for i in second.items}
    edited = book.save(first.with_items(first.items[:1]))
    assert len(edited.items) == 1
    assert len(templates["beginner-back"].routine.items) == 5  # editing a copy never touches the template


def test_every_promised_pattern_has_an_exercise(templates, library):
    for t in templates.values():
        assert t.covers, t.id
        patterns = {ex.pattern for ex in exercises_of(t, library)}
        assert set(t.covers) <= patterns, t.id


def test_per_side_holds_and_tempo_fit_each_exercise(templates, library):
    for t in templates.values():
        for item, ex in zip(t.routine.items, exercises_of(t, library)):
            where = f"{t.id}/{ex.id}"
            assert item.per_side == ex.unilateral, where
            if ex.is_timed:
                assert all(s.seconds and s.reps is None for s in item.sets), where
                assert item.tempo is None, where
            else:
                assert all(s.reps and s.seconds is None for s in item.sets), where
                if item.tempo is not None:
                    Tempo.parse(item.tempo)


def test_templates_leave_the_load_to_the_user(templates):
    for t in templates.values():
        assert all(s.load_kg is None for i in t.routine.items for s in i.sets), t.id


def test_no_exercise_is_above_the_templates_level(templates, library):
    ranks = list(library.levels)
    for t in templates.values():
        for ex in exercises_of(t, library):
            assert ranks.index(ex.level) <= ranks.index(t.level), (t.id, ex.id)


def test_descriptions_say_who_it_is_for_and_how_to_progress_in_two_or_three_sentences(templates):
    for t in templates.values():
        sentences = re.findall(r"[.!?](?=\s|$)", t.description)
        assert 2 <= len(sentences) <= 3, t.id
        assert re.search(r"\b(for|anyone)\b", t.description, re.IGNORECASE), t.id
        assert re.search(r"\badd|progress|next step", t.description, re.IGNORECASE), t.id


def test_beginner_back_follows_the_beginner_guidance(templates, library):
    t = templates["beginner-back"]
    exercises = exercises_of(t, library)
    assert t.level == "beginner" and t.sessions_per_week <= 2  # beginners: 1–2 back sessions a week
    assert all(ex.level == "beginner" for ex in exercises)
    assert all(2 <= len(item.sets) <= 3 for item in t.routine.items)
    patterns = [ex.pattern for ex in exercises]
    assert {"vertical-pull", "horizontal-row"} <= set(patterns)  # balance vertical pulls and rows
    assert any("rear-delts" in ex.primary_muscles for ex in exercises)
    assert any("erector-spinae" in ex.primary_muscles for ex in exercises)
    for item, ex in zip(t.routine.items, exercises):
        if ex.pattern in ("vertical-pull", "horizontal-row"):
            assert item.tempo == "3-2-1-2"  # the articles' slow tempo on every pull
        low, high = item.sets[0].reps
        assert 8 <= low and high <= 15  # moderate reps
    assert {"lat-pulldown", "seated-cable-row", "face-pull"} <= {ex.id for ex in exercises}


def test_lats_template_works_the_lats_in_every_exercise(templates, library):
    t = templates["lats-v-taper"]
    exercises = exercises_of(t, library)
    assert all("lats" in ex.muscles for ex in exercises)
    assert sum("lats" in ex.primary_muscles for ex in exercises) >= 3
    assert "vertical-pull" in {ex.pattern for ex in exercises}


def test_upper_back_template_has_rows_and_rear_delts(templates, library):
    exercises = exercises_of(templates["upper-back-posture"], library)
    assert {"horizontal-row", "upper-back"} <= {ex.pattern for ex in exercises}
    assert sum("rear-delts" in ex.primary_muscles for ex in exercises) >= 2


def test_heavy_hinge_work_rests_two_to_three_minutes(templates, library):
    t = templates["lower-back-hinge"]
    exercises = exercises_of(t, library)
    assert all(ex.pattern == "hinge" for ex in exercises)
    heavy = [(item, ex) for item, ex in zip(t.routine.items, exercises)
             if ex.increment_kg > 0 and max(s.reps[1] for s in item.sets) <= HEAVY_HINGE_MAX_REPS]
    assert heavy, "the hinge template has a heavy lift"
    for item, ex in heavy:
        assert 120 <= item.rest_seconds <= 180, ex.id
        assert item.warmup_sets >= 1, ex.id
    # The same rule across every template.
    for other in templates.values():
        for item, ex in zip(other.routine.items, exercises_of(other, library)):
            if ex.pattern == "hinge" and ex.increment_kg > 0 and max(s.reps[1] for s in item.sets) <= 8:
                assert 120 <= item.rest_seconds <= 180, (other.id, ex.id)


def test_home_template_needs_no_equipment_but_a_table_and_an_optional_door_frame_bar(templates, library):
    t = templates["home-no-equipment"]
    exercises = exercises_of(t, library)
    needed = {q for ex in exercises for q in ex.equipment}
    assert needed <= {"bodyweight", "mat", "table", "pull-up-bar"}
    assert "door-frame pull-up bar" in t.description
    for item, ex in zip(t.routine.items, exercises):
        if "pull-up-bar" in ex.equipment:
            assert "pull-up bar" in item.note, ex.id
    assert set(t.equipment) == {"bodyweight", "mat", "table", "pull-up-bar"}
    assert t.routine.equipment == t.equipment  # the copy keeps it, so swaps stay at home
    # A real row and real rear-delt work, not only drills that happen to name those muscles.
    assert any(ex.pattern == "horizontal-row" for ex in exercises)
    assert any("rear-delts" in ex.primary_muscles and ex.pattern != "mobility" for ex in exercises)


def test_lower_back_template_deadlifts_heavy_once_a_week(templates, library):
    t = templates["lower-back-hinge"]
    deadlift = next(i for i in t.routine.items if i.exercise_id == "deadlift")
    assert t.sessions_per_week == 1
    assert max(s.reps[1] for s in deadlift.sets) <= 6 and deadlift.warmup_sets >= 1


def test_back_pain_template_is_built_on_gentle_trunk_work(templates, library):
    t = templates["back-pain-mobility"]
    assert t.exercise_ids() == ["cat-camel", "curl-up", "kneeling-side-plank", "bird-dog", "glute-bridge",
                                "bent-knee-rotation"]
    exercises = exercises_of(t, library)
    assert all(ex.level == "beginner" and ex.progression in ("hold", "bodyweight") for ex in exercises)
    assert all(ex.increment_kg == 0 for ex in exercises)  # never progressed by load
    assert {q for ex in exercises for q in ex.equipment} <= {"bodyweight", "mat"}
    assert "professional" in t.description  # when to stop and get help
    assert t.routine.purpose == "mobility"


def test_sessions_per_week_follow_the_level(templates, library):
    from backcoach.rules import max_sessions_per_week

    for t in templates.values():
        assert t.routine.purpose == "mobility" or t.sessions_per_week <= max_sessions_per_week(t.level), t.id


@pytest.mark.parametrize("template_id", sorted(REQUIRED))
def test_every_shipped_template_passes_its_own_guidance_with_no_advice(templates, library, template_id):
    from backcoach.guidance import advise

    t = templates[template_id]
    assert advise(t.routine, library, t.level) == []


def test_every_shipped_template_declares_its_purpose():
    for raw in tomllib.loads((DATA_DIR / "templates.toml").read_text(encoding="utf-8"))["template"]:
        assert raw.get("purpose") in ("balanced", "specialisation", "mobility"), raw["id"]


def test_a_mobility_template_may_ask_for_more_sessions_but_not_a_balanced_one(tmp_path, library):
    text = GOOD.replace("sessions_per_week = 2", "sessions_per_week = 4")
    with pytest.raises(TemplateError, match="at most 2"):
        load_text(tmp_path, library, text)
    [t] = load_text(tmp_path, library, text.replace('covers = ["vertical-pull", "hinge"]',
                                                    'purpose = "mobility"\ncovers = ["vertical-pull", "hinge"]'))
    assert (t.sessions_per_week, t.routine.purpose) == (4, "mobility")


# --- a broken templates file --------------------------------------------------------------

GOOD = '''
[[template]]
id = "test-pull"
name = "Test pull"
level = "beginner"
sessions_per_week = 2
covers = ["vertical-pull", "hinge"]
description = "For testing the loader. Add reps, then load."

[[template.item]]
exercise_id = "lat-pulldown"
sets = 3
reps = "8-12"
tempo = "3-2-1-2"

[[template.item]]
exercise_id = "bird-dog"
sets = 2
reps = "8"

[[template.item]]
exercise_id = "dead-hang"
sets = 2
hold = "30 s"
'''


def load_text(tmp_path, library, text: str) -> list[Template]:
    path = tmp_path / "templates.toml"
    path.write_text(text, encoding="utf-8")
    return load_templates(library, path)


def test_the_test_file_itself_loads(tmp_path, library):
    (t,) = load_text(tmp_path, library, GOOD)
    assert [i.exercise_id for i in t.routine.items] == ["lat-pulldown", "bird-dog", "dead-hang"]
    pulldown, bird_dog, hang = t.routine.items
    assert pulldown.rest_seconds == library.exercise("lat-pulldown").prescription.rest_seconds
    assert bird_dog.per_side and [s.reps for s in bird_dog.sets] == [(8, 8), (8, 8)]
    assert [s.seconds for s in hang.sets] == [30, 30] and hang.tempo is None


def _swap(old: str, new: str, count: int = 1) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, count)


BROKEN = [
    ("unknown exercise", _swap('"bird-dog"', '"moon-walk"'),
     "template test-pull, item 2 (moon-walk), field 'exercise_id': unknown exercise id 'moon-walk'"),
    ("bad reps text", _swap('reps = "8-12"', 'reps = "lots"'),
     "item 1 (lat-pulldown), field 'reps': 'lots' is not a number of reps or a range like 8-12"),
    ("reversed range", _swap('reps = "8-12"', 'reps = "12-8"'), "field 'reps': '12-8': reps must be 1–100"),
    ("wrong count of per-set reps", _swap('reps = "8-12"', 'reps = "10/8"'), "field 'reps': 2 values for 3 sets"),
    ("reps as a number", _swap('reps = "8-12"', "reps = 10"), "field 'reps': expected text, got 10"),
    ("a hold for a rep exercise", _swap('reps = "8-12"', 'hold = "30 s"'),
     "item 1 (lat-pulldown), field 'hold': Lat pulldown is counted in reps"),
    ("reps text that is a hold", _swap('reps = "8-12"', 'reps = "30 s"'), "field 'reps': '30 s' is a hold"),
    ("reps for a timed exercise", _swap('hold = "30 s"', 'reps = "8-12"'),
     "item 3 (dead-hang), field 'reps': Dead hang is a timed exercise"),
    ("a hold too long", _swap('hold = "30 s"', 'hold = "3600 s"'), "field 'hold': '3600 s' is not a hold"),
    ("a tempo for a timed exercise", _swap('hold = "30 s"', 'hold = "30 s"\ntempo = "3-2-1-2"'),
     "item 3 (dead-hang), field 'tempo': Dead hang is a timed exercise, which has no tempo"),
    ("a bad tempo", _swap('tempo = "3-2-1-2"', 'tempo = "quick"'), "field 'tempo': tempo 'quick' must have four parts"),
    ("per side on a two-sided exercise", _swap('tempo = "3-2-1-2"', 'tempo = "3-2-1-2"\nper_side = true'),
     "item 1 (lat-pulldown), field 'per_side': Lat pulldown works both sides at once"),
    ("no reps", _swap('reps = "8-12"\n', ""), "item 1 (lat-pulldown), field 'reps': missing"),
    ("no sets", _swap("sets = 3\n", ""), "item 1 (lat-pulldown), field 'sets': missing"),
    ("too many sets", _swap("sets = 3", "sets = 40"), "field 'sets': 40 is outside the sensible range 1–12"),
    ("beginner volume", _swap("sets = 3", "sets = 5"), "field 'sets': 5 sets: a beginner template keeps to 2–3 work sets"),
    ("bad load", _swap('reps = "8-12"', 'reps = "8-12"\nload = "heavy"'), "field 'load': 'heavy' is not a load"),
    ("rest of an hour", _swap('tempo = "3-2-1-2"', 'tempo = "3-2-1-2"\nrest_seconds = 3600'),
     "field 'rest_seconds': 3600 is outside the sensible range 0–900"),
    ("unknown item field", _swap('tempo = "3-2-1-2"', 'tempo = "3-2-1-2"\nweight = 50'), "field 'weight': unknown field"),
    ("lone superset", _swap('tempo = "3-2-1-2"', 'tempo = "3-2-1-2"\nsuperset = "A"'),
     "field 'item': superset A has only one exercise"),
    ("bad superset", _swap('tempo = "3-2-1-2"', 'tempo = "3-2-1-2"\nsuperset = "first"'),
     "field 'superset': 'first' is not a group"),
    ("a promise not kept", _swap('covers = ["vertical-pull", "hinge"]', 'covers = ["vertical-pull", "horizontal-row"]'),
     "template test-pull, field 'covers': promises horizontal row (horizontal-row) but has no such exercise"),
    ("an unknown pattern", _swap('covers = ["vertical-pull", "hinge"]', 'covers = ["twerk"]'),
     "field 'covers': unknown pattern id 'twerk'"),
    ("nothing promised", _swap('covers = ["vertical-pull", "hinge"]', "covers = []"), "field 'covers': needs at least 1 item"),
    ("an exercise above the level", _swap('"lat-pulldown"', '"pull-up"'),
     "item 1 (pull-up), field 'exercise_id': Pull-up is an intermediate exercise, above this beginner template"),
    ("equipment not allowed", _swap('level = "beginner"', 'level = "beginner"\nequipment = ["bodyweight", "mat"]'),
     "item 1 (lat-pulldown), field 'exercise_id': Lat pulldown needs cable, which this template does not allow"),
    ("too often for a beginner", _swap("sessions_per_week = 2", "sessions_per_week = 5"),
     "field 'sessions_per_week': 5 is more than a beginner template should ask for (at most 2)"),
    ("an unknown level", _swap('level = "beginner"', 'level = "elite"'), "field 'level': 'elite' is not one of"),
    ("a bad id", _swap('id = "test-pull"', 'id = "Test Pull"'), "field 'id': 'Test Pull' must be lowercase words"),
    ("no name", _swap('name = "Test pull"\n', ""), "template test-pull, field 'name': missing"),
    ("a one-sentence description", _swap('"For testing the loader. Add reps, then load."', '"For testing."'),
     "field 'description': should be 2–3 sentences"),
    ("no items", GOOD.split("[[template.item]]")[0], "template test-pull, field 'item': missing"),
    ("unknown template field", _swap('level = "beginner"', 'level = "beginner"\nauthor = "me"'),
     "field 'author': unknown field"),
    ("a duplicate id", GOOD + GOOD.replace('name = "Test pull"', 'name = "Another"'),
     "template test-pull, field 'id': duplicate template id 'test-pull'"),
    ("a duplicate name", GOOD + GOOD.replace('id = "test-pull"', 'id = "other"').replace('"Test pull"', '"TEST PULL"'),
     "template other, field 'name': another template is already called 'TEST PULL'"),
    ("not TOML", GOOD + "\n[[template", "templates.toml: not valid TOML"),
    ("no templates", "# nothing here\n", "templates.toml: has no [[template]] entries"),
    ("an unknown table", GOOD + "\n[extra]\nx = 1\n", "unknown top-level key 'extra'"),
]


@pytest.mark.parametrize("text, expected", [(t, e) for _, t, e in BROKEN], ids=[c for c, _, _ in BROKEN])
def test_a_broken_templates_file_is_refused_naming_template_and_field(tmp_path, library, text, expected):
    with pytest.raises(TemplateError) as caught:
        load_text(tmp_path, library, text)
    assert any(expected in p for p in caught.value.problems), caught.value.problems


def test_heavy_hinge_with_short_rest_is_refused(tmp_path, library):
    text = GOOD.replace('level = "beginner"', 'level = "intermediate"') + '''
[[template.item]]
exercise_id = "deadlift"
sets = 3
reps = "5"
rest_seconds = 60
'''
    with pytest.raises(TemplateError) as caught:
        load_text(tmp_path, library, text)
    assert caught.value.problems == [
        "templates.toml, template test-pull, item 4 (deadlift), field 'rest_seconds': "
        "60 s: heavy hinge work (8 reps or fewer) rests 120–180 s"]
    ok = load_text(tmp_path, library, text.replace("rest_seconds = 60", "rest_seconds = 150"))
    assert ok[0].routine.items[-1].rest_seconds == 150


def test_every_problem_in_every_template_is_reported(tmp_path, library):
    second = GOOD.replace('id = "test-pull"', 'id = "second"').replace('"Test pull"', '"Second"')
    text = GOOD.replace('"bird-dog"', '"moon-walk"') + second.replace('reps = "8-12"', 'reps = "many"')
    with pytest.raises(TemplateError) as caught:
        load_text(tmp_path, library, text)
    problems = caught.value.problems
    assert len(problems) == 2
    assert "template test-pull, item 2 (moon-walk)" in problems[0]
    assert "template second, item 1 (lat-pulldown), field 'reps'" in problems[1]
    assert str(caught.value) == "\n".join(problems)


def test_a_missing_templates_file_is_reported(tmp_path, library):
    with pytest.raises(TemplateError, match="templates.toml: file not found"):
        load_templates(library, tmp_path / "templates.toml")


# --- garbage in the file never escapes as anything but TemplateError -------------------------

toml_values = st.recursive(
    st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.sampled_from(["8-12", "30 s", "3-2-1-2", "A", "lat-pulldown", "dead-hang", "hinge", "beginner"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_field_replaced_by_garbage_is_refused_or_still_sound(library, data):
    shipped = tomllib.loads((DATA_DIR / "templates.toml").read_text(encoding="utf-8"))
    path = data.draw(st.sampled_from([p for p in _paths(shipped) if p]))
    target = shipped
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(toml_values)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(templates_module, "read_toml", lambda *args: copy.deepcopy(shipped))
        try:
            loaded = load_templates(library)
        except TemplateError as exc:
            assert exc.problems
            return
    for t in loaded:
        check_routine(t.routine, library.exercises)
