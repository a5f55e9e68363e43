"""The feuille de route as a PDF: rendered for real and read back, its context built in a
fixed number of queries, its export and the cabinet's signature through the pages."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from acteurs.models import Territoire
from actions import documents as feuille_pdf
from actions.journal import Nature
from actions.models import Action, FeuilleDeRoute, PublicCible, StatistiqueContexte
from integration.documents import rendu
from integration.documents import services as documents
from integration.models import DocumentRequest, Evenement
from tests.acteurs.factories import (
    ActeurFactory,
    HabilitationFactory,
    MembreFactory,
    TerritoireFactory,
    UserFactory,
)
from tests.actions.factories import (
    ActionFactory,
    AxeFactory,
    FeuilleDeRouteFactory,
    FinancementFactory,
    IndicateurFactory,
    MesureFactory,
    PartenariatFactory,
    StatistiqueContexteFactory,
)
from tests.poppler import poppler

S = FeuilleDeRoute.Statut
SCRIPT = "<script>alert('piège')</script>"
PIECE_JOINTE = '<link rel="attachment" href="file:///etc/passwd">'


def _texte(pdf: bytes, premiere: int | None = None, derniere: int | None = None) -> str:
    """The PDF's text as pdftotext reads it (pages 1-based, inclusive)."""
    options = []
    if premiere:
        options += ["-f", str(premiere), "-l", str(derniere or premiere)]
    return poppler("pdftotext", pdf, *options)


