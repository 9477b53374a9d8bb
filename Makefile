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

.PHONY: run test install assets messages system-packages browser-packages nginx-package wrk-package lint check lock demo-large bench bench-build bench-sqlite clean prod prod-down prod-admin faults clean-faults

run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with one background worker (Ctrl-C stops both)"
	$(PY) manage.py jobs_worker --queue-name '*' --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install browser-packages nginx-package
	$(MAKE) check
	@# The browser tests and the production topology check the whole system, not the
	@# database layer: they run once, in the PostgreSQL pass (production's database), and
	@# on SQLite only when no PostgreSQL answers.
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.replace('/sfd', '/postgres'), connect_timeout=3).close()" 2>/dev/null; then \
		echo "== SQLite (browser and topology tests: in the PostgreSQL pass) =="; \
		DATABASE_URL=sqlite:///var/test.sqlite3 $(VENV)/bin/pytest -n 2 -q -m "not browser and not topology" && \
		echo "== PostgreSQL at $(PG_URL) ==" && \
		DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -n 2 -q; \
	else \
		echo "== PostgreSQL does not answer at $(PG_URL): the whole suite runs on SQLite =="; \
		DATABASE_URL=sqlite:///var/test.sqlite3 $(VENV)/bin/pytest -n 2 -q; \
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
		$(SUPERVISE) init-env $(PROD_DIR) --separate-roles --port $(PROD_PORT) --app-ports $(PROD_APP_PORTS) \
			--job-workers $(PROD_JOB_WORKERS) --redis-url $(PROD_REDIS_URL) \
			--database-url $(PG_URL:/sfd=)/$(PROD_DB); \
		$(SUPERVISE) createdb $(PROD_DIR); \
		$(SUPERVISE) prepare $(PROD_DIR) --check-deploy; \
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
export BENCH_CLOSE_DEMO_LOGINS := from demo.seeding import close_demo_logins; close_demo_logins()
BENCH_SEED ?= --units 100000 --applications 20000 --inspections 15000 --spread-states --named-sites 5000 --articles 20000

bench: install nginx-package wrk-package bench-build
	@set -e; \
	$(SUPERVISE) prepare $(BENCH_DIR); \
	$(SUPERVISE) up $(BENCH_DIR); \
	trap '$(SUPERVISE) down $(BENCH_DIR)' EXIT; \
	$(WITH_BENCH_ENV) $(PY) bench/wrk.py

# `make faults`: an application server killed, PostgreSQL restarted and a job worker killed
# mid-export, each under load on a topology and a PostgreSQL server of their own
# (bench/faults.py: it builds them, prints each result and fails when one fails).
faults: install nginx-package
	$(PY) bench/faults.py

# Forgets the data set of `make faults` (its PostgreSQL server's folder) and its topology.
clean-faults:
	rm -rf var/faults-pg var/faults-prod

# $(call build-data-set,DIR,MARKER,SEED,WITH_ENV): the data set of a load test, built once
# into the database of DIR's env from an empty one; the file MARKER says it is built.
define build-data-set
	@set -e; \
	if [ -f $(2) ]; then \
		echo "The data set of $(1) is built already ($(2); delete it to build again)."; \
	else \
		$(4) $(PY) bench/reset_db.py; \
		$(SUPERVISE) createdb $(1); \
		$(4) $(PY) manage.py migrate --noinput -v 0; \
		$(4) $(PY) manage.py seed_demo $(3); \
		$(4) $(PY) manage.py shell -v 0 -c "$$BENCH_CLOSE_DEMO_LOGINS"; \
		touch $(2); \
	fi
endef

bench-build: install
	@$(SUPERVISE) init-env $(BENCH_DIR) --port $(BENCH_PORT) --app-ports $(BENCH_APP_PORTS) \
		--job-workers 1 --redis-url $(BENCH_REDIS_URL) --database-url $(PG_URL:/sfd=)/$(BENCH_DB)
	$(call build-data-set,$(BENCH_DIR),$(BENCH_BUILT),$(BENCH_SEED),$(WITH_BENCH_ENV))

