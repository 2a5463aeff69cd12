# Two entry points for a fresh machine with Python 3.11+ and make: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# durable-rules 2.0.28 fails to import on Python 3.13+ unless built with this alias (upstream PR #403, unreleased).
PY_MINOR := $(shell $(PYTHON) -c 'import sys; print(sys.version_info[1])' 2>/dev/null)
DURABLE_FLAGS := $(shell [ "$(PY_MINOR)" -ge 13 ] 2>/dev/null && echo 'CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject')
DEMO := evidence/examples/vardcentralen_linden.yaml

.PHONY: demo test lint bench clean

$(BIN)/spur: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(DURABLE_FLAGS) $(BIN)/python -m pip install --quiet --no-cache-dir -e '.[dev]'
	touch $@

demo: $(BIN)/spur
	$(BIN)/spur grade $(DEMO)

test: $(BIN)/spur
	$(BIN)/ruff check .
	$(BIN)/spur rules lint
	$(BIN)/python -m pytest

lint: $(BIN)/spur
	$(BIN)/ruff check .

bench: $(BIN)/spur
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
