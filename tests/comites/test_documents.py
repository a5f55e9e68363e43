"""The comités' documents rendered for real and read back: the communiqué de presse, the
compte rendu and the feuille d'émargement; then the buttons that ask for them, who may,
and the download of what the pipeline produced."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from comites import documents, services
from comites.models import Communique, Seance
from integration.documents import rendu
from integration.documents.moteur import StaticOnlyFetcher
from integration.documents.registre import type_document
from integration.models import DocumentRequest
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    MembreFactory,
    UserFactory,
)
from tests.comites.factories import (
    ConvocationFactory,
    DecisionFactory,
    PersonneFactory,
    SeanceFactory,
    SiegeFactory,
)
from tests.poppler import pixels, poppler

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
HOSTILE = '<script>alert(1)</script> <img src="file:///etc/passwd">'
FINE = "\u202f"  # the narrow no-break space before ! ? ;
BLOC_MARQUE = ["PRÉFET", "DE LA SEINE-", "MARITIME", "Liberté", "Égalité", "Fraternité"]


@pytest.fixture(autouse=True)
def _fichiers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def departement(seine_maritime):
    seine_maritime.contact_presse_service = "\n".join(
        ["Cabinet du préfet", "Service régional et départemental",
         "de la communication interministérielle"]
    )  # fmt: skip
    seine_maritime.contact_presse_telephone = "02 32 76 50 14"
    seine_maritime.contact_presse_courriel = "pref-communication@seine-maritime.gouv.fr"
    seine_maritime.save()
    return seine_maritime


@pytest.fixture
def seance(departement, copil):
    return SeanceFactory(
        instance=copil,
        passee=True,
        statut=Seance.Statut.TENUE,
        lieu="Préfecture, salle Louis-XVI",
        preside_par=PersonneFactory(departement=departement, nom="Élise Durand"),
    )


def _communique(seance, *, titre, texte, le=datetime(2020, 10, 9, 11, 30, tzinfo=PARIS)):
    version = Communique.objects.create(
        seance=seance, version=1, titre=titre, texte=texte, cree_par=UserFactory()
    )
    Communique.objects.filter(pk=version.pk).update(cree_le=le)
    version.refresh_from_db()
    return version


def _rendre(code, obj):
    """The PDF of kind CODE for OBJ, as the workers make it, and what its fetcher refused."""
    kind = type_document(code)
    fetcher = StaticOnlyFetcher()
    html = rendu.rendre_html(kind.gabarit, kind.contexte(obj), titre=kind.titre(obj))
    resultat = rendu.rendre_pdf(html, variante=kind.variante, fetcher=fetcher)
    return html, resultat, fetcher.refusees


def _caracteres(pdf: bytes) -> str:
    """The PDF's text as pypdf reads it: the exact characters (no-break spaces stay)."""
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _texte(pdf: bytes) -> str:
    """The PDF's text in reading order (poppler), every space as a plain one."""
    return poppler("pdftotext", pdf)


def _lignes(pdf: bytes) -> list[str]:
    """The PDF's lines as laid out (a hyphen at a line's end stays, as in the bloc-marque)."""
    return [
        ligne.strip()
        for ligne in poppler("pdftotext", pdf, "-layout").splitlines()
        if ligne.strip()
    ]


def _plat(texte: str) -> str:
    """TEXTE with its line breaks and runs of spaces as one space: a wrapped line reads on."""
    return " ".join(texte.split())


# --- Communiqué de presse -----------------------------------------------------------------


