"""What a press office publishes, continued: decisions of a meeting entered after the fact
that were already carried out, the avis aux médias announcing a coming séance, the compte
rendu's own date line and the sign-in sheet by structure, read back from the PDFs."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from comites import documents, services
from comites.models import Communique, Decision, Seance
from integration.documents import rendu
from integration.documents.moteur import StaticOnlyFetcher
from integration.documents.registre import type_document
from integration.models import DocumentRequest, Evenement
from integration.text import date_longue
from tests.acteurs.factories import ActeurFactory
from tests.comites.factories import ConvocationFactory, PersonneFactory, SeanceFactory
from tests.comites.test_presse import pdf_texte
from tests.poppler import poppler

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
EN_RETARD = '<p class="fr-badge fr-badge--warning fr-badge--sm">En retard</p>'


@pytest.fixture(autouse=True)
def _fichiers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def seance(copil):
    """A meeting held years ago, entered now."""
    return SeanceFactory(
        instance=copil,
        debut=datetime(2019, 6, 20, 14, 30, tzinfo=PARIS),
        fin=datetime(2019, 6, 20, 17, 0, tzinfo=PARIS),
        statut=Seance.Statut.TENUE,
        lieu="Préfecture, salle Louis-XVI",
    )


@pytest.fixture
def prefete(seine_maritime):
    return PersonneFactory(
        departement=seine_maritime, nom="Claire Martin", civilite="mme",
        fonction="préfète de la Seine-Maritime",
    )  # fmt: skip


@pytest.fixture
def a_venir(copil, prefete):
    """A séance planned for a Thursday to come, which the préfète will preside."""
    return SeanceFactory(
        instance=copil,
        debut=datetime(2030, 6, 20, 14, 30, tzinfo=PARIS),
        fin=datetime(2030, 6, 20, 17, 0, tzinfo=PARIS),
        lieu="Préfecture, grand salon",
        preside_par=prefete,
    )


# --- 1. Decisions already carried out are never late -------------------------------------


def _decision(client, seance, texte, statut):
    return client.post(reverse("comites:decision_ajouter", args=[seance.pk]), {
        "decision-texte": texte, "decision-responsable": "DDETS",
        "decision-echeance": "2019-09-30", "decision-statut": statut,
    })  # fmt: skip


def test_a_past_seances_decision_recorded_as_done_is_never_late(client, pilotage, seance):
    client.force_login(pilotage)
    page = client.get(seance.get_absolute_url()).content.decode()
    assert 'name="decision-statut"' in page  # the officer chooses it with the decision
    assert _decision(client, seance, "Réunir les groupes de travail", "faite").status_code == 302
    assert _decision(client, seance, "Valider le plan d'actions", "a_faire").status_code == 302
    faite, a_faire = seance.decisions.order_by("pk")
    assert (faite.statut, faite.en_retard) == (Decision.Statut.FAITE, False)
    assert a_faire.en_retard  # its due date passed and it is still to do

    page = client.get(seance.get_absolute_url()).content.decode()
    assert page.count(EN_RETARD) == 1
    ligne_faite = page.split("Réunir les groupes de travail")[1].split("</tr>")[0]
    assert "En retard" not in ligne_faite
    accueil = client.get(reverse("tableau_de_bord")).content.decode()
    assert "Valider le plan d" in accueil and "Réunir les groupes de travail" not in accueil


def test_the_same_decision_sent_twice_is_recorded_once(client, pilotage, seance):
    client.force_login(pilotage)
    assert _decision(client, seance, "Réunir les groupes", "faite").status_code == 302
    second = _decision(client, seance, "Réunir les groupes", "faite")
    assert second.status_code == 400 and "figure déjà au relevé" in second.content.decode()
    assert seance.decisions.count() == 1
    # An unknown status is told in French and records nothing.
    mauvais = _decision(client, seance, "Autre décision", "n-importe-quoi")
    assert mauvais.status_code == 400 and "Sélectionnez un choix valide" in mauvais.content.decode()
    assert seance.decisions.count() == 1


# --- 2. The avis aux médias ---------------------------------------------------------------


def test_a_planned_seance_leads_to_its_avis_aux_medias_and_a_held_one_does_not(
    client, pilotage, partenaire, a_venir, seance
):
    url = reverse("comites:avis_medias", args=[a_venir.pk])
    client.force_login(pilotage)
    assert f'href="{url}"' in client.get(a_venir.get_absolute_url()).content.decode()
    assert "Préparer un avis aux médias" in client.get(a_venir.get_absolute_url()).content.decode()
    tenue = reverse("comites:avis_medias", args=[seance.pk])
    assert tenue not in client.get(seance.get_absolute_url()).content.decode()
    assert client.get(tenue).status_code == 403
    client.force_login(partenaire)
    assert client.get(url).status_code == 404


def test_the_avis_proposes_date_place_presidency_and_press_access(
    client, seine_maritime, cabinet, a_venir
):
    seine_maritime.contact_presse_telephone = "02 32 76 50 14"
    seine_maritime.contact_presse_courriel = "presse@seine-maritime.gouv.fr"
    seine_maritime.save()
    client.force_login(cabinet)
    projet = client.get(reverse("comites:avis_medias", args=[a_venir.pk])).context["form"].initial
    assert projet["titre"].startswith("Intégration des étrangers : le comité de pilotage")
    assert projet["lieu_date"] == f"Rouen, le {date_longue(timezone.localdate())}"
    assert projet["texte"].startswith(
        "Claire Martin, préfète de la Seine-Maritime, présidera le comité de pilotage de la "
        "stratégie départementale d'intégration des étrangers le jeudi 20 juin 2030 à 14 h 30 "
        "(Préfecture, grand salon)."
    )
    assert projet["texte"].endswith(
        "Date : jeudi 20 juin 2030 à 14 h 30\nLieu : Préfecture, grand salon\n"
        "Présidence : Claire Martin, préfète de la Seine-Maritime"
    )
    assert "02 32 76 50 14" in projet["acces_presse"]
    assert "Accueil de la presse à partir de 14 h 15" in projet["acces_presse"]
    assert "présent" not in projet["texte"] and "décidé" not in projet["texte"]


def test_a_president_without_a_function_is_named_without_a_stray_comma(
    client, cabinet, a_venir, prefete
):
    prefete.fonction = ""
    prefete.save()
    client.force_login(cabinet)
    projet = client.get(reverse("comites:avis_medias", args=[a_venir.pk])).context["form"].initial
    assert projet["texte"].startswith("Claire Martin présidera le comité de pilotage de la ")
    assert projet["texte"].endswith("Présidence : Claire Martin")


def test_the_avis_is_saved_once_and_its_pdf_shows_date_place_presidency_and_press_access(
    client, seine_maritime, cabinet, a_venir, apres_commit
):
    seine_maritime.contact_presse_service = "Bureau de la communication interministérielle"
    seine_maritime.save()
    client.force_login(cabinet)
    url = reverse("comites:avis_medias", args=[a_venir.pk])
    projet = client.get(url).context["form"].initial
    donnees = {**projet, "lieu_date": "Rouen, le 13 juin 2030",
               "acces_presse": "Accréditation auprès du bureau de la communication.\n"
                               "Accueil de la presse à 14 h 10, hall d'honneur."}  # fmt: skip
    assert client.post(url, donnees).status_code == 302
    assert client.post(url, donnees).status_code == 302  # sent twice: one version
    (avis,) = Communique.objects.all()
    assert (avis.genre, avis.version) == (Communique.Genre.AVIS_MEDIAS, 1)
    assert avis.get_absolute_url() == url
    assert Evenement.objects.filter(nature="avis_medias.version").count() == 1

    texte = pdf_texte(avis, documents.AVIS_MEDIAS)
    for attendu in [
        "AVIS AUX MÉDIAS",
        "Rouen, le 13 juin 2030",
        "Date : jeudi 20 juin 2030 à 14 h 30",
        "Lieu : Préfecture, grand salon",
        "Présidence : Claire Martin, préfète de la Seine-Maritime",
        "ACCÈS PRESSE",
        "Accréditation auprès du bureau de la communication.",
        "Accueil de la presse à 14 h 10",
        "Bureau de la communication interministérielle",
    ]:
        assert attendu in texte, attendu
    assert "COMMUNIQUÉ DE PRESSE" not in texte
    assert texte.index("ACCÈS PRESSE") < texte.index("CONTACTS PRESSE")
    assert "Communiqué de presse" not in texte  # nor in the running foot

    pdf = reverse("comites:avis_medias_pdf", args=[a_venir.pk, 1])
    with apres_commit():
        reponse = client.post(pdf)
    document = DocumentRequest.objects.get()
    assert reponse.url == reverse("documents:suivi", args=[document.pk])
    assert (document.kind, document.filename) == (
        documents.AVIS_MEDIAS,
        f"avis-aux-medias-{a_venir.pk}-v1.pdf",
    )


def test_an_avis_without_press_access_is_refused_and_changes_nothing(client, cabinet, a_venir):
    client.force_login(cabinet)
    url = reverse("comites:avis_medias", args=[a_venir.pk])
    projet = client.get(url).context["form"].initial
    reponse = client.post(url, {**projet, "acces_presse": "  "})
    assert reponse.status_code == 200 and "Ce champ est obligatoire" in reponse.content.decode()
    assert not Communique.objects.exists()


def test_an_avis_announces_only_a_seance_to_come(seance, cabinet):
    with pytest.raises(ValidationError, match="annonce une séance à venir"):
        services.enregistrer_avis_medias(
            seance, titre="T", lieu_date="Rouen, le 1er juin 2019", texte="Texte.",
            acces_presse="Accréditation.", by=cabinet,
        )  # fmt: skip
    assert not Communique.objects.exists()


# --- 3. The compte rendu's date line ------------------------------------------------------


def test_the_compte_rendu_prints_its_date_line_as_typed(client, pilotage, seance):
    client.force_login(pilotage)
    page = client.get(seance.get_absolute_url()).content.decode()
    assert 'value="Rouen, le 20 juin 2019"' in page  # proposed: the séance's day
    url = reverse("comites:compte_rendu", args=[seance.pk])
    donnees = {"compte_rendu-compte_rendu": "La préfète ouvre la séance.",
               "compte_rendu-lieu_date": "Rouen, le 25 juin 2019"}  # fmt: skip
    assert client.post(url, donnees).status_code == 302
    assert client.post(url, donnees).status_code == 302  # twice: journalled once
    assert Evenement.objects.filter(nature="seance.compte_rendu").count() == 1
    seance.refresh_from_db()
    assert seance.compte_rendu_lieu_date == "Rouen, le 25 juin 2019"
    texte = pdf_texte(seance, documents.COMPTE_RENDU)
    assert "Rouen, le 25 juin 2019" in texte and "Rouen, le 20 juin 2019" not in texte

    # Left empty: the chef-lieu and the séance's day.
    donnees["compte_rendu-lieu_date"] = ""
    assert client.post(url, donnees).status_code == 302
    seance.refresh_from_db()
    assert seance.compte_rendu_lieu_date == "Rouen, le 20 juin 2019"
    assert "Rouen, le 20 juin 2019" in pdf_texte(seance, documents.COMPTE_RENDU)


# --- 4. The sign-in sheet by structure, its head on every page -----------------------------


def _trente_convoques(seance):
    """Thirty invitees whose surnames run opposite to their structures' names."""
    for i in range(30):
        ConvocationFactory(
            seance=seance,
            personne__nom=f"Camille Nom{99 - i:02d}",
            acteur=ActeurFactory(departement=seance.instance.departement,
                                 nom=f"Structure {i:02d}"),
        )  # fmt: skip


