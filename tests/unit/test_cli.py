"""The command line: output formats, filters, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from backcoach import __version__
from backcoach.cli import has_display, main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"BackCoach {__version__}"


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ("exercises", "muscles", "screenshot", "--data-dir"):
        assert word in out


def test_exercises_json(capsys):
    code, out, _ = run(capsys, "exercises", "--json")
    assert code == 0
    items = json.loads(out)
    assert len(items) == 60
    for key in ("id", "name", "aliases", "pattern", "equipment", "level", "primary_muscles", "secondary_muscles"):
        assert key in items[0]


def test_exercises_filters(capsys):
    code, out, _ = run(capsys, "exercises", "--muscle", "erector-spinae", "--pattern", "hinge", "--json")
    assert code == 0
    items = json.loads(out)
    assert items and all(i["pattern"] == "hinge" and "erector-spinae" in i["primary_muscles"] + i["secondary_muscles"] for i in items)
    code, out, _ = run(capsys, "exercises", "--equipment", "kettlebell", "--json")
    assert {i["id"] for i in json.loads(out)} >= {"kettlebell-romanian-deadlift", "suitcase-deadlift"}


def test_exercises_table(capsys):
    code, out, _ = run(capsys, "exercises", "--search", "pullup")
    assert code == 0
    assert out.splitlines()[0].startswith("ID")
    assert "pull-up" in out and out.strip().endswith("of 60 exercises")


def test_muscles(capsys):
    code, out, _ = run(capsys, "muscles", "--json")
    muscles = {m["id"]: m for m in json.loads(out)}
    assert code == 0 and muscles["lats"]["group"] == "superficial" and muscles["lats"]["exercises"] > 10
    code, out, _ = run(capsys, "muscles")
    assert "Latissimus dorsi" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["exercises", "--muscle", "wings"], "unknown muscle 'wings'"),
        (["exercises", "--pattern", "press"], "unknown pattern 'press'"),
        (["screenshot", "library", "out.png", "--exercise", "nope"], "unknown exercise id 'nope'"),
        (["screenshot", "kitchen", "out.png"], "unknown view 'kitchen'"),
        (["screenshot", "library", "out.jpg"], "must end in .png"),
        (["screenshot", "library", "/no/such/folder/out.png"], "does not exist"),
        (["screenshot", "library", "out.png", "--size", "big"], "--size must look like"),
        (["screenshot", "library", "out.png", "--theme", "pink"], "invalid choice"),
        (["--data-dir", "/proc/forbidden"], "cannot create the data folder"),
        (["figure", "out.png", "--primary", "lats,wings"], "--primary: unknown muscle id 'wings'"),
        (["figure", "out.png", "--secondary", "Lats"], "--secondary: unknown muscle id 'Lats'"),
        (["figure", "out.png", "--view", "side"], "invalid choice: 'side'"),
        (["figure", "out.png", "--size", "wide"], "--size must look like 600x1280"),
        (["figure", "out.png", "--size", "10x10"], "outside 32x32"),
        (["figure", "out.svg"], "must end in .png"),
    ],
)
def test_user_mistakes_get_one_line_and_exit_2(capsys, tmp_path, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert words in err
    assert "Traceback" not in err


def test_unwritable_output_file(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # the suite may run as root
    code, _, err = run(capsys, "screenshot", "library", str(tmp_path / "x.png"))
    assert code == 2 and "permission denied" in err


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({}, "win32", True),
        ({}, "darwin", True),
    ],
)
def test_has_display(env, platform, expected):
    assert has_display(env, platform) is expected


def test_gui_without_display_says_so_in_one_sentence(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, "-m", "backcoach", "--data-dir", str(tmp_path)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "no graphical display" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_module_entry_point(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "backcoach", "exercises", "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and len(json.loads(proc.stdout)) == 60


def test_figure_notes_a_muscle_drawn_in_another_view(capsys, tmp_path, monkeypatch):
    """Asking for the rhomboids on the front view still draws the picture, and says where
    they are drawn instead of leaving the user wondering why nothing lit up."""
    import backcoach.ui.screenshot as screenshot

    calls = []
    monkeypatch.setattr(screenshot, "render_figure_file", lambda *a: calls.append(a) or True)
    code, _, err = run(capsys, "figure", str(tmp_path / "f.png"), "--view", "front", "--primary", "rhomboid-major,biceps")
    assert code == 0 and len(calls) == 1
    assert err.strip() == "backcoach: note: rhomboid-major is not drawn in the front view; try --view deep-back"


# --- routines check ----------------------------------------------------------------------------

TEMPLATE_IDS = ("beginner-back", "lats-v-taper", "upper-back-posture", "lower-back-hinge", "home-no-equipment",
                "back-pain-mobility")


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_routines_check_prints_nothing_for_each_shipped_template(capsys, template_id):
    assert run(capsys, "routines", "check", "--template", template_id) == (0, "", "")
    code, out, _ = run(capsys, "routines", "check", "--template", template_id, "--json")
    assert (code, json.loads(out)) == (0, [])


def test_routines_check_every_template_id_is_tested(library):
    from backcoach.templates import load_templates

    assert tuple(t.id for t in load_templates(library)) == TEMPLATE_IDS


def _routine_file(tmp_path, name="Pull only", exercise_ids=("lat-pulldown",), sessions=2):
    from backcoach.routine_io import write_routines
    from backcoach.routines import PlannedSet, Routine, RoutineItem

    routine = Routine(name, items=tuple(RoutineItem(e, sets=(PlannedSet(),) * 3) for e in exercise_ids),
                      sessions_per_week=sessions)
    path = tmp_path / "routine.json"
    write_routines([routine], path)
    return path, routine


def test_routines_check_a_file_prints_each_advice_and_json_has_rule_severity_text(capsys, tmp_path, data_dir):
    path, _ = _routine_file(tmp_path)
    code, out, err = run(capsys, "routines", "check", str(path))
    assert code == 0 and err == ""
    lines = [line for line in out.splitlines() if not line.startswith("    try:")]
    assert lines[0] == ("warning: No horizontal row: add a row so the middle back learns to pull the shoulder "
                        "blades together. [no-horizontal-row]")
    assert [line.rsplit("[", 1)[1].rstrip("]") for line in lines] == [
        "no-horizontal-row", "no-lower-back", "sets-far-below", "sets-far-below", "sets-far-below"]
    assert out.splitlines()[1] == "    try: One-arm dumbbell row, Chest-supported row, Suspension row"
    code, out, _ = run(capsys, "routines", "check", str(path), "--json")
    advice = json.loads(out)
    assert [(a["rule"], a["severity"]) for a in advice][:2] == [
        ("no-horizontal-row", "warning"), ("no-lower-back", "warning")]
    assert advice[0]["suggestions"] == ["one-arm-dumbbell-row", "chest-supported-row", "suspension-row"]
    assert all(set(a) == {"rule", "severity", "text", "suggestions"} for a in advice)


def test_routines_check_uses_the_level_from_settings_or_the_option(capsys, tmp_path, data_dir):
    path, _ = _routine_file(tmp_path, exercise_ids=("lat-pulldown", "seated-cable-row", "face-pull",
                                                    "back-extension"), sessions=3)
    code, out, _ = run(capsys, "routines", "check", str(path), "--json")  # a beginner by default
    assert [(a["rule"], a["severity"]) for a in json.loads(out)] == [("frequency-above-level", "tip")]
    code, out, _ = run(capsys, "routines", "check", str(path), "--json", "--level", "intermediate")
    assert json.loads(out) == []


def test_routines_check_a_saved_routine_by_name(capsys, tmp_path, data_dir):
    path, _ = _routine_file(tmp_path, name="Back A")
    assert run(capsys, "routines", "import", str(path))[0] == 0
    code, out, _ = run(capsys, "routines", "check", "back a", "--json")
    assert code == 0 and [a["rule"] for a in json.loads(out)][0] == "no-horizontal-row"


@pytest.mark.parametrize(("argv", "message"), [
    (("routines", "check"), "give a routine NAME or FILE, or --template ID"),
    (("routines", "check", "x", "--template", "beginner-back"), "give a routine NAME or FILE, or --template ID"),
    (("routines", "check", "--template", "nope"), "unknown template 'nope'"),
    (("routines", "check", "No such routine"), "no routine called 'No such routine' and no such file"),
])
def test_routines_check_mistakes_are_one_line_and_exit_2(capsys, data_dir, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_routines_check_a_broken_file_fails_cleanly(capsys, tmp_path, data_dir):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    code, out, err = run(capsys, "routines", "check", str(path))
    assert code == 1 and out == "" and "bad.json" in err


def _folder_with_a_session(path):
    from backcoach.model import SessionLog, SetLog
    from backcoach.store import Store

    with Store.open(path) as store:
        store.add_session(SessionLog(started_at="2025-01-02T10:00:00+00:00", sets=[SetLog("pull-up", 1, reps=5)]))
    return path


def test_export_works_while_the_app_has_the_folder_open(capsys, tmp_path):
    from backcoach.store import Store

    folder = _folder_with_a_session(tmp_path / "d")
    with Store.open(folder) as app:  # the app holds the lock
        assert not app.read_only
        code, out, err = run(capsys, "--data-dir", str(folder), "export", "csv", str(tmp_path / "out.csv"))
        assert code == 0, err
        assert "Wrote 1 session to" in out and len((tmp_path / "out.csv").read_text().splitlines()) == 2
        code, out, err = run(capsys, "--data-dir", str(folder), "routines", "list")
        assert code == 0, err
        # Writing still waits for the app to close.
        (tmp_path / "r.json").write_text("{}")
        code, _, err = run(capsys, "--data-dir", str(folder), "import", "json", str(tmp_path / "r.json"))
        assert code == 1 and "close it first" in err


@pytest.mark.parametrize("where", ["missing-folder/out.csv", "unwritable/out.csv"])
def test_an_unwritable_export_path_is_a_usage_error(capsys, tmp_path, monkeypatch, where):
    from backcoach import storage

    folder = _folder_with_a_session(tmp_path / "d")
    (tmp_path / "unwritable").mkdir()

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(storage, "atomic_write", refuse)
    code, _, err = run(capsys, "--data-dir", str(folder), "export", "csv", str(tmp_path / where))
    assert code == 2
    assert err.startswith("backcoach: cannot write") and err.count("\n") == 1


def test_data_dir_is_accepted_after_the_command(capsys, tmp_path):
    folder = _folder_with_a_session(tmp_path / "d")
    code, out, err = run(capsys, "export", "json", str(tmp_path / "b.json"), "--data-dir", str(folder))
    assert code == 0, err
    assert json.loads((tmp_path / "b.json").read_text())
    code, out, err = run(capsys, "routines", "list", "--data-dir", str(folder))
    assert code == 0 and "0 routines" in out


@pytest.mark.parametrize("break_it", [
    lambda b: b["routines"][0]["items"][0].pop("sets"),
    lambda b: b["routines"][0]["items"][0].update(sets="3x8"),
    lambda b: b["custom_exercises"].append({"id": "custom-x"}),
    lambda b: b["routines"][0].update(sessions_per_week=99),  # a range a routines file refuses
    lambda b: b["routines"][0]["items"][0]["sets"][0].update(reps=[8, 5000]),
])
def test_a_backup_with_a_malformed_routine_or_custom_exercise_changes_nothing(capsys, tmp_path, break_it):
    """Once, a backup whose routine item had no `sets` was imported, and from then on
    `routines list` died with KeyError: 'sets'. Routines and custom exercises in a backup are
    checked like a routine file, all or nothing."""
    from backcoach.routines import PlannedSet, Routine, RoutineBook, RoutineItem
    from backcoach.store import Store

    source = _folder_with_a_session(tmp_path / "a")
    with Store.open(source) as store:
        RoutineBook(store).save(Routine(name="Pull day", items=(RoutineItem("pull-up", (PlannedSet(reps=(5, 8)),)),)))
    code, _, err = run(capsys, "--data-dir", str(source), "export", "json", str(tmp_path / "b.json"))
    assert code == 0, err
    backup = json.loads((tmp_path / "b.json").read_text())
    break_it(backup)
    (tmp_path / "b.json").write_text(json.dumps(backup))
    target = tmp_path / "b"
    code, _, err = run(capsys, "--data-dir", str(target), "import", "json", str(tmp_path / "b.json"))
    assert code == 1 and err.count("\n") == 1 and ("routine 1" in err or "custom exercise 1" in err), err
    code, out, err = run(capsys, "--data-dir", str(target), "routines", "list")
    assert code == 0 and out.strip() == "0 routines", (out, err)
    with Store.open(target) as store:
        assert store.sessions() == [] and store.custom_exercises() == {}
