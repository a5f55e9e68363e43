"""axe-core on every page each role reaches (the list is `pages.PAGES`): no serious violation.

One test per role builds the same small world (an association with its administrator and
contributor, a pending proposal, an archived and a rejected actor, open invitations),
signs in through the session cookie and walks its pages. Every page is checked before
the test fails, so one run lists every problem at once.
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from acteurs.models import Membre
from integration.jetons import empreinte
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    InvitationFactory,
    MembreFactory,
    TerritoireFactory,
    UserFactory,
)
from tests.actions.factories import (
    ActionFactory,
    AxeFactory,
    FinancementFactory,
    JalonFactory,
    MesureFactory,
)
from tests.browser.accessibility import (
    AXE_DIR,
    OPTIONS_COULEURS,
    DejaVerifie,
    assert_no_serious_violations,
    boutons_muets,
    check_page,
    defile_de_cote,
    structure,
)
from tests.browser.conftest import se_connecter
from tests.browser.pages import ANONYME, PAGES, ROLES, pages_de
from tests.comites import monde as monde_comites

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JETON = "jeton-d-invitation-de-test"
JETON_CABINET = "jeton-d-invitation-du-cabinet"


@dataclass
class Monde:
    """The objects the pages are about, and one user per role."""

    association: object
    proposition: object
    archive: object
    rejete: object
    utilisateurs: dict
    lien_invitation: str
    lien_invitation_cabinet: str
    lien_nouveau_mot_de_passe: str
    fichiers: dict = field(default_factory=dict)
    comites: dict = field(default_factory=dict)
    plan: dict = field(default_factory=dict)  # the plan's objects: feuille, brouillon, action…
    # Plan d'actions: a feuille in consultation, with a comment on an axe.
    feuille: object = None
    commentaire: object = None


@pytest.fixture
def monde(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "documents"  # the PDFs the world asks for
    departement = DepartementFactory()
    # More communes than the suggestions list shows at once: it scrolls.
    communes = [
        TerritoireFactory(code=f"76{400 + i}", nom=f"Mont-Saint-{nom}", codes_postaux="76130")
        for i, nom in enumerate(["Aignan", *"BCDEFGHIJKL"])
    ]
    departement.territoires.add(*communes)
    mont = communes[0]
    utilisateurs = {
        role: HabilitationFactory(departement=departement, role=role).user
        for role in ("pilotage", "cabinet", "lecteur", "communication")
    }
    association = ActeurFactory(
        departement=departement, nom="Association Accueil Rouen", sigle="AAR", commune=mont
    )
    utilisateurs["admin_structure"] = MembreFactory(
        acteur=association, role=Membre.Role.ADMINISTRATEUR
    ).user
    utilisateurs["contributeur"] = MembreFactory(
        acteur=association, role=Membre.Role.CONTRIBUTEUR
    ).user
    utilisateurs["equipe_technique"] = UserFactory(is_staff=True)
    utilisateurs["lecteur_france"] = HabilitationFactory(
        departement=None, perimetre="france", role="lecteur"
    ).user
    DepartementFactory(hautes_alpes=True)  # so that "toute la France" spans several
    MembreFactory(acteur=association, desactive=True)
    InvitationFactory(acteur=association, email="benevole@example.fr")
    InvitationFactory(acteur=association, jeton_hash=empreinte(JETON))
    InvitationFactory(
        acteur=association,
        email=utilisateurs["cabinet"].email,
        jeton_hash=empreinte(JETON_CABINET),
    )
    _plan_d_actions(departement, association, mont)
    oubli = UserFactory()
    uid = urlsafe_base64_encode(force_bytes(oubli.pk))
    fichier = tmp_path / "acteurs.csv"
    fichier.write_text(
        "nom;type;siret\nAssociation Alpha;Association;\n;Association;\n"
        "Association Gamma;Club;12345678901234\n",
        encoding="utf-8",
    )
    feuille, commentaire = _plan(departement, association, utilisateurs)
    return Monde(
        feuille=feuille,
        commentaire=commentaire,
        association=association,
        proposition=ActeurFactory(
            departement=departement,
            en_attente=True,
            propose_par=utilisateurs["contributeur"],
            nom="Cours de français du Plateau",
        ),
        archive=ActeurFactory(departement=departement, archive=True, nom="Ancienne épicerie"),
        rejete=ActeurFactory(departement=departement, rejete=True, nom="Doublon refusé"),
        utilisateurs=utilisateurs,
        lien_invitation=f"/acteurs/invitation/{JETON}/",
        lien_invitation_cabinet=f"/acteurs/invitation/{JETON_CABINET}/",
        lien_nouveau_mot_de_passe=(
            f"/mot-de-passe/nouveau/{uid}/{default_token_generator.make_token(oubli)}/"
        ),
        fichiers={"import_avec_erreurs": fichier, **_fichiers_du_plan(tmp_path)},
        comites=monde_comites.creer(departement, utilisateurs, association),
        plan={
            **creer_plan(departement, association, utilisateurs, mont),
            **_plan_suivi(departement, association, utilisateurs["pilotage"]),
            "feuille_visa": _feuille_au_visa(departement, association),
        },
    )


def creer_plan(departement, association, utilisateurs, commune) -> dict:
    """A feuille open for submissions and an action of the association at each step."""
    from actions.models import Transition
    from tests.actions.factories import (
        ActionFactory,
        AxeFactory,
        FeuilleDeRouteFactory,
        FinancementFactory,
        IndicateurFactory,
        JalonFactory,
        PartenariatFactory,
    )

    # Each part of this world has its own feuille: a version of its own of the same period.
    feuille = FeuilleDeRouteFactory(departement=departement, version=2)
    axe = AxeFactory(feuille=feuille, libelle="Apprentissage de la langue française")
    auteur = utilisateurs["contributeur"]
    plan = {"feuille": feuille}
    for statut in ("brouillon", "soumise", "validee"):
        action = ActionFactory(
            axe=axe, porteur=association, cree_par=auteur, titre=f"Ateliers ({statut})"
        )
        action.territoires.add(commune)
        FinancementFactory(action=action, montant_accorde=10000, montant_verse=5000)
        FinancementFactory(action=action, source="fami")
        IndicateurFactory(action=action)
        JalonFactory(action=action)
        PartenariatFactory(action=action)
        plan[statut] = action
    for statut, precedent in (("soumise", "brouillon"), ("validee", "soumise")):
        action = plan[statut]
        Action = type(action)
        Action.objects.filter(pk=action.pk).update(statut=statut, soumise_le=action.cree_le)
        Transition.objects.create(action=action, de="brouillon", vers="soumise", par=auteur)
        if statut == "validee":
            Transition.objects.create(
                action=action, de=precedent, vers=statut, par=utilisateurs["pilotage"],
                commentaire="Action retenue.",
            )  # fmt: skip
    return plan


def _plan(departement, association, utilisateurs):
    """A feuille de route in consultation, an action on its first axe, a partner's comment."""
    from actions.services import feuilles as plan
    from tests.actions.factories import ActionFactory

    feuille = plan.creer_feuille(
        departement, by=utilisateurs["pilotage"], titre="Feuille de route 2029–2031",
        annee_debut=2029, annee_fin=2031,
    )  # fmt: skip
    axe = feuille.axes.first()
    ActionFactory(axe=axe, porteur=association, soumise=True, titre="Ateliers de conversation")
    plan.changer_etape(feuille, "consultation", by=utilisateurs["pilotage"])
    commentaire = plan.commenter(
        feuille, by=utilisateurs["contributeur"], au_nom_de=association, axe=axe,
        texte="Prévoir des cours le soir pour les personnes qui travaillent.",
    )  # fmt: skip
    return feuille, commentaire


