"""Linux desktop integration for a pip/pipx install: the launcher entry, the icon and the
AppStream metadata copied into the user's XDG folders (`backcoach install-desktop-entry`).

Distribution packages put these files in /usr/share themselves; a pip or pipx install cannot,
so the command writes them under $XDG_DATA_HOME (~/.local/share) with the `Exec` line pointing
at the very `backcoach` that ran it, because ~/.local/bin is often missing from the PATH a
desktop session starts programs with.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path

from backcoach.resources import ASSETS_DIR

# The app's one stable name: the .desktop file, the icon, the AppStream id and the window's
# desktop file name (Wayland app id) all use it.
APP_ID = "org.backcoach.backcoach"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS_DIR: Traversable = ASSETS_DIR / "icons"
DESKTOP_DIR: Traversable = ASSETS_DIR / "desktop"

# Characters that force an Exec argument into quotes (Desktop Entry spec, "The Exec key").
_RESERVED = re.compile(r"""[\s"'\\><~|&;$*?#()`]""")


class DesktopEntryError(Exception):
    """The entry could not be installed or removed; the message names the file and why."""


def icon_png(size: int) -> Traversable:
    """The shipped PNG of the app icon at `size` pixels (one of ICON_SIZES)."""
    return ICONS_DIR / f"backcoach-{size}.png"


def data_home(environ: Mapping[str, str] = os.environ) -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset or not absolute (as the spec says)."""
    chosen = environ.get("XDG_DATA_HOME", "")
    if chosen and os.path.isabs(chosen):
        return Path(chosen)
    return Path(environ.get("HOME") or Path.home()) / ".local" / "share"


def launch_command(argv0: str | None = None, executable: str | None = None,
                   frozen: bool | None = None) -> list[str]:
    """How to start this same installation again: the bundle's own executable, the
    `backcoach` script that is running, or this Python with `-m backcoach`."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    executable = sys.executable if executable is None else executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if frozen:
        return [os.path.abspath(executable)]
    script = Path(argv0)
    if script.stem == "backcoach" and script.suffix in ("", ".exe") and script.is_file():
        return [os.path.abspath(script)]
    return [os.path.abspath(executable), "-m", "backcoach"]


def exec_line(command: Sequence[str]) -> str:
    """The command as a desktop file's Exec value, quoted and escaped as the spec asks."""
    parts = []
    for arg in command:
        if _RESERVED.search(arg):
            arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
        parts.append(arg.replace("%", "%%"))
    return " ".join(parts).replace("\\", "\\\\")  # then the string-value escaping of backslashes


def desktop_entry(command: Sequence[str]) -> str:
    """The shipped .desktop entry with Exec and TryExec pointing at `command`."""
    text = (DESKTOP_DIR / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^Exec=.*$", lambda _: f"Exec={exec_line(command)}", text)
    return re.sub(r"(?m)^TryExec=.*$", lambda _: f"TryExec={exec_line(command[:1])}", text)


def planned_files(home: Path) -> dict[Path, Traversable | None]:
    """Every file the entry consists of, and its shipped source (None: the .desktop, written)."""
    files: dict[Path, Traversable | None] = {home / "applications" / f"{APP_ID}.desktop": None}
    files[home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"] = ICONS_DIR / "backcoach.svg"
    for size in ICON_SIZES:
        files[home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = icon_png(size)
    files[home / "metainfo" / f"{APP_ID}.metainfo.xml"] = DESKTOP_DIR / f"{APP_ID}.metainfo.xml"
    return files


def install(home: Path | None = None, command: Sequence[str] | None = None) -> list[Path]:
    """Write the entry, icons and metadata (replacing an older copy); the files written."""
    home = data_home() if home is None else home
    command = launch_command() if command is None else list(command)
    written = []
    for target, source in planned_files(home).items():
        content = desktop_entry(command).encode() if source is None else source.read_bytes()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
            tmp.write_bytes(content)
            os.replace(tmp, target)
        except OSError as exc:
            raise DesktopEntryError(f"cannot write {target}: {exc.strerror or exc}") from None
        written.append(target)
    return written


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what `install` wrote (and nothing else); the files removed."""
    home = data_home() if home is None else home
    removed = []
    for target in planned_files(home):
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DesktopEntryError(f"cannot remove {target}: {exc.strerror or exc}") from None
        removed.append(target)
    return removed
