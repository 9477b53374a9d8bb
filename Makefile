# The two commands of the README: `make run` and `make test`. Everything they need is
# installed from here: nothing on the machine is set up by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/sfd
HOST ?= 127.0.0.1
PORT ?= 8000
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

# `make prod`: the production topology on this machine (README "Deploying"). These seed
# $(PROD_DIR)/env the first time only; after that the env file is what counts.
PROD_DIR ?= var/prod
PROD_PORT ?= 8080
PROD_APP_PORTS ?= 8001,8002
PROD_JOB_WORKERS ?= 2
PROD_DB ?= sfd_prod
PROD_REDIS_URL ?= redis://127.0.0.1:6379/0
SUPERVISE := $(PY) deploy/supervise.py
WITH_PROD_ENV := set -a && . $(PROD_DIR)/env && set +a &&

.PHONY: run test install assets messages system-packages browser-packages nginx-package wrk-package lint check lock demo-large bench bench-build bench-sqlite clean prod prod-down prod-admin

run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with one background worker (Ctrl-C stops both)"
	$(PY) manage.py db_worker --queue-name '*' --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install browser-packages nginx-package
	$(MAKE) check
	DATABASE_URL=sqlite:///var/test.sqlite3 $(VENV)/bin/pytest -n 2 -q
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.replace('/sfd', '/postgres'), connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL at $(PG_URL) =="; \
		DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -n 2 -q; \
	else \
		echo "== PostgreSQL does not answer at $(PG_URL): suite ran on SQLite only =="; \
	fi

check:
	mkdir -p var
	$(VENV)/bin/ruff check --no-cache .
	$(VENV)/bin/ruff format --check --no-cache .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

install: system-packages $(VENV)/.installed assets messages

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.lock
	touch $@

# Bootstrap, htmx and ECharts come from npm (package-lock.json) and are served by the app; Bootstrap's
# source maps too, which its files name and production's collectstatic (manifest) must find.
assets: node_modules/.installed
	mkdir -p static/vendor/bootstrap static/vendor/htmx static/vendor/echarts
	cp -u node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
	cp -u node_modules/bootstrap/dist/css/bootstrap.min.css.map node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
	cp -u node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp -u node_modules/echarts/dist/echarts.min.js static/vendor/echarts/

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

# gettext compiles the translations; fonts-noto-cjk draws Chinese in PDFs and screenshots;
# WeasyPrint lays PDFs out with Pango and embeds font subsets with HarfBuzz's subsetter.
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then apt-get update -qq && $(APT_INSTALL) $$missing; fi

browser-packages:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	ldconfig -p | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	if [ -n "$$missing" ]; then apt-get update -qq && $(APT_INSTALL) $$missing; fi

# Debian's nginx, for `make prod` and its test; its own system service is not used.
nginx-package:
	@[ -x /usr/sbin/nginx ] || { apt-get update -qq && $(APT_INSTALL) nginx; }

# Debian's wrk, for `make bench`.
wrk-package:
	@command -v wrk >/dev/null || { apt-get update -qq && $(APT_INSTALL) wrk; }

# nginx on 127.0.0.1:$(PROD_PORT) before two gunicorn servers and the job workers, all under
# deploy/supervise.py, on PostgreSQL ($(PROD_DB)) and Redis; returns once /readyz answers.
prod: install nginx-package
	@if $(SUPERVISE) status $(PROD_DIR); then \
		echo "Already running: $$(grep ^PLATFORM_URL= $(PROD_DIR)/env | cut -d= -f2)/ (make prod-down stops it)"; \
	else \
		set -e; \
		$(SUPERVISE) init-env $(PROD_DIR) --port $(PROD_PORT) --app-ports $(PROD_APP_PORTS) \
			--job-workers $(PROD_JOB_WORKERS) --redis-url $(PROD_REDIS_URL) \
			--database-url $(PG_URL:/sfd=)/$(PROD_DB); \
		$(SUPERVISE) createdb $(PROD_DIR); \
		$(WITH_PROD_ENV) $(PY) manage.py migrate --noinput -v 0; \
		$(WITH_PROD_ENV) $(PY) manage.py collectstatic --noinput -v 0; \
		mkdir -p $(PROD_DIR)/errors; \
		$(WITH_PROD_ENV) $(PY) manage.py shell -v 0 -c "from django.template.loader import render_to_string; \
			open('$(PROD_DIR)/errors/_unavailable.html', 'w').write(render_to_string('503.html'))"; \
		$(WITH_PROD_ENV) $(PY) manage.py check --deploy --database default --fail-level WARNING; \
		$(SUPERVISE) up $(PROD_DIR); \
	fi

# Stops exactly what `make prod` started (by its pid files); PostgreSQL and Redis stay.
prod-down:
	@$(SUPERVISE) down $(PROD_DIR)

# The first system administrator of a `make prod` database (asks for the name and password).
prod-admin:
	@$(WITH_PROD_ENV) $(PY) deploy/create_admin.py

