"""The fiche-action form guides: territories found by a search instead of every commune
drawn, a summary of the errors at the top, required fields marked, names sorted as French
readers expect, and a page whose cost does not grow with the département's communes."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from acteurs.models import Territoire
from actions.forms.territoires import LIMITE
from actions.models import Action
from tests.acteurs.factories import ActeurFactory, TerritoireFactory
from tests.actions.factories import ActionFactory, FeuilleDeRouteFactory, PartenariatFactory
from tests.actions.test_fiches import creer_url, donnees, lignes


class Ids(HTMLParser):
    """The ids of a page, what its controls point to, and the summary's links."""

    def __init__(self, html):
        super().__init__()
        self.ids, self.decrits, self.invalides, self.liens = set(), [], [], []
        self._resume = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        self.decrits += (attrs.get("aria-describedby") or "").split()
        self.decrits += (attrs.get("aria-labelledby") or "").split()
        if attrs.get("aria-invalid") == "true":
            self.invalides.append(attrs.get("name"))
        if attrs.get("id") == "resume-erreurs":
            self._resume = 1
        elif self._resume and tag == "div":
            self._resume += 1
        if self._resume and tag == "a":
            self.liens.append(attrs["href"])

    def handle_endtag(self, tag):
        if self._resume and tag == "div":
            self._resume -= 1


def options_partenaires(page, rang=0) -> list[str]:
    """The labels a partner row's select offers, in the page's order."""
    select = page.split(f'id="id_partenaires-{rang}-acteur"')[1].split("</select>")[0]
    return re.findall(r">([^<]+)</option>", select)


def communes_de(departement, *noms):
    communes = [
        TerritoireFactory(code=f"{departement.code}{i:03d}", nom=nom) for i, nom in enumerate(noms)
    ]
    departement.territoires.add(*communes)
    return communes


def case(territoire, coche=False) -> str:
    debut = f'name="territoires" value="{territoire.pk}" id="id_territoires_{territoire.pk}"'
    return debut + (" checked>" if coche else ">")


def cases_dessinees(page) -> list[str]:
    """The labels of the communes' boxes, in the page's order."""
    bloc = page.split('id="communes-territoires"')[1].split('id="communes-statut"')[0]
    return re.findall(r'<label class="fr-label" for="id_territoires_\d+">([^<]+)</label>', bloc)


# --- Territories: a search, not every commune -------------------------------------------


def test_seuls_le_departement_et_ses_epci_sont_dessines(client, partenaire, feuille, epci):
    (rouen,) = communes_de(feuille.departement, "Rouen")
    client.force_login(partenaire)
    page = client.get(creer_url(feuille)).content.decode()
    assert case(epci) in page and "EPCI : Métropole Rouen (200023414)" in page
    assert case(rouen) not in page  # found by the search, not drawn
    assert 'name="commune_recherche"' in page and ">Chercher</button>" in page


def test_chercher_sans_javascript_garde_la_saisie_et_n_enregistre_rien(
    client, partenaire, feuille, axe, association, hautes_alpes
):
    rouen, darnetal, _yvetot = communes_de(feuille.departement, "Rouen", "Darnétal", "Yvetot")
    (gap,) = communes_de(hautes_alpes, "Gap-Rouen")  # another département's: never proposed
    client.force_login(partenaire)
    data = donnees(axe, association, titre="Garder ce titre", description="")
    data.update(territoires=[darnetal.pk], commune_recherche="rou", chercher_communes="1")
    data.update(lignes("jalons", {"libelle": "Premier atelier", "date_prevue": ""}))
    response = client.post(creer_url(feuille), data)
    assert response.status_code == 200 and not Action.objects.exists()
    page = response.content.decode()
    assert 'value="Garder ce titre"' in page and 'value="Premier atelier"' in page
    assert 'value="rou"' in page  # the search box keeps what was typed
    assert case(darnetal, coche=True) in page  # still chosen
    assert case(rouen) in page and case(rouen, coche=True) not in page  # proposed
    assert "Yvetot" not in page and case(gap) not in page
    assert "Une commune correspond à « rou »" in page
    # A search is no submission: no error, no summary, no control marked invalid.
    assert "Ce champ est obligatoire" not in page and "resume-erreurs" not in page
    assert Ids(page).invalides == []


