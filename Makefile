# zhclean: make demo | make test | make bench | make fuzz
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast bench fuzz setup clean-venv

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,hook,spark,bench]"
	touch $(STAMP)

setup: $(STAMP)

## run the main job on the fixtures: clean the five seed pages, with a report
demo: $(STAMP)
	rm -rf demo-out
	$(BIN)/zhclean clean fixtures/seeds -o demo-out --report demo-out/report.jsonl --to simplified
	@echo
	@echo "Cleaned pages are in demo-out/; every change and removal is in demo-out/report.jsonl."
	@echo "Try: $(BIN)/zhclean explain --color fixtures/seeds/001_c42c5b4c16f6c410.txt | less -R"

## run the test suite (slow tests included; benchmarks are not tests)
test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

## run every benchmark script and print one table (bench_pipeline adds a per-step table;
## benchmarks/profile_step.py STEP shows where a step spends its time)
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## fuzz the API and CLI: 100,000 examples over 2 processes, failures counted by property
## (FUZZ_EXAMPLES=5000 for a quick look; the test suite runs a fixed, derandomised 300 per property)
FUZZ_EXAMPLES ?= 100000
fuzz: $(STAMP)
	$(BIN)/python tools/fuzz.py --examples $(FUZZ_EXAMPLES) --jobs 2

clean-venv:
	rm -rf $(VENV)
