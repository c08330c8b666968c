"""A process that writes to a store as fast as it can and acknowledges each durable step.

Run as `python -m tests.helpers.writer DATA_DIR SEED [CRASH_AFTER]`. Prints
`set <session-id> <n>` once a set is in the journal and `session <session-id> <sets>` once a
session is in history. With CRASH_AFTER, the process kills itself (SIGKILL) just before its
CRASH_AFTER-th file operation, where every 4 KB written, every fsync and every rename counts
as one: that reaches each point of a commit, which an outside kill rarely hits.
"""

import os
import random
import signal
import sys
from pathlib import Path

from backcoach.model import SetLog
from backcoach.store import Store

CHUNK = 4096


def crash_after(operations: int) -> None:
    count = 0
    real_write, real_fsync, real_replace = os.write, os.fsync, os.replace

    def tick() -> None:
        nonlocal count
        count += 1
        if count >= operations:
            os.kill(os.getpid(), signal.SIGKILL)

    def write(fd, data):  # a short write, as the OS may do; callers must loop
        tick()
        return real_write(fd, bytes(data[:CHUNK]))

    def fsync(fd):
        tick()
        return real_fsync(fd)

    def replace(src, dst):
        tick()
        return real_replace(src, dst)

    os.write, os.fsync, os.replace = write, fsync, replace


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
