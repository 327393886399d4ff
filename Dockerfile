# syntax=docker/dockerfile:1
# Meedoen production image: one image for web (gunicorn), the Celery worker, beat and the one-shot migrate.
# See docker-compose.yml for how they are put together and .env.example for the configuration.

# --- Stage 1: front-end assets from npm, pinned by package-lock.json (never a CDN) -----------------------------
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- Stage 2: Python dependencies from pyproject.toml (no dev extra) into a virtualenv ---------------------------
# pyproject.toml declares no packages (the code runs from /app), so this layer depends on pyproject.toml alone
# and is rebuilt only when the dependencies change.
FROM python:3.11-slim AS python-deps
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY pyproject.toml /build/pyproject.toml
RUN /opt/venv/bin/pip install /build

# --- Stage 3: the runtime image ----------------------------------------------------------------------------------
FROM python:3.11-slim

# WEB_CONCURRENCY: gunicorn worker processes per container (gunicorn reads it itself).
# FORWARDED_ALLOW_IPS: same as gunicorn's --forwarded-allow-ips, the proxy addresses whose X-Forwarded-Proto
# gunicorn trusts; "*" only when gunicorn is reachable through the proxy alone (see docker-compose.yml).
# Django itself trusts X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER), so the proxy must always set that header.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    MEEDOEN_ENV=production \
    WEB_CONCURRENCY=2 \
    FORWARDED_ALLOW_IPS=127.0.0.1,::1

# WeasyPrint (PDF reports) needs Pango, HarfBuzz and at least one font at run time; `manage.py backup` and
# `restore` need pg_dump and pg_restore (Debian's PostgreSQL 15 client, the version docker-compose.yml runs).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 meedoen \
    && useradd --system --uid 10001 --gid meedoen --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin meedoen

WORKDIR /app
COPY --from=python-deps /opt/venv /opt/venv
COPY . .
# STATICFILES_DIRS expects Bootstrap at node_modules/bootstrap/dist relative to the project.
COPY --from=assets /build/node_modules/bootstrap/dist node_modules/bootstrap/dist

# collectstatic needs production settings to import, and those require these variables. The values below are
# dummies that exist only for this RUN step (no ENV of the image keeps them, but `docker history` shows them, so
# never put real keys here); collectstatic connects to neither the database nor Redis. Translations need no
# gettext here: the compiled locale/*/LC_MESSAGES/django.mo is part of the repository (`make messages`).
# The code stays owned by root and read-only for the app user; only var/run (beat's schedule file) and
# var/backups (the backup volume) are writable.
RUN SECRET_KEY=build-only-not-a-secret \
    FIELD_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1yZWFsLWtleS0xMjM0NTY= \
    BLIND_INDEX_KEY=build-only-not-a-secret \
    ACCESS_LOG_KEY=build-only-not-a-secret \
    DATABASE_URL=postgres://build@build.invalid:5432/build \
    REDIS_URL=redis://build.invalid:6379/0 \
    python manage.py collectstatic --noinput -v 0 \
    && python -m compileall -q meedoen signalering brigade zelfregie \
    && mkdir -p var/run var/backups \
    && chown meedoen:meedoen var/run var/backups

USER meedoen
EXPOSE 8000

# No gunicorn access log: query strings can hold search terms; accesses to personal data are logged by the app.
# --timeout 300: a streamed export of a million rows takes about a minute. Extra options: GUNICORN_CMD_ARGS.
CMD ["gunicorn", "meedoen.wsgi", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm", "--timeout", "300"]
