# Two entry points for a fresh machine with Python 3.11+ and make: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# durable-rules 2.0.28 fails to import on Python 3.13+ unless built with this alias (upstream PR #403, unreleased).
PY_MINOR := $(shell $(PYTHON) -c 'import sys; print(sys.version_info[1])' 2>/dev/null)
DURABLE_FLAGS := $(shell [ "$(PY_MINOR)" -ge 13 ] 2>/dev/null && echo 'CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject')
DEMO := evidence/examples/vardcentralen_linden.yaml

.PHONY: demo test lint bench fuzz clean lock serve

# Every version is pinned, with its hashes, in two lock files that `make lock` writes with uv (README › Development):
# requirements-build.lock (pip and the setuptools that builds this project and durable-rules' sdist, so no build runs
# with whatever is newest that day) and requirements.lock (every runtime and development dependency).
$(BIN)/spur: pyproject.toml requirements.lock requirements-build.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-build.lock
	$(DURABLE_FLAGS) $(BIN)/python -m pip install --quiet --no-cache-dir --require-hashes --no-deps --no-build-isolation -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@# An editable install does not compile the project's modules, and where PYTHONDONTWRITEBYTECODE is set
	@# nothing ever caches them: compile once here, as pip does for a regular install (~30 ms per spur run).
	$(BIN)/python -m compileall -q cli.py engine evidence reports rules web >/dev/null
	touch $@

# Regenerate both lock files from pyproject.toml (newest versions its ranges allow, for every Python >= 3.11).
BUILD_REQS := 'pip>=24' 'setuptools>=68' 'wheel>=0.40'
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock"
lock: $(BIN)/spur
	$(UV_COMPILE) pyproject.toml --extra dev -o requirements.lock
	printf '%s\n' $(BUILD_REQS) | $(UV_COMPILE) - -o requirements-build.lock

demo: $(BIN)/spur
	$(BIN)/spur grade $(DEMO)

# The web app on the demo data (SQLite in ~/.local/share/spur unless SPUR_DATABASE_URL says otherwise): `spur db demo`
# loads the example units and prints the demo users with new passwords (demo only), then `spur serve` runs gunicorn.
HOST ?= 127.0.0.1
PORT ?= 8000
serve: $(BIN)/spur
	$(BIN)/spur db demo
	@echo ""
	@echo "Öppna http://$(HOST):$(PORT)/ och logga in som en av demoanvändarna ovan."
	$(BIN)/spur serve --host $(HOST) --port $(PORT)

# The browser and PDF tests (tests/test_browser.py, tests/test_documents.py, tests/test_layout.py) need Debian's
# chromium and poppler-utils: installed here when missing and we are root or have password-less sudo (said before it
# is done); otherwise those tests are skipped with a loud message.
BROWSER_PKGS := chromium poppler-utils
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(BROWSER_PKGS)
APT_NOTICE := make test: webbläsar- och PDF-testerna behöver Debians paket $(BROWSER_PKGS), som saknas. De installeras nu med apt-get

test: $(BIN)/spur
	@if command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "$(APT_NOTICE) (som root) …"; \
		$(APT_INSTALL) >/dev/null || { apt-get update -q >/dev/null && $(APT_INSTALL) >/dev/null; } || true; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then \
		echo "$(APT_NOTICE) (med sudo) …"; \
		sudo -n env $(APT_INSTALL) >/dev/null || { sudo -n apt-get update -q >/dev/null && sudo -n env $(APT_INSTALL) >/dev/null; } || true; \
	fi; \
	if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!! chromium/poppler-utils saknas och kunde inte installeras (kräver root eller sudo utan lösenord)."; \
		echo "!!! WEBBLÄSARTESTERNA HOPPAS ÖVER. Installera: apt-get install -y $(BROWSER_PKGS)"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi
	$(BIN)/ruff check .
	$(BIN)/spur rules lint
	$(BIN)/python -m pytest
	@# the store's tests again, on a throwaway PostgreSQL server (installed here if missing and possible; skipped loudly if not)
	.ci/postgres $(BIN)/python -m pytest tests/store

# The fuzz test of tests/test_fuzz.py with many more cases than `make test` runs (README › Development).
FUZZ_CASES ?= 5000
FUZZ_SEED ?= 15
fuzz: $(BIN)/spur
	SPUR_FUZZ_CASES=$(FUZZ_CASES) SPUR_FUZZ_SEED=$(FUZZ_SEED) $(BIN)/python -m pytest tests/test_fuzz.py

lint: $(BIN)/spur
	$(BIN)/ruff check .

# Issue 5's figures and targets (about 4 minutes; e.g. `make bench BENCH_ARGS="--n 1000 --sizes 100,1000"` is quicker).
# Then the store's figures (issue 18) on SQLite and on a throwaway PostgreSQL server with default durability
# (`make bench STORE_ARGS="--n 1000"` is quicker).
bench: $(BIN)/spur
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/bench_store.py --database sqlite $(STORE_ARGS)
	.ci/postgres --durable $(BIN)/python benchmarks/bench_store.py --database postgresql $(STORE_ARGS)
	@# the web app (issue 19): saving one area, and 50 simulated users for 60 s against spur serve on 127.0.0.1
	$(BIN)/python benchmarks/bench_web.py --database sqlite $(WEB_ARGS)
	.ci/postgres --durable $(BIN)/python benchmarks/bench_web.py --database postgresql --users 0 $(WEB_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