def _plan_d_actions(departement, association, commune):
    """A feuille de route whose dashboard has something in every chart and table."""
    epci = TerritoireFactory(type="epci", code="200023414", nom="Métropole Rouen Normandie")
    departement.territoires.add(epci, TerritoireFactory(type="epci", code="200084952"))
    commune.epci = epci
    commune.save()
    axe = AxeFactory(
        feuille__departement=departement, feuille__version=3, ordre=1, libelle="Langue française"
    )
    AxeFactory(feuille=axe.feuille, ordre=2, libelle="Emploi")
    action = ActionFactory(
        axe=axe, porteur=association, en_cours=True, titre="Ateliers sociolinguistiques"
    )
    action.territoires.add(commune)
    FinancementFactory(action=action, montant_accorde=10000, montant_verse=5000)
    MesureFactory(indicateur__action=action)
    JalonFactory(action=action, date_prevue=timezone.localdate() + timedelta(days=10))
    ActionFactory(axe=axe, porteur=association, soumise=True)


def _plan_suivi(departement, association, pilotage) -> dict:
    """An adopted action with what its follow-up shows, context figures and a contract."""
    from actions.models import Avenant, BilanAnnuel, Mesure
    from tests.actions.factories import (
        ActionFactory,
        ContratFactory,
        FinancementFactory,
        IndicateurFactory,
        JalonFactory,
        StatistiqueContexteFactory,
    )

    action = ActionFactory(
        axe__feuille__departement=departement, porteur=association, en_cours=True
    )
    indicateur = IndicateurFactory(action=action)
    Mesure.objects.create(indicateur=indicateur, annee=2026, valeur=10, saisie_par=pilotage)
    FinancementFactory(action=action, montant_accorde=10000)
    JalonFactory(action=action)
    BilanAnnuel.objects.create(
        action=action, annee=2026, realisations="Ateliers", redige_par=pilotage
    )
    for annee, valeur in [(2023, 280), (2024, 301), (2025, 312)]:
        StatistiqueContexteFactory(departement=departement, annee=annee, valeur=valeur)
    contrat = ContratFactory(departement=departement, montant_etat=100000)
    contrat.actions.add(action)
    Avenant.objects.create(contrat=contrat, numero=1, signe_le="2026-05-01", objet="Extension")
    return {"action": action, "axe": action.axe, "contrat": contrat, "indicateur": indicateur}