def test_the_sign_in_sheet_is_sorted_as_chosen_with_its_head_on_every_page(client, pilotage, copil):
    a_venir = SeanceFactory(instance=copil, statut=Seance.Statut.CONVOQUEE)
    _trente_convoques(a_venir)
    par_nom = [ligne["structure"] for ligne in documents.lignes_emargement(a_venir)]
    lignes = documents.lignes_emargement(a_venir, "structure")
    par_structure = [ligne["structure"] for ligne in lignes]
    assert par_structure == [f"Structure {i:02d}" for i in range(30)]
    assert par_nom != par_structure

    kind = type_document(documents.EMARGEMENT_STRUCTURE)
    html = rendu.rendre_html(kind.gabarit, kind.contexte(a_venir), titre=kind.titre(a_venir))
    resultat = rendu.rendre_pdf(html, variante=kind.variante, fetcher=StaticOnlyFetcher())
    assert resultat.pages >= 2
    assert "par structure puis par nom" in " ".join(poppler("pdftotext", resultat.pdf).split())
    lignes = poppler("pdftotext", resultat.pdf, "-layout")
    positions = [lignes.index(f"Structure {i:02d}") for i in range(30)]
    assert positions == sorted(positions)
    assert re.search(r"Camille Nom99\s+Structure 00", lignes)
    # Page 2 opens on the table's head, then its rows.
    page_2 = poppler("pdftotext", resultat.pdf, "-layout", "-f", "2", "-l", "2")
    entete = re.search(r"Nom\s+Structure\s+Fonction\s+Qualité\s+Signature", page_2)
    premiere_ligne = re.search(r"Camille Nom\d\d\s+Structure \d\d", page_2)
    assert entete and premiere_ligne and entete.start() < premiere_ligne.start()

    # Chosen on the séance's page: each order is its own PDF; a wrong choice changes nothing.
    client.force_login(pilotage)
    page = client.get(a_venir.get_absolute_url()).content.decode()
    assert 'name="tri" value="nom" checked' in page and 'value="structure"' in page
    url = reverse("comites:emargement_pdf", args=[a_venir.pk])
    assert client.post(url, {"tri": "structure"}).status_code == 302
    assert client.post(url, {"tri": "nom"}).status_code == 302
    assert client.post(url, {"tri": "structure"}).status_code == 302  # the same request
    assert sorted(DocumentRequest.objects.values_list("kind", flat=True)) == sorted(
        [documents.EMARGEMENT, documents.EMARGEMENT_STRUCTURE]
    )
    reponse = client.post(url, {"tri": "couleur"}, follow=True)
    assert "par nom ou par structure" in reponse.content.decode()
    assert DocumentRequest.objects.count() == 2


def test_a_sheet_by_structure_puts_those_without_one_last(copil):
    a_venir = SeanceFactory(instance=copil, statut=Seance.Statut.CONVOQUEE)
    ConvocationFactory(seance=a_venir, personne__nom="Ada Invitée", invite=True)
    for nom, structure in [("Zoé Membre", "Élan"), ("Yves Membre", "Accueil")]:
        acteur = ActeurFactory(departement=copil.departement, nom=structure)
        ConvocationFactory(seance=a_venir, personne__nom=nom, acteur=acteur)
    noms = [ligne["nom"] for ligne in documents.lignes_emargement(a_venir, "structure")]
    assert noms == ["Yves Membre", "Zoé Membre", "Ada Invitée"]
