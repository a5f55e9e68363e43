"""The engine: the State's look, tagged PDFs, French typography, and a fetcher that reaches
nothing but our own static files."""

import gc
import io

import pytest
from django.templatetags.static import static
from pypdf import PdfReader

from integration.documents import moteur, rendu
from integration.text import typographie
from tests.integration.documents.conftest import contexte
from tests.poppler import poppler

FINE = "\u202f"


def _rendre(departement, **changes):
    context = {**contexte(departement), **changes}
    html = rendu.rendre_html("documents_essai/fiche.html", context, titre="Fiche d'essai")
    fetcher = moteur.StaticOnlyFetcher()
    return rendu.rendre_pdf(html, fetcher=fetcher), fetcher


def test_document_carries_the_state_bloc_marque_and_page_numbers(hautes_alpes):
    resultat, fetcher = _rendre(hautes_alpes, paragraphes=range(120))

    texte = poppler("pdftotext", resultat.pdf)
    premiere_page = texte.split("\f")[0]
    # (pdftotext joins a line that ends with a hyphen to the next one.)
    for ligne in ("PRÉFÈTE", "DES HAUTES", "ALPES", "Liberté", "Égalité", "Fraternité"):
        assert ligne in premiere_page
    assert resultat.pages >= 3
    assert f"page 1 / {resultat.pages}" in texte
    assert f"page {resultat.pages} / {resultat.pages}" in texte
    # The running header repeats the issuer and the title from the second page on.
    assert "Préfète des Hautes-Alpes — Fiche d'essai" in texte.split("\f")[1]
    # The running footer a template sets, on every page.
    assert texte.count("Préfecture — service de la communication") == resultat.pages
    assert fetcher.refusees == []  # the stylesheet, fonts and Marianne are our own files


def test_document_embeds_marianne_and_is_tagged(seine_maritime):
    resultat, _ = _rendre(seine_maritime)

    polices = poppler("pdffonts", resultat.pdf).splitlines()[2:]
    assert polices and all("Marianne" in ligne for ligne in polices)
    assert all(ligne.split()[-5] == "yes" for ligne in polices)  # embedded
    infos = poppler("pdfinfo", resultat.pdf)
    assert "Tagged:          yes" in infos
    assert "Title:           Fiche d'essai" in infos
    assert "PDF version:     1.7" in infos


def test_accents_and_french_spacing_survive_in_the_pdf(seine_maritime):
    resultat, _ = _rendre(seine_maritime, texte="Réunion à Évreux! Ordre du jour: «bilan».")

    # Marianne has no narrow no-break space: the PDF draws (and reads back) a space, which
    # still never breaks the line before the mark.
    texte = " ".join(PdfReader(io.BytesIO(resultat.pdf)).pages[0].extract_text().split())
    assert "Réunion à Évreux ! Ordre du jour : « bilan »." in texte


@pytest.mark.parametrize(
    ("avant", "apres"),
    [
        ("Bonjour ! Ça va?", f"Bonjour{FINE}! Ça va{FINE}?"),
        ("Note : voir", "Note\u00a0: voir"),
        ("«citation»", "«\u00a0citation\u00a0»"),
        ("Quoi ?!", f"Quoi{FINE}?!"),
        ("l'État d'Évreux", "l’État d’Évreux"),
        ("à 14:30", "à 14:30"),
        ("https://exemple.fr/page?x=1", "https://exemple.fr/page?x=1"),
        ("", ""),
    ],
)
def test_typographie(avant, apres):
    assert typographie(avant) == apres


def test_user_text_is_escaped_not_interpreted(seine_maritime):
    piege = '<b>gras</b> <link rel="attachment" href="file:///etc/passwd"> <script>x()</script>'
    resultat, fetcher = _rendre(seine_maritime, texte=piege)

    texte = poppler("pdftotext", resultat.pdf)
    assert '<b>gras</b> <link rel="attachment" href="file:///etc/passwd">' in texte
    assert "<script>x()</script>" in texte
    assert fetcher.refusees == []  # nothing was even asked for
    assert "/EmbeddedFiles" not in PdfReader(io.BytesIO(resultat.pdf)).trailer["/Root"]


PIEGES = {
    "http": '<img src="http://169.254.169.254/latest/meta-data/">',
    "https": '<img src="https://exemple.invalid/image.png">',
    "file": '<img src="file:///etc/passwd">',
    "piece_jointe": '<link rel="attachment" href="file:///etc/passwd">',
    "css_url": '<p style="background: url(https://exemple.invalid/fond.png)">x</p>',
    "css_import": "<style>@import url(file:///etc/passwd);</style>",
}


@pytest.mark.parametrize("nom", PIEGES)
def test_fetcher_refuses_what_is_not_our_static_files(seine_maritime, nom):
    """Markup that escaped its escaping still reaches nothing: the fetcher refuses it."""
    resultat, fetcher = _rendre(seine_maritime, piege=PIEGES[nom])

    assert len(fetcher.refusees) == 1
    assert fetcher.refusees[0].split(":")[0] in {"http", "https", "file"}
    assert "root:" not in poppler("pdftotext", resultat.pdf)
    assert "/EmbeddedFiles" not in str(PdfReader(io.BytesIO(resultat.pdf)).trailer["/Root"])