def _feuille_au_visa(departement, association):
    """A version waiting for the cabinet's signature, with an adopted action."""
    from actions.models import FeuilleDeRoute
    from tests.actions.factories import ActionFactory, FinancementFactory

    action = ActionFactory(
        axe__feuille__departement=departement,
        axe__feuille__version=4,
        porteur=association,
        validee=True,
        titre="Cours de français du soir",
    )
    FinancementFactory(action=action, montant_accorde=10000)
    feuille = action.feuille
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(statut=FeuilleDeRoute.Statut.VISA)
    return feuille


def _fichiers_du_plan(tmp_path) -> dict:
    grille = tmp_path / "indicateurs.csv"
    grille.write_text("N° indicateur;Année;Nouvelle valeur\n999999;2026;3\n", encoding="utf-8")
    return {"grille_avec_erreurs": grille}


def test_every_role_has_pages_to_check():
    """A role whose pages all vanished from the list would pass without checking anything."""
    for role in ROLES:
        assert len(pages_de(role)) >= 3, role
    assert len({page.nom for page in PAGES}) == len(PAGES), "deux pages portent le même nom"


# Three variants, as users meet them: a desktop screen (1280 px), a phone (390 px) and
# the DSFR's dark theme (its colour rules: the rest reads the same document).
# axe runs at 1280 px once per page structure (`accessibility.structure`) in the whole
# run: a page that another role, or another line of the list, already showed with the
# same structure gets the same answer; a role whose page has a button or a section of its
# own has a structure of its own, checked in full.
# The phone and dark variants run once per page of the list, for the first role that
# reaches it: layout and colours come from the page's template, and running them for
# every role would triple the crawl for little more. Reflow (no sideways scroll of the
# page at 1280, 390 and 320 px, skip links that land on something visible, no button
# clipped to its icon) is a resize and a measure, so every role checks it on every page.
# What was checked is shared by the processes of the run (`DejaVerifie`), whichever role
# each happens to run.
LARGEURS_DE_TELEPHONE = (390, 320)


