"""Demo data of the comités: in each demo département, a COPIL with its composition, one
working group per work track, a past séance closed with its attendance, minutes and
decisions, and an upcoming one convened with some answers.

Runs after the other apps' demos; links decisions to the plan's actions when there are
some, else to none. Idempotent: a département that already has its COPIL is left as is.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from acteurs.models import Acteur, Departement, Membre, User
from actions.models import Action
from comites import services
from comites.models import Convocation, Decision, Instance, Personne, Point, Seance, Siege
from integration.jetons import nouveau_jeton

COPIL = "Comité de pilotage de la stratégie d'intégration"
AXES_DE_TRAVAIL = [
    "Réseau des acteurs de l'intégration",
    "Santé, dont le soutien psychologique",
    "Formation et emploi, dont les cours de français et la mobilité",
    "Vie quotidienne",
]
PILOTAGE = "pilotage@demo.gouv.fr"
COMPTE_RENDU = (
    "<h3>Ouverture</h3><p>Le préfet ouvre la séance et rappelle les priorités de "
    "l'instruction ministérielle.</p><h3>Bilan des actions</h3><ul><li>Ateliers "
    "sociolinguistiques : objectifs atteints.</li><li>Accompagnement vers l'emploi : "
    "partenariat à renforcer.</li></ul><p>Quatre axes de travail sont retenus pour le second "
    "semestre.</p>"
)


def load(stdout) -> None:
    organisateur = User.objects.filter(email=PILOTAGE).first()
    if organisateur is None:  # the registry's demo did not run: nothing to build on
        return
    for departement in Departement.objects.filter(code__in=["76", "05"]):
        if Instance.objects.filter(departement=departement, nom=COPIL).exists():
            continue
        _comites(departement, organisateur)
    stdout.write(
        f"Comités : {Instance.objects.count()} instances, {Seance.objects.count()} séances.\n"
    )


def _comites(departement, organisateur) -> None:
    copil = Instance.objects.create(departement=departement, type=Instance.Type.COPIL, nom=COPIL)
    for theme in AXES_DE_TRAVAIL:
        groupe = Instance.objects.create(
            departement=departement,
            type=Instance.Type.GROUPE_TRAVAIL,
            nom=f"Groupe de travail : {theme}",
            theme=theme,
            parent=copil,
        )
        _composition(groupe, departement, nombre=4)
    _composition(copil, departement, nombre=10)
    _seance_passee(copil, organisateur)
    _seance_a_venir(copil, organisateur)


def _composition(instance, departement, nombre: int) -> None:
    acteurs = list(
        Acteur.objects.actifs().valides().filter(departement=departement).order_by("type", "nom")
    )[:nombre]
    debut = timezone.localdate() - timedelta(days=400)
    for rang, acteur in enumerate(acteurs):
        role = Siege.Role.PRESIDENCE if rang == 0 else Siege.Role.MEMBRE
        if rang == 1:
            role = Siege.Role.SECRETARIAT
        Siege.objects.create(
            instance=instance, role=role, personne=_personne(acteur), acteur=acteur, debut=debut
        )


def _personne(acteur) -> Personne:
    """The structure's first active member when it has one (so partners see their seats),
    else a referent without an account."""
    membre = Membre.objects.filter(acteur=acteur, actif=True).select_related("user").first()
    if membre is not None:
        nom = membre.user.get_full_name() or membre.user.email
        return services.personne_pour(
            acteur.departement, nom=nom, courriel=membre.user.email, user=membre.user
        )
    courriel = f"referent.{acteur.pk}@demo.gouv.fr"
    return services.personne_pour(acteur.departement, nom=f"Référent {acteur}", courriel=courriel)


def _convoquer(seance) -> list[Convocation]:
    return [
        Convocation.objects.create(
            seance=seance,
            personne=siege.personne,
            acteur=siege.acteur,
            jeton_hash=nouveau_jeton()[1],
            envoyee_le=seance.debut - timedelta(days=21),
        )
        for siege in seance.instance.sieges.filter(fin__isnull=True).select_related("personne")
    ]


# Fixed-date public holidays: like a real one, a demo comité never meets on one, nor on a
# weekend.
JOURS_FERIES = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def jour_ouvre(jour: date) -> date:
    """JOUR, or the next working day after it."""
    while jour.weekday() >= 5 or (jour.month, jour.day) in JOURS_FERIES:
        jour += timedelta(days=1)
    return jour


def _debut_de_seance(dans_jours: int, heure: time) -> datetime:
    """A working day about DANS_JOURS from today, at HEURE in the project's time zone."""
    jour = jour_ouvre(timezone.localdate() + timedelta(days=dans_jours))
    return timezone.make_aware(datetime.combine(jour, heure))


