"""Desktop integration: the shipped entry, metadata and icon are valid, and
`backcoach install-desktop-entry [--uninstall]` writes (and removes) them in the user's XDG folders."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from backcoach import __version__
from backcoach.cli import main
from backcoach.desktop import (
    APP_ID, DESKTOP_DIR, ICON_SIZES, ICONS_DIR, data_home, desktop_entry, exec_line, icon_png,
    install, launch_command, planned_files, uninstall,
)

ROOT = Path(__file__).resolve().parents[2]
needs_desktop_file_validate = pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate is not installed (Debian: apt-get install desktop-file-utils)")
needs_appstreamcli = pytest.mark.skipif(
    shutil.which("appstreamcli") is None, reason="appstreamcli is not installed (Debian: apt-get install appstream)")


def _validate_desktop(path: Path) -> None:
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.fixture
def xdg_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


# --- the shipped files ------------------------------------------------------------------

@needs_desktop_file_validate
def test_the_shipped_desktop_entry_is_valid():
    _validate_desktop(Path(str(DESKTOP_DIR / f"{APP_ID}.desktop")))


@needs_appstreamcli
def test_the_metainfo_is_valid_even_pedantically():
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--pedantic", str(DESKTOP_DIR / f"{APP_ID}.metainfo.xml")],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not re.search(r"^[EWIP]: ", result.stdout, re.M), result.stdout  # not even a pedantic note


def test_the_metainfo_names_this_release_and_the_entry():
    root = ET.fromstring((DESKTOP_DIR / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8"))
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == __version__, "add release notes for this version"
    assert newest.find("description") is not None
    shots = root.findall("screenshots/screenshot/image")
    assert len(shots) >= 2
    for image in shots:  # each one is a screenshot the project keeps up to date
        assert (ROOT / "docs" / "screenshots" / image.text.rsplit("/", 1)[1]).is_file(), image.text


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_icon_size_is_shipped_at_its_size():
    for size in ICON_SIZES:
        assert _png_size(icon_png(size).read_bytes()) == (size, size)
    svg = ET.fromstring((ICONS_DIR / "backcoach.svg").read_text(encoding="utf-8"))
    assert svg.get("viewBox") == "0 0 256 256"


def test_the_icon_script_draws_the_shipped_svg(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_icon.py"), "--svg-only", "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "backcoach.svg").read_bytes() == (ICONS_DIR / "backcoach.svg").read_bytes(), \
        "backcoach.svg differs from scripts/make_icon.py: rerun the script"


# --- the Exec line ------------------------------------------------------------------------

def test_plain_paths_stay_unquoted():
    assert exec_line(["/home/ana/.local/bin/backcoach"]) == "/home/ana/.local/bin/backcoach"


def test_reserved_characters_are_quoted_and_escaped():
    assert exec_line(["/opt/Back Coach/backcoach"]) == '"/opt/Back Coach/backcoach"'
    assert exec_line(["/a$b/back`coach"]) == '"/a\\\\$b/back\\\\`coach"'
    assert exec_line(["/a/100%/backcoach"]) == "/a/100%%/backcoach"
    assert exec_line(["/usr/bin/python3", "-m", "backcoach"]) == "/usr/bin/python3 -m backcoach"


def test_the_launch_command_is_this_installation(tmp_path):
    script = tmp_path / "bin" / "backcoach"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    assert launch_command(str(script), "/venv/bin/python", frozen=False) == [str(script)]
    assert launch_command("/x/backcoach/__main__.py", "/venv/bin/python", frozen=False) == \
        ["/venv/bin/python", "-m", "backcoach"]
    assert launch_command("whatever", "/opt/BackCoach/backcoach", frozen=True) == ["/opt/BackCoach/backcoach"]


def test_xdg_data_home_falls_back_as_the_spec_says(tmp_path):
    assert data_home({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path
    assert data_home({"XDG_DATA_HOME": "relative/path", "HOME": "/home/ana"}) == Path("/home/ana/.local/share")
    assert data_home({"HOME": "/home/ana"}) == Path("/home/ana/.local/share")


# --- install and uninstall ------------------------------------------------------------------

@needs_desktop_file_validate
def test_install_writes_a_valid_entry_pointing_at_this_backcoach(xdg_home, capsys):
    assert main(["install-desktop-entry"]) == 0
    entry = xdg_home / "applications" / f"{APP_ID}.desktop"
    _validate_desktop(entry)
    text = entry.read_text(encoding="utf-8")
    exec_value = re.search(r"(?m)^Exec=(.*)$", text).group(1)
    assert exec_value == exec_line(launch_command())
    assert Path(launch_command()[0]).is_absolute()
    assert f"Icon={APP_ID}" in text
    for size in ICON_SIZES:
        png = xdg_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png.read_bytes() == icon_png(size).read_bytes()
    assert (xdg_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (xdg_home / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    out = capsys.readouterr().out
    assert str(entry) in out and "--uninstall" in out


@needs_desktop_file_validate
def test_an_entry_for_a_path_with_spaces_is_still_valid(tmp_path):
    home = tmp_path / "share"
    install(home, ["/opt/Back Coach $1/backcoach"])
    entry = home / "applications" / f"{APP_ID}.desktop"
    _validate_desktop(entry)
    assert 'Exec="/opt/Back Coach \\\\$1/backcoach"' in entry.read_text(encoding="utf-8")


def test_installing_twice_replaces_and_uninstall_removes_only_ours(xdg_home, capsys):
    neighbour = xdg_home / "applications" / "org.example.Other.desktop"
    neighbour.parent.mkdir(parents=True)
    neighbour.write_text("[Desktop Entry]\n")
    install(xdg_home, ["/old/backcoach"])
    install(xdg_home, ["/new/backcoach"])
    assert "Exec=/new/backcoach" in (xdg_home / "applications" / f"{APP_ID}.desktop").read_text()
    assert main(["install-desktop-entry", "--uninstall"]) == 0
    assert not any(path.exists() for path in planned_files(xdg_home))
    assert neighbour.is_file()
    assert sorted(p.name for p in xdg_home.rglob("*") if p.is_file()) == ["org.example.Other.desktop"]
    assert main(["install-desktop-entry", "--uninstall"]) == 0
    assert "No BackCoach desktop entry" in capsys.readouterr().out


def test_an_unwritable_place_is_one_clear_line(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert main(["install-desktop-entry"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("backcoach: cannot write ") and err.count("\n") == 1
    assert blocker.read_text() == "in the way"


def test_the_entry_template_has_one_exec_and_tryexec():
    text = desktop_entry(["/x/backcoach"])
    assert text.count("\nExec=") == 1 and "\nExec=/x/backcoach\n" in text
    assert "\nTryExec=/x/backcoach\n" in text


def test_uninstall_of_nothing_is_fine(tmp_path):
    assert uninstall(tmp_path / "empty") == []


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_other_systems_are_told_it_is_for_linux(xdg_home, monkeypatch, capsys, platform):
    monkeypatch.setattr(sys, "platform", platform)
    assert main(["install-desktop-entry"]) == 2
    assert "for Linux desktops" in capsys.readouterr().err
    assert not xdg_home.exists()
