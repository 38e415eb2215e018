# Two commands for a newcomer: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
DB     := data/hub.db

.PHONY: run test setup chromium assets bench demo clean-db e2e unit store

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

run: setup
	$(PY) -m streamlit run serve.py

test: $(STAMP) assets chromium
	$(PY) -m pytest -q

# Rebuilds a store the demo created (refuses any other).
demo: $(STAMP)
	$(PY) -m loaders demo --rebuild

bench: $(STAMP) assets
	$(PY) -m bench