@pytest.fixture(scope="session")
def deja_verifie(request, tmp_path_factory) -> DejaVerifie:
    """The run's register of checked structures and variants: under pytest-xdist, in the
    folder shared by the run's processes; without it, in the run's own folder."""
    racine = tmp_path_factory.getbasetemp()
    if hasattr(request.config, "workerinput"):
        racine = racine.parent
    return DejaVerifie(racine / "axe-deja-verifie")


def _theme_sombre(page) -> None:
    """The DSFR follows the system's scheme (data-fr-scheme="system"): emulate it, and wait
    for the DSFR's script to switch the theme (polled at each frame: `expect` polls every
    100 ms, which cost seconds over the crawl)."""
    page.emulate_media(color_scheme="dark")
    page.wait_for_function(
        "() => document.documentElement.getAttribute('data-fr-theme') === 'dark'"
    )


def _verifier_les_variantes(page, nom: str, *, complet: bool, variantes: bool) -> list[str]:
    """Every problem of the page as it stands: axe at 1280 px if COMPLET, reflow at each
    width, and (if VARIANTES) axe at 390 px and in the dark theme."""
    # A desktop screen must not scroll sideways either (a séance page was once 1531 px).
    problemes = [check_page(page, nom) if complet else ""]
    problemes += [defile_de_cote(page, nom), boutons_muets(page, nom)]
    for largeur in LARGEURS_DE_TELEPHONE:
        page.set_viewport_size({"width": largeur, "height": 844})
        problemes += [defile_de_cote(page, nom), boutons_muets(page, nom)]
        if variantes and largeur == 390:
            problemes.append(check_page(page, f"{nom}-390"))
    page.set_viewport_size({"width": 1280, "height": 900})
    if variantes:
        _theme_sombre(page)
        problemes.append(check_page(page, f"{nom}-sombre", OPTIONS_COULEURS))
        # The next page loads in the light theme; this one, left behind, need not redraw.
        page.emulate_media(color_scheme="light")
    return [probleme for probleme in problemes if probleme]


@pytest.mark.parametrize("role", ROLES)
def test_pages_pass_axe_in_three_variants_and_reflow(
    live_server, browser, monde, deja_verifie, role
):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    try:
        if role != ANONYME:
            se_connecter(context, live_server, monde.utilisateurs[role])
        page = context.new_page()
        page.set_default_timeout(15_000)
        problemes = []
        for a_verifier in pages_de(role):
            chemin = a_verifier.chemin(monde)
            response = page.goto(live_server.url + chemin)
            # Neither an error nor a redirect (to the login page, say) where a page was due.
            assert response.status == a_verifier.statut, (a_verifier.nom, page.url)
            if not chemin.startswith("/connexion/"):
                assert not page.url.startswith(live_server.url + "/connexion/"), a_verifier.nom
            if a_verifier.puis:
                a_verifier.puis(page, monde)
            problemes += _verifier_les_variantes(
                page,
                f"{role}-{a_verifier.nom}",
                complet=deja_verifie.premier(f"structure-{structure(page)}"),
                variantes=deja_verifie.premier(f"variantes-{a_verifier.nom}"),
            )
    finally:
        context.close()
    assert not problemes, "Problèmes d'accessibilité :\n\n" + "\n\n".join(problemes)


def test_the_check_names_each_serious_violation_and_saves_its_report(page):
    """The check itself can fail: an image without text and an empty button are critical."""
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head><body><main>'
        '<h1>Essai</h1><img src="data:," id="sans-texte"><button id="vide"></button>'
        "</main></body></html>"
    )
    with pytest.raises(AssertionError) as echec:
        assert_no_serious_violations(page, "essai-violations")
    message = str(echec.value)
    assert "image-alt (critical)" in message
    assert "#sans-texte" in message
    assert "button-name (critical)" in message
    assert "#vide" in message
    rapport = json.loads((AXE_DIR / "essai-violations.json").read_text(encoding="utf-8"))
    assert {v["id"] for v in rapport["violations"]} >= {"image-alt", "button-name"}


