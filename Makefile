# The DTI Portal's two commands: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
THIS_YEAR := $(shell date +%Y)
# Three pytest-xdist processes: the suite in about 6 minutes on SQLite and 9 on
# PostgreSQL on two cores, instead of 9 and 14 (each process has its own test database
# and, for the real-worker tests, its own Redis database).
PYTEST_ARGS ?= -n 3

.PHONY: run test setup install install-dev migrate seed lint audit messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# pip is pinned first: --build-constraint (for XStatic-Bootstrap) needs pip 25.3 or newer.
$(VENV)/.installed: requirements.txt build-constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/pip install --quiet --build-constraint build-constraints.txt -r requirements.txt
	touch $@

# Chart.js from the npm registry, pinned by package-lock.json, served by the portal.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 18 or newer) is needed to install Chart.js: apt-get install nodejs npm"; exit 1; }
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	touch $@

# Tests and tools (requirements-dev.txt), on top: for test, lint, audit and bench only.
$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --build-constraint build-constraints.txt -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed node_modules/.installed

install-dev: install $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_seed_plans
	$(BIN)/python manage.py load_reform_2025
	$(BIN)/python manage.py load_dti_framework
	$(BIN)/python manage.py create_demo_accounts
	# Bodies the seed marks as not reporting themselves: their obligations to their
	# collectors (a no-op on a new database, where the loader gives them there).
	$(BIN)/python manage.py apply_collectors --province BG --as-user bg_admin
	# The reporting periods of the years the seed plans assign agencies to (idempotent).
	$(BIN)/python manage.py open_periods --province BG --year 2022 --as-user bg_admin
	$(BIN)/python manage.py open_periods --province TTH --year 2024 --as-user tth_admin
	# And this year's, and an approved first quarter of plausible figures for each demo
	# province, so that the dashboards show something (load_demo_figures refuses unless
	# DEBUG is on; idempotent: it fills only what is still a draft).
	$(BIN)/python manage.py open_periods --province BG --year $(THIS_YEAR) --as-user bg_admin
	$(BIN)/python manage.py open_periods --province TTH --year $(THIS_YEAR) --as-user tth_admin
	$(BIN)/python manage.py load_demo_figures --province BG --year 2022 --quarter 1 --editor bg_admin --reviewer bg_dic
	$(BIN)/python manage.py load_demo_figures --province TTH --year 2024 --quarter 1 --editor tth_admin --reviewer tth_dic

setup: seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

# make run PORT=8080 HOST=0.0.0.0: links in emails follow (PORTAL_BASE_URL, unless set).
run: setup
	@echo "Cổng DTI: http://$(HOST):$(PORT)/  (tài khoản dùng thử in ở trên)"
	PORTAL_BASE_URL="$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)}" $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The same set-up as `run` (proving migrate and the seed load on this database), then
# the suite, which makes its own test database. pytest's exit code 5 (no test
# collected, e.g. a -k that matches nothing) is not a failure of the set-up.
test: setup install-dev
	DJANGO_SETTINGS_MODULE=dti_portal.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=dti_portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS) || [ $$? -eq 5 ]

# ruff (rules and format), the import contracts of .importlinter, and mypy with
# django-stubs over the modules mypy.ini lists (apps import downwards only, pure
# rules import no model, lower layers no presentation module).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# bandit (no high-severity finding) and pip-audit (no known vulnerability).
audit: install-dev
	.ci/audit

# The English catalogue only: locale/vi holds Vietnamese for third-party apps and must
# not be regenerated (the portal's own msgids are Vietnamese).
messages: install-dev
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=staticfiles
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

# The benchmarks of issue 7 (bench/README.md, which it rewrites): a national data set
# in the PostgreSQL database dti_bench (kept for the next run), then the roll-up,
# dashboard, save, Excel and load (gunicorn + wrk) measurements. About 10 minutes.
bench: install-dev
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 .pytest_cache
