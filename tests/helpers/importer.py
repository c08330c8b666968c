"""Import a BackCoach backup into a data folder, crashing at the given file operation.

Run as `python -m tests.helpers.importer DATA_DIR BACKUP.json CRASH_AFTER`.
"""

import json
import sys
from pathlib import Path

from backcoach.store import Store
from tests.helpers.crash import crash_after

if __name__ == "__main__":
    data_dir, backup, operations = sys.argv[1], sys.argv[2], int(sys.argv[3])
    payload = json.loads(Path(backup).read_text())
    crash_after(operations)
    with Store.open(Path(data_dir)) as store:
        store.import_all(payload)
    print("done", flush=True)
