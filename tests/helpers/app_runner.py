"""The real main window running a session, for the kill test.

`python -m tests.helpers.app_runner DATA_DIR N` starts the "beginner-back" template on a fake
clock, logs N sets through the window's keys (Enter), printing `logged <n> <next index>` after
each, then waits for stdin — to be killed.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from backcoach.library import load_library  # noqa: E402
from backcoach.routines import RoutineBook  # noqa: E402
from backcoach.store import Store  # noqa: E402
from backcoach.templates import load_templates, routine_from_template  # noqa: E402
from backcoach.ui.app import create_application  # noqa: E402
from tests.helpers.windows import main_window  # noqa: E402
from tests.helpers.fake_clock import FakeClock  # noqa: E402


def main(data_dir: str, sets: int) -> None:
    create_application("light")
    library = load_library()
    store = Store.open(Path(data_dir))
    book = RoutineBook(store)
    template = next(t for t in load_templates(library) if t.id == "beginner-back")
    routine = book.save(routine_from_template(template, book))
    clock = FakeClock(100.0)
    window = main_window(library, store, clock)  # recorded cues, this clock, no full screen
    window.show()
    window.start_routine(routine.id)
    area = window.session_area()
    view, driver, flow = area.view, area.driver, area.view.flow
    logged = 0
    while logged < sets:
        if flow.stage == "work":
            clock.advance(driver.position().remaining + 0.001)
            driver.poll(on_time=True)
        elif flow.stage == "log":
            QTest.keyClick(view, Qt.Key.Key_Return)
            logged += 1
            print(f"logged {logged} {flow.index + (1 if flow.stage == 'rest' else 0)}", flush=True)
        elif flow.stage == "rest":
            clock.advance(driver.position().remaining / 2)  # killed in the middle of the rest
            driver.poll(on_time=True)
            if logged == sets:
                break
            driver.skip_rest()
    sys.stdin.readline()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
