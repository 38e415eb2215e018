# Two commands for a newcomer: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
DB     := data/hub.db

.PHONY: run test setup chromium postgresql assets bench demo clean-db e2e unit store

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*; touch $(STAMP)

# Leaflet & co. served from our own origin (no CDN): copied out of an installed package.
assets: $(STAMP)
	$(PY) -m hub.assets

# Safe to run any number of times, whatever DATABASE_URL is: an empty store gets the demo; a store
# holding data is left as it is (only scores a crashed load left stale are recomputed).
store: $(STAMP)
	$(PY) -m loaders prepare

setup: $(STAMP) assets store

# Debian's chromium for the browser tests (Playwright drives it via executable_path).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core; }

# Debian's PostgreSQL server binaries for the second test pass (tests/pg_server.py starts its own
# throw-away server on a free port; no service is used or needed).
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  echo "installing Debian's postgresql for the PostgreSQL test pass"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; }

run: setup
	$(PY) -m streamlit run serve.py

# The whole suite on SQLite, then on a real PostgreSQL (TEST_BACKENDS=sqlite for one pass only).
test: $(STAMP) assets chromium postgresql
	$(PY) -m tests.run_backends

# Rebuilds a store the demo created (refuses any other).
demo: $(STAMP)
	$(PY) -m loaders demo --rebuild

bench: $(STAMP) assets postgresql
	$(PY) -m bench
