"""Feuilles de route through their pages and services: who may do what, creation with the
default axes, editing, axes, steps, new versions, signature and the freeze."""

from decimal import Decimal

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import verrou
from actions.journal import Nature
from actions.models import AXES_PAR_DEFAUT, Action, FeuilleDeRoute, PublicCible
from actions.services import feuilles as services
from actions.services import versions
from actions.views import feuilles as vues_des_feuilles
from integration.models import Evenement
from tests.acteurs.factories import (
    ActeurFactory,
    HabilitationFactory,
    TerritoireFactory,
    UserFactory,
)
from tests.actions.factories import (
    ActionFactory,
    AxeFactory,
    FeuilleDeRouteFactory,
    FinancementFactory,
    IndicateurFactory,
    JalonFactory,
    PartenariatFactory,
)

S = FeuilleDeRoute.Statut


@pytest.fixture
def feuille(seine_maritime):
    feuille = FeuilleDeRouteFactory(departement=seine_maritime)
    AxeFactory(feuille=feuille, ordre=1, libelle="Langue")
    AxeFactory(feuille=feuille, ordre=2, libelle="Emploi")
    return feuille


@pytest.fixture
def pilotage_ailleurs(hautes_alpes):
    return HabilitationFactory(departement=hautes_alpes, role="pilotage").user


def _post(client, user, nom, pk, data=None):
    client.force_login(user)
    return client.post(reverse(nom, args=[pk]), data or {})


# --- Wrong role and foreign département first -------------------------------------------


def test_anonyme_renvoye_a_la_connexion(client, feuille):
    response = client.get(reverse("actions:feuille", args=[feuille.pk]))
    assert response.status_code == 302
    assert "/connexion/" in response.url


@pytest.mark.parametrize(
    "nom",
    ["actions:feuille", "actions:feuille_modifier", "actions:feuille_axes", "actions:consultation"],
)
def test_un_autre_departement_ne_voit_pas_la_feuille(client, feuille, pilotage_ailleurs, nom):
    client.force_login(pilotage_ailleurs)
    assert client.get(reverse(nom, args=[feuille.pk])).status_code == 404


@pytest.mark.parametrize(
    "nom,data",
    [
        ("actions:feuille_etape", {"vers": "consultation"}),
        ("actions:feuille_nouvelle_version", {}),
        ("actions:feuille_axes", {"op": "ajouter", "nouvel-libelle": "Sport"}),
    ],
)
def test_partenaire_et_cabinet_ne_pilotent_pas(client, feuille, partenaire, cabinet, nom, data):
    for user in (partenaire, cabinet):
        assert _post(client, user, nom, feuille.pk, data).status_code == 403
    assert feuille.axes.count() == 2
    feuille.refresh_from_db()
    assert feuille.statut == S.BROUILLON and not feuille.suivantes.exists()


def test_seul_le_pilotage_cree_une_feuille(client, partenaire, cabinet, lecteur):
    for user in (partenaire, cabinet, lecteur):
        client.force_login(user)
        assert client.get(reverse("actions:feuille_creer")).status_code == 403


def test_partenaire_lit_la_feuille_sans_bouton_de_pilotage(client, feuille, partenaire):
    client.force_login(partenaire)
    response = client.get(reverse("actions:feuille", args=[feuille.pk]))
    assert response.status_code == 200
    assert "Modifier les axes" not in response.content.decode()
    assert client.get(reverse("actions:feuille_modifier", args=[feuille.pk])).status_code == 403


# --- Creating and editing ---------------------------------------------------------------


def _donnees(**champs):
    return {"titre": "Feuille de route 2026–2028", "annee_debut": "2026", "annee_fin": "2028",
            "depot_ouvert_le": "2026-01-15", "depot_clos_le": "2026-03-31"} | champs  # fmt: skip


def test_le_pilotage_cree_une_feuille_avec_les_axes_du_socle(client, pilotage, seine_maritime):
    client.force_login(pilotage)
    response = client.post(reverse("actions:feuille_creer"), _donnees())
    feuille = FeuilleDeRoute.objects.get()
    assert response.status_code == 302 and response.url == feuille.get_absolute_url()
    assert feuille.departement == seine_maritime and feuille.cree_par == pilotage
    assert [a.libelle for a in feuille.axes.all()] == [libelle for _, libelle in AXES_PAR_DEFAUT]
    assert Evenement.objects.filter(nature=Nature.FEUILLE_CREATION, par=pilotage).exists()
    page = client.get(feuille.get_absolute_url()).content.decode()
    assert "Du 15 janvier 2026 au 31 mars 2026" in page


