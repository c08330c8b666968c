"""Keeping the UI thread from pausing: no full garbage-collection pass while a session runs,
and short turns for the GIL while a worker thread computes.

Python's cyclic collector now and then walks every object the program holds (a "full"
pass, generation 2). With ten years of history in memory that walk takes 20-50 ms, holds
the GIL, and lands on whichever thread happened to allocate: measured here on History's
worker while it imported the charts, it stopped the UI thread for 48 ms in the middle of
a set. While a session runs, `hold_full_collections` moves every object that exists into
the collector's permanent generation (`gc.freeze`) and stops full passes; the young
generations are still collected as usual, so short-lived cycles are freed at once. Cyclic
garbage that outlives two young passes waits until `release_full_collections`, when the
session ends, and is collected by the next full pass then, between sessions.

Holds nest (a count), so a second holder never releases the first one's hold.

A worker thread's Python holds the GIL; the UI thread needs it for every paint and slot and
would wait up to the switch interval (5 ms by default) each time it asks. `short_gil_turns`
shortens the interval while any worker is inside it, counted the same way, so that two
workers overlapping (History's and the figure renderer's) never leave it short, or long, for
good when they restore it.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

NEVER = 1_000_000_000  # young passes between full passes: none within any session

_holds = 0
_saved_threshold: tuple[int, int, int] | None = None


def hold_full_collections() -> None:
    """From now until the matching release: no full pass (see the module's docstring)."""
    global _holds, _saved_threshold
    _holds += 1
    if _holds == 1:
        _saved_threshold = gc.get_threshold()
        young, middle, _full = _saved_threshold
        gc.freeze()  # cheap: the generations' lists are spliced, nothing is walked
        gc.set_threshold(young, middle, NEVER)


def release_full_collections() -> None:
    """End one hold; the last one gives the collector its usual passes back."""
    global _holds, _saved_threshold
    if _holds == 0:
        return
    _holds -= 1
    if _holds == 0:
        if _saved_threshold is not None:
            gc.set_threshold(*_saved_threshold)
            _saved_threshold = None
        gc.unfreeze()


def holding() -> bool:
    """Whether full passes are held (a session is running)."""
    return _holds > 0


WORKER_SWITCH_SECONDS = 0.0005  # how long the UI thread can wait for the GIL while a worker runs

_turn_lock = threading.Lock()
_workers = 0
_saved_interval = 0.0


@contextmanager
def short_gil_turns() -> Iterator[None]:
    """For code on a worker thread: the GIL changes hands every WORKER_SWITCH_SECONDS meanwhile."""
    global _workers, _saved_interval
    with _turn_lock:
        _workers += 1
        if _workers == 1:
            _saved_interval = sys.getswitchinterval()
            sys.setswitchinterval(WORKER_SWITCH_SECONDS)
    try:
        yield
    finally:
        with _turn_lock:
            _workers -= 1
            if _workers == 0:
                sys.setswitchinterval(_saved_interval)
