"""The wheel, installed as a user would: built from the sources, installed into a fresh virtual
environment outside the checkout, run from another folder. It must list every exercise,
render screens, keep its cache in the user's cache folder and write nothing into its own
install folder. The package is also imported straight from the wheel file (a zip), as
zipimport or an app bundle would, and installed in editable mode. (The frozen bundle is
checked by `make dist`'s smoke test: too slow to build here.)

Offline and quick: the wheel is built without build isolation, and the new environment
reuses the test environment's already-installed dependencies through a .pth file instead of
downloading them again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from backcoach import __version__
from backcoach.anatomy import load_figures
from backcoach.library import load_library

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", "backcoach")


def _build_tools_missing() -> str | None:
    for module in ("build", "setuptools", "wheel", "pip"):
        if importlib.util.find_spec(module) is None:
            return f"'{module}' is not installed in the test environment (make test installs it: pip install -e '.[test,dist]')"
    from importlib.metadata import version  # not `import setuptools`: it patches distutils in this process

    found = version("setuptools")
    if int(found.split(".")[0]) < 77:
        return f"setuptools {found} is too old to build BackCoach (needs 77+; make test installs it)"
    return None


pytestmark = pytest.mark.skipif(_build_tools_missing() is not None, reason=str(_build_tools_missing()))


def _run(args: list[str], env: dict[str, str], cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


def _clean_env(tmp: Path) -> dict[str, str]:
    """A user's environment: no PYTHONPATH pointing at the checkout, their own folders."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "BACKCOACH_", "XDG_", "VIRTUAL_ENV"))}
    env.update(HOME=str(tmp / "home"), XDG_CACHE_HOME=str(tmp / "home" / ".cache"),
               XDG_DATA_HOME=str(tmp / "home" / ".local" / "share"),
               XDG_CONFIG_HOME=str(tmp / "home" / ".config"), QT_QPA_PLATFORM="offscreen",
               BACKCOACH_DATA_DIR=str(tmp / "data"))
    (tmp / "home").mkdir(exist_ok=True)
    return env


def _copy_sources(src: Path) -> Path:
    """A copy of what a build needs, so building never writes into the checkout."""
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    return src


def _fresh_venv(venv: Path) -> Path:
    """A virtual environment without pip whose dependencies are the test environment's; its python.

    Path lines in a .pth are only appended to sys.path, so the test environment's own
    (editable) BackCoach is not activated and cannot shadow what is installed here."""
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], dict(os.environ), venv.parent)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     {}, venv.parent).stdout.strip())
    (site / "zz-reuse-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _pip_install(python: Path, *args: str) -> None:
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
          "--disable-pip-version-check", "--quiet", *args],
         {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, python.parent, timeout=180)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the sources (the checkout itself is left untouched)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = _copy_sources(tmp / "src")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp / "dist"), str(src)],
         env, tmp, timeout=180)
    [built] = (tmp / "dist").glob("*.whl")
    assert built.name == f"backcoach-{__version__}-py3-none-any.whl"
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, Path]:
    """A fresh virtual environment with the wheel installed: (its bin folder, the package folder)."""
    python = _fresh_venv(tmp_path_factory.mktemp("venv") / "venv")
    _pip_install(python, str(wheel))
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     {}, python.parent).stdout.strip())
    return python.parent, site / "backcoach"


def test_the_installed_wheel_works_from_another_folder(installed, tmp_path):
    bin_dir, package = installed
    env = _clean_env(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = _snapshot(package)
    backcoach = str(bin_dir / "backcoach")

    where = _run([str(bin_dir / "python"), "-c", "import backcoach; print(backcoach.__file__)"], env, elsewhere)
    assert Path(where.stdout.strip()).parent == package  # the installed copy, not the checkout

    assert _run([backcoach, "--version"], env, elsewhere).stdout.strip() == f"BackCoach {__version__}"
    listed = json.loads(_run([backcoach, "exercises", "--json"], env, elsewhere).stdout)
    assert [e["id"] for e in listed] == list(load_library().exercises)
    for view in ("library", "session"):
        out = elsewhere / f"{view}.png"
        _run([backcoach, "screenshot", view, str(out), "--size", "1024x600"], env, elsewhere)
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000

    assert _snapshot(package) == before, "the installed package was written to"
    cached = list((tmp_path / "home" / ".cache" / "BackCoach").glob("library-*.json"))
    assert len(cached) == 1  # the library cache went to the user's cache folder
    assert sorted(p.name for p in elsewhere.iterdir()) == ["library.png", "session.png"]


def test_the_wheel_installs_its_desktop_entry(installed, tmp_path):
    bin_dir, _ = installed
    env = _clean_env(tmp_path)
    _run([str(bin_dir / "backcoach"), "install-desktop-entry"], env, tmp_path)
    entry = tmp_path / "home" / ".local" / "share" / "applications" / "org.backcoach.backcoach.desktop"
    assert f"Exec={bin_dir / 'backcoach'}\n" in entry.read_text(encoding="utf-8")


def test_the_package_runs_from_the_wheel_as_a_zip(wheel, tmp_path):
    """Nothing needs the package to be unpacked on disk: data, drawings and templates are read
    from the zip, and a sound is extracted only for the one API that needs a real file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    env.update(PYTHONPATH=str(wheel), BACKCOACH_CACHE_DIR=str(tmp_path / "cache"))
    code = (
        "import backcoach, zipfile\n"
        f"assert backcoach.__file__.startswith({str(wheel)!r}), backcoach.__file__\n"
        "from backcoach.cli import load_library\n"
        "from backcoach.anatomy import load_figures\n"
        "from backcoach.templates import load_templates\n"
        "from backcoach.importing import load_import_names\n"
        "from backcoach.resources import ASSETS_DIR, real_path\n"
        "lib = load_library(); lib2 = load_library()\n"
        "assert isinstance(backcoach.resources.DATA_DIR, zipfile.Path)\n"
        "figures = load_figures(lib.muscles)\n"
        "assert load_import_names(lib)['strong']\n"
        "print(len(lib), len(figures), len(load_templates(lib)), lib == lib2)\n"
        "wav = real_path(ASSETS_DIR / 'sounds' / 'concentric.wav')\n"
        "print(wav.is_file() and wav.read_bytes()[:4] == b'RIFF')\n"
    )
    result = _run([sys.executable, "-c", code], env, tmp_path)
    count, figures, templates, same = result.stdout.split("\n")[0].split()
    assert int(count) == len(load_library()) and int(figures) == len(load_figures()) and int(templates) >= 1 and same == "True"
    assert result.stdout.split("\n")[1] == "True"
    assert len(list((tmp_path / "cache").glob("library-*.json"))) == 1


def test_an_editable_install_reads_the_sources(tmp_path):
    src = _copy_sources(tmp_path / "src")
    python = _fresh_venv(tmp_path / "venv")
    _pip_install(python, "--no-build-isolation", "--editable", str(src))
    env = _clean_env(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([str(python), "-c", "import backcoach.resources as r; print(r.DATA_DIR)"], env, elsewhere)
    assert Path(where.stdout.strip()) == src / "backcoach" / "data"
    listed = json.loads(_run([str(python.parent / "backcoach"), "exercises", "--json"], env, elsewhere).stdout)
    assert len(listed) == len(load_library())
