"""A séance from start to finish in Chromium: pilotage plans it, invites a guest, convenes;
the guest answers through the personal link without an account; on the day, pilotage
records attendance and a decision, then closes the séance."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from comites.models import Seance
from tests.acteurs.factories import DepartementFactory, HabilitationFactory
from tests.browser.conftest import se_connecter
from tests.comites.factories import InstanceFactory, SiegeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _nouveau_contexte(browser):
    return browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})


def test_plan_convene_answer_attend_decide_close(live_server, browser):
    departement = DepartementFactory()
    pilotage = HabilitationFactory(departement=departement, role="pilotage").user
    copil = InstanceFactory(departement=departement, nom="COPIL de l'intégration")
    SiegeFactory.create_batch(2, instance=copil)
    contexte = _nouveau_contexte(browser)
    se_connecter(contexte, live_server, pilotage)
    page = contexte.new_page()
    page.set_default_timeout(15_000)

    page.goto(live_server.url + copil.get_absolute_url())
    page.get_by_role("link", name="Planifier une séance").click()
    jour = timezone.localtime() + timedelta(days=14)
    page.get_by_label("Début").fill(jour.strftime("%Y-%m-%dT09:30"))
    page.get_by_label("Fin").fill(jour.strftime("%Y-%m-%dT12:00"))
    page.get_by_label("Lieu").fill("Préfecture, salon d'honneur")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("séance est planifiée")

    page.get_by_text("Inviter une personne hors composition").click()
    page.get_by_label("Prénom et nom").fill("Inès Moreau")
    page.get_by_label("Adresse électronique").fill("ines.moreau@example.fr")
    page.get_by_role("button", name="Ajouter l'invité").click()
    page.get_by_role("button", name="Envoyer les convocations").click()
    expect(page.get_by_role("status")).to_contain_text("Convocations envoyées : 3.")
    (courriel,) = [m for m in mail.outbox if m.to == ["ines.moreau@example.fr"]]
    lien = re.search(r"http://[^/\s]+(/comites/convocation/\S+/)", courriel.body).group(1)

    invite = _nouveau_contexte(browser).new_page()
    invite.goto(live_server.url + lien)
    invite.locator("label", has_text="Je serai représenté(e)").click()
    invite.get_by_label("Nom de la personne qui vous représente").fill("Paul Roy")
    invite.get_by_label("Sa structure").fill("CCAS de Rouen")
    invite.get_by_role("button", name="Envoyer ma réponse").click()
    expect(invite.locator("main")).to_contain_text("Votre réponse enregistrée : Représenté")

    page.get_by_role("link", name="Suivre les réponses").click()
    expect(page.locator("#reponses")).to_contain_text("Paul Roy (CCAS de Rouen)")

    # The day comes: the séance starts.
    maintenant = timezone.now()
    seance = Seance.objects.get(instance=copil)
    Seance.objects.filter(pk=seance.pk).update(
        debut=maintenant - timedelta(hours=1), fin=maintenant + timedelta(hours=1)
    )
    page.goto(live_server.url + seance.get_absolute_url())
    selects = page.locator("select[name^=presence-]")
    expect(selects).to_have_count(3)
    for i in range(3):
        selects.nth(i).select_option("present")
    page.get_by_label("Présence d'Inès Moreau").select_option("represente")
    page.get_by_label("Représentant d'Inès Moreau").fill("Paul Roy")
    page.get_by_role("button", name="Enregistrer l'émargement").click()
    expect(page.locator("main .fr-badge").first).to_have_text("Tenue")

    page.get_by_text("Ajouter une décision").click()
    page.get_by_label("Décision").fill("Lancer un groupe de travail santé")
    page.get_by_label("Responsable").fill("DDETS")
    page.get_by_role("button", name="Ajouter la décision").click()
    expect(page.locator("main")).to_contain_text("Lancer un groupe de travail santé")

    page.get_by_role("link", name="Clore la séance").click()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("main .fr-badge").first).to_have_text("Close")
    expect(page.locator("select[name^=presence-]")).to_have_count(0)
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.CLOSE
    represente = seance.convocations.get(personne__courriel="ines.moreau@example.fr")
    assert (represente.presence, represente.presence_represente_par) == ("represente", "Paul Roy")
    assert represente.represente_par_structure == "CCAS de Rouen"

    # The link no longer answers once the séance is held.
    invite.goto(live_server.url + lien)
    expect(invite.locator("main")).to_contain_text("on n'y répond plus")
    contexte.close()
