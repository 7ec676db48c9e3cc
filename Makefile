# `make run` and `make test` do all set-up on a fresh machine: the venv, then the install.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SAMPLE := resources/sample/article.html
CORPUS ?= $(or $(READER_CORPUS),../shared/corpus/readability)

.PHONY: run test lint typecheck unit bench gate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/reader $(SAMPLE)

lint: $(STAMP)
	$(BIN)/ruff check reader tests bench
	$(BIN)/ruff format --check reader tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/extraction.py $(CORPUS) --per-page 10

# The quality gate on the pinned corpus pages (bench/floors.json); fails when the corpus is absent.
gate: $(STAMP)
	@test -d $(CORPUS) || { echo "gate: corpus not found at $(CORPUS); set READER_CORPUS." >&2; exit 1; }
	READER_CORPUS=$(CORPUS) QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/test_quality_gate.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
