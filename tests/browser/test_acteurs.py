"""The actors' registry in Chromium: create with the commune field, moderate, import.

Each journey builds its data with the factories (live_server tests are transactional),
signs in through the real login form and uses the keyboard where an agent would.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from acteurs.models import Acteur, Territoire
from tests.acteurs.factories import (
    PASSWORD,
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    MembreFactory,
    TerritoireFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL_PILOTAGE = "pilotage@seine-maritime.gouv.fr"
EMAIL_PARTENAIRE = "benevole@accueil-rouen.fr"


@pytest.fixture
def departement(transactional_db):
    return DepartementFactory()


@pytest.fixture
def agent_pilotage(departement):
    return HabilitationFactory(
        departement=departement,
        role="pilotage",
        user__email=EMAIL_PILOTAGE,
        user__first_name="Claire",
        user__last_name="Lefebvre",
    ).user


def se_connecter(page, live_server, email):
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    password = page.locator("input[name=password]")
    password.fill(PASSWORD)
    password.press("Enter")
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("main h1")).to_have_text("Tableau de bord")


def ouvrir_acteurs(page):
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Acteurs"
    ).click()
    expect(page.locator("main h1")).to_have_text("Acteurs")


def commune(code, nom, codes_postaux, population, departement):
    territoire = TerritoireFactory(
        type=Territoire.Type.COMMUNE,
        code=code,
        nom=nom,
        codes_postaux=codes_postaux,
        population=population,
    )
    territoire.departements.add(departement)
    return territoire


def test_pilotage_creates_an_actor_choosing_the_commune_with_the_keyboard(
    live_server, page, departement, agent_pilotage, results_dir
):
    commune("76451", "Mont-Saint-Aignan", "76130", 20165, departement)
    # Two more communes that the query matches, less populated: listed after it.
    commune("76901", "Mont-Saint-Aubin", "76190", 850, departement)
    commune("76902", "Mont-Saint-Martin", "76270", 420, departement)
    # A "Mont…" commune that "mont-sai" must not find.
    commune("76447", "Montivilliers", "76290", 15606, departement)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    se_connecter(page, live_server, EMAIL_PILOTAGE)
    ouvrir_acteurs(page)
    page.get_by_role("link", name="Nouvel acteur").click()
    expect(page).to_have_url(live_server.url + "/acteurs/nouveau/")
    expect(page.locator("main h1")).to_have_text("Nouvel acteur")

    page.get_by_label("Type").select_option(label="Association")
    page.get_by_label("Nom *", exact=True).fill("Maison des solidarités")

    champ = page.get_by_label("Commune", exact=True)
    champ.focus()
    with page.expect_response(
        lambda r: (
            "/acteurs/territoires/recherche/" in r.url
            and parse_qs(urlsplit(r.url).query).get("commune") == ["mont-sai"]
        )
    ):
        champ.press_sequentially("mont-sai")
    suggestions = page.locator("#id_commune-suggestions [data-valeur]")
    expect(suggestions).to_have_text(
        [
            "Mont-Saint-Aignan (76451 – 76130)",
            "Mont-Saint-Aubin (76901 – 76190)",
            "Mont-Saint-Martin (76902 – 76270)",
        ]
    )
    expect(champ).to_have_attribute("aria-expanded", "true")

    champ.press("ArrowDown")
    options = page.locator("#id_commune-suggestions [role=option]")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(champ).to_have_attribute("aria-activedescendant", "id_commune-suggestions-0")
    posts.clear()
    champ.press("Enter")

    expect(champ).to_have_value("Mont-Saint-Aignan (76451)")
    expect(champ).to_be_focused()
    expect(champ).to_have_attribute("aria-expanded", "false")
    expect(suggestions).to_have_count(0)
    # Enter picked the suggestion: the form was not sent.
    page.wait_for_timeout(300)
    assert posts == []
    expect(page).to_have_url(live_server.url + "/acteurs/nouveau/")
    assert not Acteur.objects.exists()

    page.get_by_role("button", name="Créer l'acteur").click()

    acteur = Acteur.objects.get(nom="Maison des solidarités")
    expect(page).to_have_url(f"{live_server.url}/acteurs/{acteur.pk}/")
    assert acteur.commune.code == "76451"
    assert acteur.statut == Acteur.Statut.VALIDE
    expect(page.locator("main h1")).to_have_text("Maison des solidarités")
    expect(page.get_by_role("status").first).to_contain_text(
        "L'acteur « Maison des solidarités » a été créé."
    )
    adresse = page.locator("dl.fiche dt", has_text="Adresse").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(adresse).to_contain_text("Mont-Saint-Aignan")
    historique = page.locator(".historique tbody tr")
    expect(historique).to_have_count(1)
    expect(historique.first.locator("td").nth(1)).to_have_text("Claire Lefebvre")
    expect(historique.first.locator("td").nth(2)).to_have_text("Création")

    page.screenshot(path=str(results_dir / "acteur-cree.png"), full_page=True)


def test_partner_proposes_an_actor_and_pilotage_rejects_it_with_a_reason(
    live_server, browser, page, departement, agent_pilotage, results_dir
):
    association = ActeurFactory(departement=departement, nom="Association Accueil Rouen")
    MembreFactory(
        acteur=association,
        role="contributeur",
        user__email=EMAIL_PARTENAIRE,
        user__first_name="Karim",
        user__last_name="Benali",
    )

    # The partner proposes an actor.
    se_connecter(page, live_server, EMAIL_PARTENAIRE)
    ouvrir_acteurs(page)
    page.get_by_role("link", name="Proposer un acteur").click()
    expect(page.locator("main h1")).to_have_text("Proposer un acteur")
    expect(page.locator("main .fr-notice")).to_contain_text(
        "examinée par le service pilote de la Seine-Maritime"
    )
    page.get_by_label("Type").select_option(label="Association")
    nom = page.get_by_label("Nom *", exact=True)
    nom.fill("Cours de français du Plateau")
    nom.press("Enter")  # Enter in a text field sends the form

    proposition = Acteur.objects.get(nom="Cours de français du Plateau")
    assert proposition.statut == Acteur.Statut.EN_ATTENTE
    assert proposition.propose_par.email == EMAIL_PARTENAIRE
    expect(page).to_have_url(f"{live_server.url}/acteurs/{proposition.pk}/")
    expect(page.get_by_role("status").first).to_contain_text(
        "Votre proposition « Cours de français du Plateau » a été transmise au service pilote"
    )

    # Pilotage, in a browser of its own, moderates it.
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    try:
        pilote = context.new_page()
        pilote.set_default_timeout(15_000)
        se_connecter(pilote, live_server, EMAIL_PILOTAGE)
        a_moderer = pilote.get_by_role("heading", name="Propositions à modérer").locator(
            "xpath=following-sibling::ul[1]"
        )
        expect(a_moderer.locator("li")).to_have_count(1)
        expect(a_moderer).to_contain_text("Cours de français du Plateau — proposé par Karim Benali")
        a_moderer.get_by_role("link", name="Cours de français du Plateau").click()
        expect(pilote).to_have_url(f"{live_server.url}/acteurs/{proposition.pk}/")
        expect(pilote.locator(".fr-callout__title")).to_have_text("Proposition à modérer")

        # DSFR draws the radio under its label: the keyboard chooses it, as a user would.
        rejeter = pilote.get_by_label("Rejeter la proposition")
        rejeter.press("Space")
        expect(rejeter).to_be_checked()
        pilote.get_by_role("button", name="Enregistrer la décision").click()

        expect(pilote).to_have_url(f"{live_server.url}/acteurs/{proposition.pk}/moderer/")
        motif = pilote.get_by_label("Motif du rejet")
        expect(motif).to_have_attribute("aria-invalid", "true")
        expect(pilote.locator("main")).to_contain_text(
            "Indiquez le motif du rejet : il sera communiqué au proposant."
        )
        expect(pilote.get_by_label("Rejeter la proposition")).to_be_checked()
        proposition.refresh_from_db()
        assert proposition.statut == Acteur.Statut.EN_ATTENTE

        motif.press_sequentially("Doublon de l'association Accueil Rouen, qui assure ces cours.")
        pilote.get_by_role("button", name="Enregistrer la décision").click()

        expect(pilote).to_have_url(f"{live_server.url}/acteurs/{proposition.pk}/")
        expect(pilote.get_by_role("status").first).to_contain_text(
            "La proposition « Cours de français du Plateau » est rejetée."
        )
        rejet = pilote.locator("main .fr-alert--error")
        expect(rejet.locator("h2")).to_contain_text("Proposition rejetée le ")
        expect(rejet).to_contain_text(
            "Motif : Doublon de l'association Accueil Rouen, qui assure ces cours."
        )
        expect(pilote.locator(".fr-callout")).to_have_count(0)  # nothing left to moderate
        proposition.refresh_from_db()
        assert proposition.statut == Acteur.Statut.REJETE
        assert proposition.motif_rejet == (
            "Doublon de l'association Accueil Rouen, qui assure ces cours."
        )
        # The proposer hears of it, with the reason.
        au_proposant = [m for m in mail.outbox if m.to == [EMAIL_PARTENAIRE]]
        assert len(au_proposant) == 1, [(m.to, m.subject) for m in mail.outbox]
        assert "Cours de français du Plateau" in au_proposant[0].subject
        assert (
            "Motif : Doublon de l'association Accueil Rouen, qui assure ces cours."
            in au_proposant[0].body
        )

        pilote.screenshot(path=str(results_dir / "proposition-rejetee.png"), full_page=True)
    finally:
        context.close()


def test_pilotage_imports_a_csv_file_after_its_preview(
    live_server, page, departement, agent_pilotage, results_dir, tmp_path
):
    fichier = tmp_path / "acteurs.csv"
    fichier.write_text(
        "nom;type;siret\nAssociation Alpha;Association;\nAssociation Bêta;Association;\n",
        encoding="utf-8",
    )
    avant = Acteur.objects.count()

    se_connecter(page, live_server, EMAIL_PILOTAGE)
    ouvrir_acteurs(page)
    page.get_by_role("link", name="Importer").click()
    expect(page.locator("main h1")).to_have_text("Importer des acteurs")

    page.get_by_label("Fichier des acteurs").set_input_files(fichier)
    page.get_by_role("button", name="Vérifier le fichier").click()

    expect(page.locator("main h1")).to_have_text("Aperçu de l'import")
    expect(page.locator("main")).to_contain_text("Fichier : acteurs.csv")
    expect(page.locator("#resume-import")).to_have_text("2 lignes, 2 prêtes, 0 en erreur")
    lignes = page.locator("main table tbody tr")
    expect(lignes).to_have_count(2)
    expect(lignes.nth(0).locator("td").nth(1)).to_have_text("Association Alpha")
    expect(lignes.nth(1).locator("td").nth(1)).to_have_text("Association Bêta")
    expect(lignes.locator(".fr-badge--success")).to_have_text(["Prête", "Prête"])
    assert Acteur.objects.count() == avant  # nothing written before the confirmation

    page.get_by_role("button", name="Confirmer l'import de 2 acteurs").click()

    expect(page).to_have_url(live_server.url + "/acteurs/")
    expect(page.get_by_role("status").first).to_contain_text("2 acteurs importés.")
    noms = page.locator("main table tbody tr td:first-child a")
    expect(noms).to_have_text(["Association Alpha", "Association Bêta"])
    expect(page.locator("main p[role=status]")).to_have_text("2 acteurs")
    assert Acteur.objects.count() == avant + 2
    assert set(Acteur.objects.filter(departement=departement).values_list("nom", "statut")) == {
        ("Association Alpha", "valide"),
        ("Association Bêta", "valide"),
    }

    page.screenshot(path=str(results_dir / "import-confirme.png"), full_page=True)
