# CoP Bot. `make run` chats with the bot in a browser; `make test` runs the whole suite.
# Both install what they need on a fresh machine (Python 3.11, Node 20 + npm, apt for Chromium).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PLAYGROUND := tools/playground
VALIDATORS := tools/validators

.PHONY: run test lint typecheck format install lock playground validators chromium clean screenshots

LOCALE ?= en-US

run: install playground
	$(BIN)/python tools/run_local.py --locale $(LOCALE)

test: install playground validators chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

# What staff, focal points and admins see, from the Playground in headless Chromium, into
# docs/images/ (README.md and docs/admin.md show them): run after changing a card, commit the PNGs.
screenshots: install playground chromium
	$(BIN)/pytest tests/e2e/screenshots.py -q -p no:cacheprovider

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# The type checker over the product packages ([tool.mypy] in pyproject.toml); part of `make test`.
typecheck: install
	$(BIN)/mypy

format:
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

# requirements.lock pins the whole tree (runtime + dev, every platform) with hashes; `make install`
# installs exactly that, then the project itself without resolving anything. `make lock` rewrites
# the lock from pyproject.toml (after adding or bumping a dependency there).
LOCK := requirements.lock
UV_VERSION := 0.13.8

install: $(VENV)/.installed

$(VENV)/.installed: $(LOCK) pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	@touch $@

lock:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --quiet -o $(LOCK)

playground: $(PLAYGROUND)/node_modules/.installed

$(PLAYGROUND)/node_modules/.installed: $(PLAYGROUND)/package.json $(PLAYGROUND)/package-lock.json
	npm ci --prefix $(PLAYGROUND) --no-audit --no-fund --loglevel=error
	@touch $@

validators: $(VALIDATORS)/node_modules/.installed

$(VALIDATORS)/node_modules/.installed: $(VALIDATORS)/package.json $(VALIDATORS)/package-lock.json
	npm ci --prefix $(VALIDATORS) --no-audit --no-fund --loglevel=error
	@touch $@

chromium:
	@tools/ensure-chromium.sh

clean:
	rm -rf $(VENV) $(PLAYGROUND)/node_modules $(VALIDATORS)/node_modules build data .pytest_cache
