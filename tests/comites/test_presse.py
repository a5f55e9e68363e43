"""What a press office publishes, as it publishes it: the communiqué's own date line and
figures of the year it chooses, read back from the PDF the workers make."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.urls import reverse

from actions.models import StatistiqueContexte
from comites import documents
from comites.models import Communique, Personne, Seance
from integration.documents import rendu
from integration.documents.moteur import StaticOnlyFetcher
from integration.documents.registre import type_document
from integration.models import Evenement
from tests.acteurs.factories import ActeurFactory, DepartementFactory, HabilitationFactory
from tests.comites.factories import SeanceFactory, SiegeFactory
from tests.poppler import poppler

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _fichiers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def seance(copil):
    # A meeting held years ago, entered now to write its release.
    return SeanceFactory(
        instance=copil,
        debut=datetime(2019, 6, 20, 14, 30, tzinfo=PARIS),
        fin=datetime(2019, 6, 20, 17, 0, tzinfo=PARIS),
        statut=Seance.Statut.TENUE,
        lieu="Préfecture, salle Louis-XVI",
    )


@pytest.fixture
def cabinet(seine_maritime):
    return HabilitationFactory(departement=seine_maritime, role="cabinet").user


def _statistiques(departement, annee, premiers_titres, cir):
    for indicateur, valeur in [("premiers_titres", premiers_titres), ("cir_signes", cir)]:
        StatistiqueContexte.objects.create(
            departement=departement, annee=annee, indicateur=indicateur, valeur=valeur,
            source="DGEF",
        )  # fmt: skip


def pdf_texte(obj, code=documents.COMMUNIQUE) -> str:
    """The PDF of OBJ as the workers make it, read back by pdftotext, on one line."""
    kind = type_document(code)
    html = rendu.rendre_html(kind.gabarit, kind.contexte(obj), titre=kind.titre(obj))
    resultat = rendu.rendre_pdf(html, variante=kind.variante, fetcher=StaticOnlyFetcher())
    return " ".join(poppler("pdftotext", resultat.pdf).split())


def _polices(pdf: bytes) -> dict[str, str]:
    """Each run of text of PDF and the name of the font it is drawn in."""
    polices = {}

    def visiteur(texte, cm, tm, police, taille):
        if texte.strip() and police:
            polices[texte.strip()] = str(police.get("/BaseFont", ""))

    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visiteur)
    return polices


def _poster(client, seance, **champs):
    donnees = {"titre": "Titre", "lieu_date": "Rouen, le 20 juin 2019", "texte": "Texte."}
    return client.post(reverse("comites:communique", args=[seance.pk]), {**donnees, **champs})


# --- 1. The date line is the document's -------------------------------------------------


def test_the_draft_is_dated_by_the_seance_and_the_pdf_prints_what_was_validated(
    client, seance, cabinet
):
    client.force_login(cabinet)
    page = client.get(reverse("comites:communique", args=[seance.pk])).content.decode()
    assert 'value="Rouen, le 20 juin 2019"' in page  # the séance's day, not today

    # Prepared the day before, under embargo: the PDF prints the line as typed.
    _poster(client, seance, lieu_date="Rouen, le 19 juin 2019", texte="Ouverture.")
    _poster(client, seance, lieu_date="Rouen, le 21 juin 2019", texte="Ouverture revue.")
    v1, v2 = Communique.objects.order_by("version")
    assert (v1.lieu_date, v2.lieu_date) == ("Rouen, le 19 juin 2019", "Rouen, le 21 juin 2019")
    texte = pdf_texte(v1)
    assert "Rouen, le 19 juin 2019" in texte and "21 juin" not in texte
    assert "décembre" not in texte  # never the day it was saved
    assert "Rouen, le 21 juin 2019" in pdf_texte(v2)
    export = client.get(reverse("comites:communique_texte", args=[seance.pk, 1])).content
    assert "Rouen, le 19 juin 2019" in export.decode()


def test_a_date_line_left_empty_changes_nothing(client, seance, cabinet):
    client.force_login(cabinet)
    response = _poster(client, seance, lieu_date="   ")
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not Communique.objects.exists()


def test_the_same_version_sent_twice_is_saved_once(client, seance, cabinet):
    client.force_login(cabinet)
    assert _poster(client, seance).status_code == 302
    assert _poster(client, seance).status_code == 302
    assert Communique.objects.count() == 1
    _poster(client, seance, texte="Autre texte.")
    assert list(Communique.objects.values_list("version", flat=True)) == [2, 1]


def test_an_older_version_without_a_date_line_prints_the_day_it_was_saved(seance, cabinet):
    version = Communique.objects.create(
        seance=seance, version=1, titre="T", texte="Rouen, le 3 mai 2026\n\nTexte.",
        cree_par=cabinet,
    )  # fmt: skip
    Communique.objects.filter(pk=version.pk).update(
        cree_le=datetime(2020, 10, 9, 11, 30, tzinfo=PARIS)
    )
    version.refresh_from_db()
    texte = pdf_texte(version)
    assert "Rouen, le 9 octobre 2020" in texte and "3 mai" not in texte


# --- 2. Figures chosen, not guessed ------------------------------------------------------


def test_the_figures_are_the_seances_year_or_the_latest_before(client, seance, cabinet):
    dep = seance.instance.departement
    _statistiques(dep, 2024, 372, 251)
    _statistiques(dep, 2018, 150, 120)
    client.force_login(cabinet)
    url = reverse("comites:communique", args=[seance.pk])
    page = client.get(url).content.decode()
    # None for 2019: the latest before the séance, said so; never 2024's.
    assert "les chiffres de 2018, les derniers connus avant la séance de 2019" in page
    assert "En 2018, 150 premiers titres" in page and "372" not in page
    assert "La même année, 120 contrats d&#x27;intégration républicaine" in page

    _statistiques(dep, 2019, 200, 160)
    page = client.get(url).content.decode()
    assert "les chiffres de 2019, l'année de la séance" in page
    assert "En 2019, 200 premiers titres" in page

    # The officer picks another year, or none; an unknown year proposes none.
    assert "En 2024, 372 premiers titres" in client.get(url, {"annee": "2024"}).content.decode()
    sans = client.get(url, {"annee": "aucune"}).content.decode()
    assert "Le projet ne cite aucun chiffre" in sans and "premiers titres" not in sans
    assert "premiers titres" not in client.get(url, {"annee": "1990"}).content.decode()


def test_the_pdf_prints_the_chosen_figures_after_the_opening_or_none(client, seance, cabinet):
    client.force_login(cabinet)
    chiffres = "En 2018, 150 premiers titres de séjour ont été délivrés."
    _poster(client, seance, texte="Ouverture.\n\nSuite.", chiffres=chiffres)
    texte = pdf_texte(Communique.objects.get())
    assert texte.index("Ouverture.") < texte.index(chiffres) < texte.index("Suite.")

    _poster(client, seance, texte="Ouverture.\n\nSuite.", chiffres="")
    assert "premiers titres" not in pdf_texte(Communique.objects.get(version=2))


# --- 3. A person's civility and function ---------------------------------------------------


def test_a_seat_is_added_with_its_holders_civility_and_function(client, pilotage, copil):
    acteur = ActeurFactory(departement=copil.departement)
    client.force_login(pilotage)
    client.post(reverse("comites:siege_ajouter", args=[copil.pk]), {
        "siege-role": "presidence", "siege-civilite": "mme", "siege-nom": "Claire Martin",
        "siege-fonction": "préfète de la  Seine-Maritime",
        "siege-courriel": "claire.martin@example.fr",
        "siege-acteur": acteur.pk, "siege-debut": "2026-01-15",
    })  # fmt: skip
    personne = copil.sieges.get().personne
    assert (personne.civilite, personne.fonction) == ("mme", "préfète de la Seine-Maritime")
    assert personne.designation == "Mme Claire Martin, préfète de la Seine-Maritime"
    page = client.get(copil.get_absolute_url()).content.decode()
    assert "préfète de la Seine-Maritime" in page


def test_the_pilotage_changes_a_persons_function_on_its_page(client, pilotage, partenaire, copil):
    siege = SiegeFactory(instance=copil, personne__nom="Claire Martin")
    url = reverse("comites:personne_modifier", args=[copil.pk, siege.pk])
    donnees = {"civilite": "mme", "nom": "Claire Martin", "fonction": "sous-préfète de Dieppe"}
    assert client.get(url).url.startswith(reverse("login"))
    client.force_login(partenaire)
    assert client.post(url, donnees).status_code in (403, 404)
    ailleurs = HabilitationFactory(departement=DepartementFactory(hautes_alpes=True),
                                   role="pilotage").user  # fmt: skip
    client.force_login(ailleurs)
    assert client.post(url, donnees).status_code == 404
    siege.personne.refresh_from_db()
    assert siege.personne.fonction == ""

    client.force_login(pilotage)
    assert client.get(url).status_code == 200
    assert client.post(url, donnees).status_code == 302
    assert client.post(url, donnees).status_code == 302  # sent twice: one change journalled
    siege.personne.refresh_from_db()
    assert siege.personne.nom_et_fonction == "Claire Martin, sous-préfète de Dieppe"
    assert Evenement.objects.filter(nature="personne.modification").count() == 1
    # A name left empty or an unknown civility is refused; nothing changes.
    assert client.post(url, {**donnees, "nom": " ", "fonction": "x"}).status_code == 200
    assert client.post(url, {**donnees, "civilite": "dr", "fonction": "x"}).status_code == 200
    siege.personne.refresh_from_db()
    assert siege.personne.fonction == "sous-préfète de Dieppe"


def test_the_presidente_with_her_function_in_the_communique_and_the_compte_rendu(
    client, seance, cabinet
):
    seance.preside_par = Personne.objects.create(
        departement=seance.instance.departement, civilite="mme", nom="Claire Martin",
        fonction="préfète de la Seine-Maritime", courriel="claire.martin@example.fr",
    )  # fmt: skip
    seance.compte_rendu = "<p>Échanges nourris.</p>"
    seance.save()
    client.force_login(cabinet)
    page = client.get(reverse("comites:communique", args=[seance.pk])).content.decode()
    assert "sous la présidence de Claire Martin, préfète de la Seine-Maritime." in page
    _poster(client, seance, texte="Sous la présidence de Claire Martin, préfète de la "
            "Seine-Maritime, la préfecture a réuni le comité.")  # fmt: skip
    assert "Claire Martin, préfète de la Seine-Maritime" in pdf_texte(Communique.objects.get())
    compte_rendu = pdf_texte(seance, documents.COMPTE_RENDU)
    assert "Présidente Mme Claire Martin, préfète de la Seine-Maritime" in compte_rendu
    emargement = pdf_texte(seance, documents.EMARGEMENT)
    assert "Présidence : Mme Claire Martin, préfète de la Seine-Maritime" in emargement


# --- 4. A quotation ------------------------------------------------------------------------


def test_a_quotation_in_italics_between_quotation_marks_with_its_author(client, seance, cabinet):
    client.force_login(cabinet)
    _poster(
        client, seance, texte="Ouverture.",
        citation_auteur="Claire Martin, préfète de la Seine-Maritime",
        citation="« L'intégration est l'affaire de tous <b>ici</b>. »",
    )  # fmt: skip
    version = Communique.objects.get()
    assert version.citation == "L'intégration est l'affaire de tous <b>ici</b>."  # marks: ours
    kind = type_document(documents.COMMUNIQUE)
    html = rendu.rendre_html(kind.gabarit, kind.contexte(version), titre=kind.titre(version))
    assert "<blockquote><p>«&nbsp;L" in html and "&lt;b&gt;ici&lt;/b&gt;" in html
    texte = pdf_texte(version)
    assert "« L’intégration est l’affaire de tous <b>ici</b>. »" in texte
    assert texte.index("Ouverture.") < texte.index("« L’intégration")
    assert "Claire Martin, préfète de la Seine-Maritime" in texte
    page = client.get(reverse("comites:communique", args=[seance.pk])).content.decode()
    assert 'class="fr-quote' in page and "&lt;b&gt;ici&lt;/b&gt;" in page
    export = client.get(reverse("comites:communique_texte", args=[seance.pk, 1])).content
    assert "« L'intégration est l'affaire de tous <b>ici</b>. »" in export.decode()


def test_the_quotation_is_in_italics_in_the_pdf(seance, cabinet):
    version = Communique.objects.create(
        seance=seance, version=1, titre="T", lieu_date="Rouen, le 20 juin 2019", texte="Texte.",
        citation="Mots cités", citation_auteur="Claire Martin", cree_par=cabinet,
    )  # fmt: skip
    kind = type_document(documents.COMMUNIQUE)
    html = rendu.rendre_html(kind.gabarit, kind.contexte(version), titre=kind.titre(version))
    pdf = rendu.rendre_pdf(html, variante=kind.variante, fetcher=StaticOnlyFetcher()).pdf
    polices = _polices(pdf)
    assert "Italic" in polices["«\u00a0Mots cités\u00a0»"] and "Italic" not in polices["Texte."]


def test_a_quotation_without_its_author_is_refused_and_changes_nothing(client, seance, cabinet):
    client.force_login(cabinet)
    response = _poster(client, seance, citation="Des mots sans auteur")
    assert response.status_code == 200
    assert "Indiquez qui est cité" in response.content.decode()
    assert not Communique.objects.exists()


# --- 5. A release that reads as news: a past comité replayed ------------------------------


def _comite_de_gap(cabinet_ha, departement):
    """The first COPIL of the Hautes-Alpes, held on 20 June 2019, entered years later
    through the services as the pilotage does: planned, attendance, ordre du jour,
    decisions, working groups; no convocation sent."""
    from acteurs.models import Acteur
    from comites import services
    from tests.comites.factories import InstanceFactory

    copil = InstanceFactory(departement=departement, nom="COPIL des Hautes-Alpes")
    prefete = services.personne_pour(
        departement, nom="Claire Martin", courriel="claire.martin@example.fr",
        civilite="mme", fonction="préfète des Hautes-Alpes",
    )  # fmt: skip
    seance = services.planifier(
        copil, debut=datetime(2019, 6, 20, 14, 30, tzinfo=PARIS),
        fin=datetime(2019, 6, 20, 17, 0, tzinfo=PARIS), lieu="Préfecture, salle des fêtes",
        preside_par=prefete, by=cabinet_ha,
    )  # fmt: skip
    convocations = [services.inviter(seance, prefete, invite=False)]
    for i, type_ in enumerate([Acteur.Type.COLLECTIVITE, Acteur.Type.SERVICE_ETAT,
                               Acteur.Type.ASSOCIATION]):  # fmt: skip
        personne = services.personne_pour(departement, nom=f"Membre {i}",
                                          courriel=f"membre{i}@example.fr")  # fmt: skip
        acteur = ActeurFactory(departement=departement, type=type_)
        convocations.append(services.inviter(seance, personne, acteur=acteur))
    services.emarger(seance, {c.pk: ("present", "") for c in convocations}, by=cabinet_ha)
    services.ajouter_point(seance, titre="Bilan des actions 2018")
    services.ajouter_point(seance, titre="Santé")  # also a group: said once, with them
    for texte in ["Réunir les groupes de travail au second semestre",
                  "Organiser la validation du plan d'actions début 2020"]:  # fmt: skip
        services.relever_decision(seance, texte=texte, responsable="DDCSPP", by=cabinet_ha)
    for theme in ["Santé", "Emploi et formation", "Vie quotidienne"]:
        InstanceFactory(departement=departement, groupe=True, theme=theme, parent=copil)
    for annee, titres in [(2018, 372), (2024, 500)]:
        _statistiques(departement, annee, titres, 251)
    return seance


def test_a_past_comite_replayed_gives_a_release_that_reads_as_news(client, hautes_alpes):
    hautes_alpes.adresse = "28, rue Saint-Arey\n05011 Gap Cedex"
    hautes_alpes.contact_presse_service = "Bureau de la communication interministérielle"
    hautes_alpes.contact_presse_telephone = "04 92 40 48 00"
    hautes_alpes.save()
    cabinet_ha = HabilitationFactory(departement=hautes_alpes, role="cabinet").user
    seance = _comite_de_gap(cabinet_ha, hautes_alpes)
    assert not seance.convocations.exclude(envoyee_le=None).exists()  # nobody e-mailed
    client.force_login(cabinet_ha)
    url = reverse("comites:communique", args=[seance.pk])
    projet = client.get(url).context["form"].initial

    assert projet["titre"] == (
        "Intégration des étrangers : un premier comité de pilotage lance trois groupes de travail"
    )
    assert projet["lieu_date"] == "Gap, le 20 juin 2019"
    paragraphes = projet["texte"].split("\n\n")
    assert paragraphes[0] == (
        "Le comité de pilotage de la stratégie départementale d'intégration des étrangers "
        "s'est réuni pour la première fois le jeudi 20 juin 2019 (Préfecture, salle des fêtes), "
        "sous la présidence de Claire Martin, préfète des Hautes-Alpes. Il rassemble les "
        "structures qui accompagnent au quotidien les primo-arrivants et les réfugiés : "
        "collectivités locales, services de l'État et partenaires associatifs."
    )
    assert paragraphes[1] == "À l'ordre du jour : bilan des actions 2018."
    assert paragraphes[2] == (
        "À l'issue de la réunion, il a été décidé :\n"
        "- de réunir les groupes de travail au second semestre ;\n"
        "- d'organiser la validation du plan d'actions début 2020."
    )
    assert paragraphes[3].startswith(
        "Trois groupes de travail thématiques sont lancés :\n- santé ;"
    )
    assert projet["texte"].lower().count("santé") == 1  # listed once
    assert "axes de travail" not in projet["texte"]
    assert paragraphes[-1].startswith("Le gouvernement entend")  # the generic one, last
    assert projet["chiffres"].startswith("En 2018, 372 premiers titres")

    # The officer keeps the proposal, adds the préfète's words, saves; the PDF reads back.
    donnees = {**projet, "citation_auteur": "Claire Martin, préfète des Hautes-Alpes",
               "citation": "Chacun a sa place dans ce réseau."}  # fmt: skip
    assert client.post(url, donnees).status_code == 302
    texte = pdf_texte(Communique.objects.get())
    for attendu in [
        "Gap, le 20 juin 2019",
        "sous la présidence de Claire Martin, préfète des Hautes-Alpes",
        "En 2018, 372 premiers titres de séjour",
        "« Chacun a sa place dans ce réseau. » Claire Martin, préfète des Hautes-Alpes",
        "Bureau de la communication interministérielle",
        "28, rue Saint-Arey 05011 Gap Cedex",
    ]:
        assert attendu in texte, attendu
    assert "500" not in texte and "2024" not in texte
    assert texte.index("des Hautes-Alpes. Il rassemble") < texte.index("En 2018, 372")


# --- 6. Press contacts kept by the département's pilotage ----------------------------------


def test_the_pilotage_keeps_the_press_contacts_and_nobody_else(
    client, seine_maritime, pilotage, cabinet, partenaire
):
    url = reverse("acteurs:contacts_presse")
    donnees = {
        "contact_presse_service": "Cabinet du préfet\nBureau de la communication",
        "contact_presse_telephone": "0232765014",
        "contact_presse_courriel": "presse@seine-maritime.gouv.fr",
        "adresse": "7, place de la Madeleine\n76036 Rouen Cedex",
        "site_web": "https://www.seine-maritime.gouv.fr",
    }
    assert client.get(url).url.startswith(reverse("login"))
    for autre in (cabinet, partenaire):
        client.force_login(autre)
        assert client.post(url, donnees).status_code == 403
    client.force_login(pilotage)
    assert client.get(url).status_code == 200
    assert client.post(url, donnees).status_code == 302
    assert client.post(url, donnees).status_code == 302  # twice: one change journalled
    seine_maritime.refresh_from_db()
    assert seine_maritime.contact_presse_telephone == "02 32 76 50 14"
    assert seine_maritime.site_web == "https://www.seine-maritime.gouv.fr"
    assert Evenement.objects.filter(nature="departement.modification").count() == 1
    # A bad phone number is told in French; nothing changes.
    reponse = client.post(url, {**donnees, "contact_presse_telephone": "abc", "adresse": "X"})
    assert reponse.status_code == 200 and "téléphone" in reponse.content.decode().lower()
    seine_maritime.refresh_from_db()
    assert seine_maritime.adresse.startswith("7, place")


def test_the_press_office_keeps_its_own_contacts_too_journalled(
    client, seine_maritime, communication
):
    url = reverse("acteurs:contacts_presse")
    donnees = {
        "contact_presse_service": "Service de la communication interministérielle",
        "contact_presse_telephone": "0232765015",
        "contact_presse_courriel": "communication@seine-maritime.gouv.fr",
        "adresse": "7, place de la Madeleine\n76036 Rouen Cedex",
        "site_web": "",
    }
    client.force_login(communication)
    assert client.get(url).status_code == 200
    assert client.post(url, donnees).status_code == 302
    seine_maritime.refresh_from_db()
    assert seine_maritime.contact_presse_telephone == "02 32 76 50 15"
    entree = Evenement.objects.get(nature="departement.modification")
    assert entree.par == communication


def test_the_contacts_are_labelled_with_the_website_and_never_alone_on_a_page(
    seance, seine_maritime, cabinet
):
    seine_maritime.contact_presse_service = "Bureau de la communication"
    seine_maritime.site_web = "https://www.seine-maritime.gouv.fr/"
    seine_maritime.save()
    # A text whose last paragraph ends near the foot of page 1: laid out alone, the
    # contacts would open page 2 by themselves.
    long = "\n\n".join(["Ouverture.", *["des mots de la réunion " * 30] * 3, "Fin " + "mot " * 80])
    version = Communique.objects.create(seance=seance, version=1, titre="T", texte=long,
                                        lieu_date="Rouen", cree_par=cabinet)  # fmt: skip
    kind = type_document(documents.COMMUNIQUE)
    html = rendu.rendre_html(kind.gabarit, kind.contexte(version), titre=kind.titre(version))
    resultat = rendu.rendre_pdf(html, variante=kind.variante, fetcher=StaticOnlyFetcher())
    derniere = poppler("pdftotext", resultat.pdf, "-f", str(resultat.pages), "-l",
                       str(resultat.pages))  # fmt: skip
    assert "CONTACTS PRESSE" in derniere and "www.seine-maritime.gouv.fr" in derniere
    assert "https://" not in derniere
    assert resultat.pages == 2
    assert "Fin mot" in derniere  # the text's end goes with its contacts


# --- 7. The sign-in sheet ------------------------------------------------------------------


def test_the_sign_in_sheet_by_surname_with_functions_and_blank_rows(copil):
    from tests.comites.factories import ConvocationFactory

    a_venir = SeanceFactory(instance=copil, statut=Seance.Statut.CONVOQUEE)
    for nom, fonction in [("Sophie Durand", ""), ("Claire MARTIN", "préfète"),
                          ("Anne Élie", ""), ("Élise Durand", "directrice de la DDETS"),
                          ("Zoé Abel", "")]:  # fmt: skip
        ConvocationFactory(seance=a_venir, personne__nom=nom, personne__fonction=fonction)
    noms = [ligne["nom"] for ligne in documents.lignes_emargement(a_venir)]
    assert noms == ["Zoé Abel", "Élise Durand", "Sophie Durand", "Anne Élie", "Claire MARTIN"]

    kind = type_document(documents.EMARGEMENT)
    html = rendu.rendre_html(kind.gabarit, kind.contexte(a_venir), titre=kind.titre(a_venir))
    assert html.count('<tr class="libre">') == 5  # for those who come uninvited
    texte = pdf_texte(a_venir, documents.EMARGEMENT)
    assert "Fonction" in texte and "directrice de la DDETS" in texte
    assert texte.index("Élise Durand") < texte.index("Sophie Durand") < texte.index("Anne Élie")


# --- 8. The compte rendu -------------------------------------------------------------------


def test_minutes_typed_as_text_show_paragraphs_and_lists_on_the_page_and_in_the_pdf(
    client, pilotage, seance
):
    from comites.models import Instance
    from tests.comites.factories import InstanceFactory

    InstanceFactory(departement=seance.instance.departement, groupe=True, theme="Santé",
                    nom="Groupe santé", parent=seance.instance)  # fmt: skip
    client.force_login(pilotage)
    texte = (
        "La préfète ouvre la séance.\nElle remercie les partenaires.\n\n"
        "Trois sujets :\n- la santé ;\n- l'emploi & la formation ;\n- <script>x</script>\n\n"
        "Fin des échanges."
    )
    url = reverse("comites:compte_rendu", args=[seance.pk])
    assert client.post(url, {"compte_rendu-compte_rendu": texte}).status_code == 302
    page = client.get(seance.get_absolute_url()).content.decode()
    bloc = page.split('<div class="compte-rendu">')[1].split("</div>")[0]
    assert "<p>La préfète ouvre la séance.<br>Elle remercie les partenaires.</p>" in bloc
    assert "<ul><li>la santé\u202f;</li><li>l’emploi &amp; la formation\u202f;</li>" in bloc
    assert "<script" not in bloc and "<ul>" in bloc
    assert "<p>Fin des échanges.</p>" in bloc

    seance.refresh_from_db()
    kind = type_document(documents.COMPTE_RENDU)
    html = rendu.rendre_html(kind.gabarit, kind.contexte(seance), titre=kind.titre(seance))
    assert bloc in html  # the same filter for the page and the PDF
    pdf = pdf_texte(seance, documents.COMPTE_RENDU)
    assert "• la santé ;" in pdf
    assert "Groupes de travail lancés" in pdf and "Groupe santé — Santé" in pdf
    assert "Rouen, le 20 juin 2019" in pdf  # the séance's day
    assert Instance.objects.filter(parent=seance.instance).count() == 1


# --- 9. A past meeting recorded without convening ------------------------------------------


def test_a_past_seance_is_recorded_as_held_without_any_email(
    client, pilotage, partenaire, copil, mailoutbox
):
    from integration.models import OutboxTask

    SiegeFactory.create_batch(3, instance=copil, debut=datetime(2018, 1, 1).date())
    SiegeFactory(instance=copil, debut=datetime(2020, 1, 1).date())  # not yet a member then
    url = reverse("comites:seance_passee", args=[copil.pk])
    donnees = {"debut": "2019-06-20T14:30", "fin": "2019-06-20T17:00", "lieu": "Préfecture"}
    client.force_login(partenaire)
    assert client.post(url, donnees).status_code in (403, 404)
    client.force_login(pilotage)
    assert client.get(url).status_code == 200
    assert client.post(url, donnees).status_code == 302
    assert client.post(url, donnees).status_code == 200  # sent twice: one séance
    (seance,) = copil.seances.all()
    assert seance.statut == Seance.Statut.TENUE
    assert seance.convocations.count() == 3
    assert not seance.convocations.exclude(envoyee_le=None).exists()
    assert mailoutbox == [] and not OutboxTask.objects.exists()
    # A meeting still to come is planned and convened, not recorded.
    futur = {"debut": "2099-06-20T14:30", "fin": "2099-06-20T17:00", "lieu": "Préfecture"}
    reponse = client.post(url, futur)
    assert reponse.status_code == 200 and "pas encore eu lieu" in reponse.content.decode()
    assert copil.seances.count() == 1
