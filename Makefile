# Two commands on a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WELCOMING := $(BIN)/welcoming
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= welcoming.config.settings.local

.PHONY: demo test install lint typecheck checks audit pytest pytest-sqlite pytest-postgres messages bench clean

$(BIN)/welcoming: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,production]"
	touch $@

install: $(BIN)/welcoming
	$(BIN)/django-admin compilemessages --ignore=.venv -v0

demo: install
	$(WELCOMING) manage migrate --no-input -v0
	$(WELCOMING) demo
	$(WELCOMING) warm-scorecards
	@echo "Welcoming is at http://$(HOST):$(PORT)/ (English) and http://$(HOST):$(PORT)/fr/ (French)"
	@# A worker beside the server runs the imports started from the web; both stop together.
	$(WELCOMING) worker --no-reload -v0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(WELCOMING) serve $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/djlint --lint src/welcoming

typecheck: install
	$(BIN)/mypy src
	$(BIN)/mypy --strict src/welcoming/engines
	$(BIN)/lint-imports

checks: install
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=welcoming.config.settings.test $(BIN)/django-admin makemigrations --check --dry-run
	msgfmt --check-format --statistics -o /dev/null src/welcoming/locale/fr/LC_MESSAGES/django.po

# Known vulnerabilities in the pinned dependencies fail the build (.ci/audit says why it may skip).
audit: install
	$(BIN)/python .ci/audit

pytest-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest

pytest-postgres: install
	@if [ -n "$$DATABASE_URL" ]; then $(BIN)/pytest -m "not browser"; \
	else echo "DATABASE_URL is not set: skipping the PostgreSQL run."; fi

# The two databases' runs go side by side (one per core); each prints its output when it ends.
pytest: install
	$(MAKE) --no-print-directory -j2 --output-sync=target pytest-sqlite pytest-postgres

test: lint typecheck checks audit pytest

messages: install
	cd src/welcoming && ../../$(BIN)/django-admin makemessages -l fr --no-location --no-obsolete --ignore=data
	$(BIN)/django-admin compilemessages --ignore=.venv -v0

bench: install
	$(BIN)/python bench/scoring.py
	$(BIN)/python bench/import_indicators.py
	$(BIN)/python bench/import_bad_rows.py
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/directory_import.py
	$(BIN)/python bench/directory_search.py
	@# Pages under gunicorn with the production settings, on PostgreSQL (a database of its own).
	$(BIN)/python bench/web_load.py

clean:
	rm -rf $(VENV) var build *.egg-info