def test_la_recherche_pendant_la_frappe_renvoie_les_communes(client, partenaire, feuille):
    rouen, darnetal, yvetot = communes_de(feuille.departement, "Rouen", "Darnétal", "Yvetot")
    client.force_login(partenaire)
    url = reverse("actions:communes", args=[feuille.pk])
    response = client.get(url, {"commune_recherche": "DARNETAL", "territoires": [yvetot.pk]})
    assert response.status_code == 200
    page = response.content.decode()
    # The ticked ones first (they stay), then what the search found.
    assert cases_dessinees(f'id="communes-territoires"{page}') == [
        "Yvetot (76002)",
        "Darnétal (76001)",
    ]
    assert case(yvetot, coche=True) in page and case(darnetal) in page
    assert case(darnetal, coche=True) not in page and case(rouen) not in page
    assert 'id="communes-statut"' in page and 'hx-swap-oob="true"' in page


@pytest.mark.parametrize("texte", ["", "²", "x" * 10_000, "a\x00b", "zzz"])
def test_une_recherche_etrange_ne_propose_rien(client, partenaire, feuille, texte):
    communes_de(feuille.departement, "Rouen")
    client.force_login(partenaire)
    url = reverse("actions:communes", args=[feuille.pk])
    response = client.get(url, {"commune_recherche": texte, "territoires": ["abc", "-1"]})
    assert response.status_code == 200 and "Rouen" not in response.content.decode()


def test_la_recherche_est_bornee(client, partenaire, feuille):
    communes_de(feuille.departement, *(f"Saint-Aubin {i:02d}" for i in range(LIMITE + 3)))
    client.force_login(partenaire)
    url = reverse("actions:communes", args=[feuille.pk])
    page = client.get(url, {"commune_recherche": "saint aubin"}).content.decode()
    assert page.count('name="territoires"') == LIMITE
    assert "précisez la recherche" in page


def test_le_texte_cherche_est_echappe(client, partenaire, feuille):
    client.force_login(partenaire)
    url = reverse("actions:communes", args=[feuille.pk])
    page = client.get(url, {"commune_recherche": "<b>Rouen</b>"}).content.decode()
    assert "« &lt;b&gt;Rouen&lt;/b&gt; »" in page and "<b>" not in page


def test_la_recherche_suit_les_droits_de_la_feuille(client, partenaire, hautes_alpes):
    ailleurs = FeuilleDeRouteFactory(departement=hautes_alpes)
    client.force_login(partenaire)
    assert client.get(reverse("actions:communes", args=[ailleurs.pk])).status_code == 404
    client.logout()
    url = reverse("actions:communes", args=[FeuilleDeRouteFactory().pk])
    response = client.get(url)
    assert response.status_code == 302 and "/connexion/" in response.url


def test_un_lecteur_ne_cherche_pas(client, lecteur, feuille):
    client.force_login(lecteur)
    assert client.get(reverse("actions:communes", args=[feuille.pk])).status_code == 403


def test_une_commune_non_dessinee_du_departement_est_acceptee_mais_pas_une_autre(
    client, partenaire, feuille, axe, association, hautes_alpes
):
    (rouen,) = communes_de(feuille.departement, "Rouen")
    (gap,) = communes_de(hautes_alpes, "Gap")
    client.force_login(partenaire)
    response = client.post(creer_url(feuille), donnees(axe, association, territoires=[gap.pk]))
    assert response.status_code == 200 and not Action.objects.exists()
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = client.post(creer_url(feuille), donnees(axe, association, territoires=[rouen.pk]))
    assert response.status_code == 302
    assert list(Action.objects.get().territoires.all()) == [rouen]


def test_les_communes_choisies_restent_cochees_et_triees_sans_accents(
    client, partenaire, brouillon, feuille
):
    yvetot, lyon, ecully = communes_de(feuille.departement, "Yvetot", "Lyon", "Écully")
    brouillon.territoires.set([yvetot, lyon, ecully])
    client.force_login(partenaire)
    page = client.get(reverse("actions:modifier", args=[brouillon.pk])).content.decode()
    assert cases_dessinees(page) == ["Écully (76002)", "Lyon (76001)", "Yvetot (76000)"]
    assert all(case(t, coche=True) in page for t in (yvetot, lyon, ecully))


