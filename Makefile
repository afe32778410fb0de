# igs-advisor: `make run` and `make test` do all the set-up on a fresh machine.
# durable-rules builds and imports on CPython 3.11 and 3.12 only: take the first that runs.
PYTHON ?= $(shell for p in python3.11 python3.12 python3; do $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE ?= examples/sportregio.yaml

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 of 3.12 is vereist (durable-rules werkt niet op 3.13)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	mkdir -p out
	$(BIN)/igs-advisor advise $(EXAMPLE) --format json -o out/advies.json
	$(BIN)/igs-advisor advise $(EXAMPLE) --format text -o out/advies.txt
	$(BIN)/igs-advisor draft $(EXAMPLE) --format md -o out/ontwerp.md --check
	$(BIN)/igs-advisor draft $(EXAMPLE) --format html -o out/ontwerp.html
	$(BIN)/igs-advisor draft $(EXAMPLE) --format docx -o out/ontwerp.docx
	@cat out/advies.txt

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) out .pytest_cache

bench: $(STAMP)
	$(BIN)/python bench/run.py
