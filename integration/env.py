"""Typed readers for the environment: every setting that can be configured goes through one.

A bad value stops the start with a message naming the variable, rather than running
with a silently wrong configuration.
"""

import os
from email.utils import getaddresses
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

TRUE_WORDS = {"1", "true", "yes", "on", "oui"}
FALSE_WORDS = {"0", "false", "no", "off", "non"}


def _raw(name: str) -> str:
    """The value of NAME, or of the file NAME_FILE points to (container secrets)."""
    file_path = os.environ.get(f"{name}_FILE", "").strip()
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE désigne un fichier illisible ({file_path}) : {exc.strerror}"
            ) from exc
    return os.environ.get(name, "").strip()


def env_is_set(name: str) -> bool:
    """Whether NAME (or NAME_FILE) was given at all, even as false or 0."""
    return bool(_raw(name))


def env_str(name: str, default: str = "") -> str:
    return _raw(name) or default


def env_bool(name: str, default: bool) -> bool:
    raw = _raw(name).lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} doit valoir true ou false, pas {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = _raw(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} doit être un nombre entier, pas {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} doit valoir au moins {minimum}, pas {value}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = _raw(name)
    if not raw:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, schemes: set[str], default: str = "") -> str:
    """A URL whose scheme is one of SCHEMES (e.g. postgres, redis)."""
    raw = _raw(name)
    if not raw:
        return default
    scheme = raw.split("://", 1)[0].lower() if "://" in raw else ""
    if scheme not in schemes:
        expected = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(
            f"{name} doit être une URL de schéma {expected} ; reçu {scheme or 'aucun'!r}"
        )
    return raw


def env_addresses(name: str) -> list[tuple[str, str]]:
    """E-mail addresses separated by commas, each `Nom <adresse>` or a bare address."""
    raw = _raw(name)
    if not raw:
        return []
    addresses = []
    for display_name, address in getaddresses([raw]):
        try:
            validate_email(address)
        except ValidationError:
            shown = address or display_name or raw
            raise ImproperlyConfigured(
                f"{name} contient une adresse électronique invalide : {shown!r}"
            ) from None
        addresses.append((display_name or address, address))
    return addresses
