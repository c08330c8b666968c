"""Smoke-test the standalone bundle as a user would run it, then measure it (`make dist` runs this).

    python packaging/smoke_test.py dist/bundle/backcoach [--archive dist/X.tar.gz] [--compare .venv/bin/backcoach]

Offscreen, with a throw-away home folder: `--version`, `exercises --json` (every exercise of
the library), and screenshots of the library and a session. Fails if the bundle writes into
its own folder. Then prints the bundle's size and its start-up time to the first painted frame
next to the same for `--compare` (the `backcoach` that `make run` starts), median of 5 each.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "BACKCOACH_", "XDG_"))}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CONFIG_HOME=str(home / ".config"), BACKCOACH_DATA_DIR=str(home / "data"),
               QT_QPA_PLATFORM="offscreen")
    return env


def _run(cmd: list[str], env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        sys.exit(f"smoke test FAILED: {' '.join(cmd)} exited {result.returncode}\n{result.stdout}{result.stderr}")
    return result.stdout


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _first_paint(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds from spawning the process to its first painted frame (as bench/startup.py)."""
    env = dict(env, BACKCOACH_PRINT_FIRST_PAINT="1")
    start = time.monotonic()
    out = _run([*cmd, "screenshot", "library", str(cwd / "timing.png")], env, cwd)
    for line in out.splitlines():
        if line.startswith("first-paint "):
            return float(line.split()[1]) - start
    sys.exit(f"{cmd[0]} did not report its first paint")


def smoke(executable: Path, expected_version: str | None, expected_exercises: int | None) -> None:
    folder = executable.parent
    before = _snapshot(folder)
    with tempfile.TemporaryDirectory(prefix="backcoach-smoke-") as tmp:
        home = Path(tmp)
        env = _env(home)
        exe = str(executable)
        version = _run([exe, "--version"], env, home).strip()
        print(f"  --version: {version}")
        if expected_version and version != f"BackCoach {expected_version}":
            sys.exit(f"smoke test FAILED: expected BackCoach {expected_version}, got {version!r}")
        listed = json.loads(_run([exe, "exercises", "--json"], env, home))
        print(f"  exercises --json: {len(listed)} exercises")
        if not listed or (expected_exercises is not None and len(listed) != expected_exercises):
            sys.exit(f"smoke test FAILED: {len(listed)} exercises listed, expected {expected_exercises}")
        for view in ("library", "session"):
            out = home / f"{view}.png"
            _run([exe, "screenshot", view, str(out)], env, home)
            if out.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n" or out.stat().st_size < 20_000:
                sys.exit(f"smoke test FAILED: screenshot {view} is not a real picture")
            print(f"  screenshot {view}: {out.stat().st_size // 1024} KiB")
        if not list((home / ".cache").rglob("library-*.json")):
            sys.exit("smoke test FAILED: the library cache is not in the user's cache folder")
    if _snapshot(folder) != before:
        sys.exit(f"smoke test FAILED: the bundle wrote into its own folder {folder}")
    print("  nothing written inside the bundle: ok")


def measure(executable: Path, compare: Path | None, archive: Path | None) -> None:
    print(f"  bundle folder: {_size(executable.parent) / 2**20:.0f} MiB ({executable.parent})")
    if archive is not None:
        print(f"  archive: {archive.stat().st_size / 2**20:.0f} MiB ({archive.name})")
    with tempfile.TemporaryDirectory(prefix="backcoach-timing-") as tmp:
        home = Path(tmp)
        env = _env(home)
        commands = {"bundle": [str(executable)]}
        if compare is not None:
            commands["make run (.venv)"] = [str(compare)]
        for cmd in commands.values():
            _first_paint(cmd, env, home)  # warm the file cache and the library cache
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(RUNS):  # alternating, so a busy machine slows both alike
            for name, cmd in commands.items():
                times[name].append(_first_paint(cmd, env, home))
    print(f"  start-up to the library's first paint, median of {RUNS} (offscreen):")
    for name, values in times.items():
        print(f"    {name:18s} {statistics.median(values) * 1000:6.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executable", type=Path)
    parser.add_argument("--archive", type=Path)
    parser.add_argument("--compare", type=Path, help="another backcoach to time next to the bundle")
    args = parser.parse_args()
    try:  # the numbers the bundle must agree with, from the sources it was built from
        from backcoach import __version__
        from backcoach.library import load_library

        version, count = __version__, len(load_library())
    except ImportError:
        version, count = None, None
    print(f"Smoke test of {args.executable}:")
    smoke(args.executable.resolve(), version, count)
    measure(args.executable.resolve(), args.compare, args.archive)
    return 0


if __name__ == "__main__":
    sys.exit(main())
