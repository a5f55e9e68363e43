"""Which bytes the server sends for a static file, in development and in production.

In development the static files are served from their folders (the finders), under their
usual names. In production `collectstatic` copies them into STATIC_ROOT through the
manifest storage, which serves them under hashed names (`dsfr.min.3f7916c74f76.css`) and
rewrites the stylesheets' `url(…)` to those names: a stylesheet's bytes are no longer the
package's. Subresource integrity and the documents' URL fetcher must both read the
bytes actually served, which this module finds.
"""

import base64
import hashlib
import os
from functools import cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

ALGORITHME_INTEGRITE = "sha384"


def _stockage_a_manifeste() -> bool:
    return isinstance(staticfiles_storage, ManifestFilesMixin)


def fichier_servi(nom: str) -> str:
    """The file whose bytes are served for the static file NOM (its usual name).

    Like `{% static %}`, a name unknown to the production manifest raises ValueError."""
    if _stockage_a_manifeste():
        return staticfiles_storage.path(staticfiles_storage.stored_name(nom))
    chemin = finders.find(nom)
    if chemin is None:
        raise ValueError(f"Fichier statique introuvable : {nom}")
    return chemin


def fichier_publie(relatif: str) -> str | None:
    """The file on disk that the path RELATIF under STATIC_URL serves, or None.

    RELATIF is a usual name found by the finders, or in production one of the hashed
    names the manifest lists (what `{% static %}` gives there). Nothing else: the caller
    refuses `..` and absolute paths before asking."""
    chemin = finders.find(relatif)
    if chemin is not None:
        return chemin
    if _stockage_a_manifeste() and relatif in staticfiles_storage.hashed_files.values():
        chemin = staticfiles_storage.path(relatif)
        return chemin if os.path.isfile(chemin) else None
    return None


def integrite(nom: str) -> str:
    """The `integrity` attribute of the static file NOM, from the bytes served."""
    return _empreinte(fichier_servi(nom))


@cache
def _empreinte(chemin: str) -> str:
    """Read once per process: a hashed name's content never changes, and the package's
    files in development change only with a reinstall (which restarts the server)."""
    with open(chemin, "rb") as fichier:
        condensat = hashlib.new(ALGORITHME_INTEGRITE, fichier.read()).digest()
    return f"{ALGORITHME_INTEGRITE}-{base64.b64encode(condensat).decode('ascii')}"