def test_les_communes_trouvees_sont_triees_sans_accents(client, partenaire, feuille):
    communes_de(feuille.departement, "Yport-lès-Mer", "Écully-lès-Bois", "Lillebonne-les-Prés")
    client.force_login(partenaire)
    url = reverse("actions:communes", args=[feuille.pk])
    page = client.get(url, {"commune_recherche": "les"}).content.decode()
    assert cases_dessinees(f'id="communes-territoires"{page}') == [
        "Écully-lès-Bois (76001)",
        "Lillebonne-les-Prés (76002)",
        "Yport-lès-Mer (76000)",
    ]


def test_les_noms_des_structures_sont_tries_sans_accents(client, pilotage, feuille):
    for nom in ("Yser Formation", "Équipe mobile", "Maison des langues"):
        ActeurFactory(departement=feuille.departement, nom=nom)
    client.force_login(pilotage)
    page = client.get(creer_url(feuille)).content.decode()
    porteurs = page.split('id="id_porteur"')[1].split("</select>")[0]
    noms = re.findall(r">([^<]+)</option>", porteurs)
    assert [n for n in noms if n in ("Yser Formation", "Équipe mobile", "Maison des langues")] == [
        "Équipe mobile",
        "Maison des langues",
        "Yser Formation",
    ]
    data = donnees(feuille.axes.first(), ActeurFactory(departement=feuille.departement))
    data.update(partenaire_recherche="e", chercher_partenaires="1")
    data.update(lignes("partenaires", {"acteur": ""}))
    page = client.post(creer_url(feuille), data).content.decode()
    assert options_partenaires(page).index("Équipe mobile") < options_partenaires(page).index(
        "Maison des langues"
    )


# --- Partners: a search, not every structure in every row -------------------------------


def chercher_partenaires(client, feuille, axe, association, texte, *rangs):
    data = donnees(axe, association, titre="Garder ce titre")
    data.update(partenaire_recherche=texte, chercher_partenaires="1")
    data.update(lignes("partenaires", *rangs))
    response = client.post(creer_url(feuille), data)
    assert response.status_code == 200 and not Action.objects.exists()
    return response.content.decode()


def test_les_lignes_proposent_les_partenaires_choisis_pas_toutes_les_structures(
    client, pilotage, feuille, axe, association, brouillon
):
    plateau = ActeurFactory(departement=feuille.departement, nom="Centre social du Plateau")
    ActeurFactory(departement=feuille.departement, nom="Mission locale")
    PartenariatFactory(action=brouillon, acteur=plateau)
    client.force_login(pilotage)
    page = client.get(reverse("actions:modifier", args=[brouillon.pk])).content.decode()
    for rang in (0, 1, 2):  # the saved row and the two empty ones
        assert options_partenaires(page, rang) == [
            "Sélectionner une option",
            "Centre social du Plateau",
        ]
    assert "Mission locale" in page.split('id="id_porteur"')[1].split("</select>")[0]
    assert 'name="partenaire_recherche"' in page and 'id="partenaires-statut"' in page
    assert set(Ids(page).decrits) <= Ids(page).ids


def test_chercher_un_partenaire_sans_javascript_garde_la_saisie(
    client, partenaire, feuille, axe, association, hautes_alpes
):
    plateau = ActeurFactory(departement=feuille.departement, nom="Centre social du Plateau")
    ActeurFactory(departement=feuille.departement, nom="Centre social Éclair", sigle="CSE")
    ActeurFactory(departement=feuille.departement, nom="Centre d'archives", archive=True)
    ActeurFactory(departement=feuille.departement, nom="Centre proposé", en_attente=True)
    ActeurFactory(departement=hautes_alpes, nom="Centre social de Gap")
    ActeurFactory(departement=feuille.departement, nom="Mission locale")
    client.force_login(partenaire)
    page = chercher_partenaires(
        client, feuille, axe, association, "CENTRE", {"acteur": plateau.pk, "role": "Salles"}
    )
    # The partner chosen stays chosen; the other valid structures of the département found.
    assert options_partenaires(page, 0) == [
        "Sélectionner une option",
        "Centre social du Plateau",
        "Centre social Éclair (CSE)",
    ]
    assert f'<option value="{plateau.pk}" selected>' in page
    assert 'value="Salles"' in page and 'value="Garder ce titre"' in page
    assert 'value="CENTRE"' in page  # the search box keeps what was typed
    assert "Une structure correspond à « CENTRE »" in page
    assert "Ce champ est obligatoire" not in page and "resume-erreurs" not in page
    assert Ids(page).invalides == []
    # Found by its sigle too, folded like the stored key.
    page = chercher_partenaires(client, feuille, axe, association, "cse", {"acteur": ""})
    assert options_partenaires(page) == ["Sélectionner une option", "Centre social Éclair (CSE)"]


