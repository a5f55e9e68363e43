"""Demo data of the actors' registry: two départements, their actors, one user per role.

Idempotent: every object is found by its natural key, so running it again changes nothing
but the demo passwords, which are reset to the documented one.
"""

import functools
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.utils import timezone
from django.utils.text import slugify

from acteurs import services
from acteurs.models import Acteur, Departement, Membre, Reseau, Territoire, User

MOT_DE_PASSE = "demo-integration-2026"  # noqa: S105 - the demo's documented password

DEPARTEMENTS = [
    {
        "code": "76",
        "nom": "Seine-Maritime",
        "titre_prefet": "Préfet de la Seine-Maritime",
        "chef_lieu": "Rouen",
        "adresse": "7, place de la Madeleine\n76036 Rouen Cedex",
        "contact_presse_service": (
            "Cabinet du préfet\nService régional et départemental de la communication "
            "interministérielle"
        ),
        "contact_presse_telephone": "02 32 76 50 14",
        "contact_presse_courriel": "pref-communication@seine-maritime.gouv.fr",
    },
    {
        "code": "05",
        "nom": "Hautes-Alpes",
        "titre_prefet": "Préfète des Hautes-Alpes",
        "chef_lieu": "Gap",
        "adresse": "28, rue Saint-Arey\n05011 Gap Cedex",
        "contact_presse_service": "Cabinet de la préfète\nBureau de la communication interministérielle",
        "contact_presse_telephone": "04 92 40 48 00",
        "contact_presse_courriel": "pref-communication@hautes-alpes.gouv.fr",
    },
]

T = Acteur.Type
# (type, nom, sigle, commune INSEE, réseaux data·inclusion)
ACTEURS = {
    "76": [
        (T.SERVICE_ETAT, "Préfecture de la Seine-Maritime", "", "76540", []),
        (
            T.SERVICE_ETAT,
            "Direction départementale de l'emploi, du travail et des solidarités de la Seine-Maritime",
            "DDETS 76",
            "76540",
            [],
        ),
        (
            T.OPERATEUR_ETAT,
            "Office français de l'immigration et de l'intégration – Direction territoriale de Rouen",
            "OFII",
            "76540",
            [],
        ),
        (
            T.OPERATEUR_ETAT,
            "France Travail – Direction territoriale de Seine-Maritime",
            "France Travail",
            "76540",
            ["france-travail"],
        ),
        (
            T.OPERATEUR_ETAT,
            "Caisse d'allocations familiales de la Seine-Maritime",
            "CAF 76",
            "76540",
            ["caf"],
        ),
        (
            T.OPERATEUR_ETAT,
            "Caisse primaire d'assurance maladie de Rouen-Elbeuf-Dieppe",
            "CPAM",
            "76540",
            ["cpam"],
        ),
        (
            T.OPERATEUR_ETAT,
            "Agence régionale de santé de Normandie – Délégation départementale",
            "ARS",
            "76540",
            [],
        ),
        (T.COLLECTIVITE, "Département de la Seine-Maritime", "CD 76", "76540", ["departements"]),
        (T.EPCI, "Métropole Rouen Normandie", "", "76540", []),
        (T.COLLECTIVITE, "Ville du Havre", "", "76351", ["ccas-cias"]),
        (T.EPCI, "Le Havre Seine Métropole", "", "76351", []),
        (
            T.ASSOCIATION,
            "Association d'accueil et d'insertion des réfugiés de Rouen",
            "AAIR",
            "76540",
            [],
        ),
        (T.ASSOCIATION, "France terre d'asile – Seine-Maritime", "FTDA", "76540", []),
        (T.ASSOCIATION, "La Cimade – Groupe local de Rouen", "", "76540", []),
        (
            T.ASSOCIATION,
            "Secours populaire français – Fédération de Seine-Maritime",
            "",
            "76540",
            ["secours-populaire"],
        ),
        (
            T.ASSOCIATION,
            "Croix-Rouge française – Délégation territoriale",
            "",
            "76351",
            ["croix-rouge"],
        ),
        (T.ASSOCIATION, "Alpha Dieppe – Ateliers sociolinguistiques", "", "76217", []),
        (
            T.ASSOCIATION,
            "Mission locale de l'agglomération rouennaise",
            "",
            "76540",
            ["mission-locale"],
        ),
        (T.ENTREPRISE, "Coallia – Résidences sociales de Normandie", "", "76540", []),
        (
            T.AUTRE,
            "Université de Rouen Normandie – Diplôme universitaire passerelle",
            "DU Passerelle",
            "76451",
            [],
        ),
    ],
    "05": [
        (T.SERVICE_ETAT, "Préfecture des Hautes-Alpes", "", "05061", []),
        (
            T.SERVICE_ETAT,
            "Direction départementale de l'emploi, du travail, des solidarités et de la protection des populations des Hautes-Alpes",
            "DDETSPP 05",
            "05061",
            [],
        ),
        (
            T.OPERATEUR_ETAT,
            "Office français de l'immigration et de l'intégration – Délégation de Gap",
            "OFII",
            "05061",
            [],
        ),
        (
            T.OPERATEUR_ETAT,
            "France Travail – Agence de Gap",
            "France Travail",
            "05061",
            ["france-travail"],
        ),
        (
            T.OPERATEUR_ETAT,
            "Caisse d'allocations familiales des Hautes-Alpes",
            "CAF 05",
            "05061",
            ["caf"],
        ),
        (
            T.OPERATEUR_ETAT,
            "Caisse primaire d'assurance maladie des Hautes-Alpes",
            "CPAM 05",
            "05061",
            ["cpam"],
        ),
        (
            T.OPERATEUR_ETAT,
            "Agence régionale de santé Provence-Alpes-Côte d'Azur – Délégation des Hautes-Alpes",
            "ARS",
            "05061",
            [],
        ),
        (T.COLLECTIVITE, "Département des Hautes-Alpes", "CD 05", "05061", ["departements"]),
        (T.EPCI, "Communauté d'agglomération Gap-Tallard-Durance", "CAGTD", "05061", []),
        (T.COLLECTIVITE, "Ville de Briançon", "", "05023", ["ccas-cias"]),
        (
            T.ASSOCIATION,
            "Refuges solidaires",
            "",
            "05023",
            ["federation-des-acteurs-de-la-solidarite"],
        ),
        (
            T.ASSOCIATION,
            "Association départementale d'accueil des demandeurs d'asile et réfugiés",
            "ADADAR 05",
            "05061",
            [],
        ),
        (T.ASSOCIATION, "Secours catholique – Délégation des Alpes", "", "05061", []),
        (T.ASSOCIATION, "Tous migrants", "", "05023", []),
        (T.ASSOCIATION, "Mission locale jeunes des Hautes-Alpes", "", "05061", ["mission-locale"]),
        (T.ASSOCIATION, "Français langue d'accueil Embrun", "FLA Embrun", "05046", []),
    ],
}

