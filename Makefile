# Bouwplaats: `make run` starts the platform with demo content, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test bench lint format install install-prod assets chromium stack-servers migrate demo messages clean prod-like

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Production: only [project] dependencies (no test, lint or browser tools) and the assets.
$(VENV)/.installed-prod: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

install-prod: $(VENV)/.installed-prod assets

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Copy the front-end files the pages use from node_modules into static/vendor.
assets: node_modules/.installed
	rm -rf bouwplaats/static/vendor
	mkdir -p bouwplaats/static/vendor/leaflet bouwplaats/static/vendor/leaflet-draw
	cp node_modules/@rijkshuisstijl-community/components-css/dist/index.css bouwplaats/static/vendor/components.css
	cp node_modules/@rijkshuisstijl-community/design-tokens/dist/index.css bouwplaats/static/vendor/design-tokens.css
	cp node_modules/htmx.org/dist/htmx.min.js bouwplaats/static/vendor/htmx.min.js
	cp -r node_modules/leaflet/dist/* bouwplaats/static/vendor/leaflet/
	cp -r node_modules/leaflet-draw/dist/* bouwplaats/static/vendor/leaflet-draw/
	cp node_modules/axe-core/axe.min.js bouwplaats/static/vendor/axe.min.js

# Browser tests drive Debian's chromium; install it when it is missing and we may.
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Debian's chromium is needed for the browser tests: sudo apt-get install chromium" >&2; exit 1; fi; }

# The stack tests (tests/stack) and bin/prod-like run Debian's redis-server, Exim and
# PostgreSQL's initdb/pg_ctl; install them when missing.
stack-servers:
	@test -x /usr/bin/redis-server -a -x /usr/sbin/exim4 && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server exim4-daemon-light postgresql >/dev/null; \
	  else echo "The stack tests need Debian's redis-server, exim4-daemon-light and postgresql: sudo apt-get install redis-server exim4-daemon-light postgresql" >&2; exit 1; fi; }

migrate: install assets
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py load_demo --i-know-this-is-not-production

run: demo
	$(PY) manage.py collectstatic --noinput >/dev/null
	bin/serve

test: install assets chromium stack-servers
	$(PY) -m pytest $(PYTEST_ARGS)

# The whole stack on loopback with demo content and the volume set at PROD_SCALE (default 1.0):
# PostgreSQL, Redis, moto's S3, gunicorn (4 workers), 2 RQ workers; Ctrl-C stops it all.
prod-like: install assets stack-servers
	bin/prod-like $(PROD_ARGS)

bench: install assets stack-servers
	@set -e; for f in bench/*.py; do $(PY) $$f $(BENCH_ARGS); done

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate and compile translations (needs GNU gettext). Only English is regenerated: the
# msgids are Dutch, and locale/nl holds just overrides of Django's own strings, which
# makemessages would retire.
messages: install
	$(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'node_modules/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) node_modules bouwplaats/static/vendor staticfiles
