"""Crash a process at an exact point of its file work, for crash-safety tests.

After `crash_after(n)`, the process kills itself (SIGKILL) just before its n-th file
operation, where every 4 KB written, every fsync and every rename counts as one. Writes are
also cut into 4 KB pieces, as the OS may do, so callers must loop on short writes. This
reaches every point inside a commit, which a kill from outside rarely hits.
"""

import os
import signal

CHUNK = 4096


def crash_after(operations: int) -> None:
    count = 0
    real_write, real_fsync, real_replace = os.write, os.fsync, os.replace

    def tick() -> None:
        nonlocal count
        count += 1
        if count >= operations:
            os.kill(os.getpid(), signal.SIGKILL)

    def write(fd, data):
        tick()
        return real_write(fd, bytes(data[:CHUNK]))

    def fsync(fd):
        tick()
        return real_fsync(fd)

    def replace(src, dst):
        tick()
        return real_replace(src, dst)

    os.write, os.fsync, os.replace = write, fsync, replace