# (email, prénom, nom, habilitations {code du département, ou FRANCE: rôle})
FRANCE = "france"
COMPTES_EQUIPE = [
    ("pilotage@demo.gouv.fr", "Camille", "Lefèvre", {"76": "pilotage", "05": "pilotage"}),
    ("cabinet@demo.gouv.fr", "Hélène", "Marchand", {"76": "cabinet"}),
    # The press office of each prefecture (one account for the demo's two départements).
    (
        "communication@demo.gouv.fr",
        "Sarah",
        "Bernard",
        {"76": "communication", "05": "communication"},
    ),
    ("lecteur@demo.gouv.fr", "Thomas", "Nguyen", {FRANCE: "lecteur"}),  # a national reader
]
# (email, prénom, nom, département, nom de l'acteur, rôle)
COMPTES_PARTENAIRES = [
    (
        "partenaire@demo.gouv.fr",
        "Yasmina",
        "Benali",
        "76",
        "Association d'accueil et d'insertion des réfugiés de Rouen",
        "administrateur",
    ),
    (
        "benevole.aair@demo.gouv.fr",
        "Jean",
        "Durand",
        "76",
        "Association d'accueil et d'insertion des réfugiés de Rouen",
        "contributeur",
    ),
    (
        "coordination.ftda@demo.gouv.fr",
        "Amina",
        "Diallo",
        "76",
        "France terre d'asile – Seine-Maritime",
        "administrateur",
    ),
    (
        "emploi.francetravail@demo.gouv.fr",
        "Marc",
        "Petit",
        "76",
        "France Travail – Direction territoriale de Seine-Maritime",
        "contributeur",
    ),
    ("accueil.refuges@demo.gouv.fr", "Lucie", "Roux", "05", "Refuges solidaires", "administrateur"),
    (
        "fla.embrun@demo.gouv.fr",
        "Olga",
        "Kovalenko",
        "05",
        "Français langue d'accueil Embrun",
        "administrateur",
    ),
]


