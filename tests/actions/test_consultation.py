"""The partners' consultation: who comments what, on whose behalf, the answers of pilotage,
the e-mails after the commit, and comments that stay with their version."""

import html
import re
from unittest import mock

import lxml.html
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions import access
from actions.journal import Nature
from actions.models import CommentaireConsultation, FeuilleDeRoute
from actions.services import feuilles as services
from integration.locks import MEME_ENVOI
from integration.models import Evenement
from tests.acteurs.factories import ActeurFactory, HabilitationFactory, MembreFactory
from tests.actions.factories import ActionFactory, AxeFactory, FeuilleDeRouteFactory

S = FeuilleDeRoute.Statut


def vu(page: str) -> str:
    """PAGE's text as read: tags gone, entities read, every kind of space one space (a
    comment gets French spacing, « soir ? » with a narrow no-break space)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def feuille(seine_maritime):
    feuille = FeuilleDeRouteFactory(departement=seine_maritime, consultation=True)
    AxeFactory(feuille=feuille, ordre=1, libelle="Langue")
    return feuille


@pytest.fixture
def axe(feuille):
    return feuille.axes.get()


def _commenter(client, user, feuille, **data):
    client.force_login(user)
    return client.post(reverse("actions:commenter", args=[feuille.pk]), data)


# --- Who may comment --------------------------------------------------------------------


def test_hors_consultation_personne_ne_commente(client, feuille, axe, partenaire, association):
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(statut=S.BROUILLON)
    response = _commenter(
        client, partenaire, feuille, axe=axe.pk, texte="Oui", au_nom_de=association.pk
    )
    assert response.status_code == 403
    assert not CommentaireConsultation.objects.exists()


def test_le_pilotage_et_le_cabinet_ne_commentent_pas(client, feuille, axe, pilotage, cabinet):
    for user in (pilotage, cabinet):
        assert _commenter(client, user, feuille, axe=axe.pk, texte="Oui").status_code == 403


def test_un_partenaire_d_un_autre_departement_ne_voit_pas_la_feuille(
    client, feuille, axe, hautes_alpes
):
    ailleurs = MembreFactory(acteur=ActeurFactory(departement=hautes_alpes)).user
    response = _commenter(client, ailleurs, feuille, axe=axe.pk, texte="Oui")
    assert response.status_code == 404
    client.force_login(ailleurs)
    assert client.get(reverse("actions:consultation", args=[feuille.pk])).status_code == 404


def test_on_ne_commente_qu_au_nom_de_ses_structures(client, feuille, axe, partenaire):
    autre = ActeurFactory(departement=feuille.departement)
    response = _commenter(client, partenaire, feuille, axe=axe.pk, texte="Oui", au_nom_de=autre.pk)
    assert response.status_code == 400
    erreur = lxml.html.fromstring(response.content.decode()).get_element_by_id(
        f"au-nom-de-axe-{axe.pk}-erreur"
    )
    assert erreur.text_content() == "Choisissez une de vos structures."
    assert not CommentaireConsultation.objects.exists()


def _formulaire(reponse, cible):
    """The comment form of CIBLE (an axe or an action) on the feuille's page."""
    document = lxml.html.fromstring(reponse.content.decode())
    return document.get_element_by_id(f"section-commentaire-{cible._meta.model_name}-{cible.pk}")


