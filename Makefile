# The commands a person types. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed

# Real servers for the integration tests; conftest drops a backend it cannot reach
# (and fails instead under CI=true).
TEST_DATABASE_URL ?= postgresql+psycopg://postgres:postgres@127.0.0.1:5432/usnaper_test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export TEST_DATABASE_URL TEST_REDIS_URL

.DEFAULT_GOAL := help
.PHONY: help install translations db demo demo-code run worker cron daily test test-fast drills fuzz lint audit fmt i18n clean bench bench-quick bench-seed

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv --upgrade-deps $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(STAMP) ## Create .venv and install the pinned dependencies

translations: install ## Compile the message catalogs (.po -> .mo)
	@$(FLASK) translate compile >/dev/null

db: translations ## Migrate the SQLite database under instance/ and register the policy texts and boards
	@mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) policies sync
	$(FLASK) boards sync

demo: db ## Load the bilingual demo content (only what is missing)
	$(FLASK) demo load

demo-code: install ## Print a demo staff account's two-step code: make demo-code WHO=officer@usnaper.example
	@$(FLASK) demo code "$(WHO)"

run: demo ## Set everything up and serve http://127.0.0.1:5000
	$(FLASK) run --debug --no-debugger --host 127.0.0.1 --port 5000

worker: db ## Run an RQ worker for every queue (needs REDIS_URL)
	$(FLASK) jobs worker

cron: db ## Run RQ's cron scheduler: the relay every minute, the daily purge (needs REDIS_URL; run one)
	$(FLASK) jobs cron

daily: db ## Run the daily maintenance now (what OS cron calls without Redis)
	$(FLASK) jobs run-daily

test: translations ## Set up, then lint and run the whole suite (SQLite, PostgreSQL, Redis, browser)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

test-fast: translations ## The suite on SQLite only, without the browser and the fault drills
	TEST_DATABASE_URL= TEST_REDIS_URL= $(BIN)/python -m pytest -m "not browser and not drill"

drills: translations ## Only the fault drills, on private PostgreSQL/Redis/SMTP servers (a few minutes)
	$(BIN)/python -m pytest -m drill

# The fuzz suite runs in `make test` too, with FUZZ_EXAMPLES=50 a form (tests/fuzz/profile.py).
fuzz: translations ## Fuzz every form and page deeper: FUZZ_EXAMPLES a form (default 1000; about an hour)
	FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),1000) $(BIN)/python -m pytest tests/fuzz

lint: install ## ruff (with security rules) and the formatter check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# requirements-dev.txt pulls in requirements.txt; pip-audit resolves both (pins and what they pull in)
# against PyPI's advisories. .ci/audit_deps.py is pip-audit's own CLI, made to work where the
# registry serves only PyPI's project pages. bandit's settings are in pyproject.toml.
audit: install ## Supply chain: pip-audit (0 known vulnerabilities in the pins) and bandit (0 high findings)
	$(BIN)/python .ci/audit_deps.py --strict --progress-spinner off -r requirements-dev.txt
	$(BIN)/bandit -q -c pyproject.toml -r . --severity-level high && echo "bandit: no high-severity finding"

fmt: install ## Apply the formatter and ruff's safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

i18n: install ## Extract strings, update the catalogs, compile them
	$(FLASK) translate update
	$(FLASK) translate compile

clean: ## Remove the venv, compiled catalogs and caches (keeps instance/)
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name '*.mo' -delete -o -name __pycache__ -prune -exec rm -rf {} +

# Benchmarks are never part of `make test`: they need the seeded databases (bench/README.md).
bench: translations ## Run the benchmarks and write bench/results/<date>.md: make bench AREAS="http flat"
	$(BIN)/python -m bench $(AREAS)

bench-quick: translations ## A short smoke run of every benchmark area (small sizes)
	$(BIN)/python -m bench --quick $(AREAS)

# Drops and rebuilds usnaper_bench_<SIZE> (+ _dormant) on the local PostgreSQL: migrate, then seed.
bench-seed: translations ## Rebuild a seeded benchmark database: make bench-seed SIZE=small|full [URL=sqlite:///...]
	$(BIN)/python -m bench.build $(or $(SIZE),small) $(if $(URL),--url $(URL))