def load(stdout) -> None:
    departements = {data["code"]: _departement(data) for data in DEPARTEMENTS}
    call_command("load_territoires", departement=list(departements), stdout=stdout)
    for code, lignes in ACTEURS.items():
        for ligne in lignes:
            _acteur(departements[code], *ligne)
    for email, prenom, nom, habilitations in COMPTES_EQUIPE:
        user = _compte(email, prenom, nom)
        for code, role in habilitations.items():
            if code == FRANCE:
                services.habiliter(user, None, role, by=None, perimetre=code)
            else:
                services.habiliter(user, departements[code], role, by=None)
    for email, prenom, nom, code, acteur_nom, role in COMPTES_PARTENAIRES:
        user = _compte(email, prenom, nom)
        acteur = Acteur.objects.get(departement=departements[code], nom=acteur_nom)
        Membre.objects.get_or_create(user=user, acteur=acteur, defaults={"role": role})
    _referents_des_structures()
    _proposition_en_attente(departements["76"])
    _fiche_ancienne(departements["76"])
    stdout.write(
        f"Démonstration prête : {Acteur.objects.count()} acteurs, "
        f"{Membre.objects.filter(actif=True).count()} membres actifs.\n"
    )
    stdout.write(f"Comptes de démonstration (mot de passe : {MOT_DE_PASSE}) :\n")
    for email, role in [
        ("pilotage@demo.gouv.fr", "pilotage (Seine-Maritime et Hautes-Alpes)"),
        ("cabinet@demo.gouv.fr", "cabinet du préfet (Seine-Maritime)"),
        ("communication@demo.gouv.fr", "communication (Seine-Maritime et Hautes-Alpes)"),
        ("partenaire@demo.gouv.fr", "partenaire, administratrice d'une association de Rouen"),
        ("lecteur@demo.gouv.fr", "lecteur national (toute la France, en lecture)"),
    ]:
        stdout.write(f"  {email:28} {role}\n")


def _departement(data: dict) -> Departement:
    departement, _ = Departement.objects.update_or_create(code=data["code"], defaults=data)
    return departement


def _acteur(departement, type_, nom, sigle, code_commune, reseaux) -> Acteur:
    commune = Territoire.objects.filter(type=Territoire.Type.COMMUNE, code=code_commune).first()
    acteur, created = Acteur.objects.get_or_create(
        departement=departement,
        nom=nom,
        defaults={
            "type": type_,
            "sigle": sigle,
            "commune": commune,
            "code_postal": _code_postal(commune),
        },
    )
    if created and reseaux:
        acteur.reseaux.set(Reseau.objects.filter(slug__in=reseaux))
    return acteur


def _code_postal(commune) -> str:
    return commune.codes_postaux.split("|")[0] if commune and commune.codes_postaux else ""


def _compte(email, prenom, nom) -> User:
    user, _ = User.objects.get_or_create(
        email=email, defaults={"first_name": prenom, "last_name": nom}
    )
    user.password = _empreinte_du_mot_de_passe(tuple(settings.PASSWORD_HASHERS))
    user.save(update_fields=["password"])
    return user


@functools.cache
def _empreinte_du_mot_de_passe(hashers: tuple[str, ...]) -> str:
    """The demo password hashed once for the forty accounts that share it (per list of
    hashers, which tests change): each hash costs a fifth of a second by design (PBKDF2),
    eight seconds of every demo load otherwise."""
    return make_password(MOT_DE_PASSE)


PRENOMS = ["Nadia", "Julien", "Fatou", "Olivier", "Sofia", "Karim", "Claire", "Ibrahim", "Léa"]
NOMS = ["Martin", "Bernard", "Haddad", "Lambert", "Traoré", "Fontaine", "Rousseau", "Mercier"]


def _referents_des_structures() -> None:
    """Each structure without an account gets an administrator, so members pages are real."""
    sans_membre = Acteur.objects.filter(membres__isnull=True, statut=Acteur.Statut.VALIDE)
    for index, acteur in enumerate(sans_membre.order_by("departement__code", "nom")):
        email = f"referent.{slugify(acteur.sigle or acteur.nom)[:40]}@demo.gouv.fr"
        prenom, nom = PRENOMS[index % len(PRENOMS)], NOMS[index % len(NOMS)]
        user = _compte(email, prenom, nom)
        Membre.objects.get_or_create(user=user, acteur=acteur, defaults={"role": "administrateur"})


def _proposition_en_attente(departement) -> None:
    """A partner's proposal waiting for pilotage, to show moderation."""
    proposant = User.objects.get(email="partenaire@demo.gouv.fr")
    Acteur.objects.get_or_create(
        departement=departement,
        nom="Collectif Bienvenue Elbeuf",
        defaults={
            "type": Acteur.Type.ASSOCIATION,
            "statut": Acteur.Statut.EN_ATTENTE,
            "propose_par": proposant,
            "description": "Cours de français et accompagnement administratif bénévoles.",
        },
    )


def _fiche_ancienne(departement) -> None:
    """One record untouched for over a year, to show the "à vérifier" badge."""
    il_y_a_deux_ans = timezone.now() - timedelta(days=730)
    Acteur.objects.filter(departement=departement, nom__startswith="Alpha Dieppe").update(
        modifie_le=il_y_a_deux_ans
    )
