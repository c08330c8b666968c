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
    assert len(items) == 52
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
    assert "pull-up" in out and out.strip().endswith("of 52 exercises")


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
    assert proc.returncode == 0 and len(json.loads(proc.stdout)) == 52


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
