"""Demo data of the plan d'actions, on top of the actors' demo (`acteurs.demo`).

Each demo département gets a feuille de route 2026–2028 with the default axes and about
thirty actions in every status, carried by the demo actors, with partners, publics,
territories of the loaded référentiel, coherent funding (granted ≤ requested, paid ≤
granted), indicators with values, milestones and their workflow's log. Seine-Maritime's
feuille is in consultation, with partners' comments; it has a CTAI with the Métropole
Rouen Normandie. Context figures cover several years, Hautes-Alpes' 2018 ones real.

The ORM is used directly: the demo shows states, it does not replay the services.
Idempotent: objects are found by their natural keys, and an action's details are only
made when the action is.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from acteurs.models import Acteur, Departement, Territoire, User
from actions.models import (
    AXES_PAR_DEFAUT,
    Action,
    Axe,
    CommentaireConsultation,
    Contrat,
    FeuilleDeRoute,
    Financement,
    Indicateur,
    Jalon,
    Mesure,
    Partenariat,
    PublicCible,
    StatistiqueContexte,
    Transition,
)

S = Action.Statut
PARTENAIRE = "partenaire@demo.gouv.fr"
PILOTAGE = "pilotage@demo.gouv.fr"
AAIR = "Association d'accueil et d'insertion des réfugiés de Rouen"

# 30 statuses, every one present, most actions running as in a plan's second year.
STATUTS = (
    [S.BROUILLON] * 4
    + [S.SOUMISE] * 3
    + [S.EN_INSTRUCTION] * 3
    + [S.A_COMPLETER] * 2
    + [S.VALIDEE] * 4
    + [S.REFUSEE] * 2
    + [S.EN_COURS] * 8
    + [S.TERMINEE] * 2
    + [S.ABANDONNEE] * 2
)
# The path an action took to reach its status, for the log.
CHEMINS = {
    S.BROUILLON: [],
    S.SOUMISE: [S.SOUMISE],
    S.EN_INSTRUCTION: [S.SOUMISE, S.EN_INSTRUCTION],
    S.A_COMPLETER: [S.SOUMISE, S.A_COMPLETER],
    S.VALIDEE: [S.SOUMISE, S.EN_INSTRUCTION, S.VALIDEE],
    S.REFUSEE: [S.SOUMISE, S.EN_INSTRUCTION, S.REFUSEE],
    S.EN_COURS: [S.SOUMISE, S.VALIDEE, S.EN_COURS],
    S.TERMINEE: [S.SOUMISE, S.VALIDEE, S.EN_COURS, S.TERMINEE],
    S.ABANDONNEE: [S.SOUMISE, S.VALIDEE, S.ABANDONNEE],
}
MOTIFS = {
    S.A_COMPLETER: "Merci de préciser le nombre de personnes accueillies et le budget détaillé.",
    S.REFUSEE: "L'action relève du droit commun et ne peut être financée sur le BOP 104.",
    S.ABANDONNEE: "Le local prévu n'a finalement pas pu être mis à disposition.",
}

# (axe code, titre, public codes, indicator label, unit)
ACTIONS = [
    ("langue", "Ateliers sociolinguistiques de quartier", ["primo-arrivants", "femmes"],
     "Personnes inscrites aux ateliers", "personnes"),
    ("langue", "Cours de français à visée professionnelle", ["primo-arrivants"],
     "Stagiaires ayant atteint le niveau A2", "personnes"),
    ("langue", "Garde d'enfants pendant les cours de français", ["femmes", "familles"],
     "Enfants accueillis", "enfants"),
    ("emploi", "Parcours vers l'emploi des réfugiés", ["bpi"],
     "Personnes en emploi à six mois", "personnes"),
    ("emploi", "Reconnaissance des diplômes et des qualifications", ["bpi", "primo-arrivants"],
     "Dossiers de reconnaissance déposés", "dossiers"),
    ("emploi", "Découverte des métiers en tension", ["jeunes", "bpi"],
     "Stages d'immersion réalisés", "stages"),
    ("logement", "Accès au logement autonome des réfugiés", ["bpi", "familles"],
     "Ménages relogés", "ménages"),
    ("logement", "Colocations solidaires pour jeunes réfugiés", ["jeunes", "bpi"],
     "Jeunes logés", "personnes"),
    ("sante", "Consultations de soutien psychologique", ["bpi", "protection-temporaire"],
     "Personnes suivies", "personnes"),
    ("sante", "Médiation en santé dans les centres d'hébergement", ["primo-arrivants"],
     "Entretiens de médiation", "entretiens"),
    ("droits", "Permanences d'accès aux droits", ["primo-arrivants", "seniors"],
     "Personnes reçues en permanence", "personnes"),
    ("droits", "Accompagnement numérique aux démarches en ligne", ["primo-arrivants"],
     "Démarches accompagnées", "démarches"),
    ("mobilite", "Passage du permis de conduire", ["bpi", "jeunes"],
     "Permis obtenus", "permis"),
    ("mobilite", "Location solidaire de vélos et de cyclomoteurs", ["primo-arrivants"],
     "Véhicules prêtés", "prêts"),
    ("citoyennete", "Parrainage citoyen de familles réfugiées", ["familles", "bpi"],
     "Binômes de parrainage", "binômes"),
    ("citoyennete", "Découverte des institutions de la République", ["primo-arrivants"],
     "Participants aux visites", "personnes"),
    ("culture", "Pratique sportive en club pour les jeunes", ["jeunes"],
     "Licences sportives financées", "licences"),
    ("culture", "Sorties culturelles en famille", ["familles"],
     "Participants aux sorties", "personnes"),
    ("coordination", "Animation du réseau départemental des acteurs", [],
     "Réunions du réseau", "réunions"),
    ("coordination", "Guide d'accueil des nouveaux arrivants", [],
     "Guides diffusés", "exemplaires"),
    ("langue", "Tables de conversation en bibliothèque", ["primo-arrivants", "seniors"],
     "Séances organisées", "séances"),
    ("emploi", "Création d'entreprise par les réfugiés", ["bpi"],
     "Entreprises créées", "entreprises"),
    ("logement", "Intermédiation locative en zone rurale", ["familles"],
     "Logements captés", "logements"),
    ("sante", "Bilans de santé à l'arrivée", ["primo-arrivants", "protection-temporaire"],
     "Bilans réalisés", "bilans"),
    ("droits", "Accès aux droits des femmes isolées", ["femmes"],
     "Femmes accompagnées", "personnes"),
    ("mobilite", "Apprentissage du vélo pour les femmes", ["femmes"],
     "Participantes", "personnes"),
    ("citoyennete", "Bénévolat des nouveaux arrivants dans les associations", ["jeunes"],
     "Missions de bénévolat", "missions"),
    ("culture", "Chorale interculturelle", ["primo-arrivants"],
     "Choristes", "personnes"),
    ("emploi", "Français et emploi dans l'hôtellerie-restauration", ["protection-temporaire"],
     "Contrats signés", "contrats"),
    ("coordination", "Observatoire départemental de l'intégration", [],
     "Notes publiées", "notes"),
]  # fmt: skip

# Communes whose EPCI and selves the actions take place in (INSEE codes).
COMMUNES = {
    "76": ["76540", "76351", "76217", "76231", "76259"],
    "05": ["05061", "05023", "05046", "05070"],
}
SOURCES = [
    Financement.Source.BOP_104_12,
    Financement.Source.BOP_104_15,
    Financement.Source.FAMI,
    Financement.Source.COLLECTIVITE,
    Financement.Source.BOP_147,
    Financement.Source.AUTRE,
]

# (code du département, année, indicateur, valeur, source)
STATISTIQUES = [
    ("05", 2018, "premiers_titres", 312, "Préfecture des Hautes-Alpes, AGDREF"),
    ("05", 2018, "dont_bpi", 21, "Préfecture des Hautes-Alpes, AGDREF ; OFPRA"),
    ("05", 2018, "renouvellements", 543, "Préfecture des Hautes-Alpes, AGDREF"),
    ("05", 2023, "premiers_titres", 355, "DGEF, AGDREF (estimation de démonstration)"),
    ("05", 2023, "dont_bpi", 48, "DGEF, AGDREF ; OFPRA (estimation de démonstration)"),
    ("05", 2023, "renouvellements", 610, "DGEF, AGDREF (estimation de démonstration)"),
    ("05", 2023, "cir_signes", 240, "OFII (estimation de démonstration)"),
    ("05", 2024, "premiers_titres", 372, "DGEF, AGDREF (estimation de démonstration)"),
    ("05", 2024, "cir_signes", 251, "OFII (estimation de démonstration)"),
    ("76", 2023, "premiers_titres", 3150, "DGEF, AGDREF (estimation de démonstration)"),
    ("76", 2023, "dont_bpi", 620, "DGEF, AGDREF ; OFPRA (estimation de démonstration)"),
    ("76", 2023, "renouvellements", 7400, "DGEF, AGDREF (estimation de démonstration)"),
    ("76", 2023, "cir_signes", 2210, "OFII (estimation de démonstration)"),
    ("76", 2024, "premiers_titres", 3280, "DGEF, AGDREF (estimation de démonstration)"),
    ("76", 2024, "dont_bpi", 655, "DGEF, AGDREF ; OFPRA (estimation de démonstration)"),
    ("76", 2024, "niveau_a1", 1480, "OFII (estimation de démonstration)"),
    ("76", 2024, "demandes_asile", 1950, "OFII, guichet unique (estimation de démonstration)"),
]


def load(stdout) -> None:
    pilotage = User.objects.get(email=PILOTAGE)
    for departement in Departement.objects.filter(code__in=COMMUNES).order_by("code"):
        feuille = _feuille(departement, pilotage)
        _actions(feuille, pilotage)
        if departement.code == "76":
            _commentaires(feuille, pilotage)
            _contrat(departement, feuille)
    _statistiques(pilotage)
    stdout.write(
        f"Plan d'actions : {FeuilleDeRoute.objects.count()} feuilles de route, "
        f"{Action.objects.count()} actions.\n"
    )


def _feuille(departement, pilotage) -> FeuilleDeRoute:
    en_consultation = departement.code == "76"
    feuille, _ = FeuilleDeRoute.objects.get_or_create(
        departement=departement,
        annee_debut=2026,
        annee_fin=2028,
        version=1,
        defaults={
            "titre": f"Feuille de route départementale {departement.nom} 2026–2028",
            "statut": FeuilleDeRoute.Statut.CONSULTATION
            if en_consultation
            else FeuilleDeRoute.Statut.BROUILLON,
            "depot_ouvert_le": date(2026, 1, 1),
            "depot_clos_le": date(2028, 12, 31),
            "cree_par": pilotage,
        },
    )
    for ordre, (code, libelle) in enumerate(AXES_PAR_DEFAUT, 1):
        Axe.objects.get_or_create(
            feuille=feuille, libelle=libelle, defaults={"ordre": ordre, "code": code}
        )
    return feuille


def _porteurs(departement) -> list[Acteur]:
    types = (Acteur.Type.ASSOCIATION, Acteur.Type.OPERATEUR_ETAT, Acteur.Type.COLLECTIVITE)
    qs = Acteur.objects.filter(departement=departement, statut=Acteur.Statut.VALIDE)
    return list(qs.filter(type__in=types).order_by("nom"))


def _lieux(departement) -> list[Territoire]:
    """Where actions take place, in turn: the whole département, an EPCI, a commune…"""
    communes = Territoire.objects.filter(
        type=Territoire.Type.COMMUNE, code__in=COMMUNES[departement.code]
    ).select_related("epci")
    lieux = list(Territoire.objects.filter(type=Territoire.Type.DEPARTEMENT, code=departement.code))
    for commune in sorted(communes, key=lambda c: COMMUNES[departement.code].index(c.code)):
        lieux += [t for t in (commune.epci, commune) if t]
    return lieux


def _actions(feuille, pilotage) -> None:
    departement = feuille.departement
    axes = {axe.code: axe for axe in feuille.axes.all()}
    porteurs, lieux = _porteurs(departement), _lieux(departement)
    publics = {p.code: p for p in PublicCible.objects.all()}
    partenaire = User.objects.get(email=PARTENAIRE)
    aair = Acteur.objects.filter(departement=departement, nom=AAIR).first()
    for rang, (statut, modele) in enumerate(zip(STATUTS, ACTIONS, strict=True)):
        code_axe, titre, codes_publics, indicateur, unite = modele
        # The partner's association carries drafts, a returned action and running ones.
        porteur = aair if aair and rang in (0, 1, 10, 16, 20) else porteurs[rang % len(porteurs)]
        auteur = partenaire if porteur == aair else pilotage
        action, cree = Action.objects.get_or_create(
            feuille=feuille,
            titre=titre,
            defaults=_champs(axes[code_axe], porteur, auteur, statut, rang),
        )
        if not cree:
            continue
        partenaires = [a for a in porteurs if a != porteur][rang % 5 :][:2]
        for acteur in partenaires:
            Partenariat.objects.create(action=action, acteur=acteur, role="Orientation des publics")
        action.publics.set([publics[c] for c in codes_publics if c in publics])
        if lieux:
            action.territoires.set([lieux[rang % len(lieux)]])
        _financements(action, rang)
        _indicateur(action, indicateur, unite, rang, pilotage)
        _jalons(action, rang)
        _transitions(action, auteur, pilotage)


def _champs(axe, porteur, auteur, statut, rang) -> dict:
    aujourd_hui = timezone.localdate()
    en_cours = statut in (S.EN_COURS, S.VALIDEE)
    debut = min(date(2026, 1, 1), aujourd_hui - timedelta(days=90))
    # Some running actions end soon: the dashboard's deadlines show them.
    fin = aujourd_hui + timedelta(days=15 + 4 * rang) if en_cours and rang % 3 == 0 else None
    return {
        "axe": axe,
        "porteur": porteur,
        "cree_par": auteur,
        "statut": statut,
        "description": f"{axe.libelle} : action portée par {porteur.nom}.",
        "objectifs": "Favoriser l'autonomie des personnes accompagnées.",
        "date_debut": debut,
        "date_fin": fin or date(2028, 12, 31),
        "soumise_le": None if statut == S.BROUILLON else timezone.now() - timedelta(days=3 + rang),
        "avancement": {S.EN_COURS: 20 + 5 * (rang % 10), S.TERMINEE: 100}.get(statut, 0),
    }


def _financements(action, rang) -> None:
    decide = action.statut in (S.VALIDEE, S.EN_COURS, S.TERMINEE, S.ABANDONNEE)
    execute = action.statut in (S.EN_COURS, S.TERMINEE)
    for annee in (2026, 2027)[: 1 + rang % 2]:
        demande = Decimal(5000 + 1500 * (rang % 7))
        accorde = (demande * Decimal("0.8")).quantize(Decimal("1")) if decide else None
        verse = (accorde / 2).quantize(Decimal("0.01")) if execute and annee == 2026 else None
        Financement.objects.create(
            action=action,
            source=SOURCES[(rang + annee) % len(SOURCES)],
            annee=annee,
            montant_demande=demande,
            montant_accorde=accorde,
            montant_verse=verse,
        )


def _indicateur(action, libelle, unite, rang, pilotage) -> None:
    cible = Decimal(20 + 10 * (rang % 5))
    indicateur = Indicateur.objects.create(action=action, libelle=libelle, unite=unite, cible=cible)
    if action.statut in (S.EN_COURS, S.TERMINEE):
        part = Decimal("1.1") if action.statut == S.TERMINEE else Decimal("0.2") * (1 + rang % 4)
        Mesure.objects.create(
            indicateur=indicateur, annee=2026, valeur=(cible * part).quantize(Decimal("1")),
            saisie_par=pilotage,
        )  # fmt: skip


def _jalons(action, rang) -> None:
    if action.statut not in (S.VALIDEE, S.EN_COURS, S.TERMINEE):
        return
    aujourd_hui = timezone.localdate()
    Jalon.objects.create(
        action=action,
        libelle="Lancement",
        date_prevue=aujourd_hui - timedelta(days=120),
        atteint_le=aujourd_hui - timedelta(days=118),
    )
    Jalon.objects.create(
        action=action, libelle="Bilan d'étape", date_prevue=aujourd_hui + timedelta(days=7 + rang)
    )


def _transitions(action, auteur, pilotage) -> None:
    de, le = S.BROUILLON, timezone.now() - timedelta(days=60)
    for vers in CHEMINS[action.statut]:
        par = auteur if vers == S.SOUMISE else pilotage
        Transition.objects.create(
            action=action, de=de, vers=vers, par=par, le=le, commentaire=MOTIFS.get(vers, "")
        )
        de, le = vers, le + timedelta(days=5)


def _commentaires(feuille, pilotage) -> None:
    """Partners' comments on the draft in consultation, one answered."""
    partenaire = User.objects.get(email=PARTENAIRE)
    aair = Acteur.objects.filter(departement=feuille.departement, nom=AAIR).first()
    axe_langue = feuille.axes.filter(code="langue").first()
    action = feuille.actions.filter(statut=S.VALIDEE).order_by("titre").first()
    commentaires = [
        (axe_langue, None, "Les besoins en garde d'enfants freinent l'accès des mères aux cours."),
        (
            None,
            action,
            "Nous orienterons une quinzaine de personnes par an vers cette action.",
        ),
    ]
    for rang, (axe, sur_action, texte) in enumerate(commentaires):
        if axe is None and sur_action is None:
            continue
        commentaire, cree = CommentaireConsultation.objects.get_or_create(
            feuille=feuille,
            texte=texte,
            defaults={"axe": axe, "action": sur_action, "auteur": partenaire, "au_nom_de": aair},
        )
        if cree and rang == 0:
            commentaire.reponse = "Une action de garde d'enfants est ajoutée à l'axe 1."
            commentaire.repondu_par, commentaire.repondu_le = pilotage, timezone.now()
            commentaire.pris_en_compte = True
            commentaire.save()


