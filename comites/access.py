"""Who may see and do what in the comités, on the access core of `acteurs`.

Two qualités belong to this app: holding a current seat in an instance (siégeant), and
being convened to a séance (convoqué). The département's pilotage runs everything; its
cabinet and its press office (communication) read, and prepare and export the séances'
press releases; readers read. A partner sees the instances they sit in and the séances
they are convened to, nothing else: any other instance or séance answers 404.
"""

from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone

from acteurs.access import (
    CABINET,
    COMMUNICATION,
    LECTEUR,
    PILOTAGE,
    Matrice,
    dans_les_departements,
    declarer_qualite,
    profil,
    qualites_departement,
    qualites_envers,
)
from acteurs.models import Habilitation
from comites.models import Communique, Convocation, Decision, Instance, Seance, Siege
from integration.models import DocumentRequest

SIEGEANT = declarer_qualite("siegeant", "siège dans l'instance")
CONVOQUE = declarer_qualite("convoque", "convoqué à la séance")

P, C, L, COM = PILOTAGE, CABINET, LECTEUR, COMMUNICATION
S = Seance.Statut

MATRICE_INSTANCE = Matrice(
    "instance",
    {
        "voir": {P, C, COM, L, SIEGEANT},
        "gerer": {P},  # composition, séances
    },
)

MATRICE_SEANCE = Matrice(
    "séance",
    {
        "voir": {P, C, COM, L, CONVOQUE},
        "organiser": {P},  # ordre du jour, invitations, date and place, cancelling
        "repondre": {CONVOQUE},
        "emarger": {P},
        "rediger": {P},  # compte rendu, decisions
        "cloturer": {P},
        # The press release: prepare and save versions, export them (text, PDF).
        "communiquer": {P, C, COM},
        "annoncer": {P, C, COM},  # the avis aux médias, before the séance
    },
    par_etat={
        S.PLANIFIEE: {"voir", "organiser", "repondre", "emarger", "annoncer"},
        S.CONVOQUEE: {"voir", "organiser", "repondre", "emarger", "rediger", "annoncer"},
        S.TENUE: {"voir", "emarger", "rediger", "cloturer", "communiquer"},
        S.CLOSE: {"voir", "rediger", "communiquer"},
        S.ANNULEE: {"voir"},
    },
)

MATRICE_COMITES = Matrice(
    "comités du département",
    {
        "creer_instance": {P},
        "voir_tout": {P, C, COM, L},
        # Whose home page lists the releases to write and to export: the press office's
        # (pilotage and the cabinet may write them too, but it is not what waits for them).
        "suivre_communiques": {COM},
    },
)


def peut(user, verbe: str, departement) -> bool:
    if not departement:
        MATRICE_COMITES.qualites_pour(verbe)
        return False
    return MATRICE_COMITES.autorise(verbe, qualites_departement(user, departement))


def exiger(user, verbe: str, departement) -> None:
    if not peut(user, verbe, departement):
        raise PermissionDenied


def _departements_lus(user) -> set[int]:
    R = Habilitation.Role
    return profil(user).departements_ou(R.PILOTAGE, R.CABINET, R.COMMUNICATION, R.LECTEUR)


# --- Instances --------------------------------------------------------------------------


def instances_visible_to(user) -> QuerySet[Instance]:
    """The instances of the départements USER reads, and those USER sits in. The seats are
    a subquery of their own, never a join: across France the join went through every seat
    and its person before the instances were grouped back (3 ms; 0.2 as a subquery)."""
    if not user.is_authenticated:
        return Instance.objects.none()
    siege = Siege.objects.filter(_sieges_en_cours(user)).values("instance")
    return Instance.objects.filter(Q(departement__in=_departements_lus(user)) | Q(pk__in=siege))


def qualites_instance(user, instance: Instance):
    found = qualites_envers(user, departement=instance.departement_id)
    if instance.sieges.filter(_sieges_en_cours(user)).exists():
        found.add(SIEGEANT)
    return found