@pytest.mark.parametrize(
    "url",
    [
        "http://documents.invalid/static/documents/marianne.svg",
        "https://exemple.fr/static/documents/marianne.svg",
        "file:///etc/passwd",
        "data:image/svg+xml,<svg/>",
        f"{rendu.ORIGINE}/static/../integration/settings.py",
        f"{rendu.ORIGINE}/static/%2e%2e/integration/settings.py",
        f"{rendu.ORIGINE}/static/documents/..%2f..%2fmanage.py",
        f"{rendu.ORIGINE}/static//etc/passwd",
        f"{rendu.ORIGINE}/media/documents/secret.pdf",
        f"{rendu.ORIGINE}/static/documents/absent.css",
        f"{rendu.ORIGINE}/static/documents/marianne.svg?x=1",
        # Production's hashed names open no other door: a hash the manifest does not list,
        # the manifest itself, a hashed name on another host or under a "..".
        f"{rendu.ORIGINE}/static/documents/marianne.000000000000.svg",
        f"{rendu.ORIGINE}/static/staticfiles.json",
        "https://exemple.fr/static/{marianne}",
        f"{rendu.ORIGINE}/static/documents/../{{marianne}}",
    ],
)
@pytest.mark.parametrize("statiques", ["développement", "production"])
def test_fetcher_refusals(request, url, statiques):
    if statiques == "production":
        request.getfixturevalue("statiques_de_production")
    # The name {% static %} gives the Marianne: hashed in production.
    url = url.replace("{marianne}", static("documents/marianne.svg").removeprefix("/static/"))
    with pytest.raises(moteur.URLRefusee):
        moteur.StaticOnlyFetcher().fetch(url)


def test_fetcher_serves_our_static_files():
    reponse = moteur.StaticOnlyFetcher().fetch(f"{rendu.ORIGINE}/static/documents/marianne.svg")
    assert reponse.content_type == "image/svg+xml"
    assert reponse.read().startswith(b"<svg")


@pytest.mark.usefixtures("statiques_de_production")
def test_fetcher_serves_the_hashed_names_production_gives():
    """In production `{% static %}` names marianne.<hash>.svg: the collected file is served."""
    adresse = static("documents/marianne.svg")
    assert adresse != "/static/documents/marianne.svg"  # hashed

    reponse = moteur.StaticOnlyFetcher().fetch(f"{rendu.ORIGINE}{adresse}")

    assert reponse.content_type == "image/svg+xml"
    assert reponse.read().startswith(b"<svg")


def test_signature_box_is_located_on_its_page(seine_maritime):
    resultat, _ = _rendre(seine_maritime, paragraphes=range(60))

    cadre = resultat.cadre_signature
    assert cadre.page == resultat.pages - 1
    # 85 mm × 32 mm, inside an A4 page (595 × 842 points).
    assert cadre.x2 - cadre.x1 == pytest.approx(85 / 25.4 * 72, abs=2)
    assert cadre.y2 - cadre.y1 == pytest.approx(32 / 25.4 * 72, abs=2)
    assert 0 < cadre.x1 < cadre.x2 <= 595 and 0 < cadre.y1 < cadre.y2 <= 842


def test_page_references_are_built_once_per_page_count():
    """The engine's patch of pydyf: same references, rebuilt only when a page is added."""
    import pydyf

    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    premieres = pdf.page_references
    assert premieres == tuple(f"{n} 0 R".encode() for n in pdf.pages["Kids"][::3])
    assert pdf.page_references is premieres  # read again: not rebuilt
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 4 and pdf.page_references[:3] == premieres


class _FetcherTemoin(moteur.StaticOnlyFetcher):
    """Notes whether the cycle collector runs each time WeasyPrint reads a file."""

    def __init__(self):
        super().__init__()
        self.collecteur_actif = []

    def fetch(self, url, headers=None):
        self.collecteur_actif.append(gc.isenabled())
        return super().fetch(url, headers)


def test_cycle_collector_is_paused_while_a_document_is_made(seine_maritime):
    html = rendu.rendre_html("documents_essai/fiche.html", contexte(seine_maritime), titre="F")
    fetcher = _FetcherTemoin()

    rendu.rendre_pdf(html, fetcher=fetcher)

    assert fetcher.collecteur_actif and not any(fetcher.collecteur_actif)
    assert gc.isenabled()


def test_cycle_collector_pause_ends_on_error_and_only_where_it_began():
    with pytest.raises(RuntimeError), moteur.ramasse_miettes_en_pause():
        assert not gc.isenabled()
        with moteur.ramasse_miettes_en_pause():
            pass
        assert not gc.isenabled()  # the inner pause leaves it to the outer one
        raise RuntimeError("le rendu échoue")
    assert gc.isenabled()

    gc.disable()  # paused by someone else: a render does not resume it
    try:
        with moteur.ramasse_miettes_en_pause():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
