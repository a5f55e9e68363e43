#!/usr/bin/env bash
# The production stage: the application as docker-compose.yml runs it, checked in Chromium.
#   bash scripts/production-stage.sh
# PRODUCTION=true on PostgreSQL and Redis (a database and a Redis db of the stage's own,
# emptied at the end), static files collected with their hashed names, gunicorn, a Celery
# worker and beat, each started by scripts/serve as in the containers; TLS ends at nginx,
# as at the reverse proxy of a real installation; e-mails go to a local SMTP sink that
# keeps every message. Then the journeys of tests/production/ (pytest -m production) run
# against it: pytest's summary is the last line. Logs stay in test-results/production/.
#
# Where the services are (defaults: the CI machine's; a developer picks free ones):
#   STAGE_POSTGRES  postgres://postgres@127.0.0.1:5432  (the stage creates and drops its base)
#   STAGE_DB        production_stage                    (database name, dropped at the end)
#   STAGE_REDIS     redis://127.0.0.1:6379/14           (Redis db, emptied at the start and end)
#   VENV            .venv                               (the Python environment)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=$(cd "${VENV:-.venv}" && pwd)
STAGE_POSTGRES=${STAGE_POSTGRES:-postgres://postgres@127.0.0.1:5432}
STAGE_DB=${STAGE_DB:-production_stage}
STAGE_REDIS=${STAGE_REDIS:-redis://127.0.0.1:6379/14}
DIR=$ROOT/test-results/production
PYTHON=$VENV/bin/python

step() {
    printf '\n==> %s\n' "$*"
}

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

redis_db() {
    redis-cli -u "$STAGE_REDIS" "$@"
}

psql_admin() {
    psql "$STAGE_POSTGRES/postgres" -v ON_ERROR_STOP=1 -q -c "$1"
}

# --- Cleanup: every process the stage started, its database and its Redis db -------------
PIDS=()
cleanup() {
    {
        # Each process leads its own group (setsid): stop it with its children.
        for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
        for _ in $(seq 20); do
            alive=0
            for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
            ((alive)) || break
            sleep 0.5
        done
        for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
        psql_admin "DROP DATABASE IF EXISTS \"$STAGE_DB\" WITH (FORCE)" || true
        redis_db FLUSHDB || true
    } >>"$DIR/cleanup.log" 2>&1
}

start() {
    # start NAME COMMAND...: run COMMAND in the background, in a group of its own, logging
    # to NAME.log.
    local name=$1
    shift
    setsid "$@" >"$DIR/$name.log" 2>&1 </dev/null &
    PIDS+=("$!")
}

wait_until() {
    # wait_until WHAT SECONDS COMMAND...: retry COMMAND until it succeeds.
    local what=$1 seconds=$2
    shift 2
    for _ in $(seq "$((seconds * 2))"); do
        if "$@" >/dev/null 2>&1; then
            echo "$what : prêt."
            return 0
        fi
        sleep 0.5
    done
    echo "ERREUR : $what n'a pas démarré en $seconds secondes (journaux dans $DIR)." >&2
    return 1
}

step "Préparation (journaux dans test-results/production/)"
bash scripts/system-packages.sh stage
rm -rf "$DIR"
mkdir -p "$DIR"/{media,nginx/tmp,signature}  # the sink makes its Maildir
trap cleanup EXIT

WEB_PORT=$(free_port)
HTTPS_PORT=$(free_port)
SMTP_PORT=$(free_port)
URL=https://localhost:$HTTPS_PORT
secret() {
    "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(48))'
}

# The settings a real installation puts in its .env (see .env.example), with this
# machine's addresses. PROXY_COUNT=1: nginx is the one proxy in front, as in production.
# Nothing else reaches the processes (env -i): no setting of the CI's own leaks in.
APP=(
    env -i
    HOME="$HOME"
    LANG=C.UTF-8
    PATH="$VENV/bin:/usr/local/bin:/usr/bin:/bin"
    PRODUCTION=true
    SECRET_KEY="$(secret)"
    ALLOWED_HOSTS=localhost
    CSRF_TRUSTED_ORIGINS="$URL"
    PROXY_COUNT=1
    LOG_LEVEL=INFO
    DATABASE_URL="$STAGE_POSTGRES/$STAGE_DB"
    CELERY_BROKER_URL="$STAGE_REDIS"
    CACHE_URL="$STAGE_REDIS"
    EMAIL_HOST=127.0.0.1
    EMAIL_PORT="$SMTP_PORT"
    EMAIL_USE_TLS=false
    DEFAULT_FROM_EMAIL="Stratégie d'intégration <ne-pas-repondre@localhost>"
    SITE_URL="$URL"
    STATIC_ROOT="$DIR/staticfiles"
    MEDIA_ROOT="$DIR/media"
    SIGNATURE_PKCS12_FILE="$DIR/signature/cabinet.p12"
    SIGNATURE_PKCS12_PASSPHRASE="$(secret)"
    CELERY_BEAT_SCHEDULE_FILE="$DIR/celerybeat-schedule"
    BIND="127.0.0.1:$WEB_PORT"
)

step "Base PostgreSQL « $STAGE_DB » et Redis ($STAGE_REDIS), vides"
psql_admin "DROP DATABASE IF EXISTS \"$STAGE_DB\" WITH (FORCE)"
psql_admin "CREATE DATABASE \"$STAGE_DB\""
redis_db FLUSHDB >/dev/null

step "Fichiers statiques (scripts/serve static)"
"${APP[@]}" scripts/serve static >"$DIR/collectstatic.log"
tail -n 1 "$DIR/collectstatic.log"

step "SMTP de test (aiosmtpd), gunicorn (scripts/serve web : migrations puis serveur)"
# Every message received becomes one file of a Maildir, which the journeys count.
start smtp "$PYTHON" -m aiosmtpd --nosetuid --listen "127.0.0.1:$SMTP_PORT" \
    --class aiosmtpd.handlers.Mailbox "$DIR/maildir"
start web "${APP[@]}" scripts/serve web
wait_until "Serveur SMTP" 30 "$PYTHON" -c "import smtplib; smtplib.SMTP('127.0.0.1', $SMTP_PORT).quit()"
wait_until "gunicorn" 90 curl -fs -H "Host: localhost" "http://127.0.0.1:$WEB_PORT/healthz"

step "Démonstration et certificat de signature (ce qu'un exploitant lance avec docker compose exec web)"
"${APP[@]}" python manage.py load_demo >"$DIR/load_demo.log"
"${APP[@]}" python manage.py create_demo_certificate >"$DIR/certificat.log"

step "Worker et beat Celery (scripts/serve worker, scripts/serve beat), nginx devant gunicorn"
start worker "${APP[@]}" scripts/serve worker
start beat "${APP[@]}" scripts/serve beat

# A self-signed certificate for "localhost": the browser is told to accept it.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost \
    -keyout "$DIR/nginx/localhost.key" -out "$DIR/nginx/localhost.crt" 2>"$DIR/nginx/openssl.log"
# What the reverse proxy of a real installation does: end TLS, pass the host, say the
# request came over HTTPS (SECURE_PROXY_SSL_HEADER) and add the client's address
# (PROXY_COUNT=1).
cat >"$DIR/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log;
events { worker_connections 128; }
http {
    access_log $DIR/nginx/access.log;
    client_body_temp_path $DIR/nginx/tmp/body;
    proxy_temp_path $DIR/nginx/tmp/proxy;
    fastcgi_temp_path $DIR/nginx/tmp/fastcgi;
    uwsgi_temp_path $DIR/nginx/tmp/uwsgi;
    scgi_temp_path $DIR/nginx/tmp/scgi;
    client_max_body_size 25m;
    server {
        listen 127.0.0.1:$HTTPS_PORT ssl;
        server_name localhost;
        ssl_certificate $DIR/nginx/localhost.crt;
        ssl_certificate_key $DIR/nginx/localhost.key;
        location / {
            proxy_pass http://127.0.0.1:$WEB_PORT;
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        }
    }
}
EOF
start nginx nginx -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx"

wait_until "Application derrière nginx ($URL/healthz)" 90 curl -fsk "$URL/healthz"
wait_until "Worker Celery" 60 grep -q "ready\." "$DIR/worker.log"
wait_until "Celery beat" 30 grep -q "beat: Starting" "$DIR/beat.log"

step "Parcours de production dans Chromium (pytest -m production)"
# REQUIRE_SERVICES=1: a missing Chromium fails the stage instead of skipping its journeys.
env -u DATABASE_URL -u CELERY_BROKER_URL -u PRODUCTION REQUIRE_SERVICES=1 \
    PRODUCTION_STAGE_URL="$URL" PRODUCTION_STAGE_MAILDIR="$DIR/maildir" \
    "$VENV/bin/pytest" -p no:cacheprovider -m production tests/production \
    --junitxml="$DIR/junit.xml"
