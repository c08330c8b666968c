"""The Settings area: generated from SETTINGS, every edit saved at once, refused values
explained beside the field, and values changed elsewhere reflected."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QScrollArea, QSpinBox

from backcoach.settings import SETTINGS, Settings
from backcoach.store import Store
from backcoach.ui import settings_view as settings_view_module
from backcoach.ui.settings_view import SYSTEM_DEFAULT_VOICE, SettingsView

VOICES = ["Bob", "Anne"]


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "d"


@pytest.fixture
def store(folder):
    st = Store.open(folder)
    yield st
    st.close()


@pytest.fixture
def settings(store):
    return Settings(store)


def make_view(qtbot, settings, folder, voices=lambda: list(VOICES), show=True) -> SettingsView:
    view = SettingsView(settings, folder, voices=voices)
    view.resize(1366, 768)
    qtbot.add_widget(view)
    if show:
        view.show()
        qtbot.wait_exposed(view)
    return view


@pytest.fixture
def view(qtbot, themed_app, settings, folder):
    return make_view(qtbot, settings, folder)


def saved(folder) -> dict:
    """The settings as a fresh store reads them from disk."""
    other = Store.open(folder, read_only=True)
    try:
        return other.settings()
    finally:
        other.close()


def choose(combo: QComboBox, value) -> None:
    index = combo.findData(value)
    assert index >= 0, f"{value!r} not offered"
    combo.setCurrentIndex(index)


def retype(qtbot, line: QLineEdit, text: str) -> None:
    line.setFocus()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, text)


def test_every_setting_has_a_label_an_editor_and_its_description(view):
    assert "window_state" not in view.editors  # remembered state, not a choice
    for setting in (s for s in SETTINGS if not s.hidden):
        editor = view.editors[setting.key]
        assert view.labels[setting.key].text() == setting.label
        assert view.descriptions[setting.key].text() == setting.description
        assert view.descriptions[setting.key].role == "muted"
        assert editor.isVisible() and editor.accessibleName() == setting.label
        if setting.choices or setting.key == "voice_name":
            assert isinstance(editor, QComboBox)
        elif setting.type is bool:
            assert isinstance(editor, QCheckBox)
        elif setting.type is int:
            assert isinstance(editor, QSpinBox)
            assert (editor.minimum(), editor.maximum(), editor.suffix()) == (
                setting.minimum, setting.maximum, setting.suffix)
        elif setting.type is float:
            assert isinstance(editor, QDoubleSpinBox)
            assert (editor.minimum(), editor.maximum()) == (setting.minimum, setting.maximum)
        else:
            assert isinstance(editor, QLineEdit)


def test_editors_start_with_the_saved_values(qtbot, themed_app, store, folder):
    settings = Settings(store)
    settings.set("units", "lb")
    settings.set("default_rest_seconds", 150)
    settings.set("muted", True)
    settings.set("default_tempo", "2-0-1-1")
    view = make_view(qtbot, settings, folder)
    assert view.editors["units"].currentData() == "lb"
    assert view.editors["default_rest_seconds"].value() == 150
    assert view.editors["muted"].isChecked()
    assert view.editors["default_tempo"].text() == "2-0-1-1"


def test_every_editor_saves_its_change_at_once(qtbot, view, settings, folder):
    e = view.editors
    choose(e["units"], "lb")
    choose(e["level"], "advanced")
    retype(qtbot, e["default_tempo"], "4-1-X-2")
    e["default_rest_seconds"].setValue(120)
    e["get_ready_seconds"].setValue(10)
    e["sound_volume"].setValue(40)
    qtbot.mouseClick(e["muted"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(e["voice"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(e["auto_start_next"], Qt.MouseButton.LeftButton)
    choose(e["voice_name"], "Anne")
    choose(e["theme"], "dark")
    retype(qtbot, e["bars_kg"], "20 15")
    retype(qtbot, e["plates_kg"], "20 10 5 2.5")
    retype(qtbot, e["bars_lb"], "45 35")
    retype(qtbot, e["plates_lb"], "45 25 10 5")
    e["dumbbell_step_kg"].setValue(2.5)
    e["dumbbell_step_lb"].setValue(2.5)
    e["machine_step_kg"].setValue(2.5)
    e["machine_step_lb"].setValue(5)
    retype(qtbot, e["pedal_key"], "F13")
    choose(e["pedal_action"], "pause")
    qtbot.mouseClick(e["alerts_outside"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(e["raise_at_rest_end"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(e["flash_at_rest_end"], Qt.MouseButton.LeftButton)
    expected = {
        "units": "lb", "level": "advanced", "default_tempo": "4-1-X-2", "default_rest_seconds": 120,
        "get_ready_seconds": 10, "sound_volume": 40, "muted": True, "voice": False, "voice_name": "Anne",
        "theme": "dark", "auto_start_next": False, "bars_kg": "20 15", "plates_kg": "20 10 5 2.5", "bars_lb": "45 35",
        "plates_lb": "45 25 10 5", "dumbbell_step_kg": 2.5, "dumbbell_step_lb": 2.5, "machine_step_kg": 2.5,
        "machine_step_lb": 5.0, "pedal_key": "F13", "pedal_action": "pause", "alerts_outside": False,
        "raise_at_rest_end": False, "flash_at_rest_end": True,
    }
    assert {s.key for s in SETTINGS if not s.hidden} == set(expected), "a new setting needs a line here"
    assert settings.values() == {**expected, "window_state": ""}
    assert saved(folder) == expected
    assert not any(label.isVisible() for label in view.errors.values())


def test_typing_a_number_saves_it_once(qtbot, view, settings, folder):
    changes = []
    settings.on_change(lambda key, value: changes.append((key, value)))
    spin = view.editors["default_rest_seconds"]
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "240")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert changes == [("default_rest_seconds", 240)]
    assert saved(folder)["default_rest_seconds"] == 240


def test_a_bad_tempo_is_explained_and_nothing_is_saved(qtbot, view, settings, folder):
    line = view.editors["default_tempo"]
    retype(qtbot, line, "3-2-x")
    error = view.errors["default_tempo"]
    assert error.isVisible() and error.role == "cue"
    assert "four parts" in error.text() and "still using 3-2-1-2" in error.text()
    assert not error.text().startswith("Default tempo:")  # the label is right beside it
    assert line.text() == "3-2-x"  # left for the user to fix
    assert settings.get("default_tempo") == "3-2-1-2"
    assert "default_tempo" not in saved(folder)

    retype(qtbot, line, "x-2-1-2")
    assert "only the pull can be X" in error.text()
    retype(qtbot, line, "3-1-X-1")
    assert not error.isVisible()
    assert saved(folder)["default_tempo"] == "3-1-X-1"


def test_units_combo_switches_between_kg_and_lb(view, settings, folder):
    combo = view.editors["units"]
    assert [combo.itemData(i) for i in range(combo.count())] == ["kg", "lb"]
    choose(combo, "lb")
    assert settings.get("units") == "lb" and saved(folder)["units"] == "lb"
    choose(combo, "kg")
    assert settings.get("units") == "kg" and saved(folder)["units"] == "kg"


def test_the_form_follows_changes_made_elsewhere(view, settings, folder):
    changes = []
    settings.on_change(lambda key, value: changes.append(key))
    settings.set("muted", True)
    settings.set("units", "lb")
    settings.set("default_tempo", "2-0-1-1")
    settings.set("sound_volume", 55)
    settings.set("voice_name", "Anne")
    settings.set("theme", "light")
    e = view.editors
    assert e["muted"].isChecked()
    assert e["units"].currentData() == "lb"
    assert e["default_tempo"].text() == "2-0-1-1"
    assert e["sound_volume"].value() == 55
    assert e["voice_name"].currentData() == "Anne"
    assert e["theme"].currentData() == "light"
    # Showing them did not count as edits of their own.
    assert changes == ["muted", "units", "default_tempo", "sound_volume", "voice_name", "theme"]


def test_a_change_elsewhere_clears_a_stale_message(qtbot, view, settings):
    retype(qtbot, view.editors["default_tempo"], "nonsense")
    assert view.errors["default_tempo"].isVisible()
    settings.set("default_tempo", "2-0-2-0")
    assert view.editors["default_tempo"].text() == "2-0-2-0" and not view.errors["default_tempo"].isVisible()


def test_voice_list_has_the_system_default_first(view, settings):
    combo = view.editors["voice_name"]
    assert [combo.itemText(i) for i in range(combo.count())] == [SYSTEM_DEFAULT_VOICE, *VOICES]
    assert combo.itemData(0) == "" and combo.isEnabled() and not view.voice_note.isVisible()
    choose(combo, "Bob")
    choose(combo, "")
    assert settings.get("voice_name") == ""


@pytest.mark.parametrize("voices", [lambda: [], None, lambda: 1 / 0], ids=["empty", "none", "broken"])
def test_without_voices_the_list_is_disabled_with_a_note(qtbot, themed_app, settings, folder, voices):
    view = make_view(qtbot, settings, folder, voices=voices)
    combo = view.editors["voice_name"]
    assert not combo.isEnabled() and combo.count() == 1 and combo.currentText() == SYSTEM_DEFAULT_VOICE
    assert view.voice_note.isVisible() and "No speech voices" in view.voice_note.text()


def test_a_saved_voice_that_is_gone_is_still_shown(qtbot, themed_app, settings, folder):
    settings.set("voice_name", "Zira")
    view = make_view(qtbot, settings, folder)
    combo = view.editors["voice_name"]
    assert combo.currentData() == "Zira" and "not found" in combo.currentText()


def test_voices_are_listed_only_when_the_page_is_shown(qtbot, themed_app, settings, folder):
    calls = []
    view = make_view(qtbot, settings, folder, voices=lambda: calls.append(1) or ["Bob"], show=False)
    assert calls == []
    view.show()
    qtbot.wait_exposed(view)
    view.hide()
    view.show()
    assert calls == [1]


def test_test_sound_button_asks_for_a_sound(qtbot, view):
    with qtbot.waitSignal(view.test_sound_requested, timeout=1000):
        qtbot.mouseClick(view.test_sound_button, Qt.MouseButton.LeftButton)


class FakeDesktop:
    opened: list[QUrl] = []
    result = True

    @classmethod
    def openUrl(cls, url):  # noqa: N802
        cls.opened.append(url)
        return cls.result


def test_data_folder_is_shown_and_opened(qtbot, view, folder, monkeypatch):
    monkeypatch.setattr(settings_view_module, "QDesktopServices", FakeDesktop)
    monkeypatch.setattr(FakeDesktop, "opened", [])
    assert view.data_dir_field.text() == str(folder) and view.data_dir_field.isReadOnly()
    qtbot.mouseClick(view.open_folder_button, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in FakeDesktop.opened] == [str(folder)]
    assert not view.folder_error.isVisible()

    monkeypatch.setattr(FakeDesktop, "result", False)
    qtbot.mouseClick(view.open_folder_button, Qt.MouseButton.LeftButton)
    assert view.folder_error.isVisible() and "could not be opened" in view.folder_error.text()


def test_the_data_folder_note_names_both_ways_to_choose_another(view):
    text = "\n".join(label.text() for label in view.findChildren(type(view.labels["units"])))
    assert "--data-dir" in text and "BACKCOACH_DATA_DIR" in text


def test_without_a_data_folder_there_is_nothing_to_open(qtbot, themed_app):
    view = make_view(qtbot, Settings(None), None)
    assert not view.open_folder_button.isEnabled()
    assert "No data folder" in view.data_dir_field.text()
    assert view.open_data_folder() is False


def test_a_read_only_store_explains_and_keeps_the_value(qtbot, themed_app, store, folder):
    second = Store.open(folder)  # another window: the folder is locked, so read-only
    try:
        assert second.read_only
        view = make_view(qtbot, Settings(second), folder)
        choose(view.editors["units"], "lb")
        assert view.errors["units"].isVisible() and "Not saved" in view.errors["units"].text()
        assert view.editors["units"].currentData() == "kg"
    finally:
        second.close()


def test_a_closed_view_no_longer_listens(qtbot, themed_app, settings, folder):
    view = SettingsView(settings, folder)
    view.deleteLater()
    qtbot.wait(10)
    settings.set("muted", True)  # must not touch the deleted widgets
    assert settings.get("muted") is True


def test_labels_are_not_clipped_at_1366x768(view):
    for label in view.labels.values():
        assert label.width() >= label.sizeHint().width(), label.text()
    scroll = view.findChild(QScrollArea)
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()
    for key, editor in view.editors.items():
        assert editor.width() >= editor.minimumSizeHint().width(), key


def wheel_over(widget, steps: int = 1) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_an_unfocused_editor_scrolls_the_page_and_saves_nothing(qtbot, view, folder):
    view.resize(1024, 500)
    spin = next(e for e in view.editors.values() if isinstance(e, QSpinBox))
    combo = view.editors["units"]
    before_spin, before_combo = spin.value(), combo.currentIndex()
    view.setFocus()
    wheel_over(spin, -1)
    wheel_over(combo, -1)
    assert spin.value() == before_spin and combo.currentIndex() == before_combo
    assert "units" not in saved(folder)
    spin.setFocus()
    wheel_over(spin, 1)  # clicked or tabbed into: the wheel is for the value again
    assert spin.value() != before_spin


def test_a_read_only_window_says_settings_cannot_change_here(qtbot, themed_app, folder, store):
    with Store.open(folder) as second:
        assert second.read_only
        view = make_view(qtbot, Settings(second), folder)
        texts = [label.text() for label in view.findChildren(type(view.labels["units"]))]
        assert any("read-only" in t for t in texts)
        assert not any("saved as you make them" in t for t in texts)
        assert not view.editors["units"].isEnabled()


def test_a_screenshots_read_only_store_is_not_called_open_elsewhere(qtbot, themed_app, folder, store):
    with Store.open(folder, read_only=True) as quiet:  # as `backcoach screenshot` opens it
        view = make_view(qtbot, Settings(quiet), folder)
        assert view.editors["units"].isEnabled() and not view.read_only