def test_la_recherche_de_partenaires_est_bornee(client, partenaire, feuille, axe, association):
    for i in range(LIMITE + 3):
        ActeurFactory(departement=feuille.departement, nom=f"Épicerie solidaire {i:02d}")
    client.force_login(partenaire)
    page = chercher_partenaires(client, feuille, axe, association, "epicerie", {"acteur": ""})
    assert len(options_partenaires(page)) == 1 + LIMITE
    assert f"Les {LIMITE} premières structures correspondant à « epicerie »" in page


def test_un_partenaire_trouve_s_enregistre(client, partenaire, feuille, axe, association):
    plateau = ActeurFactory(departement=feuille.departement, nom="Centre social du Plateau")
    client.force_login(partenaire)
    page = chercher_partenaires(client, feuille, axe, association, "plateau", {"acteur": ""})
    assert "Centre social du Plateau" in options_partenaires(page)
    data = donnees(axe, association, partenaire_recherche="plateau", enregistrer="1")
    data.update(lignes("partenaires", {"acteur": plateau.pk, "role": "Salles"}))
    response = client.post(creer_url(feuille), data)
    assert response.status_code == 302
    assert [p.acteur for p in Action.objects.get().partenariats.all()] == [plateau]


# --- The cost of the page ---------------------------------------------------------------


def test_le_formulaire_coute_autant_de_requetes_quelle_que_soit_la_taille(
    client, pilotage, feuille, epci, brouillon, django_assert_num_queries
):
    url = reverse("actions:modifier", args=[brouillon.pk])
    client.force_login(pilotage)
    client.get(url)  # warm the caches: sessions, content types
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200
    communes = communes_de(feuille.departement, *(f"Commune {i}" for i in range(300)))
    brouillon.territoires.set(communes[:5])
    structures = [
        ActeurFactory(departement=feuille.departement, nom=f"Structure {i}") for i in range(30)
    ]
    for structure in structures[:3]:
        PartenariatFactory(action=brouillon, acteur=structure)
    ActionFactory.create_batch(3, axe=brouillon.axe)
    with django_assert_num_queries(15):
        page = client.get(url).content.decode()
    assert page.count('name="territoires"') == 1 + 5  # the EPCI, the communes chosen
    # Each partner row offers the three partners, not the département's 30 structures.
    assert options_partenaires(page, 4) == [
        "Sélectionner une option",
        *(structure.nom for structure in structures[:3]),
    ]
    assert Territoire.objects.filter(departements=feuille.departement).count() > 300


# --- Errors: a summary that leads to each field -----------------------------------------


def test_le_resume_des_erreurs_mene_a_chaque_champ(client, partenaire, feuille, axe, association):
    client.force_login(partenaire)
    data = donnees(axe, association, titre="", date_debut="2026-05-01", date_fin="2026-04-01")
    data.update(lignes("financements", {"source": "bop147", "annee": "1900",
                                        "montant_demande": "douze"}))  # fmt: skip
    response = client.post(creer_url(feuille), data)
    assert response.status_code == 200 and not Action.objects.exists()
    page = response.content.decode()
    ids = Ids(page)
    assert ids.liens == [
        "#id_titre",
        "#id_date_fin",
        "#id_financements-0-annee",
        "#id_financements-0-montant_demande",
    ]
    assert all(lien[1:] in ids.ids for lien in ids.liens)
    assert "Intitulé de l&#x27;action * : Ce champ est obligatoire." not in page
    assert "Intitulé de l&#x27;action : Ce champ est obligatoire." in page
    assert "Financements, ligne 1, Demandé (€) : Saisissez un montant en euros" in page
    assert "4 erreurs sont à corriger" in page and "<title>Erreur : " in page
    assert 'tabindex="-1" autofocus data-resume-erreurs' in page
    assert "js/resume-erreurs.js" in page
    # Every control marked invalid points to messages that exist.
    assert sorted(ids.invalides) == [
        "date_fin", "financements-0-annee", "financements-0-montant_demande", "titre",
    ]  # fmt: skip
    assert set(ids.decrits) <= ids.ids, set(ids.decrits) - ids.ids


