# Two commands do all the set-up on a fresh machine:
#   make demo   create .venv, install, migrate, load the demo network, serve on 127.0.0.1:8000
#   make test   create .venv, install with test extras, run the tests (PostgreSQL + Redis under CI=true)

PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Under CI the tests run against the real services on this machine.
ifeq ($(CI),true)
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/liaison
export REDIS_URL ?= redis://127.0.0.1:6379/0
endif

.PHONY: demo test lint messages bench-help clean

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

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Refresh the translation catalogues after changing user-facing strings.
messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l zh_Hans -l en --no-location --ignore=.venv --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 media private staticfiles test-artifacts
