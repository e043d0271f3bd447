# The README's commands. `make run` serves the demo portal; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages bench bench-floors load-faults clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

data/secret_key:
	mkdir -p data
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# collectstatic compresses every file anew (a minute or two): only when the
# static files or the installed packages have changed.
STATIC_ROOT ?= data/static
$(STATIC_ROOT)/staticfiles.json: $(VENV)/.runtime $(shell find static -type f) | data/secret_key
	DJANGO_SECRET_KEY="$$(cat data/secret_key)" $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	touch $@

# The local demo: production settings (debug off), uploads served by Django itself.
run: $(VENV)/.runtime data/secret_key $(STATIC_ROOT)/staticfiles.json
	export DJANGO_SECRET_KEY="$$(cat data/secret_key)" DJANGO_SERVE_MEDIA=1 \
		DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-$(HOST),127.0.0.1,localhost}"; \
	$(BIN)/python manage.py migrate --no-input && \
	$(BIN)/python manage.py load_demo --if-empty && \
	$(BIN)/python manage.py create_demo_admin && \
	echo "The portal: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/ru/admin/)" && \
	exec $(BIN)/gunicorn portal.wsgi --bind $(HOST):$(PORT) --workers 2

# Installs what the tests need (Python packages; Debian's Chromium for the
# browser tests when this machine can install it) and runs the whole suite,
# in one process per CPU (pytest-xdist; TEST_WORKERS=0 runs it in this one).
TEST_WORKERS ?= auto
test: $(VENV)/.dev
	bash deploy/ensure-chromium.sh
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Extracts the marked strings into locale/*/LC_MESSAGES/django.po (needs GNU
# gettext's xgettext) and compiles the .mo files with polib; see the README.
messages: $(VENV)/.dev
	$(BIN)/python scripts/messages.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The portal under load on PostgreSQL while a worker is killed and PostgreSQL
# restarts (bench/load_faults.py; LOAD_FAULTS_ARGS="--phase-seconds 3" for a short run).
load-faults: $(VENV)/.runtime
	$(BIN)/python bench/load_faults.py $(LOAD_FAULTS_ARGS)

# The benchmark (bench/run.py): the portal's pages under wrk on PostgreSQL with
# 100,000 generated items, against a bare Django view; BENCH_ARGS="--count 2000
# --duration 3" for a quick look. Installs Debian's wrk when it can.
bench: $(VENV)/.runtime
	bash bench/ensure-wrk.sh
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Where the uncached article's time goes (bench/floors.py): the article against
# views that do only its queries or only its rendering.
bench-floors: $(VENV)/.runtime
	bash bench/ensure-wrk.sh
	$(BIN)/python bench/floors.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data/static
