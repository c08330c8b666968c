import os
import sys
from pathlib import Path

import pytest

import backcoach
from backcoach.cli import main
from backcoach.paths import DataDirError, cache_dir, default_data_dir, ensure_data_dir, resolve_data_dir


def test_option_beats_environment(tmp_path):
    env = {"BACKCOACH_DATA_DIR": str(tmp_path / "env")}
    assert resolve_data_dir(str(tmp_path / "opt"), env) == tmp_path / "opt"
    assert resolve_data_dir(None, env) == tmp_path / "env"


def test_default_is_the_per_user_folder():
    assert resolve_data_dir(None, {}) == default_data_dir()
    assert default_data_dir().name == "BackCoach"


def test_ensure_creates_the_folder(tmp_path):
    target = tmp_path / "a" / "b"
    assert ensure_data_dir(target) == target and target.is_dir()


def test_a_file_in_the_way_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DataDirError, match="cannot create the data folder"):
        ensure_data_dir(blocker / "sub")


def test_read_only_folder_is_reported(tmp_path, monkeypatch):
    # Simulated: the suite may run as root, who can write anywhere.
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(DataDirError, match="not writable"):
        ensure_data_dir(tmp_path)


def test_the_cache_goes_to_the_users_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    if sys.platform.startswith("linux"):
        assert cache_dir({}) == tmp_path / "xdg-cache" / "BackCoach"
    assert cache_dir({"BACKCOACH_CACHE_DIR": str(tmp_path / "mine")}) == tmp_path / "mine"
    package = Path(backcoach.__file__).resolve().parent
    assert package not in cache_dir({}).resolve().parents


def test_the_cli_keeps_the_library_cache_in_the_cache_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BACKCOACH_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["exercises", "--json"]) == 0
    assert len(list((tmp_path / "cache").glob("library-*.json"))) == 1