def test_un_commentaire_refuse_revient_a_sa_place_tel_que_saisi(
    client, feuille, axe, partenaire, association
):
    """Sent empty (or refused by the service), the comment form of that axe or action comes
    back open on the feuille's page, its text kept, the error beside the field, focused;
    the other forms stay closed and empty."""
    soumise = ActionFactory(axe=axe, soumise=True, titre="Ateliers de conversation")
    reponse = _commenter(client, partenaire, feuille, action=soumise.pk, texte="   ",
                         au_nom_de=association.pk)  # fmt: skip
    assert reponse.status_code == 400
    section = _formulaire(reponse, soumise)
    assert section.tag == "details" and section.get("open") is not None
    texte = section.get_element_by_id(f"texte-action-{soumise.pk}")
    assert texte.get("aria-invalid") == "true" and texte.get("autofocus") is not None
    erreur = section.get_element_by_id(f"texte-action-{soumise.pk}-erreur")
    assert erreur.text_content() == "Ce champ est obligatoire."
    assert _formulaire(reponse, axe).get("open") is None
    assert not CommentaireConsultation.objects.exists()

    # The service's refusal keeps what was typed: the consultation closed between the
    # page's check and the service's (another tab), as if the check had let it through.
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(statut=S.BROUILLON)
    with mock.patch.object(access, "can_feuille", return_value=True):
        reponse = _commenter(client, partenaire, feuille, axe=axe.pk,
                             texte="Et les cours du soir ?", au_nom_de=association.pk)  # fmt: skip
    assert reponse.status_code == 400
    section = _formulaire(reponse, axe)
    assert section.get("open") is not None
    assert "La consultation de cette feuille de route est close." in section.text_content()
    texte = section.get_element_by_id(f"texte-axe-{axe.pk}")
    assert texte.text_content() == "Et les cours du soir ?" and texte.get("autofocus") is not None
    option = section.xpath(f".//option[@value='{association.pk}']")[0]
    assert option.get("selected") is not None
    assert not CommentaireConsultation.objects.exists()


def test_un_commentaire_accepte_ramene_a_sa_section(client, feuille, axe, partenaire, association):
    reponse = _commenter(client, partenaire, feuille, axe=axe.pk, texte="Oui",
                         au_nom_de=association.pk)  # fmt: skip
    assert reponse.status_code == 302
    assert reponse["Location"] == f"{feuille.get_absolute_url()}#section-commentaire-axe-{axe.pk}"


def test_un_commentaire_vide_ou_sans_cible_est_refuse(
    client, feuille, axe, partenaire, association
):
    _commenter(client, partenaire, feuille, axe=axe.pk, texte="  ", au_nom_de=association.pk)
    _commenter(client, partenaire, feuille, texte="Sans cible", au_nom_de=association.pk)
    autre_axe = AxeFactory(
        feuille=FeuilleDeRouteFactory(
            departement=feuille.departement, annee_debut=2030, annee_fin=2031
        )
    )
    response = _commenter(
        client, partenaire, feuille, axe=autre_axe.pk, texte="Ailleurs", au_nom_de=association.pk
    )
    assert response.status_code == 404
    assert not CommentaireConsultation.objects.exists()


def test_on_ne_commente_pas_une_action_qu_on_ne_lit_pas(
    client, feuille, axe, partenaire, association
):
    brouillon = ActionFactory(axe=axe)  # another structure's draft
    response = _commenter(
        client, partenaire, feuille, action=brouillon.pk, texte="Vu", au_nom_de=association.pk
    )
    assert response.status_code == 404
    assert not CommentaireConsultation.objects.exists()


# --- Commenting and answering -----------------------------------------------------------


def test_un_partenaire_commente_un_axe_et_le_pilotage_en_est_averti(
    client, feuille, axe, partenaire, association, pilotage, apres_commit
):
    with apres_commit():
        texte = "Ajouter les cours du soir <b>svp</b>"
        response = _commenter(
            client, partenaire, feuille, axe=axe.pk, texte=texte, au_nom_de=association.pk
        )
    assert response.status_code == 302
    commentaire = CommentaireConsultation.objects.get()
    assert (commentaire.axe, commentaire.au_nom_de, commentaire.auteur) == (
        axe,
        association,
        partenaire,
    )
    assert [m.to for m in mail.outbox] == [[pilotage.email]]
    assert "Ajouter les cours du soir" in mail.outbox[0].body and "Langue" in mail.outbox[0].body
    assert Evenement.objects.filter(nature=Nature.CONSULTATION_COMMENTAIRE, par=partenaire).exists()
    # Shown, escaped, on the feuille's page and on the consultation page.
    for url in (feuille.get_absolute_url(), reverse("actions:consultation", args=[feuille.pk])):
        page = client.get(url).content.decode()
        assert "Ajouter les cours du soir &lt;b&gt;svp&lt;/b&gt;" in page
        assert association.nom in page


