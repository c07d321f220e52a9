# `make run` serves on http://localhost:8065 with SQLite under ./data; `make test` runs everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest dev install clean bench web webtest

run: install web
	$(BIN)/villagepump serve --host $${VILLAGEPUMP_HOST:-localhost}

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

dev: $(VENV)/.dev-installed tests/js/node_modules/.installed

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

tests/js/node_modules/.installed: tests/js/package.json tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The web client (web/) builds into the Python package's static/ folder, which the server serves.
# Rebuilt only when its sources change; npm ci installs exactly the lock file, nothing at run time.
WEB_STATIC := src/villagepump/static
WEB_SOURCES := $(shell find web/src web/public web/scripts -type f 2>/dev/null) \
	web/index.html web/vite.config.ts web/tsconfig.json web/package-lock.json

web: $(WEB_STATIC)/.built

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB_STATIC)/.built: web/node_modules/.installed $(WEB_SOURCES)
	cd web && npx vite build --logLevel warn
	cd web && node scripts/size-budget.mjs
	touch $@

# The client's type check and unit tests; its browser tests run with pytest (tests/web/).
webtest: web
	cd web && npx tsc --noEmit
	cd web && npx vitest run

lint: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: dev
	$(BIN)/mypy

pytest: dev web
	$(BIN)/pytest

test: lint typecheck webtest pytest

bench: dev
	$(BIN)/python bench/fanout.py

clean:
	rm -rf $(VENV) tests/js/node_modules web/node_modules $(WEB_STATIC)
