"""The durability promise as an order of file-system calls.

A crash test kills the process, but a SIGKILL never loses the page cache, so it cannot
catch a missing fsync. These tests record the calls of a write and of a multi-file
transaction and check their order: write the temp → fsync the temp → rename → fsync the
folder; in a transaction every temp's folder is fsynced before the manifest (the commit
point) is written, and each target's folder after the renames.
"""

from __future__ import annotations

import json

from backcoach import storage
from backcoach.storage import MANIFEST, TMP_MARK
from tests.helpers.fs_calls import record_fs_calls


def first(calls, *call) -> int:
    """Where `call` happens first (a prefix matches: ("write", "x") matches any write to x)."""
    return next(i for i, c in enumerate(calls) if c[:len(call)] == call)


def last(calls, *call) -> int:
    return max(i for i, c in enumerate(calls) if c[:len(call)] == call)


def temp_of(calls, target: str) -> str:
    return next(c[1] for c in calls if c[0] == "write" and c[1].startswith(target + TMP_MARK))


def test_a_write_is_temp_fsync_rename_then_folder_fsync(tmp_path, monkeypatch):
    (tmp_path / "backcoach.json").write_text("{}")
    calls = record_fs_calls(monkeypatch, tmp_path)
    storage.atomic_write(tmp_path / "backcoach.json", b'{"schema": 1}')
    temp = temp_of(calls, "backcoach.json")
    wrote, synced = last(calls, "write", temp), first(calls, "fsync", temp)
    renamed = first(calls, "replace", temp, "backcoach.json")
    folder_synced = [i for i, c in enumerate(calls) if c == ("fsync", ".")]
    assert wrote < synced < renamed, calls  # the new bytes are on disk before the name points at them
    assert folder_synced and folder_synced[-1] > renamed, calls  # the rename itself is on disk
    assert json.loads((tmp_path / "backcoach.json").read_text()) == {"schema": 1}


def test_a_transaction_syncs_every_temp_and_its_folder_before_the_manifest(tmp_path, monkeypatch):
    (tmp_path / "history").mkdir()
    calls = record_fs_calls(monkeypatch, tmp_path)
    storage.commit_files(tmp_path, {tmp_path / "backcoach.json": b'{"a": 1}',
                                    tmp_path / "history" / "2025.json": b'{"b": 2}'})
    manifest_temp = temp_of(calls, MANIFEST)
    manifest_written = first(calls, "write", manifest_temp)
    commit_point = first(calls, "replace", manifest_temp, MANIFEST)
    for target, folder in (("backcoach.json", "."), ("history/2025.json", "history")):
        temp = temp_of(calls, target)
        synced = first(calls, "fsync", temp)
        assert last(calls, "write", temp) < synced < manifest_written, (target, calls)
        # The temp's name in its folder is on disk before the manifest names it.
        folder_synced = [i for i, c in enumerate(calls) if c == ("fsync", folder) and synced < i < manifest_written]
        assert folder_synced, (target, folder, calls)
        renamed = first(calls, "replace", temp, target)
        assert renamed > commit_point, (target, calls)  # nothing is renamed before the commit point
        # After the renames, each target's folder is synced before the manifest goes.
        after = [i for i, c in enumerate(calls) if c == ("fsync", folder) and i > renamed]
        assert after and after[0] < first(calls, "unlink", MANIFEST), (target, calls)
    # The manifest itself: its temp is fsynced before it becomes the commit point.
    assert first(calls, "fsync", manifest_temp) < commit_point
    assert json.loads((tmp_path / "history" / "2025.json").read_text()) == {"b": 2}
    assert not (tmp_path / MANIFEST).exists()