def test_un_commentaire_garde_ses_paragraphes_et_ses_listes(
    client, feuille, axe, partenaire, association, pilotage
):
    """Typed naturally, as the compte rendu is: a blank line starts a paragraph, « - »
    lines make a list; every piece escaped. The answer is shown the same way."""
    texte = (
        "Deux remarques :\n\n- les cours du soir <b>svp</b>\n- la garde d'enfants\n\n"
        "Merci !\nL'équipe"
    )
    commentaire = services.commenter(
        feuille, by=partenaire, au_nom_de=association, axe=axe, texte=texte
    )
    services.repondre(commentaire, by=pilotage, reponse="Vu.\n\n- cours : oui", pris_en_compte=True)
    client.force_login(pilotage)
    pages = [
        feuille.get_absolute_url(),
        reverse("actions:consultation", args=[feuille.pk]),
        reverse("actions:repondre", args=[commentaire.pk]),
    ]
    for url in pages:
        document = lxml.html.fromstring(client.get(url).content.decode())
        bloc = document.xpath("//main//*[contains(@class, 'commentaire__texte')]")[0]
        paragraphes = [vu(lxml.html.tostring(p, encoding=str)).strip() for p in bloc.findall("p")]
        assert paragraphes == ["Deux remarques :", "Merci ! L’équipe"], url
        assert bloc.findall("p")[1].find("br") is not None  # a line break kept as typed
        assert bloc.find("p").getnext().tag == "ul"  # the list between the two paragraphs
        puces = [li.text_content() for li in bloc.findall("ul/li")]
        assert puces == ["les cours du soir <b>svp</b>", "la garde d’enfants"], url
        assert not bloc.xpath(".//b")  # typed markup stays text
    page = client.get(pages[1]).content.decode()
    assert "<li>cours\u00a0: oui</li>" in page  # the answer, a list too


def test_un_partenaire_commente_une_action_soumise(client, feuille, axe, partenaire, association):
    soumise = ActionFactory(axe=axe, soumise=True, titre="Ateliers de conversation")
    _commenter(
        client, partenaire, feuille, action=soumise.pk, texte="Bonne idée", au_nom_de=association.pk
    )
    assert CommentaireConsultation.objects.get().action == soumise
    page = client.get(feuille.get_absolute_url()).content.decode()
    assert "Commentaires sur les actions" in page and "Bonne idée" in page


def test_sous_chaque_action_un_lien_ouvre_son_seul_formulaire(
    client, feuille, axe, partenaire, pilotage
):
    """A form per axe; per action a link, which brings that action's form alone, open, its
    text focused. What names no action of the page opens nothing, and who may not comment
    gets no form by it."""
    soumises = [ActionFactory(axe=axe, soumise=True, titre=f"Action {i}") for i in range(3)]
    client.force_login(partenaire)
    url = feuille.get_absolute_url()
    page = lxml.html.fromstring(client.get(url).content.decode())
    assert len(page.xpath("//main//form[.//textarea]")) == 1  # the axe's
    for action in soumises:
        lien = page.get_element_by_id(f"section-commentaire-action-{action.pk}").find("a")
        # The feuille's own address: the page also comes back at the comment form's
        # (a refused comment), where a bare « ?commenter= » would lead to a POST-only view.
        assert lien.get("href") == f"{url}?commenter={action.pk}"
        assert lien.text_content() == f"Commenter l'action « {action.titre} »"

    reponse = client.get(url, {"commenter": soumises[1].pk})
    page = lxml.html.fromstring(reponse.content.decode())
    assert len(page.xpath("//main//form[.//textarea]")) == 2
    section = _formulaire(reponse, soumises[1])
    assert section.tag == "details" and section.get("open") is not None
    assert section.get_element_by_id(f"texte-action-{soumises[1].pk}").get("autofocus") == ""
    assert section.xpath(".//input[@name='action']")[0].get("value") == str(soumises[1].pk)
    assert _formulaire(reponse, axe).get("open") is None

    # A refused comment brings the page back at the form's address: the other actions'
    # links still lead to the feuille, their form open.
    reponse = client.post(
        reverse("actions:commenter", args=[feuille.pk]), {"action": soumises[0].pk, "texte": ""}
    )
    assert reponse.status_code == 400
    lien = lxml.html.fromstring(reponse.content.decode()).get_element_by_id(
        f"section-commentaire-action-{soumises[2].pk}"
    )
    suivi = client.get(lien.find("a").get("href"))
    assert _formulaire(suivi, soumises[2]).get("open") is not None

    autre_feuille = FeuilleDeRouteFactory(
        departement=feuille.departement, annee_debut=2030, annee_fin=2031
    )
    ailleurs = ActionFactory(axe=AxeFactory(feuille=autre_feuille), soumise=True)
    brouillon = ActionFactory(axe=axe)  # another structure's draft: not on the page
    for valeur in ("abc", "-1", "9" * 30, "<b>", ailleurs.pk, brouillon.pk):
        reponse = client.get(url, {"commenter": valeur})
        assert reponse.status_code == 200
        assert len(lxml.html.fromstring(reponse.content).xpath("//main//details[@open]")) == 0
    client.force_login(pilotage)
    reponse = client.get(url, {"commenter": soumises[1].pk})
    assert reponse.status_code == 200 and b"<textarea" not in reponse.content


