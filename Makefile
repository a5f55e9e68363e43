# Tâches courantes. Sur une machine neuve (Debian ou Ubuntu), `make demo` ou `make test`
# suffit : les paquets système manquants sont installés (en root ; sinon la commande à
# lancer est affichée), l'environnement virtuel .venv est créé et rempli au besoin.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Réinstallé seulement quand un fichier de dépendances verrouillées change.
STAMP := $(VENV)/.requirements-dev.stamp
PYTEST_ARGS ?=
# pytest-xdist workers for make test: one per core ("auto"); PYTEST_WORKERS=0 runs in one.
# Work stealing: a worker left idle takes tests queued for the other, so the few long ones
# (the axe crawl per role, the fuzz per role, the schema change) do not end the run alone.
PYTEST_WORKERS ?= auto
# Each worker has its own test database; the tests that empty the Redis database take a
# lock (tests/conftest.py, un_seul_a_la_fois). The slow migration tests (marker
# `migrations`) run with the rest; make test-migrations runs them alone.
SYSTEM_PACKAGES := bash scripts/system-packages.sh
DEMO_ADDR ?= 127.0.0.1:8000
# The demo shows what users will see: DEBUG off, so a wrong address gets our French error
# page, not Django's debug page listing every URL; --insecure keeps runserver serving the
# static files (CSS, JS) that it stops serving when DEBUG is off.
DEMO_SERVER = DEBUG=false $(BIN)/python manage.py runserver --insecure

# Python caches compiled modules (__pycache__, ignored by git): an environment that turns
# this off makes every process, and each test worker, recompile the project and pytest
# rewrite every test module again, several seconds per process.
unexport PYTHONDONTWRITEBYTECODE

.DEFAULT_GOAL := help
.PHONY: help install demo test test-migrations drills lint format

help:
	@echo "make demo     installe, prépare la base de démonstration et sert http://$(DEMO_ADDR)"
	@echo "make test     installe puis lance toute la suite de tests, sur tous les cœurs"
	@echo "              (PYTEST_ARGS=... pour pytest, PYTEST_WORKERS=0 sans parallélisme)"
	@echo "make test-migrations  seulement les tests lents de migrations (marqueur migrations)"
	@echo "make drills   lance les exercices de pannes (tests/drills, quelques minutes)"
	@echo "make lint     vérifie le code (ruff, sens des imports entre applications)"
	@echo "make format   reformate le code avec ruff"
	@echo "make install  crée $(VENV) et installe requirements-dev.lock"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

demo: install
	@$(SYSTEM_PACKAGES) runtime
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_demo_certificate
	$(DEMO_SERVER) $(DEMO_ADDR)

test: install
	@$(SYSTEM_PACKAGES) test
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test-migrations: install
	@$(SYSTEM_PACKAGES) test
	$(BIN)/pytest -m migrations $(PYTEST_ARGS)

# The fault drills: real worker, beat and gunicorn processes while a Redis, an SMTP server
# or a PostgreSQL cluster of their own stops, dies or restarts (tests/drills).
drills: install
	@$(SYSTEM_PACKAGES) drills
	$(BIN)/pytest -m drills tests/drills $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
