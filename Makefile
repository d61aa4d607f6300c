# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.install-stamp
BENCH_STAMP := $(VENV)/.bench-stamp
SAMPLE := data/sample

.PHONY: install demo test lint bench bench-spark sample golden clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/cxgap analyze $(SAMPLE)/leaders.csv $(SAMPLE)/customers.csv --frontline $(SAMPLE)/frontline.csv \
		--config $(SAMPLE)/cxgap.toml

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests examples benchmarks
	$(BIN)/ruff format --check src tests examples benchmarks
	$(BIN)/mypy

# The bench's yardstick DuckDB (the optional extra 'bench') on top of the dev install.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench.py

# Not part of make test: 100 million rows counted locally, by DuckDB and by local Spark.
bench-spark: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench_spark.py

# Regenerate the bundled sample data and the golden outputs the tests compare against.
sample: install
	$(BIN)/python examples/generate_sample.py $(SAMPLE)

golden: install
	$(BIN)/python tests/make_golden.py
	$(BIN)/python tests/make_golden_check.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .bench
