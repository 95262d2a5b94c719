# Two commands: `make local` runs the whole desk on this machine; `make test` runs every test.
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: local test chromium bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q "pip>=23,<26.3"   # chalice 1.34 requires pip<26.3
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

# Benchmarks (docs/benchmarks.md): bench/run.py prints one table and writes bench/results.json (about 8 minutes);
# then the acknowledgement latency and triage quality. bench/triage_collision_audit.py is an audit tool, not run here.
bench: $(VENV)/.installed
	$(PY) bench/run.py
	$(PY) bench/acknowledgement_latency.py
	$(PY) bench/triage_quality.py