def test_the_communique_reads_like_a_prefecture_press_release(seance):
    version = _communique(
        seance,
        titre="La préfecture s'engage pour l'intégration des réfugiés",
        texte=(
            "Rouen, le 3 mai 2026\n\n"  # the draft's own date line: printed once, above
            "Le gouvernement entend mener une politique volontariste.\n\n"
            "Réunion réussie ! Les acteurs étaient très présents.\n"
            "Deuxième ligne du même paragraphe.\n\n" + HOSTILE
        ),
    )
    html, resultat, refusees = _rendre(documents.COMMUNIQUE, version)

    assert resultat.pages == 1
    texte = _plat(_texte(resultat.pdf))
    lignes = _lignes(resultat.pdf)
    assert lignes[:6] == BLOC_MARQUE
    assert "COMMUNIQUÉ DE PRESSE" in lignes
    assert "La préfecture s’engage pour l’intégration des réfugiés" in texte
    # Issued the day the version was saved, in the chef-lieu; the draft's line is not repeated.
    assert "Rouen, le 9 octobre 2020" in lignes
    assert "3 mai 2026" not in texte
    assert lignes.index("COMMUNIQUÉ DE PRESSE") < lignes.index("Rouen, le 9 octobre 2020")
    assert "Le gouvernement entend mener une politique volontariste." in texte
    assert "Deuxième ligne du même paragraphe." in texte
    # The contacts at the foot: the service, phone and e-mail with French colons, address.
    assert "Cabinet du préfet" in lignes
    assert "de la communication interministérielle" in lignes
    caracteres = _caracteres(resultat.pdf)
    assert "Tél\u00a0: 02 32 76 50 14" in caracteres
    assert "Mél\u00a0: pref-communication@seine-maritime.gouv.fr" in caracteres
    # The address closes the text; only the running footer and the page number follow.
    fin = lignes.index("7, place de la Madeleine")
    assert lignes[fin + 1] == "76036 Rouen Cedex"
    pied = " ".join(lignes[fin + 2 :])
    assert "Préfet de la Seine-Maritime — Communiqué de presse" in pied and "page 1 / 1" in pied
    # User text is text: printed as typed, nothing fetched for it.
    assert HOSTILE in texte
    assert refusees == []


def test_the_communique_keeps_french_spacing_before_an_exclamation_mark(seance):
    version = _communique(seance, titre="Titre", texte="Réunion réussie ! Merci à tous.")
    html, resultat, _ = _rendre(documents.COMMUNIQUE, version)
    assert f"Réunion réussie{FINE}!" in html
    # Marianne has no glyph of its own for U+202F: the engine sets a narrow space, which a
    # text reader gives back as a space. Its width tells it from an ordinary space.
    mots = re.findall(
        r'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]+)</word>',
        poppler("pdftotext", resultat.pdf, "-bbox"),
    )
    boites = {mot: (float(x1), float(x2)) for x1, x2, mot in mots}
    espace = boites["réussie"][0] - boites["Réunion"][1]
    fine = boites["!"][0] - boites["réussie"][1]
    assert 0 < fine < 0.75 * espace
    assert "Réunion réussie !" in poppler("pdftotext", resultat.pdf, "-layout")


def test_a_word_cut_at_a_line_end_keeps_the_marianne_font(seance):
    """Justified French text is hyphenated: the hyphen is drawn in Marianne too, so the
    document embeds the State's font alone."""
    texte = " ".join(["Les intercommunalités contractualisent l'accompagnement"] * 40)
    _, resultat, _ = _rendre(documents.COMMUNIQUE, _communique(seance, titre="T", texte=texte))

    lignes = [ligne.rstrip() for ligne in _lignes(resultat.pdf)]
    assert any(ligne[-2:-1].isalpha() and ligne.endswith("-") for ligne in lignes), lignes
    polices = poppler("pdffonts", resultat.pdf).splitlines()[2:]
    assert polices and all("Marianne" in ligne for ligne in polices), polices