@pytest.mark.parametrize(
    "champs,message",
    [
        ({"annee_fin": "2025"}, "La dernière année ne peut précéder la première."),
        ({"annee_debut": "1999"}, "Indiquez une année entre 2000 et 2100."),
        ({"depot_clos_le": "2026-01-01"}, "La clôture des dépôts ne peut précéder leur ouverture."),
        ({"titre": ""}, "Ce champ est obligatoire."),
    ],
)
def test_une_saisie_incorrecte_est_expliquee_et_ne_cree_rien(client, pilotage, champs, message):
    client.force_login(pilotage)
    response = client.post(reverse("actions:feuille_creer"), _donnees(**champs))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FeuilleDeRoute.objects.exists()


def test_une_seconde_feuille_pour_la_meme_periode_est_refusee(client, pilotage, feuille):
    client.force_login(pilotage)
    response = client.post(reverse("actions:feuille_creer"), _donnees(), follow=True)
    assert "existe déjà pour cette période" in response.content.decode()
    assert FeuilleDeRoute.objects.count() == 1


def test_le_pilotage_modifie_titre_periode_et_fenetre(client, pilotage, feuille):
    response = _post(client, pilotage, "actions:feuille_modifier", feuille.pk,
                     _donnees(titre="Nouveau titre", annee_fin="2029"))  # fmt: skip
    assert response.status_code == 302
    feuille.refresh_from_db()
    assert (feuille.titre, feuille.annee_fin) == ("Nouveau titre", 2029)
    evenement = Evenement.objects.get(nature=Nature.FEUILLE_MODIFICATION)
    assert evenement.changements["titre"]["apres"] == "Nouveau titre"


# --- Axes -------------------------------------------------------------------------------


def _axes(feuille):
    return list(feuille.axes.order_by("ordre").values_list("libelle", flat=True))


def test_le_pilotage_ajoute_renomme_deplace_et_retire_un_axe(client, pilotage, feuille):
    axes = reverse("actions:feuille_axes", args=[feuille.pk])
    client.force_login(pilotage)
    client.post(axes, {"op": "ajouter", "nouvel-libelle": "Sport"})
    assert _axes(feuille) == ["Langue", "Emploi", "Sport"]
    sport = feuille.axes.get(libelle="Sport")
    client.post(axes, {"op": "modifier", "axe": sport.pk, f"axe-{sport.pk}-libelle": "Culture"})
    client.post(axes, {"op": "monter", "axe": sport.pk})
    assert _axes(feuille) == ["Langue", "Culture", "Emploi"]
    client.post(axes, {"op": "retirer", "axe": feuille.axes.get(libelle="Langue").pk})
    assert _axes(feuille) == ["Culture", "Emploi"]
    assert list(feuille.axes.values_list("ordre", flat=True)) == [1, 2]
    assert Evenement.objects.filter(nature=Nature.FEUILLE_AXES).count() == 4


def test_un_axe_avec_des_actions_ne_se_retire_pas(client, pilotage, feuille):
    axe = feuille.axes.get(libelle="Langue")
    ActionFactory(axe=axe)
    response = _post(client, pilotage, "actions:feuille_axes", feuille.pk,
                     {"op": "retirer", "axe": axe.pk})  # fmt: skip
    assert feuille.axes.filter(pk=axe.pk).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("porte des actions" in m for m in messages)


def test_axe_en_double_ou_vide_refuse(client, pilotage, feuille):
    """Refused, by the form or by the service, the form comes back in place (400), as
    typed, its error beside it and its field focused; no message at the top."""
    axes = reverse("actions:feuille_axes", args=[feuille.pk])
    client.force_login(pilotage)
    response = client.post(
        axes, {"op": "ajouter", "nouvel-libelle": "langue", "nouvel-description": "Bis"}
    )
    assert response.status_code == 400 and not list(response.wsgi_request._messages)
    document = lxml.html.fromstring(response.content.decode())
    alerte = document.xpath(
        "//form[.//*[@id='id_nouvel-libelle']]//*[contains(@class, 'fr-alert')]"
    )
    assert alerte[0].text_content().strip() == "Un axe s'appelle déjà « langue »."
    libelle = document.get_element_by_id("id_nouvel-libelle")
    assert libelle.get("value") == "langue" and libelle.get("autofocus") is not None
    assert document.get_element_by_id("id_nouvel-description").text_content().strip() == "Bis"
    response = client.post(axes, {"op": "ajouter", "nouvel-libelle": ""})
    assert response.status_code == 400
    erreur = lxml.html.fromstring(response.content.decode()).get_element_by_id(
        "id_nouvel-libelle_error"
    )
    assert "obligatoire" in erreur.text_content()
    assert _axes(feuille) == ["Langue", "Emploi"]


