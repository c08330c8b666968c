"""A guided session in its own process, to be killed from outside.

Run as `python -m tests.helpers.session_runner DATA_DIR N`: starts a SessionFlow on
`fixed_plan()`, logs N sets (the values of `logged_values(i)`), printing `ack <i> <index>`
once each `log` has returned (the set is durable then), and hangs on input() until killed.
"""

import sys
from pathlib import Path

from backcoach.library import load_library
from backcoach.session import SessionFlow, Step
from backcoach.store import Store

STARTED_AT = "2025-03-01T18:00:00+00:00"


def fixed_plan() -> list[Step]:
    def step(ex, n, *, warmup=False, reps=8, rng=(6, 8), seconds=None, load=None, tempo="3-2-1-2", rest=90,
             per_side=False):
        return Step(exercise_id=ex, set_number=n, warmup=warmup, target_reps=reps, rep_range=rng, seconds=seconds,
                    load_kg=load, tempo=tempo, rest_seconds=rest, per_side=per_side, superset=None, item_id=None)

    return [
        step("barbell-row", 1, warmup=True, load=30.0, rng=None, rest=60),
        step("barbell-row", 2, load=60.0),
        step("barbell-row", 3, load=60.0),
        step("one-arm-dumbbell-row", 1, reps=10, rng=(8, 12), load=22.0, per_side=True),
        step("dead-hang", 1, reps=None, rng=None, seconds=30, tempo=None, rest=60),
    ]


def logged_values(i: int) -> dict:
    """What the i-th (0-based) logged set was."""
    return {"reps": 8 + i, "load_kg": 20.0 + i, "seconds": 30.0 if i == 4 else None}


def main(data_dir: str, count: int) -> None:
    store = Store.open(Path(data_dir))
    flow = SessionFlow.start(store, load_library(), fixed_plan(), routine_name="Runner", started_at=STARTED_AT)
    for i in range(count):
        flow.work_finished()
        flow.log(**logged_values(i))
        print(f"ack {i + 1} {flow.index}", flush=True)
        if flow.stage == "rest":
            flow.rest_finished()
    input()  # hang until killed


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