@pytest.mark.usefixtures("statiques_de_production")
def test_in_production_the_communique_keeps_its_marianne_and_its_stylesheet(seance):
    """With PRODUCTION=true `{% static %}` gives hashed names (marianne.<hash>.svg): the
    workers' fetcher serves them from the collected files instead of refusing them."""
    version = _communique(seance, titre="Titre", texte="Le gouvernement entend agir.")

    html, resultat, refusees = _rendre(documents.COMMUNIQUE, version)

    assert "/static/documents/marianne.svg" not in html  # the hashed name, as in production
    assert refusees == []
    # The Marianne is drawn: its flag's red is on the page.
    assert _pixels_rouges(resultat.pdf) > 20
    # The communiqué's own stylesheet is applied: the press contacts in 9 pt, under the
    # text's 10 pt, and Marianne, the State's font, embedded.
    hauteurs = _hauteurs_des_mots(resultat.pdf)
    assert hauteurs["Cabinet"] < 0.95 * hauteurs["gouvernement"]
    polices = _pdffonts(resultat.pdf)
    assert polices and all("Marianne" in ligne and " yes " in ligne for ligne in polices)


def _pixels_rouges(pdf: bytes) -> int:
    """How many pixels of the first page, drawn by poppler at 30 dpi, are the flag's red."""
    rouges = [p for p in pixels(pdf, "-r", "30", "-f", "1", "-l", "1") if _rouge(*p)]
    return len(rouges)


def _rouge(r: int, v: int, b: int) -> bool:
    return r > 180 and v < 60 and b < 60


def _hauteurs_des_mots(pdf: bytes) -> dict[str, float]:
    """Each word's height on the page, in points (poppler's boxes): its font size's measure."""
    mots = re.findall(
        r'yMin="([\d.]+)"[^>]*yMax="([\d.]+)"[^>]*>([^<]+)</word>',
        poppler("pdftotext", pdf, "-bbox"),
    )
    return {mot: float(y2) - float(y1) for y1, y2, mot in mots}


def _pdffonts(pdf: bytes) -> list[str]:
    """Poppler's list of the PDF's fonts, one line each (name, type, …, embedded, …)."""
    return poppler("pdffonts", pdf).splitlines()[2:]


# --- Compte rendu ---------------------------------------------------------------------------


def test_the_compte_rendu_shows_who_met_what_was_said_and_decided(seance, pilotage):
    structure = ActeurFactory(departement=seance.instance.departement, nom="CCAS de Rouen")
    ConvocationFactory(seance=seance, personne__nom="Anne Présente", acteur=structure,
                       presence="present")  # fmt: skip
    ConvocationFactory(seance=seance, personne__nom="Bruno Excusé", presence="excuse")
    ConvocationFactory(seance=seance, personne__nom="Chloé Représentée", presence="represente",
                       presence_represente_par="Paul Roy")  # fmt: skip
    services.ajouter_point(seance, titre="Bilan des actions de l'année écoulée",
                           description=HOSTILE)  # fmt: skip
    services.enregistrer_compte_rendu(
        seance, f"<h3>Ouverture</h3><p>Le préfet ouvre la séance : bienvenue !</p>{HOSTILE}",
        by=pilotage,
    )  # fmt: skip
    Seance.objects.filter(pk=seance.pk).update(
        compte_rendu_le=datetime(2026, 6, 22, 9, tzinfo=PARIS)
    )
    seance.refresh_from_db()
    DecisionFactory(seance=seance, texte="Lancer un groupe de travail santé",
                    responsable="DDETS", echeance=date(2026, 9, 30))  # fmt: skip

    html, resultat, refusees = _rendre(documents.COMPTE_RENDU, seance)

    texte = _plat(_texte(resultat.pdf))
    lignes = _lignes(resultat.pdf)
    assert lignes[:6] == BLOC_MARQUE
    assert "COMPTE RENDU" in lignes and "COPIL intégration" in lignes
    # Dated by the séance, not by the day it was written up (22 June).
    assert f"Rouen, le {documents.date_longue(timezone.localtime(seance.debut))}" in lignes
    assert "22 juin 2026" not in texte
    assert "Préfecture, salle Louis-XVI" in texte
    assert "Élise Durand" in texte
    assert "Anne Présente (CCAS de Rouen)" in texte
    assert "Bruno Excusé" in texte
    assert "Chloé Représentée" in texte and "représenté(e) par Paul Roy" in texte
    assert "Bilan des actions de l’année écoulée" in texte
    assert HOSTILE in texte  # a point's description is text
    # The compte rendu is sanitised HTML: its structure shows, the script and image do not.
    assert "Ouverture" in lignes
    assert "Le préfet ouvre la séance : bienvenue !" in texte
    assert "alert(1)" not in html.split('class="compte-rendu"')[1].split("</div>")[0]
    assert "Lancer un groupe de travail santé" in texte
    assert "DDETS" in texte and "30 septembre 2026" in texte
    assert resultat.pages >= 1
    assert refusees == []


