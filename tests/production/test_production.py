"""The application as it runs in production, seen through Chromium.

Against the stack of scripts/production-stage.sh (see conftest.py): pages load every
stylesheet and script of the collected, hashed static files and set their text in
Marianne; the cabinet signs the feuille de route and the signed PDF carries the
bloc-marque, the Marianne fonts and a valid signature; a communiqué exported by the
worker reads back; a convocation reaches the SMTP server, once.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import RESULTS_DIR
from tests.poppler import pixels, poppler
from tests.production.conftest import CABINET, PILOTAGE, messages_pour

pytestmark = pytest.mark.production

FEUILLE = "Feuille de route départementale Seine-Maritime 2026–2028"
COPIL = "Comité de pilotage de la stratégie d'intégration"
QUALITE = "Pour le préfet et par délégation, le sous-préfet, directeur de cabinet"
PAGES = ["/", "/plan-d-actions/", "/comites/", "/acteurs/"]
DOCUMENTS = RESULTS_DIR / "production" / "documents"  # the PDFs read back, kept to look at

# The State's colours in the Marianne of the bloc-marque (static/documents/marianne.svg).
BLEU_FRANCE, ROUGE_MARIANNE = (0x00, 0x00, 0x91), (0xE1, 0x00, 0x0F)


# --- What a page and a PDF must show -----------------------------------------------------


def verifier_page_chargee(page, incidents) -> None:
    """Every stylesheet applied, every file loaded, body text in Marianne, nothing in error."""
    page.wait_for_load_state("load")
    etat = page.evaluate(
        """async () => {
          await document.fonts.ready;
          const feuilles = [...document.querySelectorAll('link[rel=stylesheet]')];
          return {
            feuilles: feuilles.length,
            sans_regles: feuilles.filter((l) => !l.sheet || !l.sheet.cssRules.length)
                                 .map((l) => l.href),
            scripts: document.querySelectorAll('script[src]').length,
            echecs: window.__echecs,
            police: getComputedStyle(document.querySelector('main p, main')).fontFamily,
            marianne: [...document.fonts].some(
              (f) => f.family.includes('Marianne') && f.status === 'loaded'),
          };
        }"""
    )
    url = page.url
    assert etat["feuilles"] and etat["scripts"], f"{url} : ni feuille de style ni script ?"
    assert etat["sans_regles"] == [], f"{url} : feuilles de style non appliquées"
    assert etat["echecs"] == [], f"{url} : fichiers non chargés"
    assert incidents.liste == [], f"{url} : incidents dans le navigateur"
    assert "Marianne" in etat["police"], f"{url} : texte en {etat['police']}"
    assert etat["marianne"], f"{url} : la police Marianne n'a pas été chargée"


def verifier_pdf_de_l_etat(pdf: bytes) -> str:
    """The State's look: the Marianne drawn in the bloc-marque, the document's stylesheet
    applied (its font, Marianne, embedded). Returns the text."""
    assert pdf.startswith(b"%PDF")
    polices = poppler("pdffonts", pdf).splitlines()[2:]
    marianne = [ligne for ligne in polices if "+Marianne-" in ligne]
    assert marianne, f"aucune police Marianne : {polices}"
    assert all(ligne.split()[-5] == "yes" for ligne in marianne), polices  # embedded
    assert {BLEU_FRANCE, ROUGE_MARIANNE} <= couleurs_du_bloc_marque(pdf)
    return " ".join(poppler("pdftotext", pdf).split())  # the signature stamp included


def couleurs_du_bloc_marque(pdf: bytes) -> set[tuple[int, int, int]]:
    """The colours drawn in the top-left corner of the first page, where the bloc-marque
    stands (the Marianne is vector art, not an image file: it shows only once drawn)."""
    coin = ["-f", "1", "-l", "1", "-r", "50", "-x", "0", "-y", "0", "-W", "150", "-H", "120"]
    return set(pixels(pdf, *coin))


def pdfsig(pdf: bytes) -> str:
    # pdfsig exits non-zero on a broken signature: its report is what matters.
    return poppler("pdfsig", pdf, verifier=False)


def telecharger(page, lien) -> bytes:
    expect(lien).to_be_visible(timeout=120_000)  # the worker produces it meanwhile
    with page.expect_download() as attente:
        lien.click()
    DOCUMENTS.mkdir(parents=True, exist_ok=True)
    copie = DOCUMENTS / attente.value.suggested_filename
    attente.value.save_as(copie)
    return copie.read_bytes()


def travailler_sur_la_seine_maritime(page) -> None:
    """The pilotage account covers two départements: work on Seine-Maritime."""
    page.goto("/compte/")
    choix = page.locator("#perimetre-courant option", has_text="Seine-Maritime")
    page.locator("#perimetre-courant").select_option(choix.get_attribute("value"))
    page.get_by_role("button", name="Changer de périmètre").click()
    expect(page.locator("header a[href$='#changer-departement']").first).to_contain_text(
        "Seine-Maritime"
    )


def ouvrir_seance(page, statut: str) -> None:
    """From the comités, the Seine-Maritime COPIL's séance in STATUT."""
    page.goto("/comites/")
    page.get_by_role("link", name=COPIL, exact=True).first.click()
    page.get_by_role("listitem").filter(has_text=f"— {statut}").get_by_role("link").click()
    expect(page.locator("main h1")).to_contain_text("séance du")


