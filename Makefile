# Two commands matter: `make run` (the station app on an embedded default)
# and `make test` (everything CI checks). Both create .venv on first use.
# `make dist` builds the station app as a one-folder bundle (dist/medshare/),
# `make dist-test` builds it and checks it (.ci/dist-check; CI runs it after the tests).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages Qt needs at run time, a CJK font for screenshots,
# Xvfb for real windows and PostgreSQL for the central endpoint's second backend.
DEB_PACKAGES := libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
	libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libpulse0 \
	fonts-wqy-microhei xvfb postgresql

.PHONY: run test lint sysdeps venv bench clean dist runtime-sysdeps dist-test

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,central]'
	touch $@

venv: $(BIN)/.installed

run: runtime-sysdeps $(BIN)/.installed
	$(BIN)/medshare --demo $(ARGS)

# Installs missing Debian packages only when running as root (CI, a fresh VM);
# elsewhere it lists what is missing and carries on.
sysdeps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing: $$missing"; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		else echo "missing Debian packages (install them with sudo apt-get install): $$missing"; fi; \
	fi

lint: $(BIN)/.installed
	$(BIN)/ruff check kiosk tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: sysdeps $(BIN)/.installed lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

# -- the bundle (build.spec) ----------------------------------------------------------

$(BIN)/.installed-build: $(BIN)/.installed
	$(BIN)/python -m pip install -q -e '.[build]'
	touch $@

# The libraries the app (and the bundle) take from the system
# (packaging/debian-requirements.sh): installed when running as root, listed otherwise.
# PyInstaller copies into the bundle those that need not match the machine, so
# install them before building.
runtime-sysdeps:
	@if [ "$$(id -u)" = 0 ]; then bash packaging/debian-requirements.sh; \
	else bash packaging/debian-requirements.sh --check || true; fi

dist: runtime-sysdeps $(BIN)/.installed-build
	$(BIN)/pyinstaller build.spec --noconfirm --log-level WARN

dist-test:
	bash .ci/dist-check

bench: $(BIN)/.installed
	for b in benchmarks/*.py; do QT_QPA_PLATFORM=offscreen $(BIN)/python $$b --quick; done

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