def test_html_written_around_the_service_is_cleaned_again_before_the_engine(seance):
    Seance.objects.filter(pk=seance.pk).update(
        compte_rendu='<p>Texte</p><img src="file:///etc/passwd"><script>alert(1)</script>'
    )
    seance.refresh_from_db()
    html, resultat, refusees = _rendre(documents.COMPTE_RENDU, seance)
    assert "/etc/passwd" not in html and "<script>" not in html
    assert refusees == []
    assert "Texte" in _texte(resultat.pdf)


# --- Feuille d'émargement -------------------------------------------------------------------


def _convoques(seance, n):
    """N members of the instance convened, each for their structure; one guest more."""
    for i in range(n):
        siege = SiegeFactory(
            instance=seance.instance,
            role="presidence" if i == 0 else "membre",
            personne__nom=f"Membre {i:02d} Éloïse",
            acteur__nom=f"Structure n° {i:02d}",
        )
        ConvocationFactory(seance=seance, personne=siege.personne, acteur=siege.acteur)
    ConvocationFactory(seance=seance, personne__nom="Zoé Invitée", invite=True)


def test_the_sign_in_sheet_lists_every_invitee_with_a_blank_signature(
    copil, django_assert_num_queries
):
    a_venir = SeanceFactory(instance=copil, statut=Seance.Statut.CONVOQUEE)
    _convoques(a_venir, 30)
    with django_assert_num_queries(2):
        lignes = documents.lignes_emargement(a_venir)
    assert len(lignes) == 31
    assert [ligne["nom"] for ligne in lignes] == sorted(ligne["nom"] for ligne in lignes)

    html, resultat, refusees = _rendre(documents.EMARGEMENT, a_venir)

    reader = pypdf.PdfReader(io.BytesIO(resultat.pdf))
    largeur, hauteur = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert largeur > hauteur  # landscape
    assert resultat.pages == len(reader.pages) >= 2
    premiere = reader.pages[0].extract_text()
    assert len(re.findall(r"Membre \d\d Éloïse", premiere)) >= 10  # ten rows at least
    texte = poppler("pdftotext", resultat.pdf, "-layout")
    assert _lignes(resultat.pdf)[:6] == BLOC_MARQUE
    assert "FEUILLE D'ÉMARGEMENT" in texte and "31 personnes invitées" in texte
    for i in range(30):
        assert re.search(rf"Membre {i:02d} Éloïse\s+Structure n° {i:02d}", texte)
    assert "Présidence" in texte and "Invité(e)" in texte and "Zoé Invitée" in texte
    # The table's head is on every page; no attendance column before the séance.
    for page in reader.pages:
        assert "Signature" in page.extract_text()
    assert "Présence" not in texte
    assert refusees == []


def test_before_any_convocation_the_sheet_lists_the_composition(copil):
    planifiee = SeanceFactory(instance=copil)
    SiegeFactory(instance=copil, personne__nom="Yves Siégeant", acteur__nom="OFII")
    ConvocationFactory(seance=planifiee, personne__nom="Ada Invitée", invite=True)
    lignes = documents.lignes_emargement(planifiee)
    assert [(ligne["nom"], ligne["structure"], ligne["qualite"]) for ligne in lignes] == [
        ("Ada Invitée", "", "Invité(e)"), ("Yves Siégeant", "OFII", "Membre"),
    ]  # fmt: skip


