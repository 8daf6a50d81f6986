# Two commands matter: `make run` starts the app, `make test` runs the tests.
# Both create .venv and install the pinned versions from constraints.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench serve lock clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# Bytecode is written explicitly: where PYTHONDONTWRITEBYTECODE is set,
# every start would otherwise compile the whole app again (about 50 ms).
run: $(STAMP)
	@$(BIN)/python -m compileall -q app >/dev/null
	$(BIN)/growth-plan $(ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

serve: $(STAMP)
	$(BIN)/growth-plan serve

# Re-pin every installed version after changing pyproject.toml.
lock: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	@{ echo '# Exact versions CI installs (pip install -c constraints.txt -e ".[dev]").'; \
	   echo '# Regenerate after changing pyproject.toml: make lock'; \
	   $(BIN)/pip freeze --exclude-editable | grep -v '^-e '; } > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
