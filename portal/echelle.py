"""Data at national scale: 101 départements as busy as a real one, to measure the pages on.

`generer()` builds, for each département, its actors, two feuilles de route (the past
period signed, the current one in preparation) with actions at every status and all they
carry, six instances with their seats, thirty séances with convocations, attendance and
decisions; plus the accounts that read it (pilotage, cabinet and partners of each
département, a regional and a national reader).

Deterministic: the same seed gives the same rows (names, dates, amounts, links); only the
automatic timestamps (`cree_le`, `modifie_le`) say when the run happened. Fast: each
département is a handful of bulk inserts. The run is one transaction: one that stops
leaves nothing behind, and a run asking for more départements adds only the missing ones.
Derived fields are set as the models' `save()` would (a département's région, an actor's
search key), and the database's verrous are met the way the real flow meets them: a
feuille is signed and a séance closed only once their content is written.
"""

import csv
import hashlib
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from acteurs.models import (
    Acteur,
    Departement,
    Habilitation,
    Membre,
    Reseau,
    Territoire,
    User,
    cle_de_recherche,
)
from acteurs.referentiel import charger_territoires
from acteurs.regions import region_du_departement
from actions import agregats
from actions.models import (
    AXES_PAR_DEFAUT,
    Action,
    Axe,
    BilanAnnuel,
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
from comites.models import Convocation, Decision, Instance, Personne, Point, Seance, Siege

DOMAINE = "echelle.example"  # every generated account, and only they, use it
MOT_DE_PASSE = "echelle-integration-2026"  # noqa: S105 - the documented bench password
FICHIER_DEPARTEMENTS = Path(apps.get_app_config("acteurs").path) / "data" / "departements.csv"
# The day the generated world "is": séances before it were held, after it are to come.
# Fixed, so that a seed gives the same data whatever day it runs.
AUJOURD_HUI = date(2026, 11, 16)
PERIODE_SIGNEE = (2023, 2025)
PERIODE_EN_COURS = (2026, 2028)
LOT = 1000  # rows per INSERT


@dataclass(frozen=True)
class Volumes:
    """How much each département holds; the defaults are a busy real one's."""

    acteurs: int = 250
    actions: int = 150
    instances: int = 6
    seances: int = 30
    partenaires: int = 3  # partner accounts


@dataclass
class Rapport:
    """What a run made: rows per model, and how long each step took."""

    lignes: Counter = field(default_factory=Counter)
    secondes: dict[str, float] = field(default_factory=dict)
    departements_crees: list[str] = field(default_factory=list)
    departements_presents: list[str] = field(default_factory=list)

    def compter(self, objets) -> list:
        objets = list(objets)
        if objets:
            self.lignes[objets[0]._meta.label] += len(objets)
        return objets


# --- Who may be generated into -----------------------------------------------------------


def courriel(local: str) -> str:
    return f"{local}@{DOMAINE}"


def donnees_etrangeres() -> list[str]:
    """What the database holds that this generator did not make (French, for the refusal):
    accounts outside its domain, départements without its pilotage account."""
    constats = []
    comptes = User.objects.exclude(email__endswith="@" + DOMAINE).count()
    if comptes:
        constats.append(f"{comptes} compte(s) hors du domaine {DOMAINE}")
    generes = User.objects.filter(email__startswith="pilotage.", email__endswith="@" + DOMAINE)
    codes_generes = {
        email.split(".")[1].split("@")[0].upper()
        for email in generes.values_list("email", flat=True)
    }
    autres = [
        c
        for c in Departement.objects.values_list("code", flat=True)
        if c.upper() not in codes_generes
    ]
    if autres:
        constats.append(f"{len(autres)} département(s) non générés ({', '.join(autres[:5])}…)")
    return constats


# --- The run -----------------------------------------------------------------------------


def departements_du_referentiel(nombre: int) -> list[dict]:
    with FICHIER_DEPARTEMENTS.open(encoding="utf-8", newline="") as f:
        lignes = sorted(csv.DictReader(f), key=lambda ligne: ligne["code"])
    if not 1 <= nombre <= len(lignes):
        raise ValueError(f"Le nombre de départements doit aller de 1 à {len(lignes)}.")
    return lignes[:nombre]


@transaction.atomic
def generer(nombre: int, seed: int, volumes: Volumes = Volumes(), sortie=None) -> Rapport:
    """Generate NOMBRE départements (the first ones of the référentiel, by code)."""
    rapport = Rapport()
    choisis = departements_du_referentiel(nombre)
    existants = set(Departement.objects.values_list("code", flat=True))
    a_faire = [ligne for ligne in choisis if ligne["code"] not in existants]
    rapport.departements_presents = [
        ligne["code"] for ligne in choisis if ligne["code"] in existants
    ]

    debut = time.monotonic()
    departements = rapport.compter(
        Departement.objects.bulk_create([_departement(ligne) for ligne in a_faire])
    )
    rapport.secondes["départements"] = time.monotonic() - debut

    debut = time.monotonic()
    if departements:
        charger_territoires({d.code for d in departements})
    rapport.secondes["territoires"] = time.monotonic() - debut

    debut = time.monotonic()
    mot_de_passe = make_password(MOT_DE_PASSE)  # hashed once: the slow hash is the point
    references = _references()
    for departement in departements:
        _generer_departement(departement, seed, volumes, mot_de_passe, references, rapport)
        rapport.departements_crees.append(departement.code)
        if sortie is not None:
            sortie.write(f"  {departement} : fait ({time.monotonic() - debut:.1f} s)\n")
    _lecteurs(choisis, mot_de_passe, rapport)
    # Bulk inserts send no signal: the new départements' cached figures start fresh.
    agregats.renouveler(d.pk for d in departements)
    rapport.secondes["données des départements"] = time.monotonic() - debut
    return rapport


def _departement(ligne: dict) -> Departement:
    code = ligne["code"]
    return Departement(
        code=code,
        nom=ligne["nom"],
        titre_prefet=ligne["titre_prefet"],
        chef_lieu=ligne["chef_lieu"],
        region=region_du_departement(code),  # what save() would derive; bulk_create skips it
        adresse=f"Préfecture\n1, place de la Préfecture\n{ligne['chef_lieu']}",
        contact_presse_service="Cabinet du préfet\nBureau de la communication interministérielle",
        contact_presse_telephone="01 00 00 00 00",
        contact_presse_courriel=f"communication.{code.lower()}@{DOMAINE}",
    )


@dataclass(frozen=True)
class References:
    reseaux: list[int]
    publics: list[int]


def _references() -> References:
    return References(
        reseaux=list(Reseau.objects.order_by("slug").values_list("pk", flat=True)),
        publics=list(PublicCible.objects.order_by("code").values_list("pk", flat=True)),
    )


def _lecteurs(choisis: list[dict], mot_de_passe: str, rapport: Rapport) -> None:
    """The national reader, and a regional one for the first département's région."""
    region = region_du_departement(choisis[0]["code"])
    portees = [
        ("lecteur.national", {"perimetre": Habilitation.Perimetre.FRANCE}),
        (
            f"lecteur.region.{region}",
            {"perimetre": Habilitation.Perimetre.REGION, "region": region},
        ),
    ]
    for local, portee in portees:
        user, cree = User.objects.get_or_create(
            email=courriel(local),
            defaults={
                "first_name": "Lecteur",
                "last_name": local.split(".", 1)[1].title(),
                "password": mot_de_passe,
            },
        )
        if cree:
            rapport.lignes[User._meta.label] += 1
        _, cree = Habilitation.objects.get_or_create(
            user=user, role=Habilitation.Role.LECTEUR, **portee
        )
        if cree:
            rapport.lignes[Habilitation._meta.label] += 1


# --- One département ---------------------------------------------------------------------


@dataclass
class Monde:
    """One département being generated: its random stream and what was made so far."""

    departement: Departement
    rng: random.Random
    volumes: Volumes
    references: References
    rapport: Rapport
    communes: list = field(default_factory=list)  # (pk, nom, code postal)
    lieux: list[int] = field(default_factory=list)  # territories an action may run on
    acteurs: list[Acteur] = field(default_factory=list)
    pilotage: User | None = None
    cabinet: User | None = None
    partenaires: list[User] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    indicateurs: list[Indicateur] = field(default_factory=list)  # of the feuille in hand
    jalons: list[Jalon] = field(default_factory=list)

    def inserer(self, modele, objets):
        return self.rapport.compter(modele.objects.bulk_create(objets, batch_size=LOT))

    def jeton(self, *parties) -> str:
        """A unique, deterministic stand-in for a secret's hash (nobody holds the secret)."""
        texte = ":".join(str(p) for p in (self.departement.code, *parties))
        return hashlib.sha256(f"echelle:{texte}".encode()).hexdigest()


def _generer_departement(departement, seed, volumes, mot_de_passe, references, rapport):
    monde = Monde(
        departement=departement,
        rng=random.Random(f"{seed}:{departement.code}"),  # noqa: S311 - test data, not secrets
        volumes=volumes,
        references=references,
        rapport=rapport,
    )
    _territoires(monde)
    _acteurs(monde)
    _comptes(monde, mot_de_passe)
    _plan(monde)
    _comites(monde)


def _territoires(monde: Monde) -> None:
    territoires = Territoire.objects.filter(departements=monde.departement).order_by("type", "code")
    for pk, type_, nom, codes_postaux in territoires.values_list(
        "pk", "type", "nom", "codes_postaux"
    ):
        if type_ == Territoire.Type.COMMUNE:
            monde.communes.append((pk, nom, codes_postaux.split("|")[0]))
        monde.lieux.append(pk)


# --- Actors and accounts -----------------------------------------------------------------

T = Acteur.Type
NOMS_ACTEURS = {
    T.SERVICE_ETAT: ["Sous-préfecture de {c}", "Service départemental de l'État à {c}"],
    T.OPERATEUR_ETAT: [
        "France Travail – agence de {c}",
        "OFII – permanence de {c}",
        "CAF – accueil de {c}",
        "CPAM – antenne de {c}",
    ],
    T.COLLECTIVITE: ["Ville de {c}", "CCAS de {c}"],
    T.EPCI: ["Communauté de communes de {c}", "Agglomération de {c}"],
    T.ASSOCIATION: [
        "Accueil et solidarité {c}",
        "Français pour tous {c}",
        "Ateliers sociolinguistiques de {c}",
        "Secours populaire – comité de {c}",
        "Entraide réfugiés {c}",
        "Cimade – groupe local de {c}",
    ],
    T.ENTREPRISE: ["Insertion et emploi {c}", "Groupement d'employeurs de {c}"],
    T.AUTRE: ["Centre social de {c}", "Maison des jeunes de {c}"],
}
# Mostly associations, as in a real département.
POIDS_TYPES = {
    T.ASSOCIATION: 45,
    T.OPERATEUR_ETAT: 12,
    T.COLLECTIVITE: 14,
    T.EPCI: 6,
    T.SERVICE_ETAT: 8,
    T.ENTREPRISE: 8,
    T.AUTRE: 7,
}
PRENOMS = [
    "Nadia",
    "Julien",
    "Fatou",
    "Olivier",
    "Sofia",
    "Karim",
    "Claire",
    "Ibrahim",
    "Léa",
    "Marc",
    "Amina",
    "Thomas",
    "Yasmina",
    "Paul",
    "Inès",
    "Hugo",
]
NOMS = [
    "Martin",
    "Bernard",
    "Haddad",
    "Lambert",
    "Traoré",
    "Fontaine",
    "Rousseau",
    "Mercier",
    "Diallo",
    "Petit",
    "Roux",
    "Nguyen",
    "Moreau",
    "Garnier",
    "Benali",
    "Kovalenko",
]


def siret(rng: random.Random, numero: int) -> str:
    """A SIRET whose Luhn key is right, unique per (département, numero)."""
    corps = f"{rng.randrange(10_000):04d}{numero:09d}"
    for cle in "0123456789":
        total = 0
        for index, chiffre in enumerate(reversed(corps + cle)):
            valeur = int(chiffre) * (2 if index % 2 else 1)
            total += valeur - 9 if valeur > 9 else valeur
        if total % 10 == 0:
            return corps + cle
    raise AssertionError("unreachable: one key in ten is right")


def _acteurs(monde: Monde) -> None:
    rng, types = monde.rng, list(POIDS_TYPES)
    vus = Counter()
    acteurs = []
    for i in range(monde.volumes.acteurs):
        type_ = rng.choices(types, weights=list(POIDS_TYPES.values()))[0]
        commune_pk, commune_nom, code_postal = rng.choice(monde.communes)
        nom = rng.choice(NOMS_ACTEURS[type_]).format(c=commune_nom)
        vus[nom] += 1
        if vus[nom] > 1:
            nom = f"{nom} ({vus[nom]})"
        sigle = "".join(mot[0] for mot in nom.split() if mot[0].isupper())[:8] if i % 3 else ""
        statut = Acteur.Statut.EN_ATTENTE if i % 50 == 49 else Acteur.Statut.VALIDE
        acteurs.append(
            Acteur(
                departement=monde.departement,
                type=type_,
                nom=nom,
                sigle=sigle,
                siret=siret(rng, i) if i % 5 else "",
                adresse=f"{rng.randrange(1, 120)}, rue de la République",
                code_postal=code_postal,
                commune_id=commune_pk,
                telephone=f"0{rng.randrange(1, 6)} {rng.randrange(10, 99)} "
                f"{rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
                courriel=f"contact{i}.{monde.departement.code.lower()}@{DOMAINE}",
                description="Accueil, orientation et accompagnement des personnes étrangères "
                "primo-arrivantes.",
                recherche=cle_de_recherche(nom, sigle),  # what save() would derive
                statut=statut,
                archive_le=timezone.make_aware(datetime(2026, 3, 1))
                if i % 40 == 39 and statut == Acteur.Statut.VALIDE
                else None,
            )
        )
    monde.acteurs = monde.inserer(Acteur, acteurs)
    Lien = Acteur.reseaux.through
    monde.inserer(
        Lien,
        [
            Lien(acteur_id=a.pk, reseau_id=r)
            for a in monde.acteurs[::4]
            for r in rng.sample(monde.references.reseaux, min(2, len(monde.references.reseaux)))
        ],
    )


def _comptes(monde: Monde, mot_de_passe: str) -> None:
    """Pilotage and cabinet of the département; partners, each member of two actors."""
    code = monde.departement.code.lower()
    rng = monde.rng
    locaux = [f"pilotage.{code}", f"cabinet.{code}"] + [
        f"partenaire{k}.{code}" for k in range(1, monde.volumes.partenaires + 1)
    ]
    users = monde.inserer(
        User,
        [
            User(
                email=courriel(local),
                first_name=rng.choice(PRENOMS),
                last_name=rng.choice(NOMS),
                password=mot_de_passe,
            )
            for local in locaux
        ],
    )
    monde.pilotage, monde.cabinet, *monde.partenaires = users
    monde.inserer(
        Habilitation,
        [
            Habilitation(
                user=monde.pilotage, departement=monde.departement, role=Habilitation.Role.PILOTAGE
            ),
            Habilitation(
                user=monde.cabinet, departement=monde.departement, role=Habilitation.Role.CABINET
            ),
        ],
    )
    valides = [a for a in monde.acteurs if a.statut == Acteur.Statut.VALIDE and not a.archive_le]
    monde.inserer(
        Membre,
        [
            Membre(
                user=user,
                acteur=acteur,
                role=Membre.Role.ADMINISTRATEUR if k == 0 else Membre.Role.CONTRIBUTEUR,
            )
            for n, user in enumerate(monde.partenaires)
            for k, acteur in enumerate(valides[2 * n : 2 * n + 2])
        ],
    )


# --- The plan ------------------------------------------------------------------------------

S = Action.Statut
# The workflow's path to each status (actions.workflow.TRANSITIONS), for the log.
CHEMINS = {
    S.BROUILLON: [],
    S.SOUMISE: [S.SOUMISE],
    S.EN_INSTRUCTION: [S.SOUMISE, S.EN_INSTRUCTION],
    S.A_COMPLETER: [S.SOUMISE, S.A_COMPLETER],
    S.VALIDEE: [S.SOUMISE, S.EN_INSTRUCTION, S.VALIDEE],
    S.REFUSEE: [S.SOUMISE, S.EN_INSTRUCTION, S.REFUSEE],
    S.EN_COURS: [S.SOUMISE, S.EN_INSTRUCTION, S.VALIDEE, S.EN_COURS],
    S.TERMINEE: [S.SOUMISE, S.EN_INSTRUCTION, S.VALIDEE, S.EN_COURS, S.TERMINEE],
    S.ABANDONNEE: [S.SOUMISE, S.EN_INSTRUCTION, S.VALIDEE, S.ABANDONNEE],
}
MOTIFS = {
    S.A_COMPLETER: "Merci de préciser le budget et le public visé.",
    S.REFUSEE: "Action hors du champ de la stratégie départementale.",
    S.ABANDONNEE: "Le porteur n'a pas pu recruter de formateur.",
}
# The signed plan holds what was adopted (and refused); the current one every status.
STATUTS_SIGNEE = [S.VALIDEE, S.EN_COURS, S.TERMINEE, S.TERMINEE, S.ABANDONNEE, S.REFUSEE]
STATUTS_EN_COURS = list(S)
ADOPTEES = {S.VALIDEE, S.EN_COURS, S.TERMINEE, S.ABANDONNEE}
INTITULES = [
    "Ateliers sociolinguistiques",
    "Accompagnement vers l'emploi",
    "Permanence d'accès aux droits",
    "Cours de français à visée professionnelle",
    "Accès au logement autonome",
    "Soutien psychologique",
    "Mobilité et permis de conduire",
    "Parrainage citoyen",
    "Pratique sportive et culturelle",
    "Réseau des acteurs",
]
INDICATEURS = [
    ("Personnes accompagnées", "personnes", 40),
    ("Heures de formation", "heures", 1200),
    ("Personnes en emploi à six mois", "personnes", 15),
]


def _moment(annee: int, jour_de_l_an: int, heure: int = 10) -> datetime:
    return timezone.make_aware(datetime(annee, 1, 1, heure) + timedelta(days=jour_de_l_an))


def _plan(monde: Monde) -> None:
    signee = _feuille(monde, PERIODE_SIGNEE, FeuilleDeRoute.Statut.VISA)
    courante = _feuille(monde, PERIODE_EN_COURS, FeuilleDeRoute.Statut.BROUILLON)
    nombre_signees = monde.volumes.actions // 3
    _actions(monde, signee, nombre_signees, STATUTS_SIGNEE)
    _actions(monde, courante, monde.volumes.actions - nombre_signees, STATUTS_EN_COURS)
    # Signed last, as the cabinet does: from now on the database refuses to change it.
    FeuilleDeRoute.objects.filter(pk=signee.pk).update(
        statut=FeuilleDeRoute.Statut.SIGNEE,
        signee_le=_moment(PERIODE_SIGNEE[0], 30),
        signee_par=monde.cabinet,
        signee_qualite=f"Le préfet, {monde.departement.titre_prefet}",
    )
    _statistiques(monde)
    _contrat(monde)


def _feuille(monde: Monde, periode: tuple[int, int], statut: str) -> FeuilleDeRoute:
    debut, fin = periode
    (feuille,) = monde.inserer(
        FeuilleDeRoute,
        [
            FeuilleDeRoute(
                departement=monde.departement,
                titre=f"Feuille de route départementale {debut}–{fin}",
                annee_debut=debut,
                annee_fin=fin,
                statut=statut,
                cree_par=monde.pilotage,
                depot_ouvert_le=date(debut, 1, 15),
                depot_clos_le=date(fin, 12, 31),
            )
        ],
    )
    feuille.axes_crees = monde.inserer(
        Axe,
        [
            Axe(feuille=feuille, ordre=i, code=code, libelle=libelle)
            for i, (code, libelle) in enumerate(AXES_PAR_DEFAUT, start=1)
        ],
    )
    return feuille


def _actions(monde: Monde, feuille: FeuilleDeRoute, nombre: int, statuts: list[str]) -> None:
    rng = monde.rng
    porteurs = [a for a in monde.acteurs if a.statut == Acteur.Statut.VALIDE]
    actions = []
    for i in range(nombre):
        statut = statuts[i % len(statuts)]
        axe = rng.choice(feuille.axes_crees)
        commune = rng.choice(monde.communes)[1]
        debut = date(feuille.annee_debut, rng.randrange(1, 13), 1)
        actions.append(
            Action(
                feuille=feuille,
                axe=axe,
                titre=f"{rng.choice(INTITULES)} à {commune}",
                description="Des ateliers hebdomadaires et un accompagnement individuel, en lien "
                "avec les partenaires du territoire, pour les signataires du contrat d'intégration "
                "républicaine.",
                objectifs="Atteindre le niveau A2 ; lever les freins à l'emploi.",
                porteur=rng.choice(porteurs),
                statut=statut,
                soumise_le=_moment(feuille.annee_debut, rng.randrange(10, 60))
                if CHEMINS[statut]
                else None,
                avancement=_avancement(statut, rng),
                date_debut=debut,
                date_fin=date(feuille.annee_fin, 12, 31),
                cree_par=monde.pilotage,
            )
        )
    actions = monde.inserer(Action, actions)
    monde.actions.extend(actions)
    _contenu_des_actions(monde, actions, feuille)
    _suivi_des_actions(monde, actions, feuille)


def _avancement(statut: str, rng: random.Random) -> int:
    if statut == S.TERMINEE:
        return 100
    if statut in (S.EN_COURS, S.ABANDONNEE):
        return rng.randrange(10, 95, 5)
    return 0


def _contenu_des_actions(monde: Monde, actions: list[Action], feuille) -> None:
    """What a signed feuille freezes: partners, publics, places, funding, indicators,
    milestones. Written before the signature."""
    rng, acteurs = monde.rng, [a for a in monde.acteurs if a.statut == Acteur.Statut.VALIDE]
    partenariats, publics, lieux, financements, indicateurs, jalons = [], [], [], [], [], []
    sources = list(Financement.Source)
    for action in actions:
        autres = [a for a in rng.sample(acteurs, 5) if a.pk != action.porteur_id]
        for acteur in autres[: rng.randrange(0, 5)]:  # 2 on average
            partenariats.append(
                Partenariat(
                    action=action,
                    acteur=acteur,
                    role=rng.choice(
                        ["Orientation des publics", "Mise à disposition de locaux", "Cofinancement"]
                    ),
                )
            )
        for public in rng.sample(monde.references.publics, rng.randrange(1, 3)):
            publics.append(Action.publics.through(action_id=action.pk, publiccible_id=public))
        for lieu in rng.sample(monde.lieux, min(len(monde.lieux), rng.randrange(1, 3))):
            lieux.append(Action.territoires.through(action_id=action.pk, territoire_id=lieu))
        adoptee = action.statut in ADOPTEES
        for k in range(rng.randrange(1, 3)):  # 1.5 on average, over several years
            demande = Decimal(rng.randrange(2_000, 60_000, 500))
            accorde = (demande * Decimal("0.8")).quantize(Decimal("1")) if adoptee else None
            financements.append(
                Financement(
                    action=action,
                    source=rng.choice(sources),
                    annee=feuille.annee_debut + k,
                    montant_demande=demande,
                    montant_accorde=accorde,
                    montant_verse=(accorde / 2).quantize(Decimal("1"))
                    if accorde and k == 0
                    else None,
                )
            )
        for libelle, unite, cible in rng.sample(INDICATEURS, rng.randrange(1, 3)):
            indicateurs.append(
                Indicateur(action=action, libelle=libelle, unite=unite, cible=Decimal(cible))
            )
        for k in range(rng.randrange(1, 3)):
            jalons.append(
                Jalon(
                    action=action,
                    libelle=f"Étape {k + 1} : bilan intermédiaire",
                    date_prevue=date(feuille.annee_debut + k, 6, 30),
                )
            )
    monde.inserer(Partenariat, partenariats)
    monde.inserer(Action.publics.through, publics)
    monde.inserer(Action.territoires.through, lieux)
    monde.inserer(Financement, financements)
    monde.indicateurs = monde.inserer(Indicateur, indicateurs)
    monde.jalons = monde.inserer(Jalon, jalons)


def _suivi_des_actions(monde: Monde, actions: list[Action], feuille) -> None:
    """The follow-up, open even once signed: the workflow's log, yearly indicator values,
    milestones reached, bilans of finished actions."""
    par_action = {a.pk: a for a in actions}
    transitions = []
    for action in actions:
        de = S.BROUILLON
        for rang, vers in enumerate(CHEMINS[action.statut]):
            transitions.append(
                Transition(
                    action=action,
                    de=de,
                    vers=vers,
                    par=monde.pilotage,
                    le=action.soumise_le + timedelta(days=7 * rang),
                    commentaire=MOTIFS.get(vers, ""),
                )
            )
            de = vers
    monde.inserer(Transition, transitions)
    mesures = []
    saisie = monde.partenaires[0] if monde.partenaires else monde.pilotage
    for indicateur in monde.indicateurs:
        if par_action[indicateur.action_id].statut not in (S.EN_COURS, S.TERMINEE):
            continue
        for annee in range(feuille.annee_debut, min(feuille.annee_fin, AUJOURD_HUI.year) + 1):
            mesures.append(
                Mesure(
                    indicateur=indicateur,
                    annee=annee,
                    saisie_par=saisie,
                    valeur=Decimal(monde.rng.randrange(5, 60)),
                    saisie_le=_moment(annee, 360),
                )
            )
    monde.inserer(Mesure, mesures)
    atteints = [
        j.pk for j in monde.jalons if par_action[j.action_id].statut in (S.EN_COURS, S.TERMINEE)
    ]
    Jalon.objects.filter(pk__in=atteints).update(atteint_le=date(feuille.annee_debut, 7, 15))
    monde.inserer(
        BilanAnnuel,
        [
            BilanAnnuel(
                action=a,
                annee=feuille.annee_fin,
                redige_par=monde.pilotage,
                realisations="Les ateliers ont réuni les personnes prévues.",
            )
            for a in actions
            if a.statut == S.TERMINEE
        ],
    )


def _statistiques(monde: Monde) -> None:
    rng = monde.rng
    monde.inserer(
        StatistiqueContexte,
        [
            StatistiqueContexte(
                departement=monde.departement,
                annee=annee,
                indicateur=indicateur,
                valeur=rng.randrange(50, 5_000),
                source="DGEF, OFII",
                saisie_par=monde.pilotage,
            )
            for annee in range(AUJOURD_HUI.year - 3, AUJOURD_HUI.year)
            for indicateur in StatistiqueContexte.Indicateur
        ],
    )


def _contrat(monde: Monde) -> None:
    signataires = [
        a
        for a in monde.acteurs
        if a.type in (T.COLLECTIVITE, T.EPCI) and a.statut == Acteur.Statut.VALIDE
    ]
    if not signataires:
        return
    (contrat,) = monde.inserer(
        Contrat,
        [
            Contrat(
                departement=monde.departement,
                intitule=f"CTAI {signataires[0].nom}",
                signataire=signataires[0],
                date_debut=date(2025, 1, 1),
                date_fin=date(2027, 12, 31),
                signe_le=date(2025, 1, 20),
                montant_etat=Decimal(150_000),
                montant_local=Decimal(60_000),
            )
        ],
    )
    monde.inserer(
        Contrat.actions.through,
        [Contrat.actions.through(contrat_id=contrat.pk, action_id=a.pk) for a in monde.actions[:3]],
    )


# --- Comités -------------------------------------------------------------------------------

THEMES = [
    "Apprentissage du français",
    "Emploi et formation",
    "Logement",
    "Santé",
    "Accès aux droits",
    "Mobilité",
]
PRESENCES = [Convocation.Presence.PRESENT] * 6 + [
    Convocation.Presence.EXCUSE,
    Convocation.Presence.ABSENT,
    Convocation.Presence.REPRESENTE,
]


def _comites(monde: Monde) -> None:
    instances = _instances(monde)
    personnes = _personnes(monde)
    sieges = _sieges(monde, instances, personnes)
    seances = _seances(monde, instances)
    _convocations(monde, seances, sieges)
    _points_et_decisions(monde, seances)
    # Closed last, as pilotage does: from now on the database freezes the attendance.
    closes = [s.pk for s in seances if s.a_clore]
    Seance.objects.filter(pk__in=closes).update(statut=Seance.Statut.CLOSE)


def _instances(monde: Monde) -> list[Instance]:
    d = monde.departement
    (copil,) = monde.inserer(
        Instance,
        [Instance(departement=d, type=Instance.Type.COPIL, nom=f"COPIL intégration {d.du_nom}")],
    )
    autres = [
        Instance(
            departement=d,
            type=Instance.Type.COMITE_TECHNIQUE,
            parent=copil,
            nom=f"Comité technique {d.du_nom}",
        )
    ]
    for theme in THEMES[: max(0, monde.volumes.instances - 2)]:
        autres.append(
            Instance(
                departement=d,
                type=Instance.Type.GROUPE_TRAVAIL,
                parent=copil,
                nom=f"Groupe de travail « {theme} »",
                theme=theme,
            )
        )
    return [copil, *monde.inserer(Instance, autres)][: monde.volumes.instances]


def _personnes(monde: Monde) -> list[Personne]:
    """People who sit: the partner accounts first (they see their own convocations), then
    referents without an account."""
    d, rng = monde.departement, monde.rng
    personnes = [
        Personne(departement=d, nom=u.get_full_name(), courriel=u.email, user=u)
        for u in monde.partenaires
    ]
    for i in range(40):
        personnes.append(
            Personne(
                departement=d,
                nom=f"{rng.choice(PRENOMS)} {rng.choice(NOMS)}",
                courriel=f"referent{i}.{d.code.lower()}@{DOMAINE}",
            )
        )
    return monde.inserer(Personne, personnes)


def _sieges(monde: Monde, instances, personnes) -> dict[int, list[Siege]]:
    rng = monde.rng
    valides = [a for a in monde.acteurs if a.statut == Acteur.Statut.VALIDE]
    roles = [Siege.Role.PRESIDENCE, Siege.Role.VICE_PRESIDENCE, Siege.Role.SECRETARIAT]
    sieges = []
    for instance in instances:
        for rang, personne in enumerate(rng.sample(personnes, rng.randrange(5, 9))):
            sieges.append(
                Siege(
                    instance=instance,
                    personne=personne,
                    acteur=rng.choice(valides),
                    role=roles[rang] if rang < len(roles) else Siege.Role.MEMBRE,
                    debut=date(2023, 1, 1),
                )
            )
    par_instance = {}
    for siege in monde.inserer(Siege, sieges):
        par_instance.setdefault(siege.instance_id, []).append(siege)
    return par_instance


def _seances(monde: Monde, instances) -> list[Seance]:
    """Séances spread over two years around AUJOURD_HUI: the past ones closed (the last
    just held), the coming ones convened or planned, a few cancelled."""
    rng, seances = monde.rng, []
    limite = timezone.make_aware(datetime.combine(AUJOURD_HUI, datetime.min.time()))
    for i in range(monde.volumes.seances):
        instance = instances[i % len(instances)]
        debut = _moment(2025, rng.randrange(0, 730), heure=rng.choice([9, 10, 14]))
        passee = debut < limite
        if i % 10 == 9:
            statut = Seance.Statut.ANNULEE
        elif passee:
            statut = Seance.Statut.TENUE
        else:
            statut = (
                Seance.Statut.CONVOQUEE
                if debut < limite + timedelta(days=60)
                else (Seance.Statut.PLANIFIEE)
            )
        seance = Seance(
            instance=instance,
            debut=debut,
            fin=debut + timedelta(hours=2),
            lieu=f"Préfecture, salle {rng.randrange(1, 9)}",
            statut=statut,
            organisateur=monde.pilotage,
            compte_rendu="<p>Le comité a fait le point des actions en cours.</p>" if passee else "",
            compte_rendu_le=debut + timedelta(days=3) if passee else None,
        )
        # Most held séances are closed a week after; the status is set at the very end,
        # once the attendance is written (the database freezes it then).
        seance.a_clore = statut == Seance.Statut.TENUE and i % 6 != 0
        if seance.a_clore:
            seance.close_le, seance.close_par = debut + timedelta(days=7), monde.pilotage
        seances.append(seance)
    return monde.inserer(Seance, seances)  # the same objects, their pks set


def _convocations(monde: Monde, seances, sieges) -> None:
    rng, convocations = monde.rng, []
    for seance in seances:
        convoquee = seance.statut != Seance.Statut.PLANIFIEE
        tenue = seance.statut == Seance.Statut.TENUE
        for siege in sieges[seance.instance_id]:
            presence = rng.choice(PRESENCES) if tenue else ""
            representant = "Un collègue de la structure" if presence == "represente" else ""
            convocations.append(
                Convocation(
                    seance=seance,
                    personne_id=siege.personne_id,
                    acteur_id=siege.acteur_id,
                    jeton_hash=monde.jeton(seance.pk, siege.personne_id),
                    envoyee_le=seance.debut - timedelta(days=21) if convoquee else None,
                    reponse=(
                        Convocation.Reponse.PRESENT
                        if presence in ("present", "")
                        else Convocation.Reponse.EXCUSE
                    )
                    if convoquee
                    else Convocation.Reponse.ATTENTE,
                    repondu_le=seance.debut - timedelta(days=10) if convoquee else None,
                    presence=presence,
                    presence_represente_par=representant,
                )
            )
    monde.inserer(Convocation, convocations)


def _points_et_decisions(monde: Monde, seances) -> None:
    rng = monde.rng
    points, decisions = [], []
    for seance in seances:
        for ordre, titre in enumerate(
            [
                "Approbation du précédent compte rendu",
                "Point d'étape du plan d'actions",
                "Questions diverses",
            ],
            start=1,
        ):
            points.append(Point(seance=seance, ordre=ordre, titre=titre))
        if seance.statut == Seance.Statut.TENUE:
            for k in range(rng.randrange(1, 3)):
                decisions.append(
                    Decision(
                        seance=seance,
                        texte=f"Relancer les porteurs des actions en retard ({k + 1}).",
                        responsable="Service pilote",
                        echeance=seance.debut.date() + timedelta(days=60),
                        statut=rng.choice(list(Decision.Statut)),
                    )
                )
    points = monde.inserer(Point, points)
    decisions = monde.inserer(Decision, decisions)
    actions = monde.actions
    monde.inserer(
        Point.actions.through,
        [
            Point.actions.through(point_id=p.pk, action_id=rng.choice(actions).pk)
            for p in points
            if p.ordre == 2
        ],
    )
    monde.inserer(
        Decision.actions.through,
        [
            Decision.actions.through(decision_id=d.pk, action_id=rng.choice(actions).pk)
            for d in decisions
        ],
    )
