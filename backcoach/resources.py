"""Where the shipped content lives (the library files, drawings and sounds).

The content is package data inside `backcoach/` (`backcoach/data`, `backcoach/assets`),
reached only through `importlib.resources`, so a checkout, an editable install, a wheel, a
zip on sys.path and a frozen bundle all read the same files. The names below are
`Traversable`s, not paths: read them with `/`, `open`, `read_text`, `read_bytes`,
`iterdir`, `is_file`. Only an API that insists on a file name (Qt's sound player) asks
`real_path` for one, which extracts the file when the package is not on disk.

Nothing here may be written to: an installed package is read-only and shared between users.
Caches go to the user's cache folder (`backcoach.paths.cache_dir`).
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE: Traversable = files("backcoach")
DATA_DIR: Traversable = PACKAGE / "data"
ASSETS_DIR: Traversable = PACKAGE / "assets"
ANATOMY_DIR: Traversable = ASSETS_DIR / "anatomy"

_extracted = ExitStack()  # files extracted from a zip live until the process ends
atexit.register(_extracted.close)
_real_paths: dict[str, Path] = {}


def real_path(resource: Traversable) -> Path:
    """A file on disk with the resource's content, for APIs that only take a file name.

    When the package sits in a folder (checkout, wheel, frozen bundle) this is the file
    itself; from a zip it is a temporary copy made once and removed when the process exits.
    """
    if isinstance(resource, Path):
        return resource
    key = str(resource)
    if key not in _real_paths:
        _real_paths[key] = _extracted.enter_context(as_file(resource))
    return _real_paths[key]