def test_un_axe_renomme_a_vide_revient_dans_sa_carte(client, pilotage, feuille):
    langue, emploi = feuille.axes.order_by("ordre")
    axes = reverse("actions:feuille_axes", args=[feuille.pk])
    client.force_login(pilotage)
    prefixe = f"axe-{emploi.pk}"
    response = client.post(axes, {"op": "modifier", "axe": emploi.pk, f"{prefixe}-libelle": " ",
                                  f"{prefixe}-description": "Avec France Travail"})  # fmt: skip
    assert response.status_code == 400
    document = lxml.html.fromstring(response.content.decode())
    carte = document.get_element_by_id(f"section-axe-{emploi.pk}")
    libelle = carte.get_element_by_id(f"id_{prefixe}-libelle")
    assert libelle.get("aria-invalid") == "true" and libelle.get("autofocus") is not None
    assert "obligatoire" in carte.get_element_by_id(f"id_{prefixe}-libelle_error").text_content()
    description = carte.get_element_by_id(f"id_{prefixe}-description")
    assert description.text_content().strip() == "Avec France Travail"
    autre = document.get_element_by_id(f"id_axe-{langue.pk}-libelle")
    assert autre.get("value") == "Langue" and autre.get("aria-invalid") is None
    assert _axes(feuille) == ["Langue", "Emploi"]
    response = client.post(axes, {"op": "modifier", "axe": emploi.pk,
                                  f"{prefixe}-libelle": "Emploi et formation"})  # fmt: skip
    assert response["Location"] == f"{axes}#section-axe-{emploi.pk}"
    assert _axes(feuille) == ["Langue", "Emploi et formation"]


def test_un_axe_d_une_autre_feuille_est_introuvable(client, pilotage, feuille, seine_maritime):
    autre = AxeFactory(feuille=FeuilleDeRouteFactory(departement=seine_maritime, annee_debut=2029,
                                                     annee_fin=2030))  # fmt: skip
    response = _post(client, pilotage, "actions:feuille_axes", feuille.pk,
                     {"op": "retirer", "axe": autre.pk})  # fmt: skip
    assert response.status_code == 404
    response = _post(client, pilotage, "actions:feuille_axes", feuille.pk,
                     {"op": "retirer", "axe": "abc"})  # fmt: skip
    assert response.status_code == 404
    assert autre.feuille.axes.exists()


# --- Steps, signature, freeze -----------------------------------------------------------


def test_les_etapes_du_brouillon_au_visa(client, pilotage, feuille):
    etape = "actions:feuille_etape"
    _post(client, pilotage, etape, feuille.pk, {"vers": "consultation"})
    feuille.refresh_from_db()
    assert feuille.statut == S.CONSULTATION
    _post(client, pilotage, etape, feuille.pk, {"vers": "signee"})  # not a step of the pages
    _post(client, pilotage, etape, feuille.pk, {"vers": "visa"})
    feuille.refresh_from_db()
    assert feuille.statut == S.VISA
    assert Evenement.objects.filter(nature=Nature.FEUILLE_STATUT).count() == 2
    # At the visa the content no longer changes, even for pilotage.
    assert _post(client, pilotage, "actions:feuille_axes", feuille.pk).status_code == 403


def test_signer_depuis_le_visa_seulement(feuille, cabinet):
    with pytest.raises(ValidationError, match="soumise au visa"):
        services.signer(feuille, cabinet, qualite="Préfet de la Seine-Maritime")
    services.changer_etape(feuille, S.VISA, by=UserFactory())
    services.signer(feuille, cabinet, qualite="Préfet de la Seine-Maritime")
    feuille.refresh_from_db()
    assert feuille.est_signee and feuille.signee_par == cabinet and feuille.signee_le
    assert Evenement.objects.filter(nature=Nature.FEUILLE_SIGNATURE, par=cabinet).exists()


@pytest.fixture
def signee(feuille, cabinet):
    services.changer_etape(feuille, S.VISA, by=cabinet)
    services.signer(feuille, cabinet, qualite="Préfet de la Seine-Maritime")
    return feuille


