# One task runner. `make demo` and `make test` each create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: demo test lint gate snippets eval bench fuzz reliability clean screenshots api-load

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## ingest the example articles into sitrep.db and print a summary
	$(BIN)/sitrep ingest examples/ --db sitrep.db
	$(BIN)/sitrep events --db sitrep.db --format table

test: $(STAMP)  ## the whole test suite
	$(BIN)/pytest -q

lint: $(STAMP)  ## ruff and mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

gate: $(STAMP)  ## score sitrep on our own articles (tests/gate): figures, then each article's misses and extras
	$(BIN)/python bench/gate.py

snippets: $(STAMP)  ## weighted F1 and none_rejected on the tuning and the held-out news snippets (tests/data)
	$(BIN)/python bench/snippets.py

eval: $(STAMP)  ## score every dev suite with the reference scorer, regenerate docs/EVALUATION.md
	$(BIN)/python bench/evaluate.py --shared $(SHARED)

bench: $(STAMP)  ## throughput against the bare spaCy pass, into docs/PERFORMANCE.md
	$(BIN)/python bench/throughput.py --shared $(SHARED)

FUZZ_SECONDS ?= 600

fuzz: $(STAMP)  ## the long fuzz run (FUZZ_SECONDS, default 600 s): inputs tried and failures by kind
	$(BIN)/python bench/fuzz.py --seconds $(FUZZ_SECONDS)

reliability: $(STAMP)  ## SIGKILLs during ingest, a poisoned article, racing creations, a 2 GiB line on stdin
	$(BIN)/python bench/reliability.py

API_DB ?=
API_WORKERS ?=

api-load: $(STAMP)  ## GET /events under 20 clients on 100,000 events (API_DB: an SQLite file or postgresql://...; API_WORKERS: server processes)
	$(BIN)/python bench/api_load.py $(if $(API_DB),--db $(API_DB)) $(if $(API_WORKERS),--workers $(API_WORKERS))

clean:
	rm -rf $(VENV) sitrep.db sitrep.db-wal sitrep.db-shm

screenshots: $(STAMP)  ## docs/dashboard.png (and docs/report.png) from the examples, in headless Chromium
	$(BIN)/python bench/screenshots.py
