# typingtest: set-up, run and test. On Windows, see README.md for the equivalent commands.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Debian packages the test suite uses: a real X server and key injection (workstation),
# a PostgreSQL server (store), headless Chromium and pdftoppm (reports). Installed only
# where apt-get is available and we are root; the tests that need them skip loudly otherwise.
SYSDEPS := xvfb xdotool postgresql chromium poppler-utils

.PHONY: setup sysdeps run test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Checked on every `make test` (dpkg -s is quick); installs only what is missing.
sysdeps: | $(STAMP)
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
	  missing=""; for p in $(SYSDEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    (apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
	      install -y -qq --no-install-recommends $$missing >/dev/null) \
	      || echo "WARNING: could not install$$missing; the tests that need them will be skipped"; \
	  fi; \
	else echo "WARNING: apt-get not available or not root: Xvfb/PostgreSQL/Chromium tests may be skipped"; fi

run: setup
	$(PY) -m typingtest run --battery default

# Two test processes (pytest-xdist): the suite holds ~2,000 tests, many of them on a real PostgreSQL
# server and in Chromium; serial it would take about twice as long. `make test PYTEST_WORKERS=0` runs serially.
PYTEST_WORKERS ?= 2

test: setup sysdeps
	$(PY) -m ruff check typingtest tests benchmarks
	$(PY) -m pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS)

lint: setup
	$(PY) -m ruff check typingtest tests benchmarks

bench: setup sysdeps
	$(PY) -m benchmarks.run_all

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
