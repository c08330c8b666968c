"""Where the shipped content lives (the library files, drawings and sounds).

The app runs from a source checkout or an editable install (`make run`), so the shipped
folders sit beside the package.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
ASSETS_DIR = ROOT / "assets"
ANATOMY_DIR = ASSETS_DIR / "anatomy"
# The validated library, pickled (see library.load_library); rebuilt whenever data changes.
LIBRARY_CACHE_DIR = DATA_DIR / "__pycache__"