# Pins from a throw-away environment, so that nothing installed by hand creeps into the lock.
lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/pip install -q -r requirements.in
	var/lock-venv/bin/pip freeze --exclude-editable | grep -v '^pip==' > requirements.lock
	rm -rf var/lock-venv

# The data set of the README's figures (100,000 units, 20,000 applications, 15,000 inspections with
# 60,000 scored sheets), in its own database file, built once (delete the file to build it again).
demo-large: var/large.sqlite3

var/large.sqlite3: | install
	mkdir -p var
	rm -f var/large-building.sqlite3*
	DATABASE_URL=sqlite:///var/large-building.sqlite3 $(PY) manage.py migrate --noinput -v 0
	DATABASE_URL=sqlite:///var/large-building.sqlite3 $(PY) manage.py seed_demo --units 100000 --applications 20000 --inspections 15000
	mv var/large-building.sqlite3 $@

# Pages, the dashboard, the large exports (on a copy: they write jobs and files) and a
# 100,000-row import into a fresh database, through Django's test client on SQLite; each
# script prints its own figures (the figures of issues 1-6).
bench-sqlite: demo-large
	DATABASE_URL=sqlite:///var/large.sqlite3 $(PY) manage.py migrate --noinput -v 0
	DATABASE_URL=sqlite:///var/large.sqlite3 $(PY) bench/pages.py
	DATABASE_URL=sqlite:///var/large.sqlite3 $(PY) bench/dashboard.py
	cp var/large.sqlite3 var/exports-large.sqlite3
	DATABASE_URL=sqlite:///var/exports-large.sqlite3 $(PY) bench/exports.py
	DATABASE_URL=sqlite:///var/imports-bench.sqlite3 $(PY) bench/imports.py

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles var/test.sqlite3

# `make bench`: the provincial-scale data set in PostgreSQL ($(BENCH_DB), built once: the
# marker $(BENCH_BUILT) says it is; delete it to build again from an empty database), the
# production topology of `make prod` on it with its own folder, ports and Redis database,
# and wrk on each page as a signed-in user of its role (bench/wrk.py); the topology is
# stopped afterwards whatever happens.
BENCH_DIR ?= var/bench-prod
BENCH_DB ?= sfd_bench
BENCH_PORT ?= 18180
BENCH_APP_PORTS ?= 18101,18102
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/2
BENCH_BUILT ?= var/bench-pg.built
WITH_BENCH_ENV := set -a && . $(BENCH_DIR)/env && set +a &&
# The demo accounts lose their published password (security.E001 stops a production
# set-up that has them): bench/wrk.py signs its users in straight in the session store.
export BENCH_CLOSE_DEMO_LOGINS := from django.contrib.auth.hashers import make_password; \
	from accounts.models import User; from core.demo import DEMO_ACCOUNTS; \
	User.objects.filter(username__in=[a[1] for a in DEMO_ACCOUNTS]).update(password=make_password(None))
BENCH_SEED ?= --units 100000 --applications 20000 --inspections 15000 --spread-states --named-sites 5000 --articles 20000

bench: install nginx-package wrk-package bench-build
	@set -e; \
	$(WITH_BENCH_ENV) $(PY) manage.py migrate --noinput -v 0; \
	$(WITH_BENCH_ENV) $(PY) manage.py collectstatic --noinput -v 0; \
	mkdir -p $(BENCH_DIR)/errors; \
	$(WITH_BENCH_ENV) $(PY) manage.py shell -v 0 -c "from django.template.loader import render_to_string; \
		open('$(BENCH_DIR)/errors/_unavailable.html', 'w').write(render_to_string('503.html'))"; \
	$(SUPERVISE) up $(BENCH_DIR); \
	trap '$(SUPERVISE) down $(BENCH_DIR)' EXIT; \
	$(WITH_BENCH_ENV) $(PY) bench/wrk.py

bench-build: install
	@set -e; \
	$(SUPERVISE) init-env $(BENCH_DIR) --port $(BENCH_PORT) --app-ports $(BENCH_APP_PORTS) \
		--job-workers 1 --redis-url $(BENCH_REDIS_URL) --database-url $(PG_URL:/sfd=)/$(BENCH_DB); \
	if [ -f $(BENCH_BUILT) ]; then \
		echo "The data set is in $(BENCH_DB) already ($(BENCH_BUILT); delete it to build again)."; \
	else \
		$(WITH_BENCH_ENV) $(PY) bench/reset_db.py; \
		$(SUPERVISE) createdb $(BENCH_DIR); \
		$(WITH_BENCH_ENV) $(PY) manage.py migrate --noinput -v 0; \
		$(WITH_BENCH_ENV) $(PY) manage.py seed_demo $(BENCH_SEED); \
		$(WITH_BENCH_ENV) $(PY) manage.py shell -v 0 -c "$$BENCH_CLOSE_DEMO_LOGINS"; \
		touch $(BENCH_BUILT); \
	fi