def test_une_feuille_signee_refuse_tout_changement_par_les_services(signee, pilotage):
    axe = signee.axes.first()
    champs = {c: getattr(signee, c) for c in services.CHAMPS_FEUILLE}
    operations = [
        lambda: services.modifier_feuille(signee, by=pilotage, **champs),
        lambda: services.ajouter_axe(signee, by=pilotage, libelle="Sport"),
        lambda: services.modifier_axe(axe, by=pilotage, libelle="Autre"),
        lambda: services.deplacer_axe(axe, by=pilotage, sens=1),
        lambda: services.supprimer_axe(axe, by=pilotage),
        lambda: services.changer_etape(signee, S.BROUILLON, by=pilotage),
    ]
    for operation in operations:
        with pytest.raises(ValidationError) as refus:
            operation()
        assert refus.value.messages == [verrou.MESSAGE]
    with pytest.raises(ValidationError, match="Cette feuille de route est déjà signée."):
        services.signer(signee, pilotage, qualite="Préfet")
    assert _axes(signee) == ["Langue", "Emploi"]


def test_une_feuille_signee_refuse_les_pages_qui_ecrivent(client, signee, pilotage):
    for nom in ("actions:feuille_modifier", "actions:feuille_axes"):
        client.force_login(pilotage)
        assert client.get(reverse(nom, args=[signee.pk])).status_code == 403
    _post(client, pilotage, "actions:feuille_etape", signee.pk, {"vers": "brouillon"})
    signee.refresh_from_db()
    assert signee.est_signee


# --- New version ------------------------------------------------------------------------


def _action_complete(axe):
    action = ActionFactory(axe=axe, validee=True, objectifs="Cent personnes")
    PartenariatFactory(action=action, role="Orientation")
    FinancementFactory(action=action, montant_demande=Decimal("12500"), montant_accorde=10000,
                       montant_verse=5000)  # fmt: skip
    IndicateurFactory(action=action)
    JalonFactory(action=action)
    action.publics.add(*PublicCible.objects.all()[:2])
    action.territoires.add(TerritoireFactory())
    return action


def _contenu(action):
    return {
        "champs": [getattr(action, c) for c in versions.ACTION_COPIEE],
        "axe": action.axe.libelle,
        "partenaires": list(action.partenariats.values_list("acteur_id", "role")),
        "financements": list(action.financements.values_list(
            "source", "annee", "montant_demande", "montant_accorde", "montant_verse")),
        "indicateurs": list(action.indicateurs.values_list("libelle", "unite", "cible")),
        "jalons": list(action.jalons.values_list("libelle", "date_prevue", "atteint_le")),
        "publics": sorted(action.publics.values_list("pk", flat=True)),
        "territoires": sorted(action.territoires.values_list("pk", flat=True)),
    }  # fmt: skip


def test_la_nouvelle_version_copie_tout(client, pilotage, signee, feuille):
    # The feuille was signed empty: build one with content, sign it, copy it.
    v1 = FeuilleDeRouteFactory(departement=feuille.departement, annee_debut=2029, annee_fin=2031)
    axes = [AxeFactory(feuille=v1, ordre=i, libelle=f"Axe {i}") for i in (1, 2)]
    originales = [_action_complete(axes[0]), _action_complete(axes[1])]
    response = _post(client, pilotage, "actions:feuille_nouvelle_version", v1.pk)
    v2 = FeuilleDeRoute.objects.get(precedente=v1)
    assert response.url == v2.get_absolute_url()
    assert (v2.version, v2.statut, v2.titre, v2.cree_par) == (2, S.BROUILLON, v1.titre, pilotage)
    assert [a.libelle for a in v2.axes.all()] == ["Axe 1", "Axe 2"]
    for originale in originales:
        copie = Action.objects.get(copiee_de=originale)
        assert copie.feuille == v2 and copie.axe.feuille == v2
        assert _contenu(copie) == _contenu(originale)
    assert Evenement.objects.filter(nature=Nature.FEUILLE_NOUVELLE_VERSION).exists()


def test_la_copie_fait_un_nombre_borne_de_requetes(seine_maritime, pilotage):
    def requetes(nombre, annee):
        feuille = FeuilleDeRouteFactory(departement=seine_maritime, annee_debut=annee,
                                        annee_fin=annee)  # fmt: skip
        axe = AxeFactory(feuille=feuille)
        for _ in range(nombre):
            _action_complete(axe)
        with CaptureQueriesContext(connection) as capture:
            services.nouvelle_version(feuille, by=pilotage)
        return len(capture)

    assert requetes(1, 2030) == requetes(6, 2031)


