"""Where the shipped content lives (the library files, drawings and sounds).

The content is package data inside `backcoach/` (`backcoach/data`, `backcoach/assets`),
found through `importlib.resources`, so a checkout, an editable install and a wheel all
read the same files.
"""

from importlib.resources import files
from pathlib import Path

_PACKAGE = files("backcoach")
DATA_DIR = Path(str(_PACKAGE.joinpath("data")))
ASSETS_DIR = Path(str(_PACKAGE.joinpath("assets")))
ANATOMY_DIR = ASSETS_DIR / "anatomy"
# The validated library, pickled (see library.load_library); rebuilt whenever data changes.
LIBRARY_CACHE_DIR = DATA_DIR / "__pycache__"
