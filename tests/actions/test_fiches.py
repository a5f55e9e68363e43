"""The fiche-action form and page: who opens them, what they accept, what they refuse."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Financement, Transition
from integration.locks import MEME_ENVOI
from integration.models import Evenement
from tests.acteurs.factories import ActeurFactory, MembreFactory, TerritoireFactory
from tests.actions.factories import (
    ActionFactory,
    AxeFactory,
    FeuilleDeRouteFactory,
    FinancementFactory,
    IndicateurFactory,
    MesureFactory,
    PartenariatFactory,
)

PREFIXES = ("partenaires", "financements", "indicateurs", "jalons")


def donnees(axe, porteur, **autres):
    """What the form posts for a minimal action, with empty tables."""
    data = {
        "axe": axe.pk,
        "titre": "Ateliers sociolinguistiques",
        "description": "Deux ateliers par semaine au centre social.",
        "objectifs": "",
        "porteur": porteur.pk,
        "date_debut": "2026-01-05",
        "date_fin": "2026-12-18",
    }
    for prefixe in PREFIXES:
        data.update({f"{prefixe}-TOTAL_FORMS": "0", f"{prefixe}-INITIAL_FORMS": "0"})
    data.update(autres)
    return data


def lignes(prefixe, *rangs, initiales=0):
    data = {f"{prefixe}-TOTAL_FORMS": str(len(rangs)), f"{prefixe}-INITIAL_FORMS": str(initiales)}
    for i, rang in enumerate(rangs):
        data.update({f"{prefixe}-{i}-{cle}": valeur for cle, valeur in rang.items()})
    return data


def creer_url(feuille):
    return reverse("actions:creer") + f"?feuille={feuille.pk}"


# --- Anonymous and wrong roles first ----------------------------------------------------


def test_anonyme_va_a_la_connexion(client, brouillon, feuille):
    for url in (
        brouillon.get_absolute_url(),
        creer_url(feuille),
        reverse("actions:modifier", args=[brouillon.pk]),
        reverse("actions:instruction"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/connexion/" in response.url, url


def test_un_lecteur_ne_redige_ni_ne_modifie(client, lecteur, feuille, brouillon):
    client.force_login(lecteur)
    assert client.get(creer_url(feuille)).status_code == 403
    # A reader does not even see a draft.
    assert client.get(reverse("actions:modifier", args=[brouillon.pk])).status_code == 404


def test_une_feuille_inconnue_ou_absente_donne_404(client, partenaire, hautes_alpes):
    client.force_login(partenaire)
    assert client.get(reverse("actions:creer")).status_code == 404
    assert client.get(reverse("actions:creer") + "?feuille=abc").status_code == 404
    autre = FeuilleDeRouteFactory(departement=hautes_alpes)
    assert client.get(creer_url(autre)).status_code == 404


# --- Creating and editing ---------------------------------------------------------------


def test_un_partenaire_cree_une_action_avec_ses_lignes(
    client, partenaire, feuille, axe, association
):
    autre = ActeurFactory(departement=feuille.departement, nom="Centre social")
    territoire = TerritoireFactory(code="76540", nom="Rouen")
    feuille.departement.territoires.add(territoire)
    client.force_login(partenaire)
    data = donnees(axe, association, territoires=[territoire.pk])
    data.update(lignes("partenaires", {"acteur": autre.pk, "role": "Accueil"}))
    data.update(
        lignes(
            "financements",
            {"source": "bop104_12", "annee": "2026", "montant_demande": "12 500,50"},
            {"source": "fami", "annee": "2026", "montant_demande": "3000.25"},
            {"source": "", "annee": "", "montant_demande": ""},  # an empty row is ignored
        )
    )  # fmt: skip
    data.update(lignes("indicateurs", {"libelle": "Participants", "unite": "personnes",
                                       "cible": "40"}))  # fmt: skip
    data.update(lignes("jalons", {"libelle": "Premier atelier", "date_prevue": "2026-02-01"}))
    response = client.post(creer_url(feuille), data)
    action = Action.objects.get()
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    assert action.statut == Action.Statut.BROUILLON and action.cree_par == partenaire
    assert list(action.territoires.all()) == [territoire]
    montants = sorted(action.financements.values_list("montant_demande", flat=True))
    assert montants == [Decimal("3000.25"), Decimal("12500.50")]
    assert action.partenariats.get().acteur == autre
    assert action.indicateurs.get().cible == 40 and action.jalons.count() == 1
    assert Evenement.objects.filter(nature="action.creation", objet_id=action.pk).exists()


def test_les_montants_s_affichent_en_francais(client, partenaire, brouillon):
    FinancementFactory(action=brouillon, montant_demande=Decimal("12500"))
    FinancementFactory(action=brouillon, montant_demande=Decimal("500.5"), montant_accorde=100)
    client.force_login(partenaire)
    page = client.get(brouillon.get_absolute_url()).content.decode()
    assert "12\u00a0500,00\u00a0€" in page
    assert "13\u00a0000,50\u00a0€" in page  # the total
    formulaire = client.get(reverse("actions:modifier", args=[brouillon.pk])).content.decode()
    assert 'value="12\u00a0500,00"' in formulaire


@pytest.mark.parametrize(
    ("financement", "champ", "message"),
    [
        ({"montant_demande": "100", "montant_accorde": "150"}, "montant_accorde",
         "ne peut dépasser le montant demandé"),
        ({"montant_demande": "100", "montant_accorde": "80", "montant_verse": "90"},
         "montant_verse", "ne peut dépasser le montant accordé"),
        ({"montant_demande": "100", "montant_verse": "10"}, "montant_verse",
         "sans montant accordé"),
        ({"montant_demande": "douze"}, "montant_demande", "Saisissez un montant en euros"),
    ],
)  # fmt: skip
def test_un_financement_incoherent_est_refuse_en_francais(
    client, pilotage, feuille, axe, association, financement, champ, message
):
    client.force_login(pilotage)  # who records what is granted and paid
    data = donnees(axe, association)
    data.update(lignes("financements", {"source": "bop147", "annee": "2026", **financement}))
    response = client.post(creer_url(feuille), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Action.objects.exists() and not Financement.objects.exists()


def test_un_partenaire_ne_saisit_ni_accorde_ni_verse(client, partenaire, feuille, axe, association):
    client.force_login(partenaire)
    formulaire = client.get(creer_url(feuille)).content.decode()
    assert "financements-0-montant_demande" in formulaire
    assert "montant_accorde" not in formulaire and "montant_verse" not in formulaire
    data = donnees(axe, association)
    data.update(lignes("financements", {"source": "bop147", "annee": "2026",
                                        "montant_demande": "9000", "montant_accorde": "9000",
                                        "montant_verse": "5000"}))  # fmt: skip
    assert client.post(creer_url(feuille), data).status_code == 302
    financement = Financement.objects.get()
    assert financement.montant_demande == 9000
    assert (financement.montant_accorde, financement.montant_verse) == (None, None)


def test_un_partenaire_garde_l_accorde_et_ne_demande_pas_moins(client, partenaire, brouillon):
    financement = FinancementFactory(action=brouillon, montant_demande=Decimal("9000"),
                                     montant_accorde=Decimal("8000"))  # fmt: skip
    client.force_login(partenaire)
    url = reverse("actions:modifier", args=[brouillon.pk])
    ligne = {"id": financement.pk, "source": financement.source, "annee": "2026",
             "montant_accorde": "0"}  # fmt: skip
    data = donnees(brouillon.axe, brouillon.porteur)
    data.update(lignes("financements", {**ligne, "montant_demande": "7000"}, initiales=1))
    reponse = client.post(url, data)
    assert reponse.status_code == 200
    assert "ne peut être inférieur au montant déjà accordé" in reponse.content.decode()
    data.update(lignes("financements", {**ligne, "montant_demande": "9500"}, initiales=1))
    assert client.post(url, data).status_code == 302
    financement.refresh_from_db()
    assert (financement.montant_demande, financement.montant_accorde) == (9500, 8000)


def test_le_pilotage_saisit_l_accorde_sur_la_fiche(client, pilotage, feuille, axe, association):
    client.force_login(pilotage)
    data = donnees(axe, association)
    ligne = {"source": "bop147", "annee": "2026", "montant_demande": "9000"}
    data.update(lignes("financements", {**ligne, "montant_accorde": "8000"}))
    assert client.post(creer_url(feuille), data).status_code == 302
    assert Financement.objects.get().montant_accorde == 8000


def test_ajouter_des_lignes_garde_la_saisie_et_n_enregistre_rien(
    client, partenaire, feuille, axe, association
):
    client.force_login(partenaire)
    data = donnees(axe, association, titre="Garder ce titre", description="", ajouter_lignes="1")
    data.update(lignes("indicateurs", {"libelle": "Participants", "unite": "personnes"}))
    response = client.post(creer_url(feuille), data)
    assert response.status_code == 200 and not Action.objects.exists()
    page = response.content.decode()
    assert 'value="Garder ce titre"' in page and 'value="Participants"' in page
    assert "Ce champ est obligatoire" not in page  # the description is still to come
    assert response.context["formsets"]
    totaux = {fs.prefix: fs.total_form_count() for fs in response.context["formsets"]}
    assert totaux == {"partenaires": 3, "financements": 3, "indicateurs": 4, "jalons": 3}


@pytest.mark.parametrize("demande", ["101", "9223372036854775808"])
def test_un_tableau_ne_depasse_pas_cent_lignes(
    client, partenaire, feuille, axe, association, demande
):
    """A row count beyond the cap, typed or forged, is refused in French; at most the
    cap is built, so the answer stays small and nothing is written."""
    client.force_login(partenaire)
    data = donnees(axe, association, **{"jalons-TOTAL_FORMS": demande})
    response = client.post(creer_url(feuille), data)
    assert response.status_code == 200 and not Action.objects.exists()
    assert "Une fiche compte au plus 100 lignes par tableau." in response.content.decode()
    jalons = next(fs for fs in response.context["formsets"] if fs.prefix == "jalons")
    assert jalons.total_form_count() == 100


def test_ajouter_des_lignes_s_arrete_a_cent(client, partenaire, feuille, axe, association):
    client.force_login(partenaire)
    data = donnees(axe, association, ajouter_lignes="1", **{"jalons-TOTAL_FORMS": "99"})
    response = client.post(creer_url(feuille), data)
    jalons = next(fs for fs in response.context["formsets"] if fs.prefix == "jalons")
    assert jalons.total_form_count() == 100


def test_la_fin_ne_precede_pas_le_debut(client, partenaire, feuille, axe, association):
    client.force_login(partenaire)
    data = donnees(axe, association, date_debut="2026-05-01", date_fin="2026-04-01")
    response = client.post(creer_url(feuille), data)
    assert "ne peut précéder son début" in response.content.decode()
    assert not Action.objects.exists()


def test_modifier_journalise_les_changements(client, partenaire, brouillon, axe, association):
    client.force_login(partenaire)
    data = donnees(axe, association, titre="Ateliers ASL du soir")
    response = client.post(reverse("actions:modifier", args=[brouillon.pk]), data)
    assert response.status_code == 302
    brouillon.refresh_from_db()
    assert brouillon.titre == "Ateliers ASL du soir"
    evenement = Evenement.objects.get(nature="action.modification")
    assert evenement.changements["titre"]["avant"] == "Ateliers ASL"


def test_une_action_soumise_n_est_plus_modifiable(client, partenaire, brouillon):
    Action.objects.filter(pk=brouillon.pk).update(statut="soumise", soumise_le="2026-01-01T10:00Z")
    client.force_login(partenaire)
    assert client.get(reverse("actions:modifier", args=[brouillon.pk])).status_code == 403


# --- I cannot reach what is not mine by changing an id -----------------------------------


def test_porteur_ou_axe_d_ailleurs_refuses(
    client, partenaire, feuille, axe, association, hautes_alpes
):
    etranger = ActeurFactory(departement=hautes_alpes)
    voisin = ActeurFactory(departement=feuille.departement)  # I am not one of its members
    suivante = FeuilleDeRouteFactory(
        departement=feuille.departement, annee_debut=2029, annee_fin=2031
    )
    autre_axe = AxeFactory(feuille=suivante)
    client.force_login(partenaire)
    for data in (
        donnees(axe, etranger),
        donnees(axe, voisin),
        donnees(autre_axe, association),
        donnees(axe, association, **lignes("partenaires", {"acteur": etranger.pk})),
    ):
        response = client.post(creer_url(feuille), data)
        assert response.status_code == 200
        assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Action.objects.exists()


def test_la_ligne_d_une_autre_action_ne_se_modifie_pas(
    client, partenaire, brouillon, axe, association
):
    voisine = ActionFactory(axe=axe)  # another porteur's action, same feuille
    autre = FinancementFactory(action=voisine, montant_demande=Decimal("999"))
    client.force_login(partenaire)
    data = donnees(axe, association)
    data.update(
        lignes("financements", {"id": autre.pk, "source": "fami", "annee": "2026",
                                "montant_demande": "1"}, initiales=1)
    )  # fmt: skip
    # The formset only knows this action's rows: a foreign id is passed over, untouched.
    client.post(reverse("actions:modifier", args=[brouillon.pk]), data)
    autre.refresh_from_db()
    assert autre.montant_demande == Decimal("999") and autre.action == voisine
    assert not brouillon.financements.exists()


def test_l_action_d_un_autre_partenaire_est_introuvable(client, feuille, axe, brouillon):
    intrus = MembreFactory(acteur=ActeurFactory(departement=feuille.departement)).user
    client.force_login(intrus)
    assert client.get(brouillon.get_absolute_url()).status_code == 404
    assert client.get(reverse("actions:modifier", args=[brouillon.pk])).status_code == 404
    response = client.post(reverse("actions:transition", args=[brouillon.pk]), {"vers": "soumise"})
    assert response.status_code == 404
    brouillon.refresh_from_db()
    assert brouillon.statut == "brouillon"


def test_une_feuille_signee_ne_recoit_plus_d_action(client, pilotage, seine_maritime):
    signee = FeuilleDeRouteFactory(departement=seine_maritime, signee=True)
    client.force_login(pilotage)
    response = client.get(creer_url(signee), follow=True)
    assert "Cette feuille de route est signée" in response.content.decode()


# --- The detail page --------------------------------------------------------------------


def _garnir(action, n):
    for i in range(n):
        FinancementFactory(action=action, annee=2026 + i % 3)
        MesureFactory(indicateur=IndicateurFactory(action=action), annee=2026)
        PartenariatFactory(action=action)


def test_la_page_d_une_action_fait_un_nombre_constant_de_requetes(
    client, pilotage, brouillon, django_assert_max_num_queries
):
    client.force_login(pilotage)
    _garnir(brouillon, 5)
    client.get(brouillon.get_absolute_url())  # warm the caches: sessions, content types
    with django_assert_max_num_queries(20) as premiere:
        assert client.get(brouillon.get_absolute_url()).status_code == 200
    _garnir(brouillon, 100)
    Financement.objects.bulk_create(
        Financement(action=brouillon, source="autre", annee=2027, montant_demande=1)
        for _ in range(400)
    )
    with django_assert_max_num_queries(len(premiere.captured_queries)):
        response = client.get(brouillon.get_absolute_url())
    assert response.content.decode().count("BOP 104 action 12") == 105


def test_la_page_montre_la_derniere_valeur_des_indicateurs(client, partenaire, brouillon):
    indicateur = IndicateurFactory(action=brouillon, libelle="Participants", cible=40)
    MesureFactory(indicateur=indicateur, annee=2026, valeur=12)
    MesureFactory(indicateur=indicateur, annee=2027, valeur=31)
    client.force_login(partenaire)
    page = client.get(brouillon.get_absolute_url()).content.decode()
    assert "31 (2027)" in page and "12 (2026)" not in page


def test_l_historique_de_l_instruction_reste_entre_le_pilotage_et_le_porteur(
    client, pilotage, partenaire, feuille, axe
):
    porteur = ActeurFactory(departement=feuille.departement, nom="Centre social")
    membre_du_porteur = MembreFactory(acteur=porteur, role="contributeur").user
    action = ActionFactory(axe=axe, porteur=porteur, validee=True)
    Transition.objects.create(
        action=action, de="en_instruction", vers="a_completer", par=pilotage,
        commentaire="Le budget du second semestre manque de justificatifs.",
    )  # fmt: skip
    pages = [action.get_absolute_url(), reverse("actions:suivi", args=[action.pk])]

    def lit_le_commentaire(user) -> list[bool]:
        client.force_login(user)
        reponses = [client.get(page) for page in pages]
        return [r.status_code == 200 and "justificatifs" in r.content.decode() for r in reponses]

    assert lit_le_commentaire(partenaire) == [False, False]  # another structure's partner
    assert lit_le_commentaire(membre_du_porteur) == [True, True]
    assert lit_le_commentaire(pilotage) == [True, True]


def test_la_page_d_une_action_lit_l_action_une_seule_fois(client, pilotage, brouillon):
    """The access helper fetches the action with everything the page shows (its queryset=
    argument): the action's row is read once, not once to check and once to show."""
    client.force_login(pilotage)
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(brouillon.get_absolute_url()).status_code == 200
    lectures = [
        q["sql"]
        for q in requetes.captured_queries
        if q["sql"].startswith('SELECT DISTINCT "actions_action"."id"')
        or q["sql"].startswith('SELECT "actions_action"."id"')
    ]
    assert len(lectures) == 1, lectures


def test_la_meme_fiche_renvoyee_n_est_creee_qu_une_fois(client, partenaire, axe, association):
    """Sent again (back, then « Enregistrer » once more): one draft, and said so; another
    title, or the same after a while, is a new fiche."""
    client.force_login(partenaire)
    assert client.post(creer_url(axe.feuille), donnees(axe, association)).status_code == 302
    page = client.post(creer_url(axe.feuille), donnees(axe, association), follow=True)
    assert "Cette fiche-action vient d&#x27;être créée" in page.content.decode()
    assert Action.objects.count() == 1
    autre = donnees(axe, association, titre="Cours du soir")
    assert client.post(creer_url(axe.feuille), autre).status_code == 302
    Action.objects.update(cree_le=timezone.now() - MEME_ENVOI)
    assert client.post(creer_url(axe.feuille), donnees(axe, association)).status_code == 302
    assert Action.objects.count() == 3
