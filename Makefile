# `make run` and `make test` set everything up themselves: the virtualenv is (re)built whenever
# requirements.txt is newer than the last install.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run serve worker test lint format messages bench bench-outage clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "Could not create $(VENV): on Debian/Ubuntu, apt-get install python3-venv."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

# This checkout's development settings, read by manage.py (environment variables win): debug
# on and a secret key of its own. Written once, never overwritten; git-ignored.
.env:
	@(umask 077 && $(PYTHON) -c 'import secrets; print("# Written by make run for this checkout; manage.py reads it (the environment wins).\nDJANGO_DEBUG=1\nDJANGO_SECRET_KEY=" + secrets.token_urlsafe(50))' > $@.tmp) && mv $@.tmp $@
	@echo "Wrote .env (DJANGO_DEBUG=1 and a new DJANGO_SECRET_KEY) for manage.py commands."

# The development server on 127.0.0.1:8000, with the demo data. DJANGO_DEBUG defaults to on
# here (and, through .env, for manage.py); DATABASE_URL=postgres://… switches from the SQLite
# file in var/ to PostgreSQL.
run: export DJANGO_DEBUG ?= 1
run: .env $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_roles
	$(MANAGE) load_demo
	@if [ -n "$${DJANGO_SUPERUSER_USERNAME:-}" ]; then \
		$(MANAGE) createsuperuser --noinput \
			|| echo "(No superuser created: see the line above.)"; \
	else \
		echo "To sign in to http://127.0.0.1:8000/admin/ create an account first:"; \
		echo "    $${DATABASE_URL:+DATABASE_URL=$$DATABASE_URL }$(MANAGE) createsuperuser"; \
	fi
	$(MANAGE) runserver 127.0.0.1:8000

# Production serving: gunicorn with production settings (DJANGO_DEBUG off), static files by
# WhiteNoise. Needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (see .env.example); on a machine
# without TLS in front, DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0.
serve: export DJANGO_DEBUG ?= 0
serve: $(STAMP)
	@test -n "$${DJANGO_SECRET_KEY:-}" || \
		{ echo "make serve uses production settings: set DJANGO_SECRET_KEY (see .env.example)."; exit 1; }
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_roles
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn heritage.wsgi \
		--bind $${BIND:-127.0.0.1:8000} \
		--workers $${GUNICORN_WORKERS:-2} --threads $${GUNICORN_THREADS:-4} \
		--timeout $${GUNICORN_TIMEOUT:-30} --graceful-timeout 10

# The job worker beside `make serve`, with the same production settings: it runs the jobs the
# admin queues (spreadsheets beyond the admin's limits, articles, the World Heritage List,
# releases). Needs CELERY_BROKER_URL (Redis, e.g. redis://127.0.0.1:6379/1) for both, and the
# same DATABASE_URL, MEDIA_ROOT (or bucket) and RELEASES_DIR as the web servers.
worker: export DJANGO_DEBUG ?= 0
worker: $(STAMP)
	@test -n "$${DJANGO_SECRET_KEY:-}" || \
		{ echo "make worker uses production settings: set DJANGO_SECRET_KEY (see .env.example)."; exit 1; }
	@test -n "$${CELERY_BROKER_URL:-}" || \
		{ echo "make worker needs CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/1 (see .env.example)."; exit 1; }
	$(BIN)/celery -A heritage worker --loglevel $${CELERY_LOG_LEVEL:-INFO}

test: $(STAMP)
	$(BIN)/pytest

# The pages' Arabic: collect new messages into locale/ar/LC_MESSAGES/django.po, then, once
# translated there, compile django.mo (both committed, so make run needs no gettext). Needs
# GNU gettext: apt-get install gettext.
messages: export DJANGO_DEBUG ?= 1
messages: $(STAMP)
	$(MANAGE) makemessages -l ar --no-location --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=tests
	$(MANAGE) compilemessages -l ar --ignore=.venv

# Benchmarks print their numbers (bench/RESULTS.md explains them): ingestion quality, then the
# serving benchmark at 200,000 reports on the local PostgreSQL (wrk against us, datasette and a
# bare WSGI app: varied URLs first, then one URL repeated; the admin; memory), then a database
# outage (it stops and restarts the local PostgreSQL cluster); bench/scale.py needs the hot
# standby .ci/start-replica starts. Needs wrk: apt-get install wrk.
# SERVE_BENCH_ARGS go to bench/serve_bench.py, e.g. "--only varied --duration 10".
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): bench/requirements.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	@touch $@

bench: $(STAMP) $(BENCH_STAMP)
	@command -v wrk > /dev/null || { echo "The benchmark needs wrk: apt-get install wrk"; exit 1; }
	$(BIN)/python bench/ingest_quality.py
	$(BIN)/python bench/ingest_splitters.py
	$(BIN)/python bench/serve_bench.py $(SERVE_BENCH_ARGS)
	$(BIN)/python bench/in_process.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/release.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/outage.py

bench-outage: $(STAMP)
	$(BIN)/python bench/outage.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache
