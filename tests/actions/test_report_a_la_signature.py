"""Signing decides the pending: the actions not adopted yet (draft, submitted, in review, to
complete) leave the version the cabinet signs and carry on in the next version's draft, the
same rows with their history, still editable by their porteur, who is told by e-mail. The
visa request and the signing page list them first."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.journal import Nature
from actions.models import Action, FeuilleDeRoute
from actions.services import feuilles as services
from integration import journal
from integration.models import DocumentRequest, Evenement
from tests.acteurs.factories import ActeurFactory, MembreFactory
from tests.actions.factories import (
    ActionFactory,
    AxeFactory,
    FeuilleDeRouteFactory,
    FinancementFactory,
    PartenariatFactory,
)
from tests.actions.test_fiches import donnees
from tests.poppler import poppler

S = Action.Statut
F = FeuilleDeRoute.Statut
QUALITE = "Préfet de la Seine-Maritime"


@pytest.fixture
def plan(seine_maritime, association, partenaire):
    """A feuille at the visa with one action of each kind: adopted, refused, abandoned,
    and the four pending ones (the « à compléter » one with partner, funding, history)."""
    feuille = FeuilleDeRouteFactory(departement=seine_maritime, titre="Feuille de route 2026")
    langue = AxeFactory(feuille=feuille, ordre=1, code="langue", libelle="Langue")
    emploi = AxeFactory(feuille=feuille, ordre=2, libelle="Emploi")
    autre = ActeurFactory(departement=seine_maritime, nom="Centre social")
    MembreFactory(acteur=autre, role="administrateur")
    actions = {
        "validee": ActionFactory(axe=langue, porteur=association, validee=True,
                                 titre="Cours de français adoptés"),
        "refusee": ActionFactory(axe=langue, porteur=association, refusee=True, titre="Refusée"),
        "abandonnee": ActionFactory(axe=langue, porteur=association, titre="Abandonnée",
                                    statut=S.ABANDONNEE, soumise_le="2026-01-05T10:00Z"),
        "brouillon": ActionFactory(axe=emploi, porteur=autre, titre="Brouillon du centre"),
        "soumise": ActionFactory(axe=langue, porteur=autre, soumise=True, titre="Soumise"),
        "instruction": ActionFactory(axe=emploi, porteur=autre, titre="En instruction",
                                     statut=S.EN_INSTRUCTION, soumise_le="2026-01-05T10:00Z"),
        "a_completer": ActionFactory(axe=emploi, porteur=association, cree_par=partenaire,
                                     titre="Permanence <b>emploi</b>", statut=S.A_COMPLETER,
                                     soumise_le="2026-01-05T10:00Z"),
    }  # fmt: skip
    revenue = actions["a_completer"]
    PartenariatFactory(action=revenue, acteur=autre)
    FinancementFactory(action=revenue, montant_demande=Decimal("9000"), montant_accorde=None)
    journal.record(Nature.ACTION_MODIFICATION, revenue, par=partenaire, detail="avant")
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(statut=F.VISA)
    feuille.refresh_from_db()
    return feuille, actions


EN_ATTENTE = ("brouillon", "soumise", "instruction", "a_completer")


def _recharger(actions):
    return {cle: Action.objects.select_related("feuille", "axe").get(pk=a.pk)
            for cle, a in actions.items()}  # fmt: skip


def test_signer_deplace_les_actions_en_attente_vers_une_nouvelle_version(
    plan, cabinet, partenaire, apres_commit
):
    feuille, actions = plan
    with apres_commit():
        report = services.signer(feuille, cabinet, qualite=QUALITE)
    feuille.refresh_from_db()
    assert feuille.est_signee
    suivante = FeuilleDeRoute.objects.get(precedente=feuille)
    assert (suivante.version, suivante.statut) == (2, F.BROUILLON)
    assert report.suivante == suivante and len(report.actions) == 4

    apres = _recharger(actions)
    # The adopted, refused and abandoned stay in the signed version; only the adopted one
    # is copied into the next; the pending are moved there, the same rows.
    assert {c for c, a in apres.items() if a.feuille_id == feuille.pk} == {
        "validee", "refusee", "abandonnee"
    }  # fmt: skip
    assert all(apres[c].feuille_id == suivante.pk for c in EN_ATTENTE)
    assert all(apres[c].axe.feuille_id == suivante.pk for c in EN_ATTENTE)
    assert [a.titre for a in suivante.actions.filter(copiee_de__isnull=False)] == [
        "Cours de français adoptés"
    ]
    assert apres["a_completer"].axe.libelle == "Emploi"
    assert apres["a_completer"].statut == S.A_COMPLETER  # status kept
    revenue = apres["a_completer"]
    assert revenue.financements.get().montant_demande == Decimal("9000")
    assert revenue.partenariats.count() == 1
    natures = set(journal.historique(revenue).values_list("nature", flat=True))
    assert {Nature.ACTION_MODIFICATION, Nature.ACTION_REPORT} <= natures

    # Journalled on both feuilles and on each moved action.
    assert Evenement.objects.filter(nature=Nature.ACTION_REPORT).count() == 4
    sur_la_signee = Evenement.objects.get(nature=Nature.FEUILLE_REPORT, objet_id=feuille.pk)
    assert "4 actions en attente reportées à la version 2" in sur_la_signee.detail

    # Each porteur's side is told, once per action, with a link to the fiche.
    sujets = sorted(m.subject for m in mail.outbox)
    assert sujets == sorted(
        f"Votre action « {actions[c].titre} » continue dans la version 2" for c in EN_ATTENTE
    )
    message = next(m for m in mail.outbox if "Permanence" in m.subject)
    assert partenaire.email in message.to
    assert "vous pouvez toujours la modifier" in message.body
    assert f"/plan-d-actions/actions/{revenue.pk}/" in message.body


def test_sans_action_en_attente_la_signature_ne_cree_pas_de_version(
    seine_maritime, association, cabinet
):
    feuille = FeuilleDeRouteFactory(departement=seine_maritime, statut=F.VISA)
    ActionFactory(axe=AxeFactory(feuille=feuille), porteur=association, validee=True)
    report = services.signer(feuille, cabinet, qualite=QUALITE)
    assert report.suivante is None and report.actions == []
    assert not FeuilleDeRoute.objects.filter(precedente=feuille).exists()
    assert mail.outbox == []


def test_la_version_suivante_en_brouillon_les_recoit_sans_doublon(plan, cabinet, pilotage):
    feuille, actions = plan
    # Pilotage made version 2 during the visa: it copied every action.
    suivante = services.nouvelle_version(feuille, by=pilotage)
    axe_renomme = suivante.axes.get(libelle="Langue")
    axe_renomme.libelle = "Apprentissage du français"  # same code: the axe still matches
    axe_renomme.save()
    suivante.axes.filter(libelle="Emploi").update(libelle="Travail")  # no code: no match
    services.signer(feuille, cabinet, qualite=QUALITE)

    apres = _recharger(actions)
    assert all(apres[c].feuille_id == suivante.pk for c in EN_ATTENTE)
    # The untouched copies gave way to the originals, with their history.
    titres = sorted(suivante.actions.values_list("titre", flat=True))
    assert titres == sorted(
        ["Cours de français adoptés", "Refusée", "Abandonnée"]
        + [actions[c].titre for c in EN_ATTENTE]
    )
    assert apres["soumise"].axe == axe_renomme
    assert apres["a_completer"].axe.libelle == "Emploi"  # created in version 2
    assert suivante.axes.filter(libelle="Emploi").count() == 1
    assert suivante.axes.get(libelle="Emploi").ordre == suivante.axes.count()


def test_une_copie_deja_travaillee_fait_refuser_la_signature(plan, cabinet, pilotage):
    feuille, actions = plan
    suivante = services.nouvelle_version(feuille, by=pilotage)
    copie = suivante.actions.get(copiee_de=actions["soumise"])
    journal.record(Nature.ACTION_MODIFICATION, copie, par=pilotage, detail="retouchée")
    with pytest.raises(ValidationError, match="copie modifiée de l'action « Soumise »"):
        services.signer(feuille, cabinet, qualite=QUALITE)
    feuille.refresh_from_db()
    assert feuille.statut == F.VISA
    assert _recharger(actions)["soumise"].feuille_id == feuille.pk


@pytest.mark.parametrize("statut", [F.VISA, F.SIGNEE])
def test_une_version_suivante_au_visa_ou_signee_fait_refuser_la_signature(
    plan, cabinet, client, statut
):
    feuille, actions = plan
    suivante = FeuilleDeRouteFactory(
        departement=feuille.departement, titre=feuille.titre, version=2, precedente=feuille
    )
    FeuilleDeRoute.objects.filter(pk=suivante.pk).update(
        statut=statut, signee_le="2026-03-01T10:00Z", signee_par=cabinet
    )
    client.force_login(cabinet)
    url = reverse("actions:feuille_signer", args=[feuille.pk])
    assert "ne peuvent plus y continuer" in client.get(url).content.decode()  # said first
    response = client.post(url, {"qualite": QUALITE})
    assert response.status_code == 200
    assert "ne peuvent plus y continuer" in response.content.decode()
    feuille.refresh_from_db()
    assert feuille.statut == F.VISA and not DocumentRequest.objects.exists()
    assert all(a.feuille_id == feuille.pk for a in _recharger(actions).values())
    assert not Evenement.objects.filter(nature=Nature.ACTION_REPORT).exists()


def test_la_partenaire_modifie_son_action_renvoyee_apres_la_signature(
    plan, cabinet, partenaire, association, client
):
    feuille, actions = plan
    revenue = actions["a_completer"]
    url = reverse("actions:modifier", args=[revenue.pk])
    client.force_login(partenaire)
    assert client.get(url).status_code == 200
    services.signer(feuille, cabinet, qualite=QUALITE)

    revenue.refresh_from_db()
    assert client.get(url).status_code == 200
    data = donnees(revenue.axe, association, titre="Permanence emploi complétée")
    data.update({"financements-TOTAL_FORMS": "0", "financements-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    revenue.refresh_from_db()
    assert revenue.titre == "Permanence emploi complétée"
    assert revenue.feuille.version == 2
    # It is on her home page among the fiches to complete.
    accueil = client.get("/").content.decode()
    assert "Permanence emploi complétée" in accueil


def _texte(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_la_demande_de_visa_liste_les_actions_en_attente(
    plan, pilotage, cabinet, client, apres_commit
):
    feuille, actions = plan
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(statut=F.CONSULTATION)
    client.force_login(pilotage)
    page = _texte(client.get(feuille.get_absolute_url()))
    assert "Ces 4 actions ne seront pas signées : elles continueront dans la version 2" in page
    for cle in ("brouillon", "soumise", "instruction"):
        lien = f'<a href="/plan-d-actions/actions/{actions[cle].pk}/">{actions[cle].titre}</a>'
        assert lien in page
    assert "Permanence &lt;b&gt;emploi&lt;/b&gt;" in page  # user text escaped
    assert "Permanence <b>" not in page
    assert "Centre social" in page and "À compléter" in page
    liste = page.split('id="actions-en-attente"')[1].split("</div>")[0]
    assert "Cours de français adoptés" not in liste and "Refusée" not in liste

    with apres_commit():
        client.post(reverse("actions:feuille_etape", args=[feuille.pk]), {"vers": "visa"})
    courriel = next(m for m in mail.outbox if m.subject.startswith("Visa demandé"))
    assert "4 actions ne sont pas encore adoptées" in courriel.body
    assert "continueront dans la version 2" in courriel.body


def test_la_page_de_signature_les_liste_et_dit_ce_qui_suit(plan, cabinet, client):
    feuille, actions = plan
    client.force_login(cabinet)
    page = _texte(client.get(reverse("actions:feuille_signer", args=[feuille.pk])))
    assert "Ces 4 actions ne seront pas signées : elles continueront dans la version 2" in page
    assert actions["soumise"].titre in page and actions["instruction"].titre in page
    # The cabinet does not read drafts: counted, not named.
    assert actions["brouillon"].titre not in page
    assert "Et 1 autre que vous ne consultez pas" in page
    assert "La version 1 ne change plus" in page
    assert "scellé par la signature électronique" in page
    assert (
        "Les 4 actions non adoptées quittent cette version et continuent dans la version 2"
    ) in page


def test_sans_action_en_attente_rien_n_est_annonce(seine_maritime, association, cabinet, client):
    feuille = FeuilleDeRouteFactory(departement=seine_maritime, statut=F.VISA)
    ActionFactory(axe=AxeFactory(feuille=feuille), porteur=association, validee=True)
    client.force_login(cabinet)
    page = client.get(reverse("actions:feuille_signer", args=[feuille.pk])).content.decode()
    assert "actions-en-attente" not in page and "quittent cette version" not in page


def test_le_pdf_signe_ne_contient_pas_les_actions_reportees(plan, cabinet, client, apres_commit):
    feuille, actions = plan
    client.force_login(cabinet)
    with apres_commit():
        response = client.post(
            reverse("actions:feuille_signer", args=[feuille.pk]), {"qualite": QUALITE}
        )
    assert response.status_code == 302
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    # The test's transaction never commits: the e-mails leave after the message is written.
    assert (
        "Les 4 actions en attente continuent dans la version 2 ; "
        "les courriels qui en avertissent leurs porteurs vont partir."
    ) in messages[0]
    document = DocumentRequest.objects.get()
    assert document.status == DocumentRequest.Status.DONE, document.error
    with document.file.open("rb") as fichier:
        texte = re.sub(r"\s+", " ", poppler("pdftotext", fichier.read()))
    assert "Cours de français adoptés" in texte
    for cle in EN_ATTENTE:
        assert actions[cle].titre.replace("<b>", "").replace("</b>", "") not in texte
        assert actions[cle].titre not in texte
    assert "9 000" not in texte  # the moved action's request is not in the budget


def _signature_mesuree(departement, association, cabinet, annee, en_attente: int) -> int:
    """Queries of signing a feuille with one adopted action and EN_ATTENTE pending ones."""
    feuille = FeuilleDeRouteFactory(
        departement=departement, annee_debut=annee, annee_fin=annee + 2, statut=F.VISA
    )
    axes = [AxeFactory(feuille=feuille, ordre=i, libelle=f"Axe {i}") for i in (1, 2)]
    ActionFactory(axe=axes[0], porteur=association, validee=True)
    for i in range(en_attente):
        ActionFactory(axe=axes[i % 2], porteur=association, soumise=True)
    with CaptureQueriesContext(connection) as requetes:
        services.signer(feuille, cabinet, qualite=QUALITE)
    return len(requetes)


def test_le_report_coute_un_courriel_par_action_et_rien_d_autre(
    seine_maritime, association, partenaire, cabinet
):
    deux = _signature_mesuree(seine_maritime, association, cabinet, 2026, 2)
    six = _signature_mesuree(seine_maritime, association, cabinet, 2030, 6)
    # Moving, journalling and finding the recipients are a fixed number of queries; each
    # action adds only its e-mail's outbox row.
    assert six - deux == 4
    assert Evenement.objects.filter(nature=Nature.ACTION_REPORT).count() == 8


def test_un_partenaire_ne_lit_dans_la_liste_que_ce_qu_il_lit_ailleurs(plan, partenaire, client):
    feuille, actions = plan
    client.force_login(partenaire)
    page = _texte(client.get(feuille.get_absolute_url()))
    liste = page.split('id="actions-en-attente"')[1].split("</div>")[0]
    assert "Ces 4 actions ne seront pas signées" in liste
    assert "Permanence &lt;b&gt;emploi&lt;/b&gt;" in liste  # her structure's own
    for cle in ("brouillon", "soumise", "instruction"):  # another structure's
        assert f">{actions[cle].titre}</a>" not in page
    assert "Et 3 autres que vous ne consultez pas" in liste
