"""The actors' registry as its users meet it: list, create, propose, moderate, edit, archive."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from acteurs.journal import Nature
from acteurs.models import Acteur, Reseau, Territoire
from integration import journal
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    MembreFactory,
    TerritoireFactory,
)

SIRET_VALIDE = "13002526500013"


# --- List -------------------------------------------------------------------------------


def test_anonyme_redirige(client, db):
    response = client.get(reverse("acteurs:liste"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_liste_ne_montre_que_le_departement_courant(client, pilotage, seine_maritime, hautes_alpes):
    ActeurFactory(departement=seine_maritime, nom="Secours rouennais")
    ActeurFactory(departement=hautes_alpes, nom="Refuge gapençais")
    client.force_login(pilotage)
    content = client.get(reverse("acteurs:liste")).content.decode()
    assert "Secours rouennais" in content
    assert "Refuge gapençais" not in content


def test_partenaire_ne_voit_pas_la_proposition_d_un_autre(client, partenaire, seine_maritime):
    ActeurFactory(departement=seine_maritime, nom="Proposition secrète", en_attente=True)
    client.force_login(partenaire)
    content = client.get(reverse("acteurs:liste") + "?statut=en_attente").content.decode()
    assert "Proposition secrète" not in content


def test_filtres_et_tri(client, pilotage, seine_maritime):
    ActeurFactory(departement=seine_maritime, nom="Zèbre solidaire", type="association")
    ActeurFactory(
        departement=seine_maritime, nom="Agence Rouen", type="operateur_etat", sigle="AGR"
    )
    ActeurFactory(departement=seine_maritime, nom="Ancienne asso", archive=True)
    client.force_login(pilotage)
    url = reverse("acteurs:liste")
    content = client.get(url + "?type=association").content.decode()
    assert "Zèbre solidaire" in content and "Agence Rouen" not in content
    assert "Ancienne asso" not in client.get(url).content.decode()
    assert "Ancienne asso" in client.get(url + "?archives=on").content.decode()
    assert "Agence Rouen" in client.get(url + "?q=agr").content.decode()
    content = client.get(url + "?tri=-nom").content.decode()
    assert content.index("Zèbre solidaire") < content.index("Agence Rouen")
    # A nonsense filter is ignored, never a 500.
    assert client.get(url + "?type=inconnu&tri=xx&page=abc").status_code == 200


def test_le_formulaire_de_filtres_garde_les_choix_sans_crispy(client, pilotage, seine_maritime):
    """The actors' filters are written as the actions' (templates/_filtres.html): each
    choice kept, its options read from the database, the search text escaped, a choice
    that names nothing said in error beside its field."""
    epci = TerritoireFactory(type=Territoire.Type.EPCI, code="200023414", nom="Métropole Rouen")
    seine_maritime.territoires.add(epci)
    reseau = Reseau.objects.create(slug="cimade", libelle="La Cimade & ses groupes")
    client.force_login(pilotage)
    demande = {"q": "<b>", "type": "association", "territoire": epci.pk, "reseau": reseau.pk}
    page = client.get(reverse("acteurs:liste"), {**demande, "archives": "on", "tri": "type"})
    html_ = page.content.decode()
    assert 'value="&lt;b&gt;" maxlength="100" class="fr-input"' in html_
    assert '<option value="association" selected>Association</option>' in html_
    assert f'<option value="{epci.pk}" selected>Métropole Rouen</option>' in html_
    assert f'<option value="{reseau.pk}" selected>La Cimade &amp; ses groupes</option>' in html_
    assert '<option value="type" selected>Type d&#x27;acteur</option>' in html_
    case = '<input type="checkbox" name="archives" id="id_archives" checked>'
    assert html_.index(case) < html_.index('<label class="fr-label" for="id_archives">')
    refuse = client.get(reverse("acteurs:liste"), {"reseau": 999999}).content.decode()
    assert '<div class="fr-select-group fr-select-group--error" id="div_id_reseau">' in refuse
    assert '<p class="fr-error-text" id="id_reseau_error">' in refuse


def test_badge_a_verifier(client, pilotage, seine_maritime):
    acteur = ActeurFactory(departement=seine_maritime, nom="Fiche ancienne")
    Acteur.objects.filter(pk=acteur.pk).update(modifie_le=timezone.now() - timedelta(days=400))
    client.force_login(pilotage)
    assert "À vérifier" in client.get(reverse("acteurs:liste")).content.decode()
    assert "Fiche à vérifier" in client.get(acteur.get_absolute_url()).content.decode()
    tableau = client.get(reverse("tableau_de_bord")).content.decode()
    assert "1 fiche à vérifier" in tableau
    filtree = client.get(reverse("acteurs:liste") + "?a_verifier=on").content.decode()
    assert "Fiche ancienne" in filtree


@pytest.mark.parametrize("nombre", [5, 500])
def test_liste_nombre_de_requetes_constant(
    client, pilotage, seine_maritime, django_assert_num_queries, nombre
):
    acteurs = ActeurFactory.create_batch(nombre, departement=seine_maritime)
    for acteur in acteurs[:3]:
        MembreFactory(acteur=acteur)
    client.force_login(pilotage)
    client.get(reverse("acteurs:liste"))  # warm the session
    # session, user, habilitations (with their départements), memberships, filter's EPCI
    # list, networks list, count, page
    with django_assert_num_queries(8):
        response = client.get(reverse("acteurs:liste") + "?page=2")
    assert response.status_code == 200


# --- Create and propose -----------------------------------------------------------------


def test_pilotage_cree_un_acteur_valide(client, pilotage, seine_maritime):
    client.force_login(pilotage)
    response = client.post(
        reverse("acteurs:creer"),
        {
            "type": "association",
            "nom": "  Entraide   franco-ukrainienne ",
            "siret": "130 025 265 00013",
        },
    )
    acteur = Acteur.objects.get()
    assert response.status_code == 302 and response.url == acteur.get_absolute_url()
    assert acteur.nom == "Entraide franco-ukrainienne"
    assert acteur.siret == SIRET_VALIDE
    assert acteur.statut == Acteur.Statut.VALIDE
    assert journal.historique(acteur).get().nature == Nature.ACTEUR_CREATION


def test_siret_faux_message_clair_et_rien_d_ecrit(client, pilotage, seine_maritime):
    client.force_login(pilotage)
    response = client.post(
        reverse("acteurs:creer"), {"type": "association", "nom": "X", "siret": "13002526500014"}
    )
    assert response.status_code == 200
    assert "clé de contrôle est fausse" in response.content.decode()
    assert not Acteur.objects.exists()


def test_partenaire_propose_et_pilotage_est_prevenu(
    client, partenaire, pilotage, seine_maritime, apres_commit
):
    client.force_login(partenaire)
    with apres_commit():
        client.post(reverse("acteurs:creer"), {"type": "association", "nom": "Collectif Elbeuf"})
    proposition = Acteur.objects.get(nom="Collectif Elbeuf")
    assert proposition.statut == Acteur.Statut.EN_ATTENTE
    assert proposition.propose_par == partenaire
    assert [m.to for m in mail.outbox] == [[pilotage.email]]
    assert "Collectif Elbeuf" in mail.outbox[0].body


def test_un_doublon_ne_devoile_pas_la_proposition_d_un_autre(client, partenaire, seine_maritime):
    ActeurFactory(
        departement=seine_maritime,
        nom="Brouillon confidentiel",
        siret=SIRET_VALIDE,
        en_attente=True,
    )
    client.force_login(partenaire)
    par_siret = html.unescape(
        client.post(
            reverse("acteurs:creer"),
            {"type": "association", "nom": "Autre nom", "siret": SIRET_VALIDE},
        ).content.decode()
    )
    assert "en cours d'examen" in par_siret and "Brouillon confidentiel" not in par_siret
    # Same name as the draft: not a duplicate for this partner, who cannot know it exists.
    client.post(reverse("acteurs:creer"), {"type": "association", "nom": "Brouillon confidentiel"})
    assert Acteur.objects.filter(nom="Brouillon confidentiel").count() == 2


def test_doublon_visible_nomme(client, pilotage, association):
    client.force_login(pilotage)
    response = client.post(
        reverse("acteurs:creer"), {"type": "association", "nom": association.nom.upper()}
    )
    assert "existe déjà" in response.content.decode()
    assert Acteur.objects.count() == 1


def test_cabinet_ne_peut_pas_creer(client, cabinet):
    client.force_login(cabinet)
    assert client.get(reverse("acteurs:creer")).status_code == 403


def test_sans_departement(client, django_user_model, db):
    user = django_user_model.objects.create_user("seul@example.fr", "x")
    client.force_login(user)
    response = client.get(reverse("acteurs:liste"))
    assert response.status_code == 403
    assert "aucun département" in response.content.decode()


# --- Moderation -------------------------------------------------------------------------


def test_rejet_sans_motif_refuse(client, pilotage, seine_maritime):
    proposition = ActeurFactory(departement=seine_maritime, en_attente=True)
    client.force_login(pilotage)
    response = client.post(
        reverse("acteurs:moderer", args=[proposition.pk]), {"decision": "rejeter"}
    )
    assert response.status_code == 200
    assert "Indiquez le motif du rejet" in response.content.decode()
    proposition.refresh_from_db()
    assert proposition.statut == Acteur.Statut.EN_ATTENTE


def test_rejet_avec_motif_previent_le_proposant(client, pilotage, seine_maritime, apres_commit):
    proposition = ActeurFactory(departement=seine_maritime, en_attente=True)
    client.force_login(pilotage)
    with apres_commit():
        client.post(
            reverse("acteurs:moderer", args=[proposition.pk]),
            {"decision": "rejeter", "motif": "Structure déjà enregistrée sous un autre nom."},
        )
    proposition.refresh_from_db()
    assert proposition.statut == Acteur.Statut.REJETE
    assert proposition.modere_par == pilotage
    assert mail.outbox[-1].to == [proposition.propose_par.email]
    assert "déjà enregistrée" in mail.outbox[-1].body


def test_validation(client, pilotage, seine_maritime):
    proposition = ActeurFactory(departement=seine_maritime, en_attente=True)
    client.force_login(pilotage)
    client.post(reverse("acteurs:moderer", args=[proposition.pk]), {"decision": "valider"})
    proposition.refresh_from_db()
    assert proposition.statut == Acteur.Statut.VALIDE and proposition.modere_le


def test_un_rejet_incomplet_est_refuse_par_la_base(seine_maritime):
    with pytest.raises(IntegrityError):
        ActeurFactory(departement=seine_maritime, statut=Acteur.Statut.REJETE)


# --- Edit, history, archive -------------------------------------------------------------


def test_modification_historisee(client, pilotage, association):
    client.force_login(pilotage)
    client.post(
        reverse("acteurs:modifier", args=[association.pk]),
        {"type": "association", "nom": association.nom, "telephone": "02 35 00 00 00"},
    )
    modification = journal.historique(association).get(nature=Nature.ACTEUR_MODIFICATION)
    assert modification.par == pilotage
    assert modification.changements == {
        "telephone": {"libelle": "téléphone", "avant": "", "apres": "02 35 00 00 00"}
    }
    page = client.get(association.get_absolute_url()).content.decode()
    assert "Historique" in page and "02 35 00 00 00" in page


def test_texte_utilisateur_echappe(client, pilotage, seine_maritime):
    acteur = ActeurFactory(departement=seine_maritime, nom="<script>alert(1)</script>")
    client.force_login(pilotage)
    content = client.get(acteur.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_archiver_puis_restaurer(client, pilotage, association, partenaire):
    client.force_login(pilotage)
    client.post(reverse("acteurs:archiver", args=[association.pk]))
    association.refresh_from_db()
    assert association.est_archive and association.archive_par == pilotage
    # Archived, never deleted: the membership is still there.
    assert association.membres.filter(user=partenaire).exists()
    client.post(reverse("acteurs:restaurer", args=[association.pk]))
    association.refresh_from_db()
    assert not association.est_archive
    assert list(journal.historique(association).values_list("nature", flat=True)[:2]) == [
        Nature.ACTEUR_RESTAURATION,
        Nature.ACTEUR_ARCHIVAGE,
    ]


def test_archiver_en_get_demande_confirmation_sans_rien_changer(client, pilotage, association):
    client.force_login(pilotage)
    url = reverse("acteurs:archiver", args=[association.pk])
    assert url in client.get(association.get_absolute_url()).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="post">' in page and "Archiver l'acteur</button>" in page
    association.refresh_from_db()
    assert not association.est_archive


def test_confirmation_d_archivage_refusee_au_partenaire(client, partenaire, association):
    client.force_login(partenaire)
    assert client.get(reverse("acteurs:archiver", args=[association.pk])).status_code == 403


def test_pilotage_d_un_autre_departement_ne_voit_rien(client, association):
    autre = HabilitationFactory(departement=DepartementFactory(hautes_alpes=True)).user
    client.force_login(autre)
    assert client.get(association.get_absolute_url()).status_code == 404
