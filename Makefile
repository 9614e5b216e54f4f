# `make demo` and `make test` set everything up on a fresh Debian machine and run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := demo/journal.db
DEMO_PORT ?= 8001
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast bench system-packages install clean

# PYTHONWARNINGS hides setuptools' one notice about editable installs, which is not for users.
$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests use: chromium (Playwright drives it; nothing is downloaded at run time),
# fonts for readable screenshots and PDFs, poppler-utils to read the PDF statement back, libkeyutils1 for
# the kernel keyring that keeps an unlocked encrypted journal's key between commands (journal/keycache.py).
SYSTEM_PACKAGES := chromium fonts-dejavu-core poppler-utils libkeyutils1
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "system packages: present"; \
	else \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; \
	  else echo "cannot install$$missing (need root); the tests that need them will be skipped"; exit 0; fi; \
	  echo "installing$$missing"; \
	  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: install
	JOURNAL_DB=$(DEMO_DB) $(BIN)/journal demo --force
	JOURNAL_DB=$(DEMO_DB) $(BIN)/journal serve --host 127.0.0.1 --port $(DEMO_PORT)

test: install system-packages
	$(BIN)/python -m pytest -p no:cacheprovider

# The quick loop: one worker per core (pytest-xdist); `make test` runs everything, one test at a time.
test-fast: install
	$(BIN)/python -m pytest -p no:cacheprovider -m "not browser and not slow" -n auto --dist worksteal

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) demo *.egg-info test-artifacts
