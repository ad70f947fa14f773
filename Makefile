# Parent Voice: `make demo` runs the whole service on this machine; `make test` runs the test suite.
# Both create .venv and install what they need first. `make help` lists every target.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# One pytest worker per core (pytest-xdist): each has its own test database. pytest exits 5 when it
# collected no tests; that is not a failure of the suite.
WORKERS ?= auto
define run_pytest
	$(PY) -m pytest -n $(WORKERS) $(1) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; exit 0; fi; exit $$rc
endef

.PHONY: help install migrate demo test test-pg test-e2e screenshots lint format checks check-deploy coverage clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Parent Voice needs Python 3.11 or newer (python3 --version)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,e2e,pdf]"
	touch $@

install: $(VENV)/.installed ## Create .venv and install Parent Voice with its test tools

migrate: install ## Create or update the local SQLite database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

# Links in texts and the phone simulator's requests go to where the demo runs.
demo: export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
demo: migrate ## Load demo content, start a task worker and the site on http://127.0.0.1:8000
	$(PY) manage.py load_demo_content
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Parent Voice is starting on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "Demo logins, all with the password 'parent-voice-demo':"
	@echo "  admin@example.org         superuser"
	@echo "  officer@example.org       consultation officer"
	@echo "  coordinator@example.org   forum coordinator"
	@echo "  decisions@example.org     decision maker"
	@echo "  safeguarding@example.org  safeguarding lead"
	@echo "  parent@example.org        parent with an account"
	@echo "Emails (sign-in codes) are printed in this terminal; the task workers write to worker.log."
	@echo "Answer a consultation by text: admin > Phone simulator, then text SUPPORT."
	@echo "Press Ctrl+C to stop."
	@echo ""
	@# Two workers, as in production: one for messages someone is waiting for (the `service` queue),
	@# so a booking confirmation never waits behind a campaign's batches (docs/messaging.md#workers).
	@: > worker.log; $(PY) manage.py db_worker --queue-name service --no-reload >> worker.log 2>&1 & service=$$!; \
	$(PY) manage.py db_worker --queue-name '*' --no-reload >> worker.log 2>&1 & worker=$$!; \
	trap 'kill $$service $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: install checks ## Lint, check migrations and deploy settings, run the suite with coverage (SQLite)
	@$(call run_pytest,-m "not e2e" --cov --cov-report=)
	$(PY) -m coverage report --fail-under=80

test-pg: install ## Run the suite against PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/parentvoice)
	@DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/parentvoice} $(call run_pytest,-m "not e2e")

test-e2e: install ## Run the browser tests (axe accessibility checks) in Debian's Chromium
	@$(call run_pytest,-m e2e tests/e2e)

screenshots: install ## Run the browser tests and refresh the screenshots in docs/screenshots/
	@PARENTVOICE_SCREENSHOTS=1 $(call run_pytest,-m e2e tests/e2e)

lint: install ## ruff check and ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Fix what ruff can fix and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

checks: lint check-deploy ## Lint, missing migrations, Django system checks
	DJANGO_SETTINGS_MODULE=parentvoice.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=parentvoice.settings.test $(PY) manage.py check --fail-level WARNING

check-deploy: install ## `check --deploy` under the production settings with placeholder secrets
	DJANGO_SETTINGS_MODULE=parentvoice.settings.production \
	SECRET_KEY=check-deploy-placeholder-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH \
	ALLOWED_HOSTS=parentvoice.example.org DATABASE_URL=sqlite:///:memory: \
	PUBLIC_BASE_URL=https://parentvoice.example.org DEFAULT_FROM_EMAIL=parentvoice@example.org \
	SMS_PROVIDER=twilio TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 \
	TWILIO_AUTH_TOKEN=check-deploy-placeholder TWILIO_MESSAGING_SERVICE_SID=MG00000000000000000000000000000000 \
	ANYMAIL_WEBHOOK_SECRET=check-deploy:placeholder TRUSTED_PROXY_COUNT=1 \
	$(PY) manage.py check --deploy --fail-level WARNING

clean: ## Remove the virtualenv, local database, collected static files and coverage data
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm static_collected .coverage htmlcov
