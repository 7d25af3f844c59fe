# The loops a developer needs; each sets up .venv on first use, from pyproject.toml with every
# version pinned by requirements.lock (pip constraints).
VENV ?= .venv
PYTHON ?= python3
PORT ?= 8000
HOST ?= 127.0.0.1

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --constraint requirements.lock -e '.[test]'
	touch $@

# Spectral (npm) lints the OpenAPI document; package-lock.json pins it and what it needs.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: demo test lint bench lock mutation
demo: $(VENV)/.installed  ## install, then serve the API with demo data on the embedded database: make demo PORT=8080
	$(VENV)/bin/vcio serve --demo --host $(HOST) --port $(PORT)

test: $(VENV)/.installed  ## install, then run the whole suite (unit, integration, e2e) in two processes
	$(VENV)/bin/pytest -n 2

lint: $(VENV)/.installed node_modules/.installed  ## ruff, mypy --strict, then Spectral on the OpenAPI (any warning fails)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	mkdir -p build
	$(VENV)/bin/vcio openapi --out build/openapi.json
	node_modules/.bin/spectral lint build/openapi.json --ruleset .spectral.yaml --fail-severity=warn

mutation: $(VENV)/.installed  ## mutation testing of the gated domain core; fails under the thresholds in pyproject.toml
	PYTHON=$(VENV)/bin/python tools/mutation/run.sh

bench: $(VENV)/.installed
	$(VENV)/bin/python bench/append.py
	$(VENV)/bin/python bench/command.py
	$(VENV)/bin/python bench/http_write.py
	$(VENV)/bin/python bench/projection.py
	$(VENV)/bin/python bench/rebuild.py
	$(VENV)/bin/python bench/dashboard.py
	$(VENV)/bin/python bench/replay.py
	$(VENV)/bin/python bench/relay.py

lock:  ## re-pin requirements.lock from a fresh resolve of pyproject.toml (needs the network)
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet '.[test,embedded]'
	{ grep '^#' requirements.lock; \
	  .lock-venv/bin/pip freeze --all --exclude vcio-ledger | grep -v '^pip=='; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf .lock-venv