def test_les_erreurs_des_tableaux_menent_a_leur_tableau(
    client, partenaire, feuille, axe, association
):
    autre = ActeurFactory(departement=feuille.departement, nom="Centre social")
    client.force_login(partenaire)
    data = donnees(axe, association)
    data.update(lignes("partenaires", {"acteur": autre.pk}, {"acteur": autre.pk}))
    page = client.post(creer_url(feuille), data).content.decode()
    assert Ids(page).liens == ["#lignes-partenaires"]
    assert "Partenaires : « Centre social » figure deux fois" in page


def test_ajouter_des_lignes_ne_marque_rien_invalide(client, partenaire, feuille, axe, association):
    client.force_login(partenaire)
    data = donnees(axe, association, titre="", description="", ajouter_lignes="1",
                   commune_recherche="rouen")  # fmt: skip
    data.update(lignes("financements", {"source": "", "annee": "x", "montant_demande": "douze"}))
    page = client.post(creer_url(feuille), data).content.decode()
    ids = Ids(page)
    assert ids.invalides == [] and "resume-erreurs" not in page
    assert set(ids.decrits) <= ids.ids, set(ids.decrits) - ids.ids
    assert 'value="rouen"' in page  # the search is not emptied


def test_un_formulaire_juste_n_a_ni_resume_ni_script(client, partenaire, feuille):
    client.force_login(partenaire)
    page = client.get(creer_url(feuille)).content.decode()
    assert "resume-erreurs" not in page
    assert set(Ids(page).decrits) <= Ids(page).ids


def test_les_champs_obligatoires_sont_marques(client, partenaire, feuille):
    client.force_login(partenaire)
    page = client.get(creer_url(feuille)).content.decode()
    assert "Les champs marqués d'un astérisque (*) sont obligatoires" in page
    assert ">Intitulé de l&#x27;action *<" in page and ">Axe *<" in page
    assert ">Objectifs<span" in page  # optional: no mark
    assert '<th scope="col">Partenaire *</th>' in page


def libelles(page) -> dict[str, tuple[str, bool]]:
    """Each label's text by the id of the control it names, and whether it is only read
    out (visually hidden)."""
    trouves = re.findall(r'<label class="([^"]*)" for="([^"]+)">([^<]*)', page)
    return {cible: (texte, "fr-sr-only" in classe) for classe, cible, texte in trouves}


def test_chaque_cellule_des_tableaux_a_son_libelle_et_ses_erreurs(
    client, partenaire, feuille, axe, association
):
    client.force_login(partenaire)
    data = donnees(axe, association)
    data.update(lignes("financements", {"source": "bop147", "annee": "1900",
                                        "montant_demande": "douze"}))  # fmt: skip
    data.update(lignes("jalons", {"libelle": "", "date_prevue": "2026-03-01"}))
    page = client.post(creer_url(feuille), data).content.decode()
    controles = re.findall(
        r'<(?:input|select) (?![^>]*type="hidden")[^>]*id="id_((?:partenaires|financements'
        r'|indicateurs|jalons)-\d+-\w+)"',
        page,
    )
    assert len(controles) == 4 + 3  # a row each: its columns and « Supprimer »
    noms = libelles(page)
    assert all(f"id_{c}" in noms for c in controles), set(controles) - set(noms)
    # The header names the column: the cell's label is read out, not shown; but the box
    # « Supprimer », whose label draws the box.
    assert noms["id_financements-0-montant_demande"] == ("Demandé (€) *", True)
    assert noms["id_financements-0-source"] == ("Source *", True)
    assert noms["id_jalons-0-DELETE"] == ("Supprimer", False)
    assert '<th scope="col">Demandé (€) *</th>' in page
    # Each error sits under its control, with the id its aria-describedby names.
    for champ in ("financements-0-annee", "financements-0-montant_demande", "jalons-0-libelle"):
        assert f'aria-describedby="id_{champ}_error"' in page
        assert f'<p class="fr-error-text" id="id_{champ}_error">' in page
    assert 'class="fr-input-group fr-input-group--error" id="div_id_jalons-0-libelle"' in page
