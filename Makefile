# The two loops a developer needs; both set up .venv from pyproject.toml on first use.
VENV ?= .venv
PYTHON ?= python3

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

.PHONY: demo test lint bench
demo: $(VENV)/.installed  ## install, then serve the API with demo data on the embedded database
	$(VENV)/bin/vcio serve --demo

test: $(VENV)/.installed  ## install, then run the whole suite (unit, integration, e2e)
	$(VENV)/bin/pytest

lint: $(VENV)/.installed  ## ruff, then mypy --strict over every package (configured in pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: $(VENV)/.installed
	$(VENV)/bin/python bench/append.py
	$(VENV)/bin/python bench/projection.py
	$(VENV)/bin/python bench/rebuild.py
	$(VENV)/bin/python bench/replay.py
	$(VENV)/bin/python bench/relay.py
