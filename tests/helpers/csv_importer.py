"""Import a workout export (any app) into a data folder, crashing at the given file operation.

Run as `python -m tests.helpers.csv_importer DATA_DIR FILE CRASH_AFTER`.
"""

import sys
from pathlib import Path

from backcoach.library import load_library
from backcoach.store import Store
from backcoach.transfer import import_file
from tests.helpers.crash import crash_after

if __name__ == "__main__":
    data_dir, path, operations = sys.argv[1], sys.argv[2], int(sys.argv[3])
    library = load_library()
    with Store.open(Path(data_dir)) as store:
        crash_after(operations)
        import_file(store, library, None, Path(path))
    print("done", flush=True)
