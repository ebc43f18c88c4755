# Two commands for a new machine: `make run` (the app with demo data) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/studentloan_test
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

# Lint and format first (ruff, configured in pyproject.toml), then the whole suite.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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
	$(BIN)/pytest $(PYTEST_ARGS)

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

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# --- catalogues: msgids in English, catalogues zh_Hans (default), zh_Hant, en -------------

# Slim CJK fonts for printed documents, derived once from the system's Noto Sans CJK.
$(FONTS): | $(VENV)/.installed
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

# --- benchmarks: speed targets, written to docs/benchmarks.md -----------------------------

.PHONY: bench
bench: $(VENV)/.installed-test translations $(FONTS)
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q wrk; }
	$(BIN)/python -m bench.run

# --- screenshots: printed documents and key pages as PNGs in docs/screenshots/ for review ---

.PHONY: screenshots
screenshots: $(VENV)/.installed-test translations $(FONTS)
	$(BIN)/python -m bench.screenshots