def test_after_the_seance_the_sheet_shows_the_attendance_recorded(seance):
    _convoques(seance, 3)
    convocations = list(seance.convocations.order_by("personne__nom"))
    presences = {
        convocations[0].pk: ("present", ""),
        convocations[1].pk: ("excuse", ""),
        convocations[2].pk: ("represente", "Paul Roy"),
        convocations[3].pk: ("absent", ""),
    }
    services.emarger(seance, presences, by=UserFactory())
    seance.refresh_from_db()

    _html, resultat, _ = _rendre(documents.EMARGEMENT, seance)

    texte = poppler("pdftotext", resultat.pdf, "-layout")
    assert re.search(r"Membre 00 Éloïse\s+Structure n° 00\s+—\s+Présidence\s+Présent", texte)
    assert re.search(r"Membre 01 Éloïse\s+Structure n° 01\s+—\s+Membre\s+Excusé", texte)
    # The attendance may wrap in its cell: read it from the plain text.
    assert "Représenté(e) par Paul Roy" in _plat(_texte(resultat.pdf))
    assert re.search(r"Zoé Invitée\s+—\s+—\s+Invité\(e\)\s+Absent", texte)
    assert "Présence" in texte and "Signature" in texte


# --- The buttons, who may press them, and the download ----------------------------------


@pytest.fixture
def partenaire(seance):
    """A partner convened to the séance: reads it, may not communicate about it."""
    membre = MembreFactory(acteur=ActeurFactory(departement=seance.instance.departement))
    personne = PersonneFactory(departement=seance.instance.departement, user=membre.user,
                               courriel=membre.user.email)  # fmt: skip
    ConvocationFactory(seance=seance, personne=personne, acteur=membre.acteur)
    return membre.user


@pytest.fixture
def cabinet(seance):
    return HabilitationFactory(departement=seance.instance.departement, role="cabinet").user


@pytest.fixture
def cabinet_ailleurs(db):
    return HabilitationFactory(
        departement=DepartementFactory(hautes_alpes=True), role="cabinet"
    ).user


def test_exporting_a_communique_version_for_the_press_service(
    client, seance, cabinet, cabinet_ailleurs, partenaire, apres_commit
):
    version = _communique(seance, titre="Les acteurs de l'intégration réunis",
                          texte="Une réunion fructueuse !")  # fmt: skip
    url = reverse("comites:communique_pdf", args=[seance.pk, version.version])

    assert client.post(url).url.startswith(reverse("login"))
    client.force_login(cabinet_ailleurs)
    assert client.post(url).status_code == 404
    client.force_login(partenaire)
    assert client.post(url).status_code == 403
    client.force_login(cabinet)
    assert client.get(url).status_code == 405  # asking for a document is a POST
    page = client.get(reverse("comites:communique", args=[seance.pk])).content.decode()
    assert f'action="{url}"' in page and "Exporter en PDF" in page
    with apres_commit():
        response = client.post(url)
    document = DocumentRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("documents:suivi", args=[document.pk])
    assert document.status == DocumentRequest.Status.DONE
    assert document.filename == f"communique-{seance.pk}-v1.pdf"

    suivi = client.get(response.url).content.decode()
    assert "Communiqué de presse" in suivi and "Les acteurs de l&#x27;intégration réunis" in suivi
    telechargement = client.get(reverse("documents:telecharger", args=[document.pk]))
    assert telechargement.status_code == 200
    assert telechargement["Content-Type"] == "application/pdf"
    pdf = b"".join(telechargement.streaming_content)
    assert pdf.startswith(b"%PDF")
    assert "Les acteurs de l’intégration réunis" in _texte(pdf)
    # The same version asked again: the same document, not a second rendering.
    assert client.post(url).url == response.url
    assert DocumentRequest.objects.count() == 1

    for autre in (cabinet_ailleurs, partenaire):
        client.force_login(autre)
        assert client.get(reverse("documents:telecharger", args=[document.pk])).status_code == 404
        assert client.get(reverse("documents:suivi", args=[document.pk])).status_code == 404


