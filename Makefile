# `make demo` and `make test` set everything up on a fresh Debian machine and run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := demo/journal.db
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast bench chromium install clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; nothing is downloaded at run time).
chromium:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: present"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	elif command -v sudo >/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else echo "chromium: not installed (need root); browser tests will be skipped"; fi

demo: install
	JOURNAL_DB=$(DEMO_DB) $(BIN)/journal demo --force
	JOURNAL_DB=$(DEMO_DB) $(BIN)/journal serve --host 127.0.0.1 --port 8001

test: install chromium
	$(BIN)/python -m pytest -p no:cacheprovider

test-fast: install
	$(BIN)/python -m pytest -p no:cacheprovider -m "not browser and not slow"

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) demo *.egg-info test-artifacts