def _espaces(texte: str) -> str:
    """Every run of spaces of any kind and line breaks as one plain space (what pdftotext
    keeps of them varies, and a phrase may wrap)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", texte)


# --- The document itself ----------------------------------------------------------------


@pytest.fixture
def alpes(hautes_alpes):
    """A feuille of the Hautes-Alpes (a Préfète) with three axes, adopted actions that
    carry everything, a draft and a refusal that must not show, and context figures."""
    feuille = FeuilleDeRouteFactory(
        departement=hautes_alpes, titre="Feuille de route : accueillir ensemble", version=2
    )
    axes = [
        AxeFactory(feuille=feuille, ordre=i, libelle=libelle)
        for i, libelle in enumerate(
            ["Apprentissage de la langue française", "Emploi et formation", "Santé"], start=1
        )
    ]
    porteur = ActeurFactory(departement=hautes_alpes, nom="Association Égalité Gap", sigle="AEG")
    partenaire = ActeurFactory(
        departement=hautes_alpes, nom="France Travail", type="operateur_etat"
    )
    commune = TerritoireFactory(type=Territoire.Type.COMMUNE, code="05061", nom="Gap")
    public = PublicCible.objects.get(code="bpi")
    premiere = ActionFactory(
        axe=axes[0],
        porteur=porteur,
        validee=True,
        titre="Ateliers sociolinguistiques à Gap",
        description=f"Cours du soir. {SCRIPT}",
        objectifs=PIECE_JOINTE,
        date_debut=date(2026, 1, 1),
        date_fin=date(2026, 12, 31),
    )
    premiere.publics.add(public)
    premiere.territoires.add(commune)
    PartenariatFactory(action=premiere, acteur=partenaire, role="Orientation des demandeurs")
    FinancementFactory(
        action=premiere,
        montant_demande=Decimal("12500"),
        montant_accorde=Decimal("10000"),
        montant_verse=Decimal("5000"),
    )
    FinancementFactory(action=premiere, source="fami", annee=2027, montant_demande=Decimal("3000"))
    indicateur = IndicateurFactory(action=premiere, libelle="Personnes formées", cible=Decimal(40))
    MesureFactory(indicateur=indicateur, annee=2026, valeur=Decimal(18))
    MesureFactory(indicateur=indicateur, annee=2027, valeur=Decimal(31))
    ActionFactory(axe=axes[1], porteur=partenaire, en_cours=True, titre="Parrainage vers l'emploi")
    ActionFactory(axe=axes[2], porteur=porteur, titre="Brouillon confidentiel")
    ActionFactory(axe=axes[2], porteur=porteur, refusee=True, titre="Action refusée")
    StatistiqueContexteFactory(departement=hautes_alpes, annee=2025, valeur=1234, source="DGEF")
    StatistiqueContexteFactory(
        departement=hautes_alpes,
        annee=2025,
        indicateur=StatistiqueContexte.Indicateur.DONT_BPI,
        valeur=211,
        source="OFPRA",
    )
    StatistiqueContexteFactory(departement=hautes_alpes, annee=2019, valeur=999_999)
    return feuille


@pytest.fixture
def rendu_alpes(alpes):
    contexte = feuille_pdf.contexte_feuille(alpes)
    html = rendu.rendre_html(feuille_pdf.GABARIT, contexte, titre=feuille_pdf.titre(alpes))
    return html, rendu.rendre_pdf(html)


def test_le_pdf_se_lit(rendu_alpes):
    html, resultat = rendu_alpes
    assert "{#" not in html and "{%" not in html  # no template syntax left as text
    texte = _espaces(_texte(resultat.pdf))
    assert resultat.pages == len(PdfReader(io.BytesIO(resultat.pdf)).pages) >= 6
    # The bloc-marque (printed in capitals), the motto, the title, place and date.
    assert "PRÉFÈTE\nDES HAUTES" in _texte(resultat.pdf, 1) and "ALPES" in texte
    assert "Liberté" in texte and "Égalité" in texte and "Fraternité" in texte
    assert "Feuille de route départementale pour l’accueil et l’intégration" in texte
    assert "primo-arrivants et des réfugiés" in texte
    assert re.search(r"Gap, le (1er|\d{1,2}) \w+ 20\d\d", texte)
    assert "Version 2" in texte and "2026–2028" in texte
    # The adopted actions, their porteur, partner and role, public, places, figures.
    assert "Ateliers sociolinguistiques à Gap" in texte
    assert "Association Égalité Gap (AEG)" in texte
    assert "France Travail : Orientation des demandeurs" in texte
    assert "Bénéficiaires de la protection internationale (BPI)" in texte
    assert "du 1er janvier 2026 au 31 décembre 2026" in texte
    assert "Porteur : Association Égalité Gap (AEG)" in texte
    # Each fiche's funding lines (a line leaves out what is not yet granted or paid), and
    # the axe's total under its fiches.
    assert (
        "Financements : 2026, BOP 104 action 12 : demandé 12 500,00 €, accordé 10 000,00 €, "
        "versé 5 000,00 € 2027, FAMI : demandé 3 000,00 € Financements de l’axe 1 : "
        "demandé 15 500,00 €, accordé 10 000,00 €, versé 5 000,00 €"
    ) in texte
    assert "Personnes formées : cible 40 personnes, 31 en 2027" in texte
    assert "Parrainage vers l’emploi" in texte  # the typographic apostrophe
    # Neither a draft nor a refusal: partners read this document too.
    assert "Brouillon confidentiel" not in texte and "Action refusée" not in texte
    # Context figures of the year before the period, with their source; not older ones.
    assert "1 234" in texte and "OFPRA" in texte and "999 999" not in texte
    # Budget summary: the totals by source and in all.
    assert "Total BOP 104 action 12" in texte and "15 500,00 €" in texte
    # The signature block, the préfète's title with its accents.
    assert "Fait à Gap, le" in texte and "Préfète des Hautes-Alpes" in texte
    assert f"page 1 / {resultat.pages}" in texte


def test_le_sommaire_donne_la_page_de_chaque_axe(alpes, rendu_alpes):
    _html, resultat = rendu_alpes
    sommaire = _espaces(_texte(resultat.pdf, 2))
    for axe in alpes.axes.all():
        trouve = re.search(rf"Axe {axe.ordre}\. {re.escape(axe.libelle)}[ .]*(\d+)", sommaire)
        assert trouve, sommaire
        page = int(trouve.group(1))
        assert f"Axe {axe.ordre}. {axe.libelle}" in _espaces(_texte(resultat.pdf, page))
        assert f"Axe {axe.ordre}. {axe.libelle}" not in _espaces(_texte(resultat.pdf, page - 1))


def test_le_texte_des_utilisateurs_reste_du_texte(rendu_alpes):
    html, resultat = rendu_alpes
    texte = _espaces(_texte(resultat.pdf))
    assert "<script>" not in html and PIECE_JOINTE not in html
    assert "<script>alert('piège')</script>" in texte
    assert 'rel="attachment" href="file:///etc/passwd">' in texte
    lecteur = PdfReader(io.BytesIO(resultat.pdf))
    assert lecteur.attachments == {}
    assert b"/EmbeddedFile" not in resultat.pdf and b"root:" not in resultat.pdf


def test_le_cadre_de_signature_est_sur_la_derniere_page(rendu_alpes):
    _html, resultat = rendu_alpes
    cadre = resultat.cadre_signature
    assert cadre is not None and cadre.page == resultat.pages - 1
    assert 0 < cadre.x1 < cadre.x2 <= 595 and 0 < cadre.y1 < cadre.y2 <= 842
    derniere = _espaces(_texte(resultat.pdf, resultat.pages))
    assert "Fait à Gap, le" in derniere


def test_la_version_signee_porte_le_nom_et_la_qualite(alpes):
    signataire = UserFactory(first_name="Élise", last_name="Martin")
    FeuilleDeRoute.objects.filter(pk=alpes.pk).update(
        statut=S.SIGNEE,
        signee_par=signataire,
        signee_le="2027-03-01T10:00:00+01:00",
        signee_qualite="Pour la préfète et par délégation, le secrétaire général",
    )
    alpes.refresh_from_db()
    kind = feuille_pdf
    assert kind.signataire(alpes).nom == "Élise Martin"
    assert kind.signataire(alpes).lieu == "Gap"
    assert kind.description_publique(alpes) == (
        "Feuille de route 2026–2028 des Hautes-Alpes, version 2, signée le 1er mars 2027"
    )
    resultat = rendu.rendre(
        feuille_pdf.GABARIT, feuille_pdf.contexte_signee(alpes), variante=rendu.VARIANTE_ARCHIVABLE
    )
    texte = _espaces(_texte(resultat.pdf))
    assert "Fait à Gap, le 1er mars 2027" in texte
    assert "Pour la préfète et par délégation, le secrétaire général" in texte
    assert "Élise Martin" in texte
    assert resultat.cadre_signature.page == resultat.pages - 1


def test_seule_une_feuille_signee_a_une_version_signee(alpes, cabinet):
    with pytest.raises(ValidationError, match="signée"):
        documents.demander(feuille_pdf.FEUILLE_SIGNEE, alpes, cabinet)
    assert not DocumentRequest.objects.exists()


# --- A fixed number of queries ----------------------------------------------------------


def _requetes(feuille) -> int:
    with CaptureQueriesContext(connection) as requetes:
        contexte = feuille_pdf.contexte_feuille(feuille)
        rendu.rendre_html(feuille_pdf.GABARIT, contexte)
    return len(requetes)


def test_le_contexte_se_construit_en_un_nombre_fixe_de_requetes(feuille, make_actions, epci):
    StatistiqueContexteFactory(departement=feuille.departement)
    make_actions(5, statuts=[Action.Statut.VALIDEE], territoire=epci)
    cinq = _requetes(feuille)
    make_actions(45, statuts=[Action.Statut.VALIDEE, Action.Statut.EN_COURS], territoire=epci)
    assert feuille_pdf.contexte_feuille(feuille)["nombre_actions"] == 50
    # One query more than the relations': the money's sums, made by the database.
    assert _requetes(feuille) == cinq <= 11


# --- Export through the pages -----------------------------------------------------------


def test_exporter_anonyme_renvoye_a_la_connexion(client, feuille):
    response = client.post(reverse("actions:feuille_exporter", args=[feuille.pk]))
    assert response.status_code == 302 and "/connexion/" in response.url


def test_exporter_hors_du_departement_404(client, feuille, hautes_alpes):
    client.force_login(HabilitationFactory(departement=hautes_alpes, role="pilotage").user)
    response = client.post(reverse("actions:feuille_exporter", args=[feuille.pk]))
    assert response.status_code == 404
    assert not DocumentRequest.objects.exists()


def test_exporter_se_fait_en_post(client, feuille, lecteur):
    client.force_login(lecteur)
    assert client.get(reverse("actions:feuille_exporter", args=[feuille.pk])).status_code == 405


def test_exporter_produit_le_pdf(client, feuille, partenaire, make_actions, apres_commit):
    make_actions(3, statuts=[Action.Statut.VALIDEE])
    client.force_login(partenaire)  # any reader of the feuille, a partner included
    with apres_commit():
        response = client.post(reverse("actions:feuille_exporter", args=[feuille.pk]))
    document = DocumentRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("documents:suivi", args=[document.pk])
    document.refresh_from_db()
    assert document.status == DocumentRequest.Status.DONE, document.error
    assert document.kind == "actions.feuille_de_route" and not document.signed
    assert document.filename == "feuille-de-route-76-2026-2028-v1.pdf"
    with document.file.open("rb") as fichier:
        texte = _espaces(_texte(fichier.read()))
    assert "Action 0-0" in texte and "Association Accueil Rouen" in texte
    # The feuille's page lists it.
    page = client.get(feuille.get_absolute_url()).content.decode()
    assert "Exporter en PDF" in page
    assert reverse("documents:suivi", args=[document.pk]) in page
    # Asked again unchanged: the same document, not a second run.
    client.post(reverse("actions:feuille_exporter", args=[feuille.pk]))
    assert DocumentRequest.objects.count() == 1


# --- The cabinet's signature ------------------------------------------------------------


@pytest.fixture
def au_visa(feuille, make_actions):
    make_actions(2, statuts=[Action.Statut.VALIDEE])
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(statut=S.VISA)
    feuille.refresh_from_db()
    return feuille


def _signer_url(feuille):
    return reverse("actions:feuille_signer", args=[feuille.pk])


def test_signer_anonyme_renvoye_a_la_connexion(client, au_visa):
    for methode in (client.get, client.post):
        response = methode(_signer_url(au_visa))
        assert response.status_code == 302 and "/connexion/" in response.url


def test_signer_refuse_aux_autres_roles(client, au_visa, pilotage, lecteur, partenaire):
    for user in (pilotage, lecteur, partenaire):
        client.force_login(user)
        assert client.get(_signer_url(au_visa)).status_code == 403
        assert client.post(_signer_url(au_visa), {"qualite": "Préfet"}).status_code == 403
    au_visa.refresh_from_db()
    assert au_visa.statut == S.VISA


def test_signer_hors_du_departement_404(client, au_visa, hautes_alpes):
    client.force_login(HabilitationFactory(departement=hautes_alpes, role="cabinet").user)
    assert client.get(_signer_url(au_visa)).status_code == 404


def test_signer_hors_du_visa_403(client, feuille, cabinet):
    client.force_login(cabinet)
    assert client.get(_signer_url(feuille)).status_code == 403  # a draft


def test_la_page_de_signature_resume_et_propose_la_qualite(client, au_visa, cabinet):
    client.force_login(cabinet)
    page = client.get(au_visa.get_absolute_url()).content.decode()
    assert "Signer la feuille de route" in page and _signer_url(au_visa) in page
    response = client.get(_signer_url(au_visa))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 actions adoptées" in page
    assert 'value="Préfet de la Seine-Maritime"' in page
    assert "Qualité du signataire" in page


def test_signer_sans_qualite_ne_signe_pas(client, au_visa, cabinet):
    client.force_login(cabinet)
    response = client.post(_signer_url(au_visa), {"qualite": "  "})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    au_visa.refresh_from_db()
    assert au_visa.statut == S.VISA and not DocumentRequest.objects.exists()


def test_le_cabinet_signe(client, au_visa, cabinet):
    client.force_login(cabinet)
    qualite = "Pour le préfet et par délégation, le secrétaire général"
    response = client.post(_signer_url(au_visa), {"qualite": qualite})
    document = DocumentRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("documents:suivi", args=[document.pk])
    au_visa.refresh_from_db()
    assert au_visa.est_signee and au_visa.signee_par == cabinet
    assert au_visa.signee_qualite == qualite
    assert document.kind == "actions.feuille_signee" and document.signed
    assert document.version == documents.VERSION_SIGNEE
    assert "Pour le préfet et par délégation, le secrétaire général" in document.html
    assert Evenement.objects.filter(nature=Nature.FEUILLE_SIGNATURE, par=cabinet).count() == 1
    # Signed: the signing page now says so and leads to the signed document, and the
    # freeze holds in the database.
    for methode in (client.get, client.post):
        reponse = methode(_signer_url(au_visa), {"qualite": qualite}, follow=True)
        assert reponse.redirect_chain[0][0] == reverse("documents:suivi", args=[document.pk])
        assert "Cette feuille de route est déjà signée." in reponse.content.decode()
    assert DocumentRequest.objects.count() == 1
    with pytest.raises(DatabaseError), transaction.atomic():
        FeuilleDeRoute.objects.filter(pk=au_visa.pk).update(signee_qualite="Autre")
    # Signing twice is refused by the service too.
    with pytest.raises(ValidationError):
        feuille_pdf_services().signer(au_visa, cabinet, qualite=qualite)


def feuille_pdf_services():
    from actions.services import feuilles

    return feuilles


def test_la_page_propose_la_version_signee_prete(client, au_visa, cabinet, lecteur):
    from django.core.files.base import ContentFile

    client.force_login(cabinet)
    client.post(_signer_url(au_visa), {"qualite": "Préfet de la Seine-Maritime"})
    document = DocumentRequest.objects.get()
    client.force_login(lecteur)
    page = client.get(au_visa.get_absolute_url()).content.decode()
    assert reverse("documents:suivi", args=[document.pk]) in page  # still on its way
    assert "Télécharger la version signée" not in page
    document.file.save(document.filename, ContentFile(b"%PDF-1.7"), save=False)
    DocumentRequest.objects.filter(pk=document.pk).update(
        status=DocumentRequest.Status.DONE,
        file=document.file.name,
        pages=9,
        sha256="0" * 64,
        finished_at=timezone.now(),
    )
    page = client.get(au_visa.get_absolute_url()).content.decode()
    assert "Télécharger la version signée" in page
    assert reverse("documents:telecharger", args=[document.pk]) in page


def test_le_fichier_signe_est_produit(client, au_visa, cabinet, apres_commit):
    client.force_login(cabinet)
    with apres_commit():
        client.post(_signer_url(au_visa), {"qualite": "Préfet de la Seine-Maritime"})
    document = DocumentRequest.objects.get()
    assert document.status == DocumentRequest.Status.DONE, document.error
    with document.file.open("rb") as fichier:
        pdf = fichier.read()
    assert PdfReader(io.BytesIO(pdf)).pages
    assert "Fait à Rouen, le" in _espaces(_texte(pdf))
    empreinte = document.sha256
    # Asked again, the signed document is the same one: its file never changes.
    au_visa.refresh_from_db()
    assert documents.demander("actions.feuille_signee", au_visa, cabinet).pk == document.pk
    document.refresh_from_db()
    assert document.sha256 == empreinte


def test_un_membre_d_une_autre_structure_lit_l_export(client, feuille, seine_maritime):
    autre = MembreFactory(acteur=ActeurFactory(departement=seine_maritime)).user
    client.force_login(autre)
    response = client.post(reverse("actions:feuille_exporter", args=[feuille.pk]))
    assert response.status_code == 302
