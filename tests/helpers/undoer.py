"""Undo the last import of a data folder, crashing at the given file operation.

Run as `python -m tests.helpers.undoer DATA_DIR CRASH_AFTER`.
"""

import sys
from pathlib import Path

from backcoach.store import Store
from tests.helpers.crash import crash_after

if __name__ == "__main__":
    data_dir, operations = sys.argv[1], int(sys.argv[2])
    crash_after(operations)
    with Store.open(Path(data_dir)) as store:
        store.undo_last_import()
    print("done", flush=True)
