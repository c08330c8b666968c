# The two commands of the README's quick start: `make run` and `make test`.
# Both set everything up on first use and are quick no-ops once set up.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test bench os-libs screenshots clean

run: $(STAMP) os-libs
	@$(VENV)/bin/backcoach

test: $(STAMP) os-libs
	$(PY) -m pytest -q

bench: $(STAMP) os-libs
	$(PY) bench/run.py

screenshots: $(STAMP) os-libs
	$(PY) scripts/screenshots.py

os-libs:
	@scripts/os-libs.sh

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "BackCoach needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): on Debian/Ubuntu install python3-venv first (apt-get install python3-venv)."; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,dist]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
