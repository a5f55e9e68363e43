"""The WeasyPrint engine: HTML to PDF, reaching nothing but our own static files.

Imported only where PDFs are made (the workers, the benchmark): WeasyPrint is heavy, and a
web process that only asks for documents never loads it.

WeasyPrint's default URL fetcher opens any URL and embeds any local file: a page that
names `http://169.254.169.254/…` or `file:///etc/passwd` (a template mistake, or user text
that escaped its escaping) would leak it into a document. Here every URL goes through
`StaticOnlyFetcher`: only `/static/…` paths of our static files are read, from disk (found
by Django's static finders, or in production among the hashed names of the collected
files, which `{% static %}` gives there); everything else is refused and logged.
"""

import atexit
import gc
import logging
import mimetypes
import posixpath
from contextlib import contextmanager
from functools import cache
from urllib.parse import unquote, urlsplit

import pydyf
from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from integration import statiques
from integration.documents.rendu import (
    ID_CADRE_SIGNATURE,
    ORIGINE,
    VARIANTE_ACCESSIBLE,
    Cadre,
    Rendu,
)

logger = logging.getLogger(__name__)
_PX_EN_POINTS = 0.75  # a CSS pixel is 1/96 in, a PDF point 1/72 in


def _references_des_pages(pdf) -> tuple[bytes, ...]:
    """pydyf's `PDF.page_references`, built once per page count instead of on every read.

    WeasyPrint reads it for every tagged element and every link: rebuilt each time, it
    made a tagged document's cost grow with the square of its pages (0.6 s of 10 for a
    107-page feuille de route). Pages are only ever appended to `Kids`, so its length
    says when the tuple is stale."""
    kids = pdf.pages["Kids"]
    cache = pdf.__dict__.get("_references_des_pages")
    if cache is None or cache[0] != len(kids):
        cache = (len(kids), tuple(f"{numero} 0 R".encode("ascii") for numero in kids[::3]))
        pdf.__dict__["_references_des_pages"] = cache
    return cache[1]


pydyf.PDF.page_references = property(_references_des_pages)


class URLRefusee(ValueError):
    """A document asked for something other than one of our static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serve `ORIGINE + STATIC_URL + path` from our static files; refuse anything else."""

    def __init__(self):
        super().__init__(allowed_protocols={"https"}, allow_redirects=False, timeout=1)
        self.refusees: list[str] = []

    def fetch(self, url, headers=None):
        chemin = _fichier_statique(url)
        if chemin is None:
            self.refusees.append(url)
            logger.warning("Document : adresse refusée %.200s", url)
            raise URLRefusee(f"Adresse refusée dans un document : {url[:200]}")
        type_mime = mimetypes.guess_type(chemin)[0] or "application/octet-stream"
        with open(chemin, "rb") as fichier:
            contenu = fichier.read()
        return URLFetcherResponse(url, contenu, {"Content-Type": type_mime})


def _fichier_statique(url: str) -> str | None:
    """The file on disk that URL names among our static files, or None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != ORIGINE or parts.query or parts.fragment:
        return None
    if not parts.path.startswith(settings.STATIC_URL):
        return None
    relatif = unquote(parts.path[len(settings.STATIC_URL) :])
    # No way out of the static folders: "..", absolute or backslashed paths are refused
    # before the finders see them.
    if not relatif or "\\" in relatif or "\x00" in relatif:
        return None
    if posixpath.normpath(relatif) != relatif or relatif.startswith(("/", "..")):
        return None
    return statiques.fichier_publie(relatif)


@cache
def _polices() -> tuple[FontConfiguration, CSS]:
    """The font configuration and the shared stylesheet, built once per process.

    `@font-face` works only when the same FontConfiguration reaches both the CSS and the
    rendering; otherwise WeasyPrint silently falls back to a system font."""
    polices = FontConfiguration()
    feuille = CSS(
        url=f"{ORIGINE}{settings.STATIC_URL}documents/document.css",
        url_fetcher=StaticOnlyFetcher(),
        font_config=polices,
    )
    return polices, feuille


# Let the font configurations go while their module still exists: left to the end of the
# interpreter, WeasyPrint's clean-up runs after its globals are gone and prints an error.
atexit.register(_polices.cache_clear)


@contextmanager
def ramasse_miettes_en_pause():
    """Python's cycle collector paused while a document is made, then run once over what
    the document left behind.

    WeasyPrint builds hundreds of thousands of small objects (styles, boxes, lines) that
    all live until the PDF is written. Left running, the collector walks them again and
    again as they pile up: a fifth of the time of a 100-page feuille de route, for nothing
    to free. Only the pause that found it running resumes it: nested renders leave it to
    the outer one, and a render in another thread (the embedded mode's web process) may
    see it resumed early and only loses speed."""
    etait_actif = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if etait_actif:
            gc.enable()
            # The document's cycles are all in the youngest generation (nothing was
            # collected while it was made): free them now, without walking the old ones.
            gc.collect(0)


def rendre_pdf(
    html: str, *, variante: str = VARIANTE_ACCESSIBLE, fetcher: StaticOnlyFetcher | None = None
) -> Rendu:
    """Lay HTML out and write it as a tagged PDF of VARIANTE."""
    with ramasse_miettes_en_pause():
        return _rendre_pdf(html, variante, fetcher or StaticOnlyFetcher())


def _rendre_pdf(html: str, variante: str, fetcher: StaticOnlyFetcher) -> Rendu:
    polices, feuille = _polices()
    document = HTML(string=html, base_url=f"{ORIGINE}/", url_fetcher=fetcher).render(
        stylesheets=[feuille], font_config=polices
    )
    cadre = _cadre(document, ID_CADRE_SIGNATURE)
    pdf = document.write_pdf(pdf_variant=variante, pdf_tags=True)
    return Rendu(pdf=pdf, pages=len(document.pages), cadre_signature=cadre)


def _cadre(document, ident: str) -> Cadre | None:
    """Where the element IDENT was laid out, as a PDF rectangle, or None."""
    for numero, page in enumerate(document.pages):
        boite = _boite(page._page_box, ident)
        if boite is None:
            continue
        x, y = boite.border_box_x(), boite.border_box_y()
        largeur, hauteur = boite.border_width(), boite.border_height()
        haut_page = page.height * _PX_EN_POINTS
        return Cadre(
            page=numero,
            x1=x * _PX_EN_POINTS,
            y1=haut_page - (y + hauteur) * _PX_EN_POINTS,
            x2=(x + largeur) * _PX_EN_POINTS,
            y2=haut_page - y * _PX_EN_POINTS,
        )
    return None


def _boite(boite, ident: str):
    """The first box of the layout tree under BOITE whose element has id IDENT."""
    pile = [boite]
    while pile:
        courante = pile.pop()
        element = getattr(courante, "element", None)
        if element is not None and element.get("id") == ident and courante.element_tag:
            return courante
        pile.extend(reversed(getattr(courante, "children", ()) or ()))
    return None