def _sieges_en_cours(user) -> Q:
    aujourd_hui = timezone.localdate()
    return Q(personne__user=user, debut__lte=aujourd_hui) & (
        Q(fin__isnull=True) | Q(fin__gte=aujourd_hui)
    )


def can_instance(user, verbe: str, instance: Instance) -> bool:
    return MATRICE_INSTANCE.autorise(verbe, qualites_instance(user, instance))


def get_instance_for_user(user, pk, verbe: str = "voir") -> Instance:
    instance = get_object_or_404(
        instances_visible_to(user).select_related("departement", "parent"), pk=pk
    )
    if not can_instance(user, verbe, instance):
        raise PermissionDenied
    return instance


def get_siege_for_user(user, instance_pk, siege_pk, verbe: str = "gerer") -> Siege:
    """A seat of an instance, under the instance's own rule."""
    instance = get_instance_for_user(user, instance_pk, verbe)
    siege = get_object_or_404(instance.sieges.select_related("personne"), pk=siege_pk)
    siege.instance = instance
    return siege


# --- Séances ----------------------------------------------------------------------------


def seances_visible_to(user) -> QuerySet[Seance]:
    """The séances of the départements USER reads, and those USER is convened to. The
    convocations are a subquery of their own, never a join: one row per séance, and for a
    partner, who reads no département, a filter PostgreSQL starts from their few
    convocations (through a join under an OR it joined France's séances first)."""
    if not user.is_authenticated:
        return Seance.objects.none()
    convoquee = Q(pk__in=Convocation.objects.filter(personne__user=user).values("seance"))
    if lus := _departements_lus(user):
        return Seance.objects.filter(Q(instance__departement__in=lus) | convoquee)
    return Seance.objects.filter(convoquee)


def seances_de_l_agenda(user) -> QuerySet[Seance]:
    """A user's calendar feed: the séances they read and are convened to or organise."""
    return (
        seances_visible_to(user)
        .filter(Q(convocations__personne__user=user) | Q(organisateur=user))
        .select_related("instance__departement")
        .distinct()
    )


def convocation_de(user, seance: Seance) -> Convocation | None:
    """USER's convocation to SEANCE, looked up once per séance object: every permission
    check of a page asks for it, and the séance page asks a dozen of them."""
    if not user.is_authenticated:
        return None
    memo = seance.__dict__.setdefault("_convocations_par_user", {})
    if user.pk not in memo:
        memo[user.pk] = (
            seance.convocations.filter(personne__user=user).select_related("personne").first()
        )
    return memo[user.pk]


def qualites_seance(user, seance: Seance):
    found = qualites_envers(user, departement=seance.instance.departement_id)
    if convocation_de(user, seance) is not None:
        found.add(CONVOQUE)
    return found


def can_seance(user, verbe: str, seance: Seance) -> bool:
    return MATRICE_SEANCE.autorise(verbe, qualites_seance(user, seance), etat=seance.statut)


def get_seance_for_user(user, pk, verbe: str = "voir") -> Seance:
    seance = get_object_or_404(
        seances_visible_to(user).select_related("instance__departement", "preside_par"), pk=pk
    )
    if not can_seance(user, verbe, seance):
        raise PermissionDenied
    return seance


def get_convocation_for_user(user, seance_pk, convocation_pk, verbe: str) -> Convocation:
    """A convocation of a séance, under the séance's own rule."""
    seance = get_seance_for_user(user, seance_pk, verbe)
    convocation = get_object_or_404(
        seance.convocations.select_related("personne"), pk=convocation_pk
    )
    convocation.seance = seance
    return convocation


def get_decision_for_user(user, seance_pk, decision_pk, verbe: str = "rediger") -> Decision:
    """A decision of a séance's relevé, under the séance's own rule."""
    seance = get_seance_for_user(user, seance_pk, verbe)
    decision = get_object_or_404(seance.decisions, pk=decision_pk)
    decision.seance = seance
    return decision


