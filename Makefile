# On a fresh machine: `make run` and `make test` are all a user types.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= outputs
CORPUS ?= corpus
# Real articles with answer keys, owned by their newspapers: read in place, never copied here.
DEVSET ?= ../shared/devset

.PHONY: run test eval clean setup bench nightly compact report

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/vnpress run $(CORPUS) --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	@test -e $(OUT)/current || $(BIN)/vnpress run $(CORPUS) --out $(OUT)
	$(BIN)/vnpress eval --gold tests/gold --out $(OUT) --floors tests/eval_floors.json
	@echo; echo "== our own press releases (tests/docs, gold in tests/docs_gold)"
	$(BIN)/vnpress run tests/docs --out build/docs_out --quiet
	$(BIN)/vnpress eval --gold tests/docs_gold --out build/docs_out --floors tests/docs_floors.json
	@if [ -d "$(DEVSET)/gold" ]; then \
	  echo; echo "== the dev set ($(DEVSET): real articles; every 4th file is held out and scored apart)"; \
	  $(BIN)/vnpress run $(DEVSET)/texts --out build/dev_out --quiet && \
	  $(BIN)/vnpress eval --gold $(DEVSET)/gold --out build/dev_out --holdout-every 4 --no-baseline --no-details \
	    --floors tests/dev_floors.json; \
	else echo; echo "== no dev set at $(DEVSET): skipped"; fi

report: $(STAMP)
	@test -e $(OUT)/current || $(BIN)/vnpress run $(CORPUS) --out $(OUT)
	$(BIN)/vnpress report --out $(OUT)

bench: $(STAMP)
	$(BIN)/python bench/run_bench.py -n $${N:-100}
	$(BIN)/python bench/numwords_bench.py

# For cron: incremental, quiet, non-zero exit when an input failed. See README "Nightly runs".
nightly: $(STAMP)
	$(BIN)/vnpress run $(CORPUS) --out $(OUT) --quiet
	$(BIN)/vnpress compact --out $(OUT)

compact: $(STAMP)
	$(BIN)/vnpress compact --out $(OUT)

clean:
	rm -rf $(VENV) $(OUT)/.snapshots $(OUT)/current $(OUT)/documents $(OUT)/blocks $(OUT)/sentences \
	  $(OUT)/tokens $(OUT)/mentions $(OUT)/persons $(OUT)/agencies $(OUT)/roles $(OUT)/dates \
	  $(OUT)/periods $(OUT)/counts $(OUT)/legal_refs $(OUT)/events $(OUT)/runs $(OUT)/errors \
	  $(OUT)/eval.json $(OUT)/report.html .pytest_cache .hypothesis build
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