# `make soak`: the soak test of issue 8 (bench/soak.py): locust, headless, SOAK_USERS simulated
# people (units, inspectors, staff, associations, the public) for SOAK_SECONDS on the production
# topology with its own folder, ports, Redis database and PostgreSQL database ($(SOAK_DB), built
# once: the marker $(SOAK_BUILT) says it is); then bench/soak_check.py: no failed request, every
# acknowledged write in the database, the workers' memory flat (bench/soak-results.json). The
# topology is stopped afterwards whatever happens; the target fails when a check does. Locust comes
# from requirements-bench.lock (`make lock-bench` pins it), installed into .venv by this target only.
SOAK_DIR ?= var/soak-prod
SOAK_DB ?= sfd_soak
SOAK_PORT ?= 18280
SOAK_APP_PORTS ?= 18201,18202
SOAK_JOB_WORKERS ?= 2
SOAK_REDIS_URL ?= redis://127.0.0.1:6379/3
SOAK_BUILT ?= var/soak-pg.built
SOAK_USERS ?= 300
SOAK_SECONDS ?= 300
SOAK_SPAWN_RATE ?= 10
SOAK_WAIT ?= 3,10
# Each run registers and reviews some of the submitted and registered applications: this
# set lasts several runs (bench/soak_setup.py says when it is used up).
SOAK_SEED ?= --units 6000 --applications 4000 --inspections 600 --spread-states --named-sites 200 --articles 500
WITH_SOAK_ENV := set -a && . $(SOAK_DIR)/env && set +a &&

.PHONY: soak soak-build lock-bench

soak: install nginx-package soak-build $(VENV)/.bench-installed
	@set -e; \
	$(SUPERVISE) prepare $(SOAK_DIR); \
	$(SUPERVISE) up $(SOAK_DIR); \
	trap '$(SUPERVISE) down $(SOAK_DIR)' EXIT; \
	$(WITH_SOAK_ENV) $(PY) bench/soak_setup.py plan --users $(SOAK_USERS) --out $(SOAK_DIR)/soak-plan.json; \
	echo "== locust: $(SOAK_USERS) people, $(SOAK_SECONDS) s (load before: $$(cut -d' ' -f1-3 /proc/loadavg)) =="; \
	set +e; \
	$(WITH_SOAK_ENV) SOAK_PLAN=$(SOAK_DIR)/soak-plan.json SOAK_DIR=$(SOAK_DIR) SOAK_WAIT=$(SOAK_WAIT) \
		$(VENV)/bin/locust -f bench/soak.py --headless --only-summary --loglevel WARNING \
		-u $(SOAK_USERS) -r $(SOAK_SPAWN_RATE) -t $(SOAK_SECONDS)s --stop-timeout 30 --host $$PLATFORM_URL; \
	echo "== load after: $$(cut -d' ' -f1-3 /proc/loadavg) =="; \
	$(WITH_SOAK_ENV) SOAK_USERS=$(SOAK_USERS) SOAK_SECONDS=$(SOAK_SECONDS) SOAK_SPAWN_RATE=$(SOAK_SPAWN_RATE) \
		SOAK_WAIT=$(SOAK_WAIT) $(PY) bench/soak_check.py $(SOAK_DIR)

soak-build: install
	@$(SUPERVISE) init-env $(SOAK_DIR) --port $(SOAK_PORT) --app-ports $(SOAK_APP_PORTS) \
		--job-workers $(SOAK_JOB_WORKERS) --redis-url $(SOAK_REDIS_URL) --database-url $(PG_URL:/sfd=)/$(SOAK_DB)
	$(call build-data-set,$(SOAK_DIR),$(SOAK_BUILT),$(SOAK_SEED),$(WITH_SOAK_ENV))

$(VENV)/.bench-installed: requirements-bench.lock | install
	$(VENV)/bin/pip install -q -r requirements-bench.lock -c requirements.lock
	touch $@

# Pins locust, with what it pulls in beyond requirements.lock (kept at its pins), from a
# throw-away environment, as `make lock` does.
lock-bench:
	rm -rf var/lock-bench-venv && $(PYTHON) -m venv var/lock-bench-venv
	var/lock-bench-venv/bin/pip install -q -r requirements.lock -r requirements-bench.in -c requirements.lock
	var/lock-bench-venv/bin/pip freeze --exclude-editable | grep -v '^pip==' | grep -v -x -F -f requirements.lock > requirements-bench.lock
	rm -rf var/lock-bench-venv
