"""Shared fixtures. Qt runs offscreen: the suite needs no display."""

import os
import tempfile

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("BACKCOACH_DATA_DIR", None)  # never touch a real data folder from a test
# Nor the real cache folder (subprocesses inherit this too).
os.environ["BACKCOACH_CACHE_DIR"] = tempfile.mkdtemp(prefix="backcoach-test-cache-")

import pytest  # noqa: E402

from backcoach.library import Library, load_library  # noqa: E402


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh data folder; the environment points at it so nothing reaches the real one."""
    path = tmp_path / "data"
    monkeypatch.setenv("BACKCOACH_DATA_DIR", str(path))
    return path


@pytest.fixture
def themed_app(qapp):
    """The QApplication with BackCoach's light theme, as the app would set it up."""
    from backcoach.ui.app import create_application

    create_application("light")
    return qapp


