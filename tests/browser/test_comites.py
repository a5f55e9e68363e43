"""A séance from start to finish in Chromium, pilotage starting at its home page and going
on by clicks only, on a desktop and on a phone: it plans the séance, invites a guest and
convenes; the guest answers through the personal link of her e-mail; on the day, pilotage
records attendance, the minutes and a decision, then closes the séance after its
confirmation page."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from comites.models import Seance
from tests.acteurs.factories import DepartementFactory, HabilitationFactory
from tests.browser.parcours import LARGEURS, accueil
from tests.comites.factories import InstanceFactory, SiegeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPTE_RENDU = "Le diagnostic est partagé.\n\n- santé mentale\n- cours de français"


def _statut(page):
    return page.locator("main .fr-badge").first


@pytest.mark.parametrize("largeur", LARGEURS)
def test_plan_convene_answer_attend_decide_close(live_server, browser, largeur):
    departement = DepartementFactory()
    pilotage = HabilitationFactory(departement=departement, role="pilotage").user
    copil = InstanceFactory(departement=departement, nom="COPIL de l'intégration")
    SiegeFactory.create_batch(2, instance=copil)
    visiteur = accueil(browser, live_server, pilotage, largeur)
    page = visiteur.page

    visiteur.menu("Comités")
    visiteur.lien("COPIL de l'intégration", exact=True)
    visiteur.lien("Planifier une séance")
    jour = timezone.localtime() + timedelta(days=14)
    page.get_by_label("Début").fill(jour.strftime("%Y-%m-%dT09:30"))
    page.get_by_label("Fin").fill(jour.strftime("%Y-%m-%dT12:00"))
    page.get_by_label("Lieu").fill("Préfecture, salon d'honneur")
    visiteur.bouton("Enregistrer")
    expect(page.get_by_role("status")).to_contain_text("séance est planifiée")

    page.get_by_text("Inviter une personne hors composition").click()
    page.get_by_label("Prénom et nom").fill("Inès Moreau")
    page.get_by_label("Adresse électronique").fill("ines.moreau@example.fr")
    visiteur.bouton("Ajouter l'invité")
    visiteur.bouton("Envoyer les convocations")
    expect(page.get_by_role("status")).to_contain_text("Convocations envoyées : 3.")

    # The guest, who has no account, answers through the link of her e-mail.
    (courriel,) = [m for m in mail.outbox if m.to == ["ines.moreau@example.fr"]]
    lien = re.search(r"http://[^/\s]+(/comites/convocation/\S+/)", courriel.body).group(1)
    invitee = Client()
    reponse = {"reponse": "represente", "represente_par_nom": "Paul Roy",
               "represente_par_structure": "CCAS de Rouen"}  # fmt: skip
    assert invitee.post(lien, reponse).status_code == 302

    visiteur.lien("Suivre les réponses")
    expect(page.locator("#reponses")).to_contain_text("Paul Roy (CCAS de Rouen)")
    visiteur.ariane(re.compile(r"^Séance du "))

    # The day comes: the séance starts.
    maintenant = timezone.now()
    seance = Seance.objects.get(instance=copil)
    Seance.objects.filter(pk=seance.pk).update(
        debut=maintenant - timedelta(hours=1), fin=maintenant + timedelta(hours=1)
    )
    page.reload()
    selects = page.locator("select[name^=presence-]")
    expect(selects).to_have_count(3)
    for i in range(3):
        selects.nth(i).select_option("present")
    page.get_by_label("Présence d'Inès Moreau").select_option("represente")
    page.get_by_label("Représentant d'Inès Moreau").fill("Paul Roy")
    visiteur.bouton("Enregistrer l'émargement")
    expect(_statut(page)).to_have_text("Tenue")

    page.get_by_text("Rédiger le compte rendu").click()
    page.get_by_label("Compte rendu").fill(COMPTE_RENDU)
    visiteur.bouton("Enregistrer le compte rendu")
    expect(page.locator(".compte-rendu li")).to_have_count(2)

    page.get_by_text("Ajouter une décision").click()
    page.get_by_label("Décision *", exact=True).fill("Lancer un groupe de travail santé")
    page.get_by_label("Responsable").fill("DDETS")
    visiteur.bouton("Ajouter la décision")
    expect(page.locator("main")).to_contain_text("Lancer un groupe de travail santé")

    # Closing is final: a page says what follows before « Confirmer ».
    visiteur.lien("Clore la séance")
    expect(page.get_by_role("heading", level=1)).to_have_text("Clore la séance ?")
    visiteur.bouton("Confirmer")
    expect(_statut(page)).to_have_text("Close")
    expect(page.locator("select[name^=presence-]")).to_have_count(0)
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.CLOSE
    assert seance.compte_rendu == COMPTE_RENDU
    assert seance.decisions.get().texte == "Lancer un groupe de travail santé"
    represente = seance.convocations.get(personne__courriel="ines.moreau@example.fr")
    assert (represente.presence, represente.presence_represente_par) == ("represente", "Paul Roy")
    assert represente.represente_par_structure == "CCAS de Rouen"

    # The link no longer answers once the séance is held.
    fermee = invitee.get(lien)
    assert fermee.status_code == 410 and "répond plus" in fermee.content.decode()
    page.context.close()


@pytest.mark.parametrize("largeur", LARGEURS)
def test_a_national_reader_finds_a_departement_s_instances(live_server, browser, largeur):
    """Across France the comités page counts each département's instances; its link leads
    to them, and one to its page."""
    from tests.comites.factories import SeanceFactory

    ain = DepartementFactory(code="01", nom="Ain", region="84")
    alpes = DepartementFactory(hautes_alpes=True)
    copil = InstanceFactory(departement=ain, nom="COPIL de l'Ain")
    InstanceFactory(departement=alpes, nom="COPIL des Hautes-Alpes")
    SeanceFactory(instance=copil, lieu="Préfecture de l'Ain")
    lecteur = HabilitationFactory(departement=None, perimetre="france", role="lecteur").user
    visiteur = accueil(browser, live_server, lecteur, largeur)
    page = visiteur.page

    visiteur.menu("Comités")
    expect(page.get_by_role("link", name="COPIL de l'Ain")).to_have_count(0)
    expect(page.locator("main li", has_text="Ain (01)")).to_have_text("Ain (01) : 1 instance")
    visiteur.lien("Ain (01)", exact=True)
    expect(page.get_by_role("heading", level=2, name="Instances : Ain (01)")).to_be_visible()
    expect(page.get_by_role("link", name="COPIL des Hautes-Alpes")).to_have_count(0)
    expect(page.locator("main table")).to_contain_text("Préfecture de l'Ain")
    visiteur.lien("COPIL de l'Ain", exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("COPIL de l'Ain")
    page.context.close()
