# Open Income: `make demo` runs the demo, `make test` runs every test. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := src/openincome/web/static/vendor/.copied
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install assets chromium fonts bench lint serve clean

demo: install assets fonts
	$(BIN)/openincome demo

test: install assets chromium fonts
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/pytest

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

assets: $(ASSETS)

$(ASSETS): node_modules/.package-lock.json scripts/vendor_assets.py $(wildcard scripts/*.scss)
	$(BIN)/python scripts/vendor_assets.py
	touch $@

# Browser tests drive Debian's chromium; never a downloaded browser.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Letters are laid out by WeasyPrint with Pango and Debian's fonts; nothing is fetched at run time.
fonts:
	@fc-list 2>/dev/null | grep -q "Liberation Sans" && dpkg -s libpango-1.0-0 >/dev/null 2>&1 || { \
	  echo "installing Pango and fonts for the letters"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-liberation2 fonts-dejavu-core; }

serve: install assets fonts
	$(BIN)/openincome serve

bench: install
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo

clean:
	rm -rf $(VENV) node_modules src/openincome/web/static/vendor openincome.sqlite3*
