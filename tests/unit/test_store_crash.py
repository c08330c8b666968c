"""A writer killed at random moments never leaves an unreadable folder or loses an
acknowledged set or session."""

import json
import random
import signal
import subprocess
import sys
from pathlib import Path

from backcoach.model import SessionLog, SetLog
from backcoach.store import Store

ROOT = Path(__file__).resolve().parents[2]
WRITER = [sys.executable, "-m", "tests.helpers.writer"]


def prefill(data_dir: Path) -> dict[str, int]:
    """Some history in four year files, so a commit writes many 4 KB chunks."""
    sessions = [
        SessionLog(started_at=f"{2020 + i % 4}-{i % 12 + 1:02d}-{i % 28 + 1:02d}T07:00:00+00:00",
                   sets=[SetLog("deadlift", n, reps=5, load_kg=100.0 + n) for n in range(1, 11)])
        for i in range(240)
    ]
    with Store.open(data_dir) as store:
        store.add_sessions(sessions)
    return {s.id: len(s.sets) for s in sessions}


def parse(output: str) -> list[list[str]]:
    return [line.split() for line in output.splitlines() if line.strip()]


def killed_from_outside(data_dir: Path, seed: int, acks: int) -> list[list[str]]:
    """Read `acks` acknowledgements, then SIGKILL the writer wherever it is."""
    proc = subprocess.Popen([*WRITER, str(data_dir), str(seed)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        while len(lines) < acks:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(f"writer died: {proc.stderr.read()}")
            lines.append(line.split())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    return lines


def crashed_from_inside(data_dir: Path, seed: int, operations: int) -> list[list[str]]:
    """The writer kills itself just before its n-th write chunk, fsync or rename."""
    proc = subprocess.run([*WRITER, str(data_dir), str(seed), str(operations)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    return parse(proc.stdout)


def check(data_dir: Path, committed: dict[str, int], journaled: dict[str, int], label: str) -> None:
    with Store.open(data_dir) as store:  # must always open cleanly
        assert store.problems == [], label
        saved = {s.id: len(s.sets) for s in store.sessions()}
        for session_id, sets in committed.items():
            assert saved.get(session_id) == sets, f"{label}: lost session {session_id}"
        unfinished = store.unfinished_session()
        for session_id, sets in journaled.items():
            in_journal = len(unfinished.sets) if unfinished and unfinished.session_id == session_id else 0
            assert sets <= max(saved.get(session_id, 0), in_journal), f"{label}: lost a set of {session_id}"


def record(lines, committed, journaled) -> None:
    for kind, session_id, count in lines:
        if kind == "session":
            committed[session_id] = int(count)
            journaled.pop(session_id, None)
        else:
            journaled[session_id] = int(count)


def test_random_kills_lose_nothing_acknowledged(tmp_path):
    rng = random.Random(20261121)
    data_dir = tmp_path / "data"
    committed, journaled = prefill(data_dir), {}
    for round_ in range(30):
        if round_ % 3 == 0:
            lines = killed_from_outside(data_dir, round_, acks=rng.randrange(1, 40))
        else:
            lines = crashed_from_inside(data_dir, round_, operations=rng.randrange(1, 400))
        record(lines, committed, journaled)
        check(data_dir, committed, journaled, f"round {round_}")
    assert len(committed) > 240 + 10  # the writer got through many sessions


def test_an_import_killed_at_any_point_is_all_or_nothing(tmp_path):
    """The import touches several year files; whatever the crash point, the folder holds the
    history from before the import or the whole import, never a part of it."""
    rng = random.Random(7)
    data_dir = tmp_path / "data"
    before = prefill(data_dir)
    incoming = [SessionLog(started_at=f"{2018 + i % 6}-06-{i % 28 + 1:02d}T08:00:00+00:00",
                           sets=[SetLog("pull-up", n, reps=6) for n in range(1, 6)]) for i in range(120)]
    backup = tmp_path / "backup.json"
    with Store.open(tmp_path / "source") as source:
        source.add_sessions(incoming)
        backup.write_text(json.dumps(source.export_all()))
    after = set(before) | {s.id for s in incoming}
    outcomes = set()
    for round_ in range(25):
        operations = rng.randrange(1, 200)
        proc = subprocess.run([sys.executable, "-m", "tests.helpers.importer", str(data_dir), str(backup), str(operations)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode in (0, -signal.SIGKILL), proc.stderr
        with Store.open(data_dir) as store:
            assert store.problems == []
            ids = {s.id for s in store.sessions()}
        assert ids in (set(before), after), f"round {round_}: a partial import ({len(ids)} sessions)"
        outcomes.add(frozenset(ids) == frozenset(after))
        if ids == after:  # start again from before the import
            with Store.open(data_dir) as store:
                for s in incoming:
                    store.delete_session(s.id)
    assert outcomes == {True, False}  # crashes landed both before and after the commit point