def _seance_passee(copil, organisateur) -> None:
    debut = _debut_de_seance(-90, time(9, 30))
    president = copil.sieges.filter(role=Siege.Role.PRESIDENCE).first()
    seance = Seance.objects.create(
        instance=copil,
        debut=debut,
        fin=debut + timedelta(hours=2, minutes=30),
        lieu="Préfecture, salon d'honneur",
        statut=Seance.Statut.TENUE,
        organisateur=organisateur,
        preside_par=president.personne if president else None,
        compte_rendu=services.nettoyer(COMPTE_RENDU),
        compte_rendu_le=debut + timedelta(days=5),
    )
    for ordre, titre in enumerate(["Bilan des actions de l'année", *AXES_DE_TRAVAIL], start=1):
        Point.objects.create(seance=seance, ordre=ordre, titre=titre)
    for rang, convocation in enumerate(_convoquer(seance)):
        convocation.reponse = convocation.presence = "present"
        if rang == 3:
            convocation.reponse = convocation.presence = "represente"
            convocation.represente_par_nom = convocation.presence_represente_par = "Sami Haddad"
        elif rang == 5:
            convocation.reponse = convocation.presence = "excuse"
        convocation.repondu_le = seance.debut - timedelta(days=7)
        convocation.save()
    actions = list(Action.objects.filter(feuille__departement=copil.departement)[:2])
    for texte, jours, lien in [
        ("Réunir les groupes de travail avant la fin du semestre", -10, actions[:1]),
        ("Présenter le projet de plan d'actions au prochain comité", 60, actions[1:2]),
    ]:
        decision = Decision.objects.create(
            seance=seance,
            texte=texte,
            responsable="Direction départementale de l'emploi, du travail et des solidarités",
            echeance=timezone.localdate() + timedelta(days=jours),
        )
        decision.actions.set(lien)
    seance.statut = Seance.Statut.CLOSE
    seance.close_le = debut + timedelta(days=6)
    seance.close_par = organisateur
    seance.save()


def _seance_a_venir(copil, organisateur) -> None:
    debut = _debut_de_seance(21, time(14, 0))
    seance = Seance.objects.create(
        instance=copil,
        debut=debut,
        fin=debut + timedelta(hours=2),
        lieu="Préfecture, salle de réunion du 2e étage",
        lien_visio="https://webconf.numerique.gouv.fr/comite-integration",
        statut=Seance.Statut.CONVOQUEE,
        organisateur=organisateur,
        sequence=0,
    )
    for ordre, titre in enumerate(
        ["Restitution des groupes de travail", "Projet de feuille de route"], start=1
    ):
        Point.objects.create(seance=seance, ordre=ordre, titre=titre)
    for rang, convocation in enumerate(_convoquer(seance)[:3]):
        convocation.reponse = ["present", "excuse", "represente"][rang]
        if convocation.reponse == "represente":
            convocation.represente_par_nom = "Inès Moreau"
            convocation.represente_par_structure = str(convocation.acteur)
        convocation.repondu_le = timezone.now()
        convocation.save()
