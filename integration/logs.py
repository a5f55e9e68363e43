"""Logging pieces the settings' LOGGING names (loaded while logging is configured: no models)."""

import logging

# The URL names of the pages load balancers and supervision probe every few seconds.
SONDES = frozenset({"healthz"})


class HorsSondes(logging.Filter):
    """Let through every record except a probe's answer.

    A probe that answers 503 makes Django log "Service Unavailable" as an error for each
    request: on the admins' e-mail handler, a database outage would send one e-mail per
    probe (hundreds an hour) instead of leaving the supervision to raise the alert."""

    def filter(self, record: logging.LogRecord) -> bool:
        correspondance = getattr(getattr(record, "request", None), "resolver_match", None)
        return correspondance is None or correspondance.url_name not in SONDES