def test_the_dark_theme_check_reads_colours_only(page):
    """The dark variant still fails on a contrast that only the dark theme breaks."""
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title><style>'
        "@media (prefers-color-scheme: dark) { body { background: #000 } p { color: #111 } }"
        '</style></head><body><main><h1>Essai</h1><p id="sombre">Texte</p>'
        '<img src="data:,"></main></body></html>'
    )
    assert not check_page(page, "essai-clair", OPTIONS_COULEURS)
    page.emulate_media(color_scheme="dark")
    probleme = check_page(page, "essai-sombre", OPTIONS_COULEURS)
    assert "color-contrast (serious)" in probleme
    assert "#sombre" in probleme
    assert "image-alt" not in probleme  # the light theme's full run checks the rest


def test_the_phone_checks_name_what_sticks_out_and_what_is_clipped(page):
    """The reflow, skip-link and clipped-button checks can fail, and say where."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><body>'
        '<div class="fr-skiplinks"><a href="#menu-ferme">Menu</a></div>'
        '<div id="menu-ferme" style="visibility: hidden">Navigation</div>'
        '<div id="trop-large" style="width: 800px">Texte</div>'
        '<div class="fr-table__wrapper" style="overflow: auto"><table style="width: 900px">'
        "<tr><td>Défile dans sa zone</td></tr></table></div>"
        '<button class="fr-btn" style="width: 32px; overflow: hidden; white-space: nowrap">'
        "Nouvelle instance</button></body></html>"
    )
    probleme = defile_de_cote(page, "essai")
    assert "div#trop-large (808 px)" in probleme  # 8 px: the body's margin
    assert "table" not in probleme  # it scrolls inside its own region
    assert "lien d'évitement vers une cible cachée : Menu" in probleme
    assert "« Nouvelle instance »" in boutons_muets(page, "essai")


def _une_liste(lignes: list[tuple[int, str]], extra: str = "") -> str:
    rangees = "".join(f'<li><a href="/acteurs/{pk}/">{nom}</a></li>' for pk, nom in lignes)
    return (
        '<!DOCTYPE html><html lang="fr"><body><main><h1>Acteurs</h1>'
        f'<ul id="liste-{len(lignes)}">{rangees}</ul>{extra}</main></body></html>'
    )


def test_the_structure_ignores_the_world_s_values_not_what_axe_reads(page):
    """Two roles' pages of the same structure are checked once; a button, an attribute or
    a second row that one of them has makes its page another structure, checked too."""

    def de(html: str) -> str:
        page.set_content(html)
        return structure(page)

    reference = de(_une_liste([(3, "Association Accueil Rouen"), (4, "Club"), (5, "AAR")]))
    # Other objects (other ids, names, number of rows): the same structure.
    assert de(_une_liste([(17, "Cours du soir"), (18, "Épicerie")])) == reference
    # What axe reads: an element one role sees, a missing attribute, one row instead of
    # several (two identical rows may share an id), an emptied link.
    assert de(_une_liste([(3, "A"), (4, "B")], "<button></button>")) != reference
    assert de(_une_liste([(3, "A"), (4, "B")]).replace(' lang="fr"', "")) != reference
    assert de(_une_liste([(3, "A")])) != reference
    assert de(_une_liste([(3, "A"), (4, "")])) != reference
    bouton = '<input type="submit" value="{}">'
    assert de(_une_liste([(3, "A")], bouton.format("Envoyer"))) == de(
        _une_liste([(8, "B")], bouton.format("Chercher"))
    )
    assert de(_une_liste([(3, "A")], bouton.format(""))) != de(
        _une_liste([(3, "A")], bouton.format("Envoyer"))
    )


def test_each_structure_is_checked_by_the_first_process_that_meets_it(tmp_path):
    """The register answers yes once per key, to whoever asks first, even from another
    process's copy of it (a second object on the same folder)."""
    un, autre = DejaVerifie(tmp_path / "registre"), DejaVerifie(tmp_path / "registre")
    assert un.premier("structure-abc")
    assert not un.premier("structure-abc")
    assert not autre.premier("structure-abc")
    assert autre.premier("variantes-acteurs")
    assert not un.premier("variantes-acteurs")