def get_communique_for_user(
    user, seance_pk, version, verbe: str = "communiquer", genre=Communique.Genre.COMMUNIQUE
) -> Communique:
    """One version of a séance's press release (GENRE: or its avis aux médias), under the
    séance's own rule."""
    seance = get_seance_for_user(user, seance_pk, verbe)
    communique = get_object_or_404(seance.communiques.filter(genre=genre), version=version)
    communique.seance = seance
    return communique


def get_avis_pour_document(user, seance_pk, version) -> Communique:
    """A version of the avis aux médias, to export: whoever may prepare one, whatever the
    séance has become since (an avis asked once the séance is held is still the same)."""
    seance = get_seance_for_user(user, seance_pk)
    communique = get_object_or_404(
        seance.communiques.filter(genre=Communique.Genre.AVIS_MEDIAS), version=version
    )
    communique.seance = seance
    if not communique_visible(user, communique):
        raise PermissionDenied
    return communique


# --- The séance's documents: each one's reader is the séance's own rule -----------------


def communique_visible(user, communique: Communique) -> bool:
    """A communiqué: whoever may write it. An avis aux médias: whoever may prepare one,
    before or after the séance it announced."""
    if communique.est_avis:
        return MATRICE_SEANCE.autorise("annoncer", qualites_seance(user, communique.seance))
    return can_seance(user, "communiquer", communique.seance)


def compte_rendu_visible(user, seance: Seance) -> bool:
    """Whoever reads the séance reads its compte rendu, on its page as in the PDF."""
    return can_seance(user, "voir", seance)


def emargement_visible(user, seance: Seance) -> bool:
    """As the séance page's table of convocations: its organisers, and once the séance is
    closed, whoever reads it."""
    return (
        can_seance(user, "organiser", seance)
        or can_seance(user, "emarger", seance)
        or (seance.est_close and can_seance(user, "voir", seance))
    )


def get_seance_pour_document(user, pk, visible) -> Seance:
    """The séance whose document VISIBLE (one of the rules above) lets USER read: 404
    outside the séances they read, 403 when that document is not theirs."""
    seance = get_seance_for_user(user, pk)
    if not visible(user, seance):
        raise PermissionDenied
    return seance


def convocations_sans_reponse(user, departement_ids) -> list[Convocation]:
    """USER's convocations to coming séances of those départements, still unanswered: the
    home page lists them, each linking to its séance (which a convoqué reads)."""
    return list(
        Convocation.objects.filter(
            dans_les_departements("seance__instance__departement", departement_ids),
            personne__user=user,
            reponse=Convocation.Reponse.ATTENTE,
            seance__statut__in=(S.PLANIFIEE, S.CONVOQUEE),
            seance__debut__gte=timezone.now(),
        )
        .select_related("seance__instance")
        # What the home page shows (and, over several départements, whose séance it is).
        .only("seance__debut", "seance__instance__nom", "seance__instance__departement")
        .order_by("seance__debut")[:10]
    )


def seances_a_suivre(user, departement_ids, limite: int = 10) -> dict[str, list[Seance]]:
    """What waits for pilotage in the séances of the départements they run, the LIMITE
    oldest of each, in one query whatever the data: séances to convene (planned), to
    close (held, or convened and over), and those held whose compte rendu is late
    (COMITES_COMPTE_RENDU_JOURS after their end, as the organiser's reminder). Each row is
    numbered within each list it belongs to (a held séance may be in two), and only the
    first LIMITE of each list are read."""
    deps = [d for d in departement_ids if peut(user, "creer_instance", d)]
    listes = {"a_convoquer": [], "a_clore": [], "compte_rendu_en_retard": []}
    if not deps:
        return listes
    maintenant = timezone.now()
    echeance = maintenant - timedelta(days=settings.COMITES_COMPTE_RENDU_JOURS)
    conditions = {
        "a_convoquer": Q(statut=S.PLANIFIEE),
        "a_clore": Q(statut=S.TENUE) | Q(statut=S.CONVOQUEE, fin__lt=maintenant),
        "compte_rendu_en_retard": Q(
            statut__in=(S.TENUE, S.CLOSE), fin__lte=echeance, compte_rendu=""
        ),
    }
    dans = {
        f"dans_{cle}": ExpressionWrapper(condition, output_field=BooleanField())
        for cle, condition in conditions.items()
    }
    rangs = {
        f"rang_{cle}": Window(RowNumber(), partition_by=[F(f"dans_{cle}")], order_by="debut")
        for cle in conditions
    }
    premieres = Q()
    for cle in conditions:
        premieres |= Q(**{f"dans_{cle}": True, f"rang_{cle}__lte": limite})
    seances = (
        Seance.objects.filter(instance__departement__in=deps)
        .filter(reduce(or_, conditions.values()))
        .select_related("instance")
        .only("debut", "instance__nom", "instance__departement")  # what the home page shows
        .annotate(**dans)
        .annotate(**rangs)
        .filter(premieres)
        .order_by("debut")
    )
    for seance in seances:  # in a list only among its first (it may be read for another)
        for cle, liste in listes.items():
            if getattr(seance, f"dans_{cle}") and getattr(seance, f"rang_{cle}") <= limite:
                liste.append(seance)
    return listes


