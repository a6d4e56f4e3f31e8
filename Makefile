# eBOK. `make run` and `make test` work from a fresh clone; nothing else is needed.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format migrations-check messages ci bench bench-floor bench-mail profile-pages faults clean demo-next

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The portal with demo data on SQLite, the mail worker (mail is printed to the console) and the
# background-task worker beside it.
# `make run HOST=0.0.0.0 PORT=8041`: the links in e-mails follow HOST and PORT unless EBOK_SITE_URL is set.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	EBOK_SITE_URL="$${EBOK_SITE_URL:-http://$(HOST):$(PORT)}" $(PY) manage.py load_demo
	EBOK_SITE_URL="$${EBOK_SITE_URL:-http://$(HOST):$(PORT)}" $(PY) manage.py ensure_demo_staff
	trap 'kill 0' EXIT INT TERM; \
	export EBOK_SITE_URL="$${EBOK_SITE_URL:-http://$(HOST):$(PORT)}"; \
	$(PY) manage.py send_queued_mail --interval 1 & \
	$(PY) manage.py db_worker --interval 1 & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Next month's demo export (new invoices and payments), imported like a real one: the demo customers
# with accounts get their "new documents" e-mail, printed by the mail worker of `make run`.
demo-next: install
	tmp=$$(mktemp -d) && \
	$(PY) manage.py make_demo_export "$$tmp/export" --next-month && \
	$(PY) manage.py import_billing "$$tmp/export"; status=$$?; rm -rf "$$tmp"; exit $$status

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff, and the apps' layers (the import-linter contract in pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# Rebuild the translation catalogues (needs GNU gettext) after changing UI text: new msgids get
# their Polish text in locale/pl; translate the new (empty) English and Ukrainian entries in locale/en
# and locale/uk, then run
# this again so the .mo files are recompiled. tests/ebok/test_translations.py names what is missing.
messages: install
	$(PY) manage.py makemessages -l pl -l en -l uk --no-location --no-obsolete \
		--ignore=.venv --ignore=staticfiles --ignore=bench
	$(PY) scripts/fill_polish_catalogue.py
	$(PY) manage.py compilemessages --ignore=.venv --ignore=staticfiles --ignore=bench

ci:
	bash .ci/run

# Fault drill: a throwaway PostgreSQL cluster stops and starts under load (never the machine's server);
# pages must answer 503 meanwhile and 200 again right after, with no restart.
faults: install
	$(PY) scripts/faults.py

# Django's own floor for a logged-in page (session + user + a one-line template) against a no-op
# view, in a dozen-line project of its own (bench/floor.py): what a page pays before its content.
bench-floor: install
	$(PY) bench/floor.py

# Benchmark (bench/run.py): first views of every customer page (BENCH_CUSTOMERS sessions, each page
# once per session), repeat views, the login, SQL queries per page, import vs bare COPY, on a
# PostgreSQL database of its own (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/ebok_bench).
# SCALE=100000 for the full figure; KEEP=1 keeps the generated export; BENCH_REDIS_URL=redis://127.0.0.1:6379/N
# for cache and sessions in Redis (as with several app hosts). Results: bench/results/ (.md, latest.json).
SCALE ?= 10000
bench: install
	SCALE=$(SCALE) $(PY) bench/run.py

# In-process milliseconds and SQL queries of each customer page's first view (bench/profile_pages.py),
# on the database of DATABASE_URL holding bench data (e.g. after `make bench SCALE=2000 BENCH_CUSTOMERS=500`,
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/ebok_bench). PROFILE_ARGS="--profile payments" for cProfile.
profile-pages: install
	$(PY) bench/profile_pages.py $(PROFILE_ARGS)

clean:
	rm -rf $(VENV) staticfiles

# Month-end mail at utility scale (bench/mail_month.py, issue #15): the delta import, the notices and
# the delivery of every e-mail to a counting SMTP server on loopback, against a bare smtplib loop's
# ceiling. PostgreSQL database BENCH_MAIL_DATABASE_URL (default .../ebok_mailbench). Results:
# bench/results/*-mail-scaleN.md and the "mail" section of bench/results/latest.json.
# SCALE defaults to 100000 here (10000 is the default of `make bench` only).
bench-mail: install
	SCALE=$(if $(filter command line environment,$(origin SCALE)),$(SCALE),100000) $(PY) bench/mail_month.py
