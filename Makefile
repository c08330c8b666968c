# The two commands of the README's quick start: `make run` and `make test` (which runs
# `make lint`, mypy and ruff, first).
# Both set everything up on first use and are quick no-ops once set up.
# `make dist` builds what is published: the wheel, the sdist and the standalone bundle
# (slow, a few minutes; not part of `make test`).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench os-libs screenshots dist clean

run: $(STAMP) os-libs
	@$(VENV)/bin/backcoach

test: lint os-libs
	$(PY) -m pytest -q

# Types and lint before the tests (a few seconds): mypy with [tool.mypy], ruff with the
# curated [tool.ruff] rules, both from pyproject.toml.
lint: $(STAMP)
	$(PY) -m mypy
	$(PY) -m ruff check .

bench: $(STAMP) os-libs
	$(PY) bench/run.py

screenshots: $(STAMP) os-libs
	$(PY) scripts/screenshots.py

# dist/backcoach-X-py3-none-any.whl and .tar.gz (checked by twine), then the one-folder
# PyInstaller bundle in dist/bundle/backcoach/ and its archive, smoke-tested offscreen.
dist: $(STAMP) os-libs
	rm -rf dist build/pyinstaller
	$(PY) -m build --no-isolation --outdir dist .
	$(PY) -m twine check --strict dist/*.whl dist/*.tar.gz
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist/bundle \
		--workpath build/pyinstaller packaging/backcoach.spec
	tar -C dist/bundle -czf dist/backcoach-$$($(PY) -c 'import backcoach; print(backcoach.__version__)')-$$($(PY) -c 'import sysconfig; print(sysconfig.get_platform())').tar.gz backcoach
	$(PY) packaging/smoke_test.py dist/bundle/backcoach/backcoach --archive dist/backcoach-*-*-*.tar.gz \
		--compare $(abspath $(VENV))/bin/backcoach

os-libs:
	@scripts/os-libs.sh

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "BackCoach needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): on Debian/Ubuntu install python3-venv first (apt-get install python3-venv)."; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,dist]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis .mypy_cache .ruff_cache
