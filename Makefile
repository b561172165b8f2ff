# Quick start: `make demo` and `make test` work on a fresh machine with Python 3.10+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check

SHELL := /bin/bash
.PHONY: demo test unit bench docs clean package

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "minigd needs Python 3.10+, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e '.[dev,conformance,docs]'
	@touch $@ $(VENV)/.installed-run

demo: $(VENV)/.installed-run
	$(BIN)/minigd demo

# The whole suite: unit tests, doctests (docstrings, README, docs pages),
# conformance tests against the real frameworks (required here, never
# skipped), the strict docs build (a failing example fails it, and so does a
# missing glyph in a Korean figure), the site in headless Chromium, lint, types,
# the import layers (lint-imports),
# and the suite without the frameworks on the oldest Python found (with numpy at
# its declared floor) and the newest.
test: $(VENV)/.installed-dev
	bash tools/ensure_browser.sh
	MINIGD_REQUIRE_CONFORMANCE=1 $(BIN)/python -m pytest -m "not site"
	$(BIN)/python tools/test_pythons.py
	$(MAKE) --no-print-directory package
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict 2>&1 | tee build.log; test $${PIPESTATUS[0]} -eq 0
	! grep -q "missing from font" build.log
	$(BIN)/python -m pytest -m site tests/site
	$(BIN)/pylint --disable=all --enable=duplicate-code --min-similarity-lines=6 src/minigd
	$(BIN)/ruff check src tests tools benchmarks conftest.py
	$(BIN)/ruff format --check src tests tools benchmarks conftest.py
	$(BIN)/mypy
	$(BIN)/lint-imports

# The wheel and source archive a release publishes, checked as the release
# workflow checks them, then the wheel installed alone in a fresh environment.
package: $(VENV)/.installed-dev
	rm -rf build/dist build/wheel-venv
	$(BIN)/python -m build -q --outdir build/dist .
	$(BIN)/twine check --strict build/dist/*
	$(BIN)/check-wheel-contents build/dist/*.whl
	$(BIN)/python -m venv build/wheel-venv
	build/wheel-venv/bin/python -m pip install -q --disable-pip-version-check build/dist/*.whl
	cd build && wheel-venv/bin/minigd demo > /dev/null

docs: $(VENV)/.installed-dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

unit: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m "not conformance"

clean:
	rm -rf $(VENV) build dist site build.log .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache

# The peer benchmark (minutes; not part of `make test`).
bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench.py
