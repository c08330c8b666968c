"""Render the import and custom-exercise dialogs and the Body weight tab into PNGs, at the
sizes a laptop in the gym has, for review: `python scripts/import_screenshots.py OUT_DIR`.
Uses a temporary data folder and the test fixtures; nothing of the user's is touched."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "imports"


def main(out: Path) -> None:
    from backcoach.library import load_library
    from backcoach.model import BodyWeight
    from backcoach.store import Store
    from backcoach.transfer import import_file, preview_file
    from backcoach.ui.app import create_application
    from backcoach.ui.screenshot import settle

    app = create_application("light")  # noqa: F841 - keeps the QApplication alive
    from backcoach.ui.custom_exercise_editor import CustomExerciseEditor, CustomExercisesDialog
    from backcoach.ui.history_view import TABS, HistoryView
    from backcoach.ui.import_preview import ImportPreviewDialog

    out.mkdir(parents=True, exist_ok=True)
    library = load_library()
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "data") as store:
        preview = preview_file(store, library, FIXTURES / "strong_current.csv")
        for size in ((700, 560), (1024, 600)):
            dialog = ImportPreviewDialog(preview, library, store.custom_exercises())
            dialog.resize(*size)
            dialog.map_name("Zercher Row", "barbell-row")
            dialog.show()
            settle()
            dialog.grab().save(str(out / f"import-preview-{size[0]}x{size[1]}.png"))
            dialog.close()
        import_file(store, library, None, FIXTURES / "strong_current.csv")
        import_file(store, library, None, FIXTURES / "stronglifts_kg.csv")
        for day, kg in (("2024-01-05", 84.0), ("2024-02-02", 83.1), ("2024-02-20", 82.9), ("2024-04-01", 81.5),
                        ("2024-05-03", 81.9), ("2024-06-10", 80.7)):
            store.log_body_weight(BodyWeight(day, kg))
        for w, h in ((1024, 600), (1366, 768)):
            view = HistoryView(library, store, today=date(2024, 7, 1))
            view.resize(w, h)
            view.show()
            view.tabs.setCurrentIndex(TABS.index("body_weight"))
            settle(10)
            view.grab().save(str(out / f"history-body-weight-{w}x{h}.png"))
            view.tabs.setCurrentIndex(TABS.index("sessions"))
            settle()
            view.grab().save(str(out / f"history-undo-import-{w}x{h}.png"))
            view.close()
        manager = CustomExercisesDialog(library, store)
        manager.show()
        settle()
        manager.grab().save(str(out / "your-exercises.png"))
        zercher = store.custom_exercises()["custom-zercher-row"]
        for w, h in ((1024, 600), (1366, 768)):
            editor = CustomExerciseEditor(library, store, zercher)
            editor.resize(min(w, 980), h - 60)
            editor.show()
            editor.pattern.setCurrentIndex(editor.pattern.findData("horizontal-row"))
            editor.toggle_muscle("lats")
            editor.toggle_muscle("erector-spinae")
            editor.toggle_muscle("erector-spinae")
            editor.toggle_muscle("rhomboid-major")
            editor.save()  # level and equipment missing: shows the problems
            settle(10)
            editor.grab().save(str(out / f"custom-exercise-editor-{w}x{h}.png"))
            editor.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screens"))
