"""A process that writes to a store as fast as it can and acknowledges each durable step.

Run as `python -m tests.helpers.writer DATA_DIR SEED [CRASH_AFTER]`. Prints
`set <session-id> <n>` once a set is in the journal and `session <session-id> <sets>` once a
session is in history. With CRASH_AFTER, the process kills itself at its CRASH_AFTER-th
file operation (see crash.py).
"""

import random
import sys
from pathlib import Path

from backcoach.model import SetLog
from backcoach.store import Store
from tests.helpers.crash import crash_after

def main(data_dir: str, seed: int) -> None:
    rng = random.Random(seed)
    store = Store.open(Path(data_dir))
    unfinished = store.unfinished_session()
    if unfinished is not None:  # like the app: resume, then finish
        store.journal.close()
        store.finish_session()
        if unfinished.sets:  # an empty session is not kept
            print(f"session {unfinished.session_id} {len(unfinished.sets)}", flush=True)
    day = 1 + len(store.sessions())
    while True:
        year = 2020 + rng.randrange(4)  # spread over several year files
        state = store.start_session(routine="Writer", started_at=f"{year}-01-{day % 28 + 1:02d}T18:00:00+00:00")
        n_sets = rng.randrange(1, 12)
        for n in range(1, n_sets + 1):
            store.log_set(SetLog("barbell-row", n, reps=rng.randrange(1, 12), load_kg=20.0 + n))
            print(f"set {state.session_id} {n}", flush=True)
        store.finish_session(f"{year}-01-{day % 28 + 1:02d}T19:00:00+00:00")
        print(f"session {state.session_id} {n_sets}", flush=True)
        day += 1


if __name__ == "__main__":
    if len(sys.argv) > 3:
        crash_after(int(sys.argv[3]))
    main(sys.argv[1], int(sys.argv[2]))