def test_la_page_d_un_partenaire_grandit_d_une_ligne_par_action(client, feuille, axe, partenaire):
    """A feuille of 150 actions weighed some 180 KB for a partner, a comment form written
    under each action: now each adds its row and its link, under 700 bytes."""
    client.force_login(partenaire)
    ActionFactory(axe=axe, soumise=True, titre="Action")
    avant = len(client.get(feuille.get_absolute_url()).content)
    for _ in range(20):
        ActionFactory(axe=axe, soumise=True, titre="Action")
    apres = len(client.get(feuille.get_absolute_url()).content)
    assert (apres - avant) / 20 < 700


@pytest.fixture
def commentaire(feuille, axe, partenaire, association):
    return services.commenter(
        feuille, by=partenaire, au_nom_de=association, axe=axe, texte="Et le soir ?"
    )


def _repondre(client, user, commentaire, **data):
    client.force_login(user)
    return client.post(reverse("actions:repondre", args=[commentaire.pk]), data)


def test_seul_le_pilotage_repond(client, commentaire, partenaire, cabinet, hautes_alpes):
    for user in (partenaire, cabinet):
        assert _repondre(client, user, commentaire, reponse="Non").status_code == 403
    ailleurs = HabilitationFactory(departement=hautes_alpes, role="pilotage").user
    assert _repondre(client, ailleurs, commentaire, reponse="Non").status_code == 404
    commentaire.refresh_from_db()
    assert commentaire.reponse == ""


def test_le_pilotage_repond_et_l_auteur_en_est_averti(
    client, commentaire, pilotage, partenaire, apres_commit
):
    with apres_commit():
        response = _repondre(
            client, pilotage, commentaire, reponse="Ajouté à l'axe 1.", pris_en_compte="on"
        )
    assert response.status_code == 302
    commentaire.refresh_from_db()
    assert commentaire.reponse == "Ajouté à l'axe 1." and commentaire.pris_en_compte
    assert commentaire.repondu_par == pilotage and commentaire.repondu_le
    assert [m.to for m in mail.outbox] == [[partenaire.email]]
    assert "Ajouté à l'axe 1." in mail.outbox[0].body
    assert Evenement.objects.filter(nature=Nature.CONSULTATION_REPONSE, par=pilotage).exists()


def test_une_reponse_vide_est_expliquee(client, commentaire, pilotage):
    response = _repondre(client, pilotage, commentaire, reponse="  ")
    assert response.status_code == 200
    assert "Écrivez une réponse ou indiquez" in response.content.decode()
    commentaire.refresh_from_db()
    assert commentaire.reponse == "" and not commentaire.pris_en_compte


