# Two commands: `make local` runs the whole desk on this machine; `make test` runs every test.
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: local test chromium bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# Browser tests use Debian's Chromium (Playwright's own browser download does not work offline),
# with a Devanagari font so Hindi labels render in screenshots.
chromium:
	@(command -v chromium >/dev/null 2>&1 && dpkg -s fonts-lohit-deva >/dev/null 2>&1) || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-lohit-deva >/dev/null)

local: $(VENV)/.installed
	$(PY) -m local.stack

test: $(VENV)/.installed chromium
	$(PY) -m pytest -q

bench: $(VENV)/.installed
	for script in bench/*.py; do $(PY) $$script || exit 1; done