# --- The journeys ------------------------------------------------------------------------


def test_every_page_loads_its_styles_and_scripts_over_https(ouvrir, adresse):
    page, incidents = ouvrir(PILOTAGE)

    for chemin in PAGES:
        reponse = page.goto(chemin)
        assert reponse.status == 200
        assert "max-age=" in reponse.headers["strict-transport-security"]
        verifier_page_chargee(page, incidents)
    session = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    assert session["secure"] and session["httpOnly"]
    assert page.url.startswith("https://")


def test_the_cabinet_signs_the_feuille_de_route_pilotage_put_to_its_visa(ouvrir):
    pilotage, incidents_pilotage = ouvrir(PILOTAGE)
    travailler_sur_la_seine_maritime(pilotage)
    pilotage.goto("/plan-d-actions/")
    pilotage.get_by_role("link", name=FEUILLE).click()
    pilotage.get_by_role("button", name="Demander le visa du cabinet").click()
    expect(pilotage.get_by_role("status")).to_be_visible()
    verifier_page_chargee(pilotage, incidents_pilotage)

    cabinet, incidents = ouvrir(CABINET)
    cabinet.goto("/plan-d-actions/")
    cabinet.get_by_role("link", name=FEUILLE).click()
    cabinet.get_by_role("link", name="Signer la feuille de route").click()
    cabinet.get_by_label(re.compile("Qualité du signataire")).fill(QUALITE)
    cabinet.get_by_role("button", name=re.compile("Signer")).last.click()
    expect(cabinet).to_have_url(re.compile(r"/documents/\d+/$"))
    pdf = telecharger(
        cabinet, cabinet.get_by_role("link", name=re.compile("^Télécharger .*signee"))
    )

    texte = verifier_pdf_de_l_etat(pdf)
    assert "Signé électroniquement par Hélène Marchand" in texte
    rapport = pdfsig(pdf)
    assert "Signature Validation: Signature is Valid." in rapport, rapport
    assert "Total document signed" in rapport, rapport
    verifier_page_chargee(cabinet, incidents)


def test_the_cabinet_exports_a_communique_the_worker_produces(ouvrir):
    page, incidents = ouvrir(CABINET)
    ouvrir_seance(page, "Close")
    page.get_by_role("link", name="Communiqué de presse").click()
    page.get_by_label("Titre *", exact=True).fill(
        "Le comité de pilotage trace les axes de l'intégration"
    )
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    page.get_by_role("button", name="Exporter en PDF la version 1").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    pdf = telecharger(page, page.get_by_role("link", name=re.compile("^Télécharger communique-")))

    texte = verifier_pdf_de_l_etat(pdf)
    assert "COMMUNIQUÉ DE PRESSE" in texte
    assert "Le comité de pilotage trace les axes de l’intégration" in texte
    verifier_page_chargee(page, incidents)


def test_a_guest_convened_receives_the_convocation_once(ouvrir, boite_aux_lettres):
    invite = "invitee.production@example.org"
    page, incidents = ouvrir(PILOTAGE)
    travailler_sur_la_seine_maritime(page)
    ouvrir_seance(page, "Convoquée")
    page.get_by_text("Inviter une personne hors composition").click()
    page.get_by_label("Prénom et nom").fill("Inès Invitée")
    page.get_by_label("Adresse électronique").fill(invite)
    page.get_by_role("button", name="Ajouter l'invité").click()
    page.get_by_role("button", name="Envoyer les convocations").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Convocations [^:]+ : 1\b"))

    recus = messages_pour(boite_aux_lettres, invite, au_moins=1)
    assert len(recus) == 1, "la convocation n'a pas atteint le serveur SMTP"
    convocation = recus[0]
    # The subject gives the date: « Convocation : COPIL — mardi 12 janvier 2027 à 9 h 30 ».
    assert re.fullmatch(
        rf"Convocation : {re.escape(COPIL)} — \w+ \d+(er)? \w+ \d{{4}} à \d+ h( \d\d)?",
        " ".join(str(convocation["Subject"]).split()),
    )
    assert "invitation.ics" in [p.get_filename() for p in convocation.walk()]
    # Still one a little later: neither the outbox sweep nor a retry sends it again.
    assert len(messages_pour(boite_aux_lettres, invite, au_moins=2, delai=10)) == 1
    verifier_page_chargee(page, incidents)
