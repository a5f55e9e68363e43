"""The plan's writes clicked twice at once (a double click, two tabs): done once, and the
second tab told so in French, never a 500.

Each test fires the same POST from two tabs of one user against the live server, on
PostgreSQL (tests/concurrency.py).
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.journal import Nature
from actions.models import Action, CommentaireConsultation, FeuilleDeRoute, Transition
from actions.services import circuit
from integration.models import DocumentRequest, Evenement, OutboxTask
from tests.actions.factories import ActionFactory
from tests.concurrency import Onglets, une_seule

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

S = Action.Statut


@pytest.fixture
def soumise(axe, association, partenaire):
    return ActionFactory(axe=axe, porteur=association, cree_par=partenaire, soumise=True)


def test_valider_deux_fois_valide_une_fois(live_server, pilotage, soumise):
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(reverse("actions:transition", args=[soumise.pk]), {"vers": "validee"})

    pages = onglets.pages(reponses)
    une_seule(pages, "L&#x27;action est validée", "Cette action est déjà validée.")
    soumise.refresh_from_db()
    assert soumise.statut == S.VALIDEE
    assert list(Transition.objects.filter(action=soumise).values_list("vers", flat=True)) == [
        S.VALIDEE
    ]
    assert len(mail.outbox) == 1  # the porteur hears it once


def test_refuser_puis_valider_dit_pourquoi(live_server, pilotage, soumise):
    """One tab refuses; the other, opened before, validates: it passed the page's check
    with the old status, and the service, reading the row again under its lock, refuses
    in French."""
    onglets = Onglets(live_server, pilotage)
    url = reverse("actions:transition", args=[soumise.pk])
    refus = {"vers": "refusee", "commentaire": "Hors du champ de la stratégie."}
    (reponse,) = onglets.poster(url, refus, fois=1)
    assert "L&#x27;action est refusée" in onglets.suivre(reponse)

    with pytest.raises(ValidationError) as validation_tardive:
        circuit.changer_statut(soumise, S.VALIDEE, by=pilotage)
    assert validation_tardive.value.messages == [
        "Une action « Refusée » ne peut passer à « Validée »."
    ]
    soumise.refresh_from_db()
    assert soumise.statut == S.REFUSEE
    assert Transition.objects.filter(action=soumise).count() == 1


def test_demander_le_visa_deux_fois(live_server, pilotage, cabinet, feuille):
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(reverse("actions:feuille_etape", args=[feuille.pk]), {"vers": "visa"})

    pages = onglets.pages(reponses)
    une_seule(
        pages,
        "est maintenant à l&#x27;étape « Soumise au visa du cabinet »",
        "est déjà à l&#x27;étape « Soumise au visa du cabinet »",
    )
    feuille.refresh_from_db()
    assert feuille.statut == FeuilleDeRoute.Statut.VISA
    assert Evenement.objects.filter(nature=Nature.FEUILLE_STATUT).count() == 1
    # The cabinet is told once.
    assert OutboxTask.objects.filter(task_name="integration.tasks.send_email").count() == 1
    assert [m.to for m in mail.outbox] == [[cabinet.email]]


def test_signer_deux_fois_signe_une_fois(live_server, cabinet, feuille, make_actions):
    make_actions(2, statuts=[S.VALIDEE])
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(statut=FeuilleDeRoute.Statut.VISA)
    onglets = Onglets(live_server, cabinet)
    reponses = onglets.poster(
        reverse("actions:feuille_signer", args=[feuille.pk]),
        {"qualite": "Préfet de la Seine-Maritime"},
    )

    pages = onglets.pages(reponses)
    une_seule(pages, "La feuille de route est signée", "Cette feuille de route est déjà signée.")
    document = DocumentRequest.objects.get()  # one signed document, produced once
    suivi = reverse("documents:suivi", args=[document.pk])
    assert [r.headers["Location"] for r in reponses] == [suivi, suivi]  # one link, still good
    assert document.status == DocumentRequest.Status.DONE, document.error
    assert OutboxTask.objects.filter(task_name="integration.tasks.render_document").count() == 1
    assert Evenement.objects.filter(nature=Nature.FEUILLE_SIGNATURE).count() == 1
    feuille.refresh_from_db()
    assert feuille.est_signee and feuille.signee_par == cabinet


def test_signer_deux_fois_reporte_une_fois(
    live_server, cabinet, feuille, make_actions, association, partenaire
):
    make_actions(2, statuts=[S.VALIDEE])
    attente = [
        ActionFactory(axe=feuille.axes.first(), porteur=association, cree_par=partenaire,
                      statut=statut, soumise_le="2026-01-05T10:00Z")
        for statut in (S.SOUMISE, S.A_COMPLETER)
    ]  # fmt: skip
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(statut=FeuilleDeRoute.Statut.VISA)
    onglets = Onglets(live_server, cabinet)
    reponses = onglets.poster(
        reverse("actions:feuille_signer", args=[feuille.pk]),
        {"qualite": "Préfet de la Seine-Maritime"},
    )

    pages = onglets.pages(reponses)
    une_seule(pages, "La feuille de route est signée", "Cette feuille de route est déjà signée.")
    suivante = FeuilleDeRoute.objects.get(precedente=feuille)  # one next version
    moved = suivante.actions.filter(copiee_de__isnull=True).values_list("pk", flat=True)
    assert sorted(moved) == sorted(a.pk for a in attente)
    assert suivante.actions.count() == 2 + len(attente)  # the adopted copied once
    assert Evenement.objects.filter(nature=Nature.ACTION_REPORT).count() == len(attente)
    assert Evenement.objects.filter(nature=Nature.FEUILLE_REPORT).count() == 2  # v1 and v2
    reportees = [m for m in mail.outbox if "continue dans la version 2" in m.subject]
    assert len(reportees) == len(attente)  # each porteur told once per action
    assert Evenement.objects.filter(nature=Nature.FEUILLE_SIGNATURE).count() == 1


def test_exporter_deux_fois_produit_un_document(live_server, pilotage, feuille, make_actions):
    make_actions(2, statuts=[S.VALIDEE])
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(reverse("actions:feuille_exporter", args=[feuille.pk]))

    assert [r.status_code for r in reponses] == [302, 302]
    document = DocumentRequest.objects.get()  # one request for the unchanged content
    suivi = reverse("documents:suivi", args=[document.pk])
    assert [r.headers["Location"] for r in reponses] == [suivi, suivi]
    assert OutboxTask.objects.filter(task_name="integration.tasks.render_document").count() == 1
    document.refresh_from_db()
    assert document.status == DocumentRequest.Status.DONE, document.error


def test_declarer_en_cours_deux_fois(live_server, pilotage, axe, association):
    validee = ActionFactory(axe=axe, porteur=association, validee=True)
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(
        reverse("actions:suivi", args=[validee.pk]),
        {"formulaire": "statut", "vers": "en_cours", "commentaire": ""},
    )

    pages = onglets.pages(reponses)
    une_seule(
        pages, "Le statut de l&#x27;action a été mis à jour.", "Cette action est déjà en cours."
    )
    assert list(validee.transitions.values_list("de", "vers")) == [(S.VALIDEE, S.EN_COURS)]


def test_repondre_deux_fois_avertit_l_auteur_une_fois(live_server, pilotage, partenaire, axe):
    FeuilleDeRoute.objects.filter(pk=axe.feuille_id).update(
        statut=FeuilleDeRoute.Statut.CONSULTATION
    )
    commentaire = CommentaireConsultation.objects.create(
        feuille=axe.feuille, axe=axe, auteur=partenaire, texte="Et l'apprentissage à distance ?"
    )
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(
        reverse("actions:repondre", args=[commentaire.pk]),
        {"reponse": "Ajouté à l'axe 1.", "pris_en_compte": "on"},
    )

    pages = onglets.pages(reponses)
    une_seule(pages, "Votre réponse est enregistrée", "Cette réponse est déjà enregistrée.")
    assert [m.to for m in mail.outbox] == [[partenaire.email]]
    assert Evenement.objects.filter(nature=Nature.CONSULTATION_REPONSE).count() == 1


def test_commenter_deux_fois_transmet_un_commentaire(live_server, pilotage, partenaire, axe):
    """A partner's comment sent twice at once: kept once, pilotage told once, the second
    tab told it is already sent (the form comes back with that message, not a 500)."""
    FeuilleDeRoute.objects.filter(pk=axe.feuille_id).update(
        statut=FeuilleDeRoute.Statut.CONSULTATION
    )
    association = partenaire.adhesions.get().acteur
    onglets = Onglets(live_server, partenaire)
    reponses = onglets.poster(
        reverse("actions:commenter", args=[axe.feuille_id]),
        {"axe": axe.pk, "texte": "Des cours le soir ?", "au_nom_de": association.pk},
    )

    pages = onglets.pages(reponses)
    une_seule(
        pages,
        "Votre commentaire est transmis au service pilote.",
        "Ce commentaire est déjà transmis au service pilote.",
    )
    assert CommentaireConsultation.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[pilotage.email]]
    assert Evenement.objects.filter(nature=Nature.CONSULTATION_COMMENTAIRE).count() == 1


def test_creer_une_fiche_deux_fois_la_cree_une_fois(live_server, partenaire, axe, association):
    """« Enregistrer la fiche » clicked twice on a new fiche made two drafts."""
    from tests.actions.test_fiches import creer_url, donnees

    onglets = Onglets(live_server, partenaire)
    reponses = onglets.poster(creer_url(axe.feuille), donnees(axe, association))

    pages = onglets.pages(reponses)
    une_seule(
        pages,
        "La fiche-action est créée en brouillon.",
        "Cette fiche-action vient d&#x27;être créée : elle figure dans la liste des actions.",
    )
    assert Action.objects.count() == 1
    assert Evenement.objects.filter(nature=Nature.ACTION_CREATION).count() == 1


def test_creer_une_feuille_deux_fois_la_cree_une_fois(live_server, pilotage, seine_maritime):
    """Both requests passed the period's check before either saved: the second met the
    unique constraint, a 500."""
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(
        reverse("actions:feuille_creer"),
        {"titre": "Feuille de route 2029–2031", "annee_debut": "2029", "annee_fin": "2031"},
    )

    pages = onglets.pages(reponses)
    une_seule(
        pages,
        "La feuille de route est créée avec les axes du socle commun.",
        "Une feuille de route existe déjà pour cette période",
    )
    assert FeuilleDeRoute.objects.filter(annee_debut=2029).count() == 1


def test_ajouter_un_axe_deux_fois_l_ajoute_une_fois(live_server, pilotage, feuille):
    """Both requests passed the label's check before either saved: the second met the
    unique constraint, a 500."""
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(
        reverse("actions:feuille_axes", args=[feuille.pk]),
        {"op": "ajouter", "nouvel-libelle": "Accès au numérique", "nouvel-description": ""},
    )

    pages = onglets.pages(reponses)
    une_seule(pages, "L&#x27;axe est ajouté.", "Un axe s&#x27;appelle déjà")
    assert feuille.axes.filter(libelle="Accès au numérique").count() == 1


def test_creer_un_contrat_deux_fois_le_cree_une_fois(live_server, pilotage, seine_maritime):
    """« Enregistrer » clicked twice on a new contract made two identical contracts."""
    from actions.models import Contrat
    from tests.acteurs.factories import ActeurFactory
    from tests.actions.test_contexte import donnees_contrat

    epci = ActeurFactory(departement=seine_maritime, type="epci", nom="Métropole Rouen")
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(reverse("actions:contrat_creer"), donnees_contrat(epci))

    pages = onglets.pages(reponses)
    une_seule(pages, "Le contrat a été créé.", "Ce contrat est déjà enregistré")
    assert Contrat.objects.count() == 1


def test_ajouter_un_avenant_deux_fois_l_ajoute_une_fois(live_server, pilotage, seine_maritime):
    """The contract was locked, so the second took number 2: two identical avenants."""
    from actions.models import Avenant
    from tests.actions.factories import ContratFactory

    contrat = ContratFactory(departement=seine_maritime, montant_etat=100000)
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(
        reverse("actions:avenant_creer", args=[contrat.pk]),
        {"signe_le": contrat.date_debut.isoformat(), "objet": "Extension",
         "variation_etat": "25000", "variation_locale": "0"},
    )  # fmt: skip

    pages = onglets.pages(reponses)
    une_seule(pages, "L&#x27;avenant a été enregistré.", "Cet avenant est déjà enregistré.")
    assert Avenant.objects.count() == 1