def test_on_ne_copie_que_la_derniere_version(pilotage, feuille):
    services.nouvelle_version(feuille, by=pilotage)
    with pytest.raises(ValidationError, match="La version 2 existe déjà"):
        services.nouvelle_version(feuille, by=pilotage)


def test_une_version_signee_se_prolonge_par_une_nouvelle_version(client, pilotage, signee):
    _post(client, pilotage, "actions:feuille_nouvelle_version", signee.pk)
    v2 = signee.suivantes.get()
    assert _axes(v2) == ["Langue", "Emploi"]
    services.ajouter_axe(v2, by=pilotage, libelle="Sport")  # the new draft changes freely
    assert _axes(signee) == ["Langue", "Emploi"]


# --- The plan's home --------------------------------------------------------------------


def test_l_accueil_liste_les_feuilles_du_perimetre_en_requetes_constantes(
    client, pilotage, seine_maritime, hautes_alpes, django_assert_max_num_queries
):
    FeuilleDeRouteFactory(departement=hautes_alpes, titre="Feuille des Hautes-Alpes")
    client.force_login(pilotage)
    FeuilleDeRouteFactory(departement=seine_maritime, annee_debut=2020, annee_fin=2022)
    client.get(reverse("actions:index"))  # warm the session and profile
    with CaptureQueriesContext(connection) as une:
        response = client.get(reverse("actions:index"))
    for annee in range(2030, 2040):
        FeuilleDeRouteFactory(departement=seine_maritime, annee_debut=annee, annee_fin=annee)
    with django_assert_max_num_queries(len(une)):
        response = client.get(reverse("actions:index"))
    page = response.content.decode()
    assert "Feuille des Hautes-Alpes" not in page and "Nouvelle feuille de route" in page
    assert page.count("<tr>") == 12  # header and 11 feuilles


def test_l_accueil_du_lecteur_national_se_lit_par_pages(
    client, seine_maritime, hautes_alpes, monkeypatch
):
    """Over France the feuilles come by pages (two hundred on the national data), in the
    order of the départements' codes, each linking to its feuille."""
    monkeypatch.setattr(vues_des_feuilles, "PAR_PAGE", 2)
    feuilles = {}
    for departement in (seine_maritime, hautes_alpes):
        for annee in (2023, 2026):
            titre = f"Feuille {departement.code} {annee}"
            feuilles[titre] = FeuilleDeRouteFactory(
                departement=departement, annee_debut=annee, annee_fin=annee + 2, titre=titre
            )
    client.force_login(
        HabilitationFactory(departement=None, perimetre="france", role="lecteur").user
    )

    def titres(page: str) -> list[str]:
        liens = lxml.html.fromstring(page).xpath("//main//table//a")
        for lien in liens:
            assert lien.get("href") == feuilles[lien.text].get_absolute_url()
        return [lien.text for lien in liens]

    premiere = client.get(reverse("actions:index")).content.decode()
    assert titres(premiere) == ["Feuille 05 2026", "Feuille 05 2023"]
    assert "1 / 2" in premiere and "Page suivante" in premiere
    seconde = client.get(reverse("actions:index") + "?page=2").content.decode()
    assert titres(seconde) == ["Feuille 76 2026", "Feuille 76 2023"]
    illisible = client.get(reverse("actions:index") + "?page=deux")
    assert illisible.status_code == 200 and titres(illisible.content.decode())[0] == (
        "Feuille 05 2026"
    )


def test_l_accueil_ne_propose_pas_la_creation_aux_partenaires(client, partenaire, feuille):
    client.force_login(partenaire)
    page = client.get(reverse("actions:index")).content.decode()
    assert feuille.titre in page and "Nouvelle feuille de route" not in page


def test_la_page_d_une_feuille_montre_les_actions_visibles_seulement(
    client, partenaire, pilotage, feuille
):
    axe = feuille.axes.first()
    ActionFactory(axe=axe, titre="Brouillon d'un autre", porteur=ActeurFactory(
        departement=feuille.departement))  # fmt: skip
    retenue = ActionFactory(axe=axe, titre="Action retenue", validee=True)
    client.force_login(partenaire)
    page = client.get(feuille.get_absolute_url()).content.decode()
    assert "Action retenue" in page and "Brouillon d" not in page
    # Each row links to the action's page (a prefix reversed once, the row's id after it).
    assert f'<a href="{retenue.get_absolute_url()}">Action retenue</a>' in page
    client.force_login(pilotage)
    page = client.get(feuille.get_absolute_url()).content.decode()
    assert "Action retenue" in page and "Brouillon d" in page