def test_le_filtre_sans_reponse(
    client, commentaire, feuille, axe, partenaire, association, pilotage
):
    autre = services.commenter(
        feuille, by=partenaire, au_nom_de=association, axe=axe, texte="Autre remarque"
    )
    services.repondre(autre, by=pilotage, reponse="C'est noté.", pris_en_compte=True)
    client.force_login(pilotage)
    url = reverse("actions:consultation", args=[feuille.pk])
    tout = vu(client.get(url).content.decode())
    assert "Et le soir ?" in tout and "Autre remarque" in tout
    sans = vu(client.get(url, {"sans_reponse": "1"}).content.decode())
    assert "Et le soir ?" in sans and "Autre remarque" not in sans


def test_les_commentaires_restent_a_leur_version(client, commentaire, feuille, pilotage):
    v2 = services.nouvelle_version(feuille, by=pilotage)
    assert commentaire.feuille == feuille and not v2.commentaires.exists()
    client.force_login(pilotage)
    assert "Et le soir ?" in vu(client.get(feuille.get_absolute_url()).content.decode())
    assert "Et le soir ?" not in vu(client.get(v2.get_absolute_url()).content.decode())
    # The axe it comments stays too: it cannot be removed from its version.
    services.changer_etape(feuille, S.BROUILLON, by=pilotage)
    response = client.post(reverse("actions:feuille_axes", args=[feuille.pk]),
                           {"op": "retirer", "axe": commentaire.axe_id})  # fmt: skip
    assert feuille.axes.filter(pk=commentaire.axe_id).exists()
    assert "porte des actions ou des commentaires" in str(list(response.wsgi_request._messages))


def test_la_page_de_consultation_en_requetes_constantes(
    client, feuille, axe, partenaire, association, pilotage, django_assert_max_num_queries
):
    services.commenter(feuille, by=partenaire, au_nom_de=association, axe=axe, texte="Un")
    client.force_login(pilotage)
    url = reverse("actions:consultation", args=[feuille.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as une:
        client.get(url)
    for i in range(8):
        action = ActionFactory(axe=axe, soumise=True)
        services.commenter(
            feuille, by=partenaire, au_nom_de=association, action=action, texte=f"N{i}"
        )
    with django_assert_max_num_queries(len(une)):
        client.get(url)


@pytest.mark.parametrize("qui", ["partenaire", "pilotage"])
def test_la_page_de_la_feuille_en_requetes_constantes(
    client, request, qui, feuille, axe, partenaire, association, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(request.getfixturevalue(qui))
    client.get(feuille.get_absolute_url())
    with CaptureQueriesContext(connection) as une:
        client.get(feuille.get_absolute_url())
    for i in range(6):
        autre_axe = AxeFactory(feuille=feuille, ordre=i + 2)
        action = ActionFactory(axe=autre_axe, soumise=True)
        services.commenter(feuille, by=partenaire, au_nom_de=association, action=action, texte="A")
        services.commenter(feuille, by=partenaire, au_nom_de=association, axe=autre_axe, texte="B")
    with django_assert_max_num_queries(len(une)):
        page = client.get(feuille.get_absolute_url()).content.decode()
    assert page.count("Sans réponse") == 12


def test_le_meme_commentaire_renvoye_n_est_garde_qu_une_fois(
    client, feuille, axe, partenaire, association
):
    """Sent again (back, then « Envoyer » once more): kept once, and said so; another text,
    or the same after a while, is a new comment."""
    envoi = {"axe": axe.pk, "texte": "Des cours le soir ?", "au_nom_de": association.pk}
    assert _commenter(client, partenaire, feuille, **envoi).status_code == 302
    reponse = _commenter(client, partenaire, feuille, **envoi)
    assert reponse.status_code == 400
    assert "Ce commentaire est déjà transmis au service pilote." in vu(reponse.content.decode())
    assert CommentaireConsultation.objects.count() == 1
    autre = {**envoi, "texte": "Et le samedi matin ?"}
    assert _commenter(client, partenaire, feuille, **autre).status_code == 302
    CommentaireConsultation.objects.update(cree_le=timezone.now() - MEME_ENVOI)
    assert _commenter(client, partenaire, feuille, **envoi).status_code == 302
    assert CommentaireConsultation.objects.count() == 3
