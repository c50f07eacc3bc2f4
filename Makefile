# jixiao — one command per job. Every target sets up what it needs on a fresh machine.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SAMPLE  := src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt

.PHONY: demo test lint fmt bench golden golden-accept docs system-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian packages the tests and exports use: Chromium for browser tests, a CJK font, poppler.
system-deps:
	@scripts/system-deps.sh

# Creates the SQLite database (var/jixiao.db), imports the bundled sample, creates one demo
# account per role (passwords printed) and serves http://127.0.0.1:8000/ in the foreground.
demo: $(STAMP)
	$(BIN)/jixiao db upgrade
	$(BIN)/jixiao import $(SAMPLE) --year 2023
	$(BIN)/jixiao user demo
	$(BIN)/jixiao serve

test: $(STAMP) system-deps
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: $(STAMP)
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

bench: $(STAMP)
	$(BIN)/python -m bench

golden: $(STAMP)
	$(BIN)/python scripts/regen_golden.py

golden-accept: $(STAMP)
	$(BIN)/python scripts/regen_golden.py --accept

docs: $(STAMP)
	$(BIN)/python scripts/gen_docs.py
	$(BIN)/python scripts/gen_rules_doc.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