def test_the_compte_rendu_pdf_for_who_reads_the_seance(
    client, seance, pilotage, partenaire, cabinet_ailleurs, apres_commit
):
    url = reverse("comites:compte_rendu_pdf", args=[seance.pk])
    assert client.post(url).url.startswith(reverse("login"))
    client.force_login(pilotage)
    response = client.post(url)  # no compte rendu yet: nothing to print
    assert response.url == seance.get_absolute_url()
    assert not DocumentRequest.objects.exists()
    services.enregistrer_compte_rendu(seance, "<p>Échanges sur la santé.</p>", by=pilotage)
    assert f'action="{url}"' in client.get(seance.get_absolute_url()).content.decode()

    client.force_login(cabinet_ailleurs)
    assert client.post(url).status_code == 404
    client.force_login(partenaire)  # convened: reads the séance and its compte rendu
    with apres_commit():
        response = client.post(url)
    document = DocumentRequest.objects.get()
    assert response.url == reverse("documents:suivi", args=[document.pk])
    telechargement = client.get(reverse("documents:telecharger", args=[document.pk]))
    assert telechargement.status_code == 200
    pdf = b"".join(telechargement.streaming_content)
    assert pdf.startswith(b"%PDF") and "Échanges sur la santé." in _texte(pdf)
    client.force_login(cabinet_ailleurs)
    assert client.get(reverse("documents:telecharger", args=[document.pk])).status_code == 404


def test_the_sign_in_sheet_for_its_organisers_and_once_closed_its_readers(
    client, seance, pilotage, partenaire, cabinet, cabinet_ailleurs, apres_commit
):
    url = reverse("comites:emargement_pdf", args=[seance.pk])
    assert client.post(url).url.startswith(reverse("login"))
    client.force_login(cabinet_ailleurs)
    assert client.post(url).status_code == 404
    for personne in (partenaire, cabinet):  # the séance is held, not closed yet
        client.force_login(personne)
        assert client.post(url).status_code == 403
        assert f'action="{url}"' not in client.get(seance.get_absolute_url()).content.decode()

    client.force_login(pilotage)
    assert f'action="{url}"' in client.get(seance.get_absolute_url()).content.decode()
    with apres_commit():
        response = client.post(url)
    document = DocumentRequest.objects.get()
    assert response.url == reverse("documents:suivi", args=[document.pk])
    telechargement = client.get(reverse("documents:telecharger", args=[document.pk]))
    assert telechargement.status_code == 200 and telechargement["Content-Type"] == "application/pdf"
    assert b"".join(telechargement.streaming_content).startswith(b"%PDF")
    client.force_login(partenaire)
    assert client.get(reverse("documents:telecharger", args=[document.pk])).status_code == 404

    services.emarger(seance, {c.pk: ("present", "") for c in seance.convocations.all()},
                     by=pilotage)  # fmt: skip
    services.cloturer(seance, by=pilotage)
    client.force_login(partenaire)  # closed: whoever reads the séance reads its attendance
    with apres_commit():
        response = client.post(url)
    assert response.status_code == 302
    assert DocumentRequest.objects.filter(status="pret").count() == 2
    client.force_login(cabinet_ailleurs)
    for document in DocumentRequest.objects.all():
        assert client.get(reverse("documents:telecharger", args=[document.pk])).status_code == 404


def test_the_document_page_leads_back_to_the_communique(client, seance, cabinet, apres_commit):
    version = _communique(seance, titre="Titre", texte="Texte.", le=timezone.now())
    client.force_login(cabinet)
    with apres_commit():
        response = client.post(reverse("comites:communique_pdf", args=[seance.pk, 1]))
    page = client.get(response.url).content.decode()
    assert f'href="{version.get_absolute_url()}"' in page
    assert version.get_absolute_url() == reverse("comites:communique", args=[seance.pk])