def communiques_a_faire(user, departement_ids, limite: int = 10) -> dict[str, list[Seance]]:
    """What waits for the press office of those départements, the LIMITE latest séances of
    each list, in two queries whatever the data: séances held (or closed) without any
    version of their release yet, and those whose latest version was never exported as a
    PDF (a draft not yet sent to the press). Every séance listed opens its release for
    them (`communiquer` holds on a held or closed séance)."""
    from comites.documents import COMMUNIQUE  # the documents module imports this one

    deps = [d for d in departement_ids if peut(user, "suivre_communiques", d)]
    if not deps:
        return {"a_preparer": [], "a_exporter": []}
    seances = (
        Seance.objects.filter(instance__departement__in=deps, statut__in=(S.TENUE, S.CLOSE))
        .select_related("instance")
        .order_by("-debut")
    )
    versions = Communique.objects.filter(seance=OuterRef("pk"))
    derniere = versions.order_by("-version")
    exportee = DocumentRequest.objects.filter(kind=COMMUNIQUE, object_id=OuterRef("derniere"))
    exportee = exportee.exclude(status=DocumentRequest.Status.FAILED)
    a_exporter = seances.annotate(
        derniere=Subquery(derniere.values("pk")[:1]),
        version=Subquery(derniere.values("version")[:1]),
    ).filter(derniere__isnull=False)
    return {
        "a_preparer": list(seances.filter(~Exists(versions))[:limite]),
        "a_exporter": list(a_exporter.filter(~Exists(exportee))[:limite]),
    }


def decisions_en_retard(user, departement_ids) -> QuerySet:
    """Open decisions past their due date, of the séances USER reads in those départements."""
    dans_le_perimetre = dans_les_departements("seance__instance__departement", departement_ids)
    if set(departement_ids) <= _departements_lus(user):
        # Every séance of a département one reads is visible: a flat filter, without the
        # convocations the rule otherwise looks through (a national reader's home page
        # joined France's 20,000 of them to list ten decisions).
        decisions = Decision.objects.filter(dans_le_perimetre)
    else:
        decisions = Decision.objects.filter(
            dans_le_perimetre, seance__in=seances_visible_to(user).values("pk")
        )
    return (
        decisions.filter(statut__in=Decision.OUVERTES, echeance__lt=timezone.localdate())
        .select_related("seance__instance")
        .order_by("echeance", "pk")  # two decisions due the same day: always in one order
    )


def decisions_de_l_action(user, action):
    """The action page's section of decisions (actions.extensions): only those of the
    séances USER reads, so a partner never learns of a séance they were not convened to."""
    decisions = list(
        action.decisions_comites.filter(seance__in=seances_visible_to(user))
        .select_related("seance__instance")
        .order_by("echeance", "pk")
    )
    if not decisions:
        return None
    return "comites/_decisions_de_l_action.html", {"decisions": decisions}
