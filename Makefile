# `make run` and `make test` set everything up themselves: the virtualenv is (re)built whenever
# requirements.txt is newer than the last install.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "Could not create $(VENV): on Debian/Ubuntu, apt-get install python3-venv."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

# The development server on 127.0.0.1:8000, with the demo data. DJANGO_DEBUG defaults to on
# here only; DATABASE_URL=postgres://… switches from the SQLite file in var/ to PostgreSQL.
run: export DJANGO_DEBUG ?= 1
run: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_roles
	$(MANAGE) load_demo
	@if [ -n "$${DJANGO_SUPERUSER_USERNAME:-}" ]; then \
		$(MANAGE) createsuperuser --noinput \
			|| echo "(No superuser created: see the line above.)"; \
	else \
		echo "To sign in to http://127.0.0.1:8000/admin/ create an account first:"; \
		echo "    $(MANAGE) createsuperuser"; \
	fi
	$(MANAGE) runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/pytest

# Benchmarks print their numbers.
bench: $(STAMP)
	$(BIN)/python bench/ingest_quality.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache
