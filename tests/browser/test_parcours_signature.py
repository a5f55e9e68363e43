"""The cabinet's journey in Chromium: it signs the feuille de route put to its visa, with
its qualité, follows the production of the signed PDF and downloads it; the file holds a
valid PAdES signature (pyHanko and poppler agree) with a stamp naming the signer. Then
anyone checks it on /verifier/: intact and recognised; one changed byte, and the page
says it was modified after its signature."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action, FeuilleDeRoute
from integration.signature import Statut, verifier_pdf
from tests.acteurs.factories import ActeurFactory, DepartementFactory, HabilitationFactory
from tests.actions.factories import ActionFactory, AxeFactory, FeuilleDeRouteFactory
from tests.browser.conftest import page_qui_telecharge
from tests.poppler import poppler

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUALITE = "Pour le préfet et par délégation, le sous-préfet, directeur de cabinet"


def _feuille_au_visa():
    departement = DepartementFactory()  # Seine-Maritime, chef-lieu Rouen
    feuille = FeuilleDeRouteFactory(departement=departement)
    axe = AxeFactory(feuille=feuille, ordre=1, libelle="Apprentissage de la langue française")
    porteur = ActeurFactory(departement=departement, nom="Association d'accueil de Rouen")
    ActionFactory(axe=axe, porteur=porteur, statut=Action.Statut.VALIDEE,
                  titre="Ateliers sociolinguistiques")  # fmt: skip
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(statut=FeuilleDeRoute.Statut.VISA)
    return feuille


def _verifier(page, live_server, fichier):
    page.goto(live_server.url + "/verifier/")
    page.get_by_label("Document PDF").set_input_files(str(fichier))
    page.get_by_role("button", name="Vérifier le document").click()


def test_the_cabinet_signs_downloads_and_anyone_verifies(live_server, browser, settings,
                                                         tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    feuille = _feuille_au_visa()
    cabinet = HabilitationFactory(
        departement=feuille.departement, role="cabinet",
        user__first_name="Hélène", user__last_name="Marchand",
    ).user  # fmt: skip
    page = page_qui_telecharge(browser, live_server, cabinet, delai_ms=30_000)

    # Sign, with the qualité the stamp will show.
    page.goto(live_server.url + feuille.get_absolute_url())
    page.get_by_role("link", name="Signer la feuille de route").or_(
        page.get_by_role("button", name="Signer la feuille de route")
    ).first.click()
    qualite = page.get_by_label(re.compile("Qualité du signataire"))
    expect(qualite).to_have_value("Préfet de la Seine-Maritime")  # a sensible default
    qualite.fill(QUALITE)
    page.get_by_role("button", name=re.compile("Signer")).last.click()

    # The signed version's page follows its production, then offers the file.
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    lien = page.get_by_role("link", name=re.compile("^Télécharger .*signee\\.pdf"))
    expect(lien).to_be_visible()
    expect(page.get_by_text("signé électroniquement")).to_be_visible()
    with page.expect_download() as attente:
        lien.click()
    signe = tmp_path / "feuille-signee.pdf"
    attente.value.save_as(signe)
    pdf = signe.read_bytes()

    verification = verifier_pdf(pdf)
    assert verification.statut == Statut.INTACT and verification.certificat_reconnu
    assert verification.nom == "Hélène Marchand"
    sortie = poppler("pdfsig", pdf, verifier=False)
    assert "Signature Validation: Signature is Valid." in sortie
    assert "Total document signed" in sortie
    derniere_page = poppler("pdftotext", pdf).split("\f")[-2]
    assert "Signé électroniquement par Hélène Marchand" in derniere_page
    assert "sous-préfet, directeur de cabinet" in " ".join(derniere_page.split())
    feuille.refresh_from_db()
    assert feuille.statut == FeuilleDeRoute.Statut.SIGNEE and feuille.signee_qualite == QUALITE

    # Anyone, without an account, checks the file on the public page.
    public = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    verif = public.new_page()
    verif.set_default_timeout(30_000)
    _verifier(verif, live_server, signe)
    resultat = verif.get_by_role("heading", name=re.compile("Document intact"))
    expect(resultat).to_be_visible()
    expect(
        verif.get_by_text(re.compile("Ce document a été produit par ce service"))
    ).to_contain_text("Feuille de route 2026–2028 de la Seine-Maritime, version 1")

    # One byte changed in the signed content: the page says so.
    modifie = bytearray(pdf)
    modifie[len(modifie) // 4] ^= 0x01
    falsifie = tmp_path / "feuille-modifiee.pdf"
    falsifie.write_bytes(bytes(modifie))
    _verifier(verif, live_server, falsifie)
    expect(
        verif.get_by_role("heading", name="Ce document a été modifié après sa signature")
    ).to_be_visible()
    assert "Digest Mismatch" in poppler("pdfsig", bytes(modifie), verifier=False)

    page.context.close()
    public.close()
