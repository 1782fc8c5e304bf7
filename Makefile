# Every target is a thin call to the `analysis` command (console script, or `python -m analysis`),
# so nothing depends on make: on Windows run the same commands by hand (see README.md).
PYTHON   ?= python3
VENV     ?= .venv
BIN      := $(VENV)/bin
ANALYSIS := $(BIN)/analysis
# The tested versions of every package (see README, "Tested versions and the lock").
CONSTRAINTS := requirements/constraints.txt
PIP_INSTALL := $(BIN)/python -m pip install --quiet -c $(CONSTRAINTS)
ifneq ($(wildcard ../shared/mirror/MANIFEST.csv),)
export ANALYSIS_SNAPSHOT ?= $(abspath ../shared/mirror)
endif

.DEFAULT_GOAL := help
.PHONY: help check-system reports data processed refresh verify test check-reports lint lab kernel bench clean-reports upgrade-deps

## help: list the targets (default)
help:
	@awk '/^## / { sub(/^## /, ""); split($$0, a, ": "); printf "  %-14s %s\n", a[1], a[2] }' $(MAKEFILE_LIST)

# The virtual environment is (re)made whenever pyproject.toml or the lock changes, with the
# locked versions (pip itself included).
$(BIN)/.runtime: pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) pip
	$(PIP_INSTALL) -e .
	touch $@

$(BIN)/.dev: pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) pip
	$(PIP_INSTALL) -e ".[dev]"
	touch $@ $(BIN)/.runtime

## check-system: check the system libraries the PDF step needs (Pango); print the install line
check-system:
	@$(PYTHON) analysis/render/system_check.py

## reports: fetch raw data, clean it, build every report into reports/ (only what changed)
reports: check-system $(BIN)/.runtime
	$(ANALYSIS) fetch
	$(ANALYSIS) clean
	$(ANALYSIS) build

## data: fetch raw files into data/raw/ (from the snapshot folder if set, else upstream)
data: $(BIN)/.runtime
	$(ANALYSIS) fetch

## processed: clean data/raw/ into validated tables in data/processed/
processed: $(BIN)/.runtime
	$(ANALYSIS) clean

## refresh: fetch (accepting upstream changes), clean and build what changed; for cron (see README)
refresh: $(BIN)/.runtime
	$(ANALYSIS) refresh

## verify: rebuild from data/raw in a temporary folder; compare every table and report byte for byte
verify: $(BIN)/.runtime
	$(ANALYSIS) verify

## test: lint (ruff, mypy) and run the whole test suite
test: $(BIN)/.dev
	$(ANALYSIS) test

## check-reports: the readers' checks on the built reports/ (PDF pages, Arabic text, 390 px, SVG+CSV); fails if no build
check-reports: $(BIN)/.dev
	ANALYSIS_REQUIRE_REPORTS=1 $(BIN)/python -m pytest -n 0 -q tests/test_report_quality.py

## lint: ruff and mypy only
lint: $(BIN)/.dev
	$(ANALYSIS) test --lint-only

## lab: register the project kernel, open JupyterLab on notebooks/ (options: make lab ARGS=--no-browser)
lab: $(BIN)/.dev
	$(ANALYSIS) lab $(ARGS)

## kernel: register the project's Jupyter kernel (the one the notebooks name) for this user
kernel: $(BIN)/.runtime
	$(ANALYSIS) kernel

## bench: benchmarks (build speed, plain against forked kernels, cleaner at scale); prints a table (see README, Performance)
bench: $(BIN)/.dev
	$(BIN)/python benchmarks/run.py

## upgrade-deps: rewrite the lock with the newest releases pyproject.toml allows (then: make test)
upgrade-deps:
	rm -rf $(VENV)-upgrade
	$(PYTHON) -m venv $(VENV)-upgrade
	$(VENV)-upgrade/bin/python -m pip install --quiet --upgrade pip
	$(VENV)-upgrade/bin/python -m pip install --quiet --upgrade -e ".[dev]"
	{ echo "# Tested versions: every package of the dev environment (make upgrade-deps writes this;"; \
	  echo "# see README, 'Tested versions and the lock')."; \
	  $(VENV)-upgrade/bin/python -m pip freeze --all --exclude-editable | grep -v '^setuptools=='; } > $(CONSTRAINTS)
	rm -rf $(VENV)-upgrade
	@echo "$(CONSTRAINTS) rewritten: run 'make test', read 'git diff $(CONSTRAINTS)', commit both"

## clean-reports: remove reports/ and the build cache (raw and processed data stay)
clean-reports: $(BIN)/.runtime
	$(ANALYSIS) clean-reports
