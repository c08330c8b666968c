"""The user's data folder: chosen by `--data-dir`, then `BACKCOACH_DATA_DIR`, then the
platform's per-user application-data folder (e.g. ~/.local/share/BackCoach on Linux)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "BackCoach"
ENV_VAR = "BACKCOACH_DATA_DIR"


class DataDirError(Exception):
    """The chosen data folder cannot be used; the message says why in one sentence."""


def default_data_dir() -> Path:
    import platformdirs  # only needed when no folder was chosen

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def resolve_data_dir(option: str | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """The data folder the user asked for, most specific choice first."""
    chosen = option or environ.get(ENV_VAR) or None
    return Path(chosen).expanduser().resolve() if chosen else default_data_dir()


def ensure_data_dir(path: Path) -> Path:
    """Create the folder if needed and prove it is writable, or raise DataDirError."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(f"cannot create the data folder {path}: {exc.strerror or exc}") from None
    if not path.is_dir():
        raise DataDirError(f"the data folder {path} is not a folder")
    if not os.access(path, os.W_OK | os.X_OK):
        raise DataDirError(f"the data folder {path} is not writable")
    return path



CACHE_ENV_VAR = "BACKCOACH_CACHE_DIR"


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where speed-ups that can be rebuilt at any time live (`$BACKCOACH_CACHE_DIR`, else the
    platform's per-user cache folder, e.g. ~/.cache/BackCoach) — never inside the installed
    package, which is read-only and shared between users."""
    chosen = environ.get(CACHE_ENV_VAR)
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME, appauthor=False)