def _contrat(departement, feuille) -> None:
    metropole = Acteur.objects.filter(departement=departement, nom="Métropole Rouen Normandie")
    if not metropole.exists():
        return
    contrat, cree = Contrat.objects.get_or_create(
        departement=departement,
        intitule="CTAI de la Métropole Rouen Normandie 2026–2028",
        defaults={
            "type": Contrat.Type.CTAI,
            "signataire": metropole.first(),
            "date_debut": date(2026, 1, 1),
            "date_fin": date(2028, 12, 31),
            "signe_le": date(2026, 3, 12),
            "montant_etat": Decimal("150000"),
            "montant_local": Decimal("90000"),
        },
    )
    if cree:
        rouen = Territoire.objects.filter(type=Territoire.Type.COMMUNE, code="76540").first()
        sur_rouen = feuille.actions.filter(territoires__in=[rouen, getattr(rouen, "epci", None)])
        contrat.actions.set(sur_rouen.filter(statut__in=Action.RETENUES).distinct())


def _statistiques(pilotage) -> None:
    departements = {d.code: d for d in Departement.objects.filter(code__in=COMMUNES)}
    for code, annee, indicateur, valeur, source in STATISTIQUES:
        if code in departements:
            StatistiqueContexte.objects.update_or_create(
                departement=departements[code],
                annee=annee,
                indicateur=indicateur,
                defaults={"valeur": valeur, "source": source, "saisie_par": pilotage},
            )
