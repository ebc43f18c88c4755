# Two commands for a new machine: `make run` (the app with demo data) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/studentloan_test
# pytest-xdist's processes: more than the cores, since most tests wait on a database or a page.
TEST_WORKERS ?= 4
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
export FLASK_APP := wsgi

.PHONY: run install test lint system-run system-test translations translations-extract translations-update \
        db-upgrade seed-demo backup clean

FONTS := build/fonts/.built

run: system-run $(VENV)/.installed translations $(FONTS)
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C stops both)"
	@echo "Task queue (text messages, reminders) runs beside it; see what waits: $(BIN)/flask tasks status"
	$(BIN)/flask tasks consume & consumer=$$!; trap 'kill $$consumer 2>/dev/null' EXIT INT TERM; \
	SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-false} GUNICORN_BIND=$(HOST):$(PORT) \
	  GUNICORN_WORKERS=$${GUNICORN_WORKERS:-2} $(BIN)/gunicorn --config deploy/gunicorn.conf.py

# What a server needs to run the app (docs/deploy.md): packages, catalogues, print fonts.
install: system-run $(VENV)/.installed translations $(FONTS)

# Lint first: the lock matches pyproject.toml, ruff (configured there) finds nothing, and the
# import contract of the layers holds (lint-imports; docs/architecture.md); then the whole suite.
lint: $(VENV)/.installed-test
	$(UV) lock --check --quiet
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

test: system-test lint $(VENV)/.installed-test translations $(FONTS)
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2).close()" 2>/dev/null; then \
	  echo "PostgreSQL answers on 127.0.0.1:5432: the suite runs on SQLite and PostgreSQL."; \
	  export TEST_DATABASE_URL=$${TEST_DATABASE_URL:-$(PG_TEST_URL)}; \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI requires PostgreSQL on 127.0.0.1:5432 and none answers." >&2; exit 1; \
	else \
	  echo "No PostgreSQL on 127.0.0.1:5432: the suite runs on SQLite only."; \
	fi; \
	if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 6379), 2).close()" 2>/dev/null; then \
	  echo "Redis answers on 127.0.0.1:6379: the task queue is tested on SQLite and Redis."; \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI requires Redis on 127.0.0.1:6379 and none answers." >&2; exit 1; \
	else \
	  echo "No Redis on 127.0.0.1:6379: the task queue is tested on SQLite only."; \
	fi; \
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The deployment kit on this machine: two gunicorn instances behind nginx (deploy/nginx/) on a
# scratch PostgreSQL database, driven in Chromium (tests/deploy/; `make test` runs it too).
deploy-smoke: system-test $(VENV)/.installed-test translations $(FONTS)
	$(BIN)/pytest tests/deploy/ $(PYTEST_ARGS)

# --- installation -------------------------------------------------------------------------

# System packages through apt, only those missing: python3-venv, CJK fonts, WeasyPrint's Pango.
system-run:
	@missing=""; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	command -v fc-list >/dev/null && fc-list :lang=zh family | grep -q . || missing="$$missing fontconfig fonts-noto-cjk"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

# ...plus Chromium for browser tests, poppler-utils (pdftotext, pdftoppm) for PDF checks, nginx
# for the deployment's smoke test and pg_dump for the backup drill.
system-test: system-run
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	[ -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ] || missing="$$missing libnginx-mod-http-brotli-filter"; \
	command -v pg_dump >/dev/null || missing="$$missing postgresql-client"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

# Python packages come from uv.lock alone (docs/architecture.md, "Installs"): uv, itself pinned
# with its hashes in deploy/uv-requirements.txt, makes .venv from the lock with this machine's
# python3 and never downloads an interpreter. `make lock` refreshes both files on purpose.
UV_DIR := build/uv
UV := $(UV_DIR)/bin/uv
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
export UV_PROJECT_ENVIRONMENT := $(VENV)

$(UV): deploy/uv-requirements.txt
	rm -rf $(UV_DIR)
	$(PYTHON) -m venv $(UV_DIR)
	$(UV_DIR)/bin/pip install -q --disable-pip-version-check --no-deps --require-hashes -r $<
	touch $@

# The app's packages; --inexact leaves the test tools of an earlier `make test` in place.
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --inexact --quiet
	touch $@

$(VENV)/.installed-test: pyproject.toml uv.lock $(VENV)/.installed
	$(UV) sync --frozen --extra test --quiet
	touch $@

.PHONY: lock outdated
# A refresh of every pin within pyproject.toml's ranges: commit it on its own, after `make test`.
lock: | $(UV)
	$(UV) lock --upgrade
	$(UV) pip compile --quiet --upgrade --universal --generate-hashes --custom-compile-command "make lock" \
	  deploy/uv-requirements.in -o deploy/uv-requirements.txt

# What `make lock` would change, without changing anything.
outdated: | $(UV)
	@$(UV) lock --upgrade --dry-run 2>&1 | grep -E '^(Update|Add|Remove)' || echo "uv.lock is current: every pin is the newest its range allows."

# --- catalogues: msgids in English, catalogues zh_Hans (default), zh_Hant, en -------------

# Slim CJK fonts for printed documents, derived once from the system's Noto Sans CJK.
$(FONTS): | $(VENV)/.installed
	@echo "Deriving the slim print fonts from Noto Sans CJK, once (about two minutes on two cores)..."
	$(BIN)/flask fonts build
	touch $@

translations: $(VENV)/.installed
	@$(BIN)/flask translate compile >/dev/null

translations-extract: $(VENV)/.installed
	$(BIN)/flask translate extract

translations-update: $(VENV)/.installed
	$(BIN)/flask translate update

# --- day-to-day -------------------------------------------------------------------------

db-upgrade: $(VENV)/.installed
	$(BIN)/flask db upgrade

backup: $(VENV)/.installed
	$(BIN)/flask backup

clean:
	rm -rf build .pytest_cache
	find webapp -name '*.mo' -delete

# --- benchmarks: speed targets, written to docs/benchmarks.md ---------------------------

# `make bench`: the everyday set (about ten minutes); `make bench-province`: the long ones.
.PHONY: bench bench-province bench-tools
bench: bench-tools system-test $(VENV)/.installed-test translations $(FONTS)
	$(BIN)/python -m bench.run

bench-province: bench-tools system-test $(VENV)/.installed-test translations $(FONTS)
	$(BIN)/python -m bench.run --province

bench-tools:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q wrk; }

# --- screenshots: printed documents and key pages as PNGs in docs/screenshots/ for review ---

.PHONY: screenshots
screenshots: $(VENV)/.installed-test translations $(FONTS)
	$(BIN)/python -m bench.screenshots
