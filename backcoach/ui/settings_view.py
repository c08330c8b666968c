"""The Settings area: a form generated from `backcoach.settings.SETTINGS`.

One row per setting: its label, an editor chosen by its declaration (a combo box for
choices, a spin box for a number range, a check box for on/off, a line checked as you type
for text), and its description below in muted text. Every change is saved at once through
`Settings.set`; a refused value shows why next to the field and the saved value is kept.
Values changed elsewhere (the session's mute key, say) show up here as they happen.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from backcoach.paths import ENV_VAR
from backcoach.settings import SETTINGS, Setting, Settings
from backcoach.storage import StorageError
from backcoach.ui.widgets import text_label, wheel_only_when_focused

# How the generated rows are grouped on screen; a setting missing here lands in "Other".
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Training", ("units", "level", "default_tempo", "default_rest_seconds", "get_ready_seconds")),
    ("Sound", ("sound_volume", "muted", "voice", "voice_name")),
    ("Appearance", ("theme",)),
    ("Plates and load steps", ("bars_kg", "plates_kg", "bars_lb", "plates_lb", "dumbbell_step_kg", "dumbbell_step_lb",
                               "machine_step_kg", "machine_step_lb")),
    ("Gym floor", ("pedal_key", "pedal_action", "alerts_outside", "raise_at_rest_end", "flash_at_rest_end")),
)
VISIBLE = tuple(s for s in SETTINGS if not s.hidden)  # remembered state (the window's place) is not a choice
SYSTEM_DEFAULT_VOICE = "System default"
NO_VOICES = "No speech voices were found on this computer, so cues are played as tones only."
FORM_MAX_WIDTH = 900  # long lines are hard to read; the rest of a wide window stays empty


def _short_message(setting: Setting, exc: Exception) -> str:
    """The error without the "Label: " prefix (the label is right beside it)."""
    text = str(exc)
    prefix = f"{setting.label}: "
    return text[len(prefix):] if text.startswith(prefix) else text


class SettingsView(QWidget):
    """Every setting, editable; the data folder; a button to try the sound."""

    test_sound_requested = Signal()

    def __init__(self, settings: Settings, data_dir: Path | None,
                 voices: Callable[[], list[str]] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self._voices = voices
        self._voices_loaded = False
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.descriptions: dict[str, QLabel] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 12)
        outer.setSpacing(4)
        outer.addWidget(text_label("Settings", role="title", wrap=False, selectable=False))
        store = getattr(settings, "store", None)
        self.read_only = bool(store is not None and store.locked_elsewhere)  # not a screenshot's read-only
        outer.addWidget(text_label(
            "This window is read-only: BackCoach is open elsewhere with this data folder, so settings "
            "can be changed only there." if self.read_only else "Changes are saved as you make them.",
            role="muted", selectable=False))

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        page = QWidget()
        page_layout = QHBoxLayout(page)
        page_layout.setContentsMargins(0, 8, 12, 12)
        form = QWidget()
        form.setMaximumWidth(FORM_MAX_WIDTH)
        self.grid = QGridLayout(form)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(3)
        self.grid.setColumnStretch(1, 1)
        page_layout.addWidget(form, 1)
        page_layout.addStretch(0)
        scroll.setWidget(page)
        outer.addWidget(scroll, 1)

        self._row = 0
        placed: set[str] = set()
        for title, keys in (*SECTIONS, ("Other", tuple(s.key for s in VISIBLE))):
            settings_here = [s for s in VISIBLE if s.key in keys and s.key not in placed]
            if not settings_here:
                continue
            self._add_heading(title)
            for setting in settings_here:
                placed.add(setting.key)
                self._add_setting(setting)
        self._add_data_folder()
        self.grid.setRowStretch(self._row, 1)

        for setting in VISIBLE:
            self._show_value(setting.key, settings.get(setting.key))
            if self.read_only:
                self.editors[setting.key].setEnabled(False)
        ref = weakref.ref(self)
        settings.on_change(lambda key, value: _changed_elsewhere(ref, key, value))

    # --- building -----------------------------------------------------------------------
    def _add_heading(self, title: str) -> None:
        heading = text_label(title, role="heading", wrap=False, selectable=False)
        heading.setContentsMargins(0, 14 if self._row else 0, 0, 4)
        self.grid.addWidget(heading, self._row, 0, 1, 2)
        self._row += 1

    def _add_row(self, label_text: str, editor_row: QWidget, description: QWidget | None, key: str) -> None:
        label = text_label(label_text, wrap=False, selectable=False)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.labels[key] = label
        self.grid.addWidget(label, self._row, 0)
        self.grid.addWidget(editor_row, self._row, 1)
        self._row += 1
        if description is not None:
            self.grid.addWidget(description, self._row, 1)
            self._row += 1
        self.grid.setRowMinimumHeight(self._row, 10)  # air between settings
        self._row += 1

    def _add_setting(self, setting: Setting) -> None:
        editor = self._make_editor(setting)
        editor.setAccessibleName(setting.label)
        self.editors[setting.key] = editor
        error = text_label(role="cue")
        error.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        error.hide()
        self.errors[setting.key] = error

        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        box.addWidget(editor, 0, Qt.AlignmentFlag.AlignVCenter)
        if setting.key == "sound_volume":
            self.test_sound_button = QPushButton("Test sound")
            self.test_sound_button.setToolTip("Play a phase tone and say a word at this volume")
            self.test_sound_button.clicked.connect(self.test_sound_requested)
            box.addWidget(self.test_sound_button, 0, Qt.AlignmentFlag.AlignVCenter)
        box.addWidget(error, 100)  # a message takes the room; otherwise the stretch does
        box.addStretch(1)

        description = text_label(setting.description, role="muted")
        if setting.key == "voice_name":
            self.voice_note = text_label(NO_VOICES, role="muted")
            self.voice_note.hide()
            holder = QWidget()
            lines = QVBoxLayout(holder)
            lines.setContentsMargins(0, 0, 0, 0)
            lines.setSpacing(2)
            lines.addWidget(description)
            lines.addWidget(self.voice_note)
            self.descriptions[setting.key] = description
            self._add_row(setting.label, row, holder, setting.key)
            return
        self.descriptions[setting.key] = description
        self._add_row(setting.label, row, description, setting.key)

    def _make_editor(self, setting: Setting) -> QWidget:
        key = setting.key
        if setting.choices or key == "voice_name":
            combo = QComboBox()
            wheel_only_when_focused(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            if key == "voice_name":
                combo.addItem(SYSTEM_DEFAULT_VOICE, "")
                combo.setMinimumContentsLength(18)
            for value, label in setting.choices:
                combo.addItem(label, value)
            combo.currentIndexChanged.connect(lambda _i, c=combo, k=key: self._apply(k, c.currentData()))
            return combo
        if setting.type is bool:
            check = QCheckBox()
            check.toggled.connect(lambda on, k=key: self._apply(k, bool(on)))
            return check
        if setting.type in (int, float):
            low = setting.minimum if setting.minimum is not None else -1_000_000
            high = setting.maximum if setting.maximum is not None else 1_000_000
            spin: QSpinBox | QDoubleSpinBox
            if setting.type is int:
                spin = QSpinBox()
                spin.setRange(int(low), int(high))
            else:
                spin = decimal = QDoubleSpinBox()
                decimal.setDecimals(1)
                decimal.setRange(float(low), float(high))
            span = high - low
            spin.setSingleStep(15 if span >= 300 else 5 if span >= 100 else 1)
            spin.setSuffix(setting.suffix)
            wheel_only_when_focused(spin)
            spin.setKeyboardTracking(False)  # save the number typed, not each digit on the way
            spin.setAccelerated(True)
            spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance(f"{high:g}{setting.suffix}") + 60)
            spin.valueChanged.connect(lambda v, k=key, t=setting.type: self._apply(k, t(v)))
            return spin
        line = QLineEdit()
        line.setMaximumWidth(line.fontMetrics().horizontalAdvance("M" * 14))
        line.setPlaceholderText(str(setting.default))
        line.textEdited.connect(lambda text, k=key: self._apply(k, text.strip()))
        return line

    def _add_data_folder(self) -> None:
        self._add_heading("Data")
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        self.data_dir_field = QLineEdit(str(self.data_dir) if self.data_dir else "No data folder: nothing is saved")
        self.data_dir_field.setReadOnly(True)
        self.data_dir_field.setAccessibleName("Data folder")
        self.data_dir_field.setCursorPosition(0)
        self.open_folder_button = QPushButton("Open folder")
        self.open_folder_button.setEnabled(self.data_dir is not None)
        self.open_folder_button.clicked.connect(self.open_data_folder)
        box.addWidget(self.data_dir_field, 1)
        box.addWidget(self.open_folder_button)
        self.folder_error = text_label(role="cue")
        self.folder_error.hide()
        note = text_label(
            "Your routines, history, settings and daily backups live here.\n"
            f"To use another folder, start BackCoach with --data-dir FOLDER or set {ENV_VAR}.",
            role="muted",
        )
        holder = QWidget()
        lines = QVBoxLayout(holder)
        lines.setContentsMargins(0, 0, 0, 0)
        lines.setSpacing(2)
        lines.addWidget(self.folder_error)
        lines.addWidget(note)
        self._add_row("Data folder", row, holder, "data_folder")

    # --- behaviour ----------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # Listing voices starts a speech engine: done when the page is first seen, not when
        # the window is built (start-up loads no QtTextToSpeech).
        if not self._voices_loaded:
            self.refresh_voices()
        super().showEvent(event)

    def refresh_voices(self) -> None:
        """Fill the voice list from `voices()`; disabled with a note when there are none."""
        self._voices_loaded = True
        names: list[str] = []
        if self._voices is not None:
            try:
                names = [n for n in self._voices() if n]
            except Exception:  # a broken speech engine must not break the Settings page
                names = []
        combo = self.editors["voice_name"]
        assert isinstance(combo, QComboBox)  # the voice setting has choices: its editor is a combo box
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(SYSTEM_DEFAULT_VOICE, "")
            for name in names:
                combo.addItem(name, name)
        finally:
            combo.blockSignals(False)
        combo.setEnabled(bool(names))
        self.voice_note.setVisible(not names)
        self._show_value("voice_name", self.settings.get("voice_name"))

    def open_data_folder(self) -> bool:
        if self.data_dir is None:
            return False
        ok = QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir)))
        self.folder_error.setText("" if ok else "The folder could not be opened here; its path is shown above.")
        self.folder_error.setVisible(not ok)
        return bool(ok)

    def _apply(self, key: str, value: Any) -> None:
        """Save an edit; on refusal show why beside the field and keep the saved value."""
        setting = next(s for s in SETTINGS if s.key == key)
        try:
            self.settings.set(key, value)
        except ValueError as exc:
            message = _short_message(setting, exc)
            if isinstance(self.editors[key], QLineEdit):
                message += f" (still using {self.settings.get(key)})"
            self._show_error(key, message)
            if not isinstance(self.editors[key], QLineEdit):  # the typed text stays to be fixed
                self._show_value(key, self.settings.get(key))
        except StorageError as exc:
            self._show_error(key, f"Not saved: {exc}")
            self._show_value(key, self.settings.get(key))
        else:
            self._show_error(key, None)

    def _show_error(self, key: str, message: str | None) -> None:
        label = self.errors[key]
        label.setText(message or "")
        label.setVisible(bool(message))

    def _show_value(self, key: str, value: Any) -> None:
        """Put a value into its editor without treating it as an edit."""
        editor = self.editors.get(key)
        if editor is None:
            return
        editor.blockSignals(True)
        try:
            if isinstance(editor, QComboBox):
                index = editor.findData(value)
                if index < 0 and key == "voice_name" and value:
                    editor.addItem(f"{value} (not found)", value)
                    index = editor.count() - 1
                editor.setCurrentIndex(max(index, 0))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
                editor.setValue(value)
            elif isinstance(editor, QLineEdit):
                if editor.text().strip() != value:
                    editor.setText(str(value))
        finally:
            editor.blockSignals(False)

    def _changed_elsewhere(self, key: str, value: Any) -> None:
        if key in self.editors:
            self._show_value(key, value)
            self._show_error(key, None)


def _changed_elsewhere(ref: weakref.ref, key: str, value: Any) -> None:
    view = ref()
    if view is not None:
        try:
            view._changed_elsewhere(key, value)
        except RuntimeError:  # the page was closed and its widgets deleted
            pass


__all__ = ["SettingsView", "SECTIONS"]
