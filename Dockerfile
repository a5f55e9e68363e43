# Production image: gunicorn serves Django (static files through WhiteNoise); the same
# image runs the Celery worker and beat (see docker-compose.yml). Every process starts
# through scripts/serve, the commands the CI production stage runs and checks.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# Libraries WeasyPrint needs to render PDF documents.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app

COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .

# Static files are collected at build time; the key below only serves this command.
RUN PRODUCTION=true \
    SECRET_KEY=collectstatic-at-build-time-only-never-used-to-serve-requests-0123456789 \
    ALLOWED_HOSTS=localhost \
    scripts/serve static \
    && mkdir -p /app/media /app/var \
    && chown app:app /app/media /app/var

USER app

EXPOSE 8000

CMD ["scripts/serve", "web"]
