# AP Oversight: `make demo` to try it, `make test` to test it, `make bench` (and `make bench-load`) to measure it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHILDREN ?= 300
SEED ?= 2026
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/ap_oversight
# A worker per core, each given whole test files: a module's browser and boroughs are built once.
PYTEST := $(BIN)/python -m pytest -q -n auto --dist loadfile

.PHONY: install demo serve test test-sqlite test-postgres bench bench-load lint format pango chromium gettext messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static_build/.built: node_modules/.installed $(wildcard frontend/*) $(wildcard frontend/js/*)
	npm run --silent build
	touch $@

# The survey's translations: catalogues in locale/, compiled here (msgfmt checks placeholders).
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

%.mo: %.po | gettext
	msgfmt --check -o $@ $<

gettext:
	@command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null)

install: $(VENV)/.installed static_build/.built $(MESSAGES)

demo: install pango
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py demo --children $(CHILDREN) --seed $(SEED) --port $(PORT)
	SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

serve: install pango
	SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# WeasyPrint draws the tracking packs' PDFs with Debian's Pango.
PANGO := libpango-1.0-0 libpangoft2-1.0-0

pango:
	@dpkg -s $(PANGO) >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PANGO) >/dev/null)

# Debian's Chromium drives the browser tests; never a downloaded browser. Pango is checked with it.
chromium: pango
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# Under CI the whole suite runs on SQLite and again on PostgreSQL.
test: install chromium lint
	$(PYTEST)
ifeq ($(CI),true)
	DATABASE_URL=$(POSTGRES_URL) $(PYTEST)
endif

test-postgres: install chromium
	DATABASE_URL=$(POSTGRES_URL) $(PYTEST)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After changing a survey string: collect it into every catalogue, then translate it there.
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages --all --no-location --ignore=.venv --ignore=node_modules --ignore=static_build --ignore=staticfiles

bench: install
	$(BIN)/python -m bench.run

# gunicorn with the production settings under 1, 4 and 16 officers at once (Locust), 20,000 children (bench/load.py).
bench-load: install
	$(BIN)/python -m bench.load

clean:
	rm -rf $(VENV) node_modules static_build staticfiles db.sqlite3*
