# Two commands do all the set-up on a fresh machine:
#   make demo   create .venv, install, migrate, load the demo network, serve on 127.0.0.1:8000
#   make test   create .venv, install with test extras, run the tests (PostgreSQL + Redis under CI=true)
#   make lint   the same .venv; ruff, mypy against its baseline, the import layers, missing migrations

PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The apps mypy checks, as in [tool.importlinter] root_packages; demo/ and public/ are checked once
# they exist.
APPS := liaison workdays notifications audit accounts twofactor stations representatives \
	suggestions \
	receptions ledger public demo
PRESENT_APPS = $(patsubst %/__init__.py,%,$(wildcard $(addsuffix /__init__.py,$(APPS))))
MYPY_OUTPUT := .mypy_cache/last-run.txt

# mypy's report on the apps into $(MYPY_OUTPUT). The django-stubs plugin loads the settings, hence
# DEBUG=1. Exit status 1 means errors found (judged against the baseline); 2 is mypy failing.
define run_mypy
	@mkdir -p $(dir $(MYPY_OUTPUT))
	@echo "mypy $(PRESENT_APPS)"
	@DEBUG=1 $(VENV)/bin/mypy --no-error-summary $(PRESENT_APPS) > $(MYPY_OUTPUT); status=$$?; \
	if [ $$status -gt 1 ]; then cat $(MYPY_OUTPUT); exit $$status; fi
endef

# Under CI the tests run against the real services on this machine.
ifeq ($(CI),true)
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/liaison
export REDIS_URL ?= redis://127.0.0.1:6379/0
endif

.PHONY: demo test lint ruff mypy mypy-baseline lint-imports migrations-check bandit hooks \
	messages bench-help clean security-scan

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

demo: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	@echo ""
	@echo "Serving the demo on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test
	@if [ "$(CI)" = "true" ]; then bash .ci/services; fi
	SECRET_KEY=tests-only-not-a-secret $(PY) -m pytest $(PYTEST_ARGS)

# Every check runs, so one run lists every problem; any failure fails the whole.
lint: $(VENV)/.installed-test
	@failed=""; \
	for check in ruff mypy lint-imports migrations-check bandit; do \
		$(MAKE) --no-print-directory $$check || failed="$$failed $$check"; \
	done; \
	if [ -n "$$failed" ]; then echo "make lint failed:$$failed" >&2; exit 1; fi

ruff: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# New mypy errors fail; those in mypy-baseline.txt are tolerated, and one fixed must leave the
# baseline too (`make mypy-baseline`), so the baseline only shrinks.
mypy: $(VENV)/.installed-test
	$(run_mypy)
	@$(VENV)/bin/mypy-baseline filter < $(MYPY_OUTPUT) || { \
		echo "mypy: fix the new errors listed above. If none are listed, errors recorded in" \
			"mypy-baseline.txt are fixed: run 'make mypy-baseline' and commit the file." >&2; \
		exit 1; }
	@echo "mypy: no new errors ($$(grep -c . mypy-baseline.txt) old ones in mypy-baseline.txt)."

# Rewrite mypy-baseline.txt from the errors mypy reports now; commit it with the change.
mypy-baseline: $(VENV)/.installed-test
	$(run_mypy)
	@$(VENV)/bin/mypy-baseline sync < $(MYPY_OUTPUT)
	@echo "mypy-baseline.txt: $$(grep -c . mypy-baseline.txt) entries."

# The layers of STYLE.md ([tool.importlinter] in pyproject.toml).
lint-imports: $(VENV)/.installed-test
	$(VENV)/bin/lint-imports --config pyproject.toml

# Every model change comes with its migration.
migrations-check: $(VENV)/.installed-test
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# The security linter ([tool.bandit] in pyproject.toml): any medium or high finding fails.
bandit: $(VENV)/.installed-test
	$(VENV)/bin/bandit -c pyproject.toml -r . --severity-level medium --quiet

# Run the same checks before each commit (.pre-commit-config.yaml).
hooks: $(VENV)/.installed-test
	$(VENV)/bin/pre-commit install

# Refresh the translation catalogues after changing user-facing strings.
messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l zh_Hans -l en --no-location --ignore=.venv --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

# A dynamic scan (wapiti, sqlmap) of the app served in production mode on 127.0.0.1, about 12
# minutes; reports in security/reports/. Not part of `make test` or CI: it takes minutes and
# installs the scanners from PyPI into security/.venv. SCAN_MINUTES sets the scans' time.
SCAN_MINUTES ?= 10
security-scan: $(VENV)/.installed
	$(PY) security/scan.py --minutes $(SCAN_MINUTES)

clean:
	rm -rf $(VENV) db.sqlite3 media private staticfiles test-artifacts .mypy_cache \
		.import_linter_cache
