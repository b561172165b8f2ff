# Quick start: `make demo` and `make test` work on a fresh machine with Python 3.10+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: demo test unit bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "minigd needs Python 3.10+, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e '.[dev,conformance]'
	@touch $@ $(VENV)/.installed-run

demo: $(VENV)/.installed-run
	$(BIN)/minigd demo

# The whole suite: unit tests, doctests, conformance tests (required here,
# never skipped), lint and types.
test: $(VENV)/.installed-dev
	MINIGD_REQUIRE_CONFORMANCE=1 $(BIN)/python -m pytest
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

unit: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m "not conformance"

clean:
	rm -rf $(VENV) build dist site .pytest_cache .mypy_cache .ruff_cache .hypothesis

# The peer benchmark (minutes; not part of `make test`).
bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench.py
