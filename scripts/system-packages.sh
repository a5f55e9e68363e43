#!/usr/bin/env bash
# The Debian packages the project needs outside Python, installed when missing.
#   scripts/system-packages.sh runtime   what the application needs to run (make demo)
#   scripts/system-packages.sh test      that, plus the browser and the PDF tools (make test)
#   scripts/system-packages.sh stage     that, plus the TLS proxy of the production stage
#   scripts/system-packages.sh drills    that, plus the servers the fault drills start
#                                        and stop themselves (tests/drills)
# As root, a missing package is installed with apt-get, without any question; otherwise
# the script stops and prints the one command to run. Without dpkg (not Debian), it only
# says what to check, and lets the caller go on.
set -euo pipefail

# WeasyPrint's libraries, to render the PDF documents.
RUNTIME=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
# Browser journeys (Debian's Chromium, never a downloaded browser), PDF checks, and a
# software PKCS#11 token to sign on.
TEST=(chromium poppler-utils softhsm2)
# The production stage (scripts/production-stage.sh): nginx ends TLS in front of gunicorn,
# as a real installation's reverse proxy does, with a certificate made by openssl.
STAGE=(nginx openssl)
# The fault drills run a redis-server and a PostgreSQL cluster (initdb) of their own.
DRILLS=(redis-server postgresql)

case "${1:-}" in
    runtime) wanted=("${RUNTIME[@]}") ;;
    test) wanted=("${RUNTIME[@]}" "${TEST[@]}") ;;
    stage) wanted=("${RUNTIME[@]}" "${TEST[@]}" "${STAGE[@]}") ;;
    drills) wanted=("${RUNTIME[@]}" "${TEST[@]}" "${DRILLS[@]}") ;;
    *)
        echo "usage : $0 runtime|test|stage|drills" >&2
        exit 2
        ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "Attention : dpkg est absent, paquets système non vérifiés : ${wanted[*]} (voir README.md)." >&2
    exit 0
fi

missing=()
for package in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [ "$status" != "install ok installed" ]; then
        missing+=("$package")
    fi
done
if ((${#missing[@]} == 0)); then
    exit 0
fi

install_line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
    echo "Paquets système manquants : ${missing[*]}. À lancer une fois, puis relancer make :" >&2
    echo "sudo sh -c '$install_line'" >&2
    exit 1
fi

echo "Installation des paquets système manquants : ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update </dev/null
apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
