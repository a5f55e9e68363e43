"""One rule for money (DESIGN §4): totals count the adopted actions (validée, en cours,
terminée); what undecided actions request shows apart; refused and abandoned actions count
nowhere. Every page that shows money agrees, for every role that reads it."""

import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions import documents as feuille_pdf
from actions.models import Action, FeuilleDeRoute
from integration.documents import rendu
from tests.actions.factories import ActionFactory, FinancementFactory
from tests.actions.test_liste import lire_csv
from tests.poppler import poppler

S = Action.Statut
# Each status's funding (requested, granted, paid): every total below is one sum of them.
FINANCEMENTS = {
    S.VALIDEE: ("10000", "8000", "2000"),
    S.EN_COURS: ("20000", "16000", "8000"),
    S.TERMINEE: ("30000", "30000", "30000"),
    S.REFUSEE: ("1000", None, None),
    S.ABANDONNEE: ("7200", "7200", "3600"),
    S.BROUILLON: ("100", None, None),
    S.SOUMISE: ("200", None, None),
    S.EN_INSTRUCTION: ("400", None, None),
    S.A_COMPLETER: ("800", None, None),
}
# Adopted: the three statuses above, plus the validated action's second line (FAMI, 2027).
ACCORDES, DEMANDES, VERSES = "59 000,00 €", "65 000,00 €", "40 000,00 €"


def _texte(page: str) -> str:
    """The page's words, each run of spaces as one plain space, without tags."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _attente(montant: str) -> str:
    return f"En attente d'instruction : {montant} demandés"


@pytest.fixture
def plan(feuille, association):
    """One action at every status, each with its funding; the validated one has two lines."""
    axe = feuille.axes.first()
    for statut, (demande, accorde, verse) in FINANCEMENTS.items():
        soumise_le = None if statut == S.BROUILLON else timezone.now()
        action = ActionFactory(
            axe=axe, porteur=association, statut=statut, soumise_le=soumise_le, titre=statut.label
        )
        FinancementFactory(
            action=action, montant_demande=demande, montant_accorde=accorde, montant_verse=verse
        )
        if statut == S.VALIDEE:
            FinancementFactory(
                action=action, source="fami", annee=2027, montant_demande=5000, montant_accorde=5000
            )
    return feuille


# What each role reads of the undecided actions: pilotage and the porteur's member every
# one, drafts included; the cabinet and a reader what was submitted (not the 100 € draft).
ROLES = {
    "pilotage": "1 500,00 €",
    "cabinet": "1 400,00 €",
    "partenaire": "1 500,00 €",
    "lecteur": "1 400,00 €",
}


@pytest.mark.parametrize("role", ROLES)
def test_tableau_liste_et_feuille_montrent_les_memes_totaux(client, request, plan, role):
    client.force_login(request.getfixturevalue(role))
    pages = {
        "tableau de bord": reverse("actions:tableau_de_bord"),
        "liste": reverse("actions:liste"),
        "feuille de route": plan.get_absolute_url(),
    }
    for nom, url in pages.items():
        texte = _texte(client.get(url).content.decode())
        assert f"{ACCORDES} accordés" in texte, nom
        assert f"{DEMANDES} demandés ; {VERSES} versés" in texte, nom
        assert _attente(ROLES[role]) in texte, nom
    # The abandoned action's 7 200 € show only on its own row of the list, nowhere summed.
    assert "7 200,00" not in _texte(client.get(pages["tableau de bord"]).content.decode())


def _cellules(ligne) -> list[str]:
    return [ligne[f"Montant {m} (€)"] for m in ("demandé", "accordé", "versé")]


@pytest.mark.parametrize("role", ROLES)
def test_les_exports_portent_les_memes_totaux(client, request, plan, role):
    client.force_login(request.getfixturevalue(role))
    export = reverse("actions:exporter")
    *_actions, adoptees, en_attente = lire_csv(client.get(export, {"format": "csv"}))
    assert _cellules(adoptees) == ["65000,00", "59000,00", "40000,00"]
    assert _cellules(en_attente)[0] == ROLES[role].replace(" ", "").replace("€", "")
    classeur = load_workbook(
        io.BytesIO(b"".join(client.get(export, {"format": "xlsx"}).streaming_content))
    ).active
    derniere = [c.value for c in classeur[classeur.max_row - 1]]
    assert derniere[0].startswith("Total des actions adoptées")
    assert derniere[-3:] == [65000, 59000, 40000]  # numbers a spreadsheet sums


def test_la_page_de_signature_signe_les_actions_adoptees(client, plan, cabinet):
    FeuilleDeRoute.objects.filter(pk=plan.pk).update(statut=FeuilleDeRoute.Statut.VISA)
    client.force_login(cabinet)
    page = _texte(client.get(reverse("actions:feuille_signer", args=[plan.pk])).content.decode())
    assert "3 actions adoptées" in page
    assert f"{ACCORDES} accordés sur {DEMANDES} demandés ; {VERSES} versés" in page
    # What the signature leaves out, as the cabinet's dashboard shows it (drafts are not its).
    assert _attente(ROLES["cabinet"]) in page


def _pdf(feuille) -> str:
    feuille.refresh_from_db()
    resultat = rendu.rendre(feuille_pdf.GABARIT, feuille_pdf.contexte_feuille(feuille))
    return re.sub(r"[\s\u00a0\u202f]+", " ", poppler("pdftotext", resultat.pdf))


def test_le_pdf_compte_les_actions_adoptees_et_rien_d_autre(plan):
    FeuilleDeRoute.objects.filter(pk=plan.pk).update(statut=FeuilleDeRoute.Statut.VISA)
    texte = _pdf(plan)
    assert f"Total {DEMANDES} {ACCORDES} {VERSES}" in texte
    assert "Abandonnée" not in texte and "Refusée" not in texte
    assert "7 200,00" not in texte and "en attente d’instruction" not in texte


def test_le_pdf_de_consultation_montre_a_part_les_demandes_soumises(plan):
    FeuilleDeRoute.objects.filter(pk=plan.pk).update(statut=FeuilleDeRoute.Statut.CONSULTATION)
    texte = _pdf(plan)
    assert f"Total {DEMANDES} {ACCORDES} {VERSES}" in texte
    # The submitted action and the one in review (200 + 400), the draft never.
    assert "en attente d’instruction, demandent 600,00 €" in texte
