"""The window's place across runs, and one BackCoach per data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication

from backcoach.store import Store
from tests.helpers.windows import main_window
from backcoach.ui.single_instance import SingleInstance, server_name
from backcoach.window_place import WindowPlace

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def store(tmp_path):
    st = Store.open(tmp_path / "d")
    yield st
    st.close()


def test_size_place_and_last_area_come_back_next_run(qtbot, themed_app, library, store):
    first = main_window(library, store)
    qtbot.add_widget(first)
    first.setGeometry(40, 30, 1100, 650)
    first.show()
    first.show_area("routines")
    first.close()
    saved = WindowPlace.from_json(store.settings()["window_state"])
    assert saved.rect == (40, 30, 1100, 650) and saved.area == "routines" and not saved.maximized

    second = main_window(library, store)
    qtbot.add_widget(second)
    place = second.restore_place()
    second.show()
    assert place == saved
    assert second.geometry() == QRect(40, 30, 1100, 650)
    assert second.current_area() == "routines"


def test_a_place_on_a_missing_monitor_is_brought_onto_the_screen(qtbot, themed_app, library, store):
    window = main_window(library, store)
    qtbot.add_widget(window)
    window.settings.set("window_state", WindowPlace(5000, 3000, 1100, 650, area="settings").to_json())
    window.restore_place()
    window.show()
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert screen.contains(window.geometry().topLeft())
    assert window.current_area() == "settings"


def test_a_maximised_window_remembers_its_normal_size_too(qtbot, themed_app, library, store):
    window = main_window(library, store)
    qtbot.add_widget(window)
    window.setGeometry(20, 20, 1000, 620)
    window.showMaximized()
    qtbot.wait_until(window.isMaximized)
    window.close()
    saved = WindowPlace.from_json(store.settings()["window_state"])
    assert saved.maximized and saved.rect == (20, 20, 1000, 620)


def test_a_read_only_window_never_saves_its_place(qtbot, themed_app, library, store, tmp_path):
    with Store.open(tmp_path / "d") as second_store:  # the folder is held: read-only
        assert second_store.read_only
        window = main_window(library, second_store)
        qtbot.add_widget(window)
        window.show()
        window.close()
    assert "window_state" not in store.settings()


def test_a_second_launch_hands_over_to_the_first(qtbot, themed_app):
    name = server_name(Path("/tmp/some-backcoach-folder"))
    first = SingleInstance(name)
    assert first.listen()
    asked = []
    first.activated.connect(lambda: asked.append(True))
    assert SingleInstance(name).hand_over()
    qtbot.wait_until(lambda: asked == [True])
    first.close()
    assert not SingleInstance(name).hand_over()  # nobody there any more: the newcomer would open its window


def test_a_second_backcoach_process_brings_the_running_window_to_the_front(qtbot, themed_app, library, store):
    """The real command, in its own process, on the folder a window already has open."""
    window = main_window(library, store)
    qtbot.add_widget(window)
    window.show()
    window.showMinimized()
    qtbot.wait_until(window.isMinimized)
    from backcoach.ui.alerts import bring_to_front

    instance = SingleInstance(server_name(store.data_dir))
    assert instance.listen()
    instance.activated.connect(lambda: bring_to_front(window))
    before = {p.name: p.stat().st_mtime_ns for p in store.data_dir.rglob("*")}
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "backcoach", "--data-dir", str(store.data_dir)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        qtbot.wait_until(lambda: proc.poll() is not None, timeout=30000)
        assert proc.returncode == 0, proc.stderr.read()
        qtbot.wait_until(lambda: not window.isMinimized())
    finally:
        if proc.poll() is None:
            proc.kill()
        instance.close()
    assert {p.name: p.stat().st_mtime_ns for p in store.data_dir.rglob("*")} == before  # it wrote nothing


def test_gym_mode_reopens_on_the_monitor_it_was_on(qtbot, themed_app, library, store):
    window = main_window(library, store)
    qtbot.add_widget(window)
    here = QGuiApplication.primaryScreen()
    window.settings.set("window_state", WindowPlace(0, 0, 1100, 650, full_screen=True, screen=here.name()).to_json())
    window.restore_place()
    assert window._gym_screen is here
    window.settings.set("window_state", WindowPlace(0, 0, 1100, 650, full_screen=True, screen="gone-HDMI-9").to_json())
    window._gym_screen = None
    window.restore_place()
    assert window._gym_screen is None  # that monitor is not there: gym mode opens where the window is
    window.show()
    window._enter_gym_mode()
    assert window._gym_screen is window.screen()
    window.close()
    assert WindowPlace.from_json(store.settings()["window_state"]).screen == here.name()
