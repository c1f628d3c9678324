# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
export PORT HOST

.PHONY: run test venv venv-dev system-deps lint format messages bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv

# A stamp per requirements file: reinstall only when the pins change.
$(VENV)/.base-installed: requirements/base.txt | $(VENV)/bin/python
	$(PY) -m uv pip install --quiet --python $(PY) -r requirements/base.txt \
	  || $(PY) -m pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt requirements/base.txt | $(VENV)/bin/python
	$(PY) -m uv pip install --quiet --python $(PY) -r requirements/dev.txt \
	  || $(PY) -m pip install --quiet -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

venv: $(VENV)/.base-installed
venv-dev: $(VENV)/.dev-installed

## make run: migrate the SQLite database in ./data (or $ZHAOSHANG_DATA_DIR), load the demo
## data on first run, and serve the real application with gunicorn on http://$HOST:$PORT.
run: venv
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py demo --url http://$(HOST):$(PORT)/
	exec $(VENV)/bin/gunicorn zhaoshang.wsgi -c zhaoshang/gunicorn.conf.py

## make test: install what the tests need (Python packages, Debian's chromium and CJK fonts,
## gettext) and run the whole suite. DATABASE_URL=postgres://… runs it on PostgreSQL.
test: venv-dev system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

system-deps:
	bash scripts/ensure-system-deps.sh

lint: venv-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: venv-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## make messages: refresh the zh_Hans catalogues of every app and compile them.
messages: venv-dev
	$(PY) scripts/messages.py

bench: venv-dev
	@ls bench/*.py >/dev/null 2>&1 && for f in bench/bench_*.py; do $(PY) $$f; done || echo "no benchmarks yet"

clean:
	rm -rf $(VENV) staticfiles .test-data .pytest_cache .ruff_cache
