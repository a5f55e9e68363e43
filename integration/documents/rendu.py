"""What a document is made of, without the engine: its HTML, and the result's shape.

html = rendre_html("actions/documents/feuille.html", context, titre="…")
resultat = rendre_pdf(html)          # loads WeasyPrint (integration.documents.moteur)
resultat.pdf, resultat.pages, resultat.cadre_signature
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

# Templates name static files by their usual `{% static %}` path after this origin; it is
# the only one the engine's fetcher serves. `.invalid` never resolves.
ORIGINE = "https://documents.invalid"
# Tagged (a screen reader follows headings, lists, tables) and Unicode: PDF/UA-1.
VARIANTE_ACCESSIBLE = "pdf/ua-1"
# Archivable as well: PDF/A-2a is tagged, embeds every font and the sRGB output intent,
# and PDF/A-2 allows a PAdES signature added as an incremental update.
VARIANTE_ARCHIVABLE = "pdf/a-2a"
# The id a template gives to the empty box kept for a signature stamp.
ID_CADRE_SIGNATURE = "cadre-signature"


@dataclass(frozen=True)
class Cadre:
    """A rectangle on one page, in PDF points from the page's bottom-left corner."""

    page: int  # 0-based
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Rendu:
    pdf: bytes
    pages: int
    # Where the template kept the blank signature box, when it kept one.
    cadre_signature: Cadre | None = None


def rendre_html(template: str, context: dict, *, titre: str = "") -> str:
    """The document's HTML: what the PDF will show, fixed when the user asks for it."""
    return render_to_string(template, {**context, "ORIGINE": ORIGINE, "titre_document": titre})


def rendre_pdf(html: str, *, variante: str = VARIANTE_ACCESSIBLE, fetcher=None) -> Rendu:
    """Lay HTML out and write it as a tagged PDF of VARIANTE."""
    from integration.documents import moteur

    return moteur.rendre_pdf(html, variante=variante, fetcher=fetcher)


def rendre(template: str, context: dict, *, variante: str = VARIANTE_ACCESSIBLE, titre="") -> Rendu:
    """Both steps at once: TEMPLATE with CONTEXT to a PDF of VARIANTE."""
    return rendre_pdf(rendre_html(template, context, titre=titre), variante=variante)
