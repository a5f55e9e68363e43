"""The département's plan: feuilles de route, their axes and fiches-actions, the money and
the measures that follow them, context figures and territorial contracts.

What a signed feuille de route says is frozen (see `actions.verrou`): its axes, its actions'
content, partners, planned funding and indicator targets. What happens afterwards, the
follow-up (execution status, progress, amounts paid, indicator values, bilans), keeps
being recorded on the same rows and in tables of their own.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Acteur, Departement, Territoire

ZERO = Decimal("0")

# --- Feuilles de route and axes -----------------------------------------------------------


class FeuilleDeRoute(models.Model):
    """The département's plan for a period, versioned: a new version copies the previous one."""

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon"
        CONSULTATION = "consultation", "En consultation des partenaires"
        VISA = "visa", "Soumise au visa du cabinet"
        SIGNEE = "signee", "Signée"

    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="feuilles_de_route"
    )
    titre = models.CharField(max_length=200)
    annee_debut = models.PositiveSmallIntegerField("première année")
    annee_fin = models.PositiveSmallIntegerField("dernière année")
    version = models.PositiveSmallIntegerField(default=1)
    precedente = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suivantes",
        verbose_name="version précédente",
    )
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    # The window in which partners submit their actions; none set: closed.
    depot_ouvert_le = models.DateField("ouverture des dépôts", null=True, blank=True)
    depot_clos_le = models.DateField("clôture des dépôts", null=True, blank=True)
    signee_le = models.DateTimeField("signée le", null=True, blank=True)
    signee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The signer's qualité as printed under the signature ("Pour le préfet et par
    # délégation, le secrétaire général"): French administrative law wants it shown.
    signee_qualite = models.CharField("qualité du signataire", max_length=200, blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    modifie_le = models.DateTimeField("mise à jour le", auto_now=True)

    class Meta:
        ordering = ["departement", "-annee_debut", "-version"]
        verbose_name = "feuille de route"
        verbose_name_plural = "feuilles de route"
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "annee_debut", "annee_fin", "version"],
                name="feuille_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(annee_fin__gte=F("annee_debut")), name="feuille_periode_ordonnee"
            ),
            models.CheckConstraint(
                condition=Q(depot_ouvert_le__isnull=True)
                | Q(depot_clos_le__isnull=True)
                | Q(depot_clos_le__gte=F("depot_ouvert_le")),
                name="feuille_depot_ordonne",
            ),
            # A signature is never half-recorded: who and when.
            models.CheckConstraint(
                condition=~Q(statut="signee")
                | Q(signee_le__isnull=False, signee_par__isnull=False),
                name="feuille_signature_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.titre} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("actions:feuille", args=[self.pk])

    @property
    def periode(self) -> str:
        return f"{self.annee_debut}–{self.annee_fin}"

    @property
    def est_signee(self) -> bool:
        return self.statut == self.Statut.SIGNEE

    def depot_ouvert(self, jour=None) -> bool:
        """Whether partners may submit actions today (inclusive dates)."""
        jour = jour or timezone.localdate()
        if self.est_signee or not (self.depot_ouvert_le and self.depot_clos_le):
            return False
        return self.depot_ouvert_le <= jour <= self.depot_clos_le


# The default thematic axes of a new feuille de route, in order.
AXES_PAR_DEFAUT = [
    ("langue", "Apprentissage de la langue française"),
    ("emploi", "Emploi et formation"),
    ("logement", "Logement"),
    ("sante", "Santé, dont soutien psychologique"),
    ("droits", "Accès aux droits"),
    ("mobilite", "Mobilité"),
    ("citoyennete", "Participation citoyenne"),
    ("culture", "Culture et sport"),
    ("coordination", "Coordination des acteurs"),
]


class Axe(models.Model):
    """An ordered thematic axis of one feuille de route."""

    feuille = models.ForeignKey(FeuilleDeRoute, on_delete=models.PROTECT, related_name="axes")
    ordre = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=30, blank=True, help_text="Axe du socle commun.")
    libelle = models.CharField("libellé", max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["feuille", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["feuille", "libelle"], name="axe_libelle_unique"),
        ]
        # The actions list's default sort, axe order first: across France PostgreSQL
        # reads the axes in that order and sorts their actions one order at a time,
        # rather than sorting the country's 14,000 actions (EXPLAIN ANALYZE: 8 ms, 4.5).
        indexes = [models.Index(fields=["ordre"], name="axe_ordre")]

    def __str__(self) -> str:
        return self.intitule(self.ordre, self.libelle)

    @staticmethod
    def intitule(ordre: int, libelle: str) -> str:
        """The name a list shows, from the columns alone (a choice reads no instance)."""
        return f"{ordre}. {libelle}"


# --- Fiches-actions ---------------------------------------------------------------------


class PublicCible(models.Model):
    """Reference list: who an action is for (primo-arrivants, BPI, femmes, jeunes…)."""

    code = models.SlugField(max_length=40, unique=True)
    libelle = models.CharField("libellé", max_length=100)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "libelle"]
        verbose_name = "public cible"
        verbose_name_plural = "publics cibles"

    def __str__(self) -> str:
        return self.libelle


PUBLICS_PAR_DEFAUT = [
    ("primo-arrivants", "Primo-arrivants"),
    ("bpi", "Bénéficiaires de la protection internationale (BPI)"),
    ("femmes", "Femmes"),
    ("jeunes", "Jeunes"),
    ("protection-temporaire", "Bénéficiaires de la protection temporaire"),
    ("familles", "Familles"),
    ("seniors", "Personnes âgées"),
]


class ActionQuerySet(models.QuerySet):
    def adoptees(self):
        """The actions whose money counts (actions.montants)."""
        return self.filter(statut__in=Action.ADOPTEES)

    def en_attente_d_instruction(self):
        return self.filter(statut__in=Action.ATTENTE_INSTRUCTION).order_by("soumise_le", "pk")


class Action(models.Model):
    """A fiche-action: what one porteur commits to do, with whom, where, for whom, with
    what money, and how it will be measured."""

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon"
        SOUMISE = "soumise", "Soumise"
        EN_INSTRUCTION = "en_instruction", "En instruction"
        A_COMPLETER = "a_completer", "À compléter"
        VALIDEE = "validee", "Validée"
        REFUSEE = "refusee", "Refusée"
        EN_COURS = "en_cours", "En cours"
        TERMINEE = "terminee", "Terminée"
        ABANDONNEE = "abandonnee", "Abandonnée"

    # A status's label from its value, for rows read as values (the list, the exports).
    LIBELLES_DES_STATUTS = dict(Statut.choices)
    # What pilotage has to look at, oldest submission first.
    ATTENTE_INSTRUCTION = (Statut.SOUMISE, Statut.EN_INSTRUCTION)
    # Statuses whose content the porteur may still edit.
    MODIFIABLES = (Statut.BROUILLON, Statut.A_COMPLETER)
    # The plan adopted: every partner of the département reads these.
    RETENUES = (Statut.VALIDEE, Statut.EN_COURS, Statut.TERMINEE, Statut.ABANDONNEE)
    # The plan adopted and still carried out: only their money counts (actions.montants).
    ADOPTEES = (Statut.VALIDEE, Statut.EN_COURS, Statut.TERMINEE)
    # Not decided yet: their requests show apart, « en attente d'instruction ».
    EN_ATTENTE = (Statut.BROUILLON, Statut.SOUMISE, Statut.EN_INSTRUCTION, Statut.A_COMPLETER)

    feuille = models.ForeignKey(
        FeuilleDeRoute, on_delete=models.PROTECT, related_name="actions", verbose_name="feuille"
    )
    axe = models.ForeignKey(Axe, on_delete=models.PROTECT, related_name="actions")
    titre = models.CharField(max_length=200)
    description = models.TextField()
    objectifs = models.TextField(blank=True)
    porteur = models.ForeignKey(Acteur, on_delete=models.PROTECT, related_name="actions_portees")
    partenaires = models.ManyToManyField(
        Acteur, through="Partenariat", related_name="actions_partenaires", blank=True
    )
    publics = models.ManyToManyField(
        PublicCible, related_name="actions", blank=True, verbose_name="publics cibles"
    )
    territoires = models.ManyToManyField(
        Territoire,
        related_name="actions",
        blank=True,
        help_text="Le département entier, un ou plusieurs EPCI, ou des communes.",
    )
    date_debut = models.DateField("début", null=True, blank=True)
    date_fin = models.DateField("fin", null=True, blank=True)

    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    soumise_le = models.DateTimeField("soumise le", null=True, blank=True)  # latest submission
    avancement = models.PositiveSmallIntegerField(
        "avancement (%)", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    # Set when a new version of the feuille de route copies this action.
    copiee_de = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    modifie_le = models.DateTimeField("mise à jour le", auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["axe__ordre", "titre", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_debut__isnull=True)
                | Q(date_fin__isnull=True)
                | Q(date_fin__gte=F("date_debut")),
                name="action_dates_ordonnees",
            ),
            models.CheckConstraint(
                condition=Q(avancement__gte=0, avancement__lte=100), name="action_avancement_0_100"
            ),
            # Waiting for review always says since when: the queue is sorted by it.
            models.CheckConstraint(
                condition=~Q(statut__in=["soumise", "en_instruction"])
                | Q(soumise_le__isnull=False),
                name="action_attente_datee",
            ),
        ]
        # The dashboard's coming deadlines (actions.tableau.echeances): the actions ending
        # in the next 60 days, found without reading the country's 15,000 (2.3 ms, 0.03).
        indexes = [models.Index(fields=["date_fin"], name="action_date_fin")]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[self.pk])

    @property
    def est_modifiable(self) -> bool:
        return self.statut in self.MODIFIABLES and not self.feuille.est_signee


class Partenariat(models.Model):
    """A partner of an action, and what it does in it."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="partenariats")
    acteur = models.ForeignKey(Acteur, on_delete=models.PROTECT, related_name="partenariats")
    role = models.CharField("rôle dans l'action", max_length=200, blank=True)

    class Meta:
        ordering = ["acteur__nom"]
        constraints = [
            models.UniqueConstraint(fields=["action", "acteur"], name="partenariat_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.acteur} – {self.role}" if self.role else str(self.acteur)


class Financement(models.Model):
    """A funding line: who pays, for which year, how much was asked, granted and paid."""

    class Source(models.TextChoices):
        BOP_104_12 = "bop104_12", "BOP 104 action 12"
        BOP_104_15 = "bop104_15", "BOP 104 action 15"
        BOP_147 = "bop147", "BOP 147"
        COLLECTIVITE = "collectivite", "Collectivité"
        FAMI = "fami", "FAMI"
        AUTRE = "autre", "Autre"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="financements")
    source = models.CharField(max_length=20, choices=Source.choices)
    annee = models.PositiveSmallIntegerField("année")
    montant_demande = models.DecimalField(
        "montant demandé", max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    montant_accorde = models.DecimalField(
        "montant accordé",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    montant_verse = models.DecimalField(
        "montant versé",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )

    class Meta:
        ordering = ["annee", "source", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(montant_demande__gte=0)
                & (Q(montant_accorde__isnull=True) | Q(montant_accorde__gte=0))
                & (Q(montant_verse__isnull=True) | Q(montant_verse__gte=0)),
                name="financement_montants_positifs",
            ),
            models.CheckConstraint(
                condition=Q(montant_accorde__isnull=True)
                | Q(montant_accorde__lte=F("montant_demande")),
                name="financement_accorde_le_demande",
            ),
            # Nothing is paid that was not granted.
            models.CheckConstraint(
                condition=Q(montant_verse__isnull=True)
                | Q(montant_accorde__isnull=False, montant_verse__lte=F("montant_accorde")),
                name="financement_verse_le_accorde",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.annee}"


class Indicateur(models.Model):
    """How an action is measured: a label, a unit and a target."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicateurs")
    libelle = models.CharField("libellé", max_length=200)
    unite = models.CharField("unité", max_length=50, help_text="Par exemple « personnes ».")
    cible = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.libelle} ({self.unite})"


class Mesure(models.Model):
    """The value an indicator reached over a period (a year), and who entered it."""

    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="mesures")
    annee = models.PositiveSmallIntegerField("année")
    valeur = models.DecimalField(max_digits=12, decimal_places=2)
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saisie_le = models.DateTimeField("saisie le", default=timezone.now)

    class Meta:
        ordering = ["indicateur", "annee"]
        constraints = [
            models.UniqueConstraint(fields=["indicateur", "annee"], name="mesure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicateur} – {self.annee} : {self.valeur}"


class Jalon(models.Model):
    """A milestone of an action: planned, then reached."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="jalons")
    libelle = models.CharField("libellé", max_length=200)
    date_prevue = models.DateField("date prévue")
    atteint_le = models.DateField("atteint le", null=True, blank=True)

    class Meta:
        ordering = ["date_prevue", "pk"]
        # The dashboard's coming milestones, those not reached yet (actions.tableau.echeances):
        # across France 22,000 milestones were read to find them (1.5 ms, 0.03).
        indexes = [
            models.Index(
                fields=["date_prevue"],
                condition=Q(atteint_le__isnull=True),
                name="jalon_a_atteindre",
            )
        ]

    def __str__(self) -> str:
        return self.libelle


class JetonDesChiffres(models.Model):
    """The version of a département's plan figures kept in the cache (actions.agregats): a
    new random value at every write to its actions, their axes, funding lines, indicators
    and indicator values, in the same transaction. Cached figures are keyed by it, so none
    outlives a change."""

    departement = models.OneToOneField(
        Departement, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    jeton = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.departement_id} : {self.jeton}"


class TransitionImmuable(Exception):
    """The transition log is only added to (the database refuses the rest too)."""


class TransitionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TransitionImmuable("Le journal des transitions ne se modifie pas.")

    def delete(self):
        raise TransitionImmuable("Le journal des transitions ne se supprime pas.")


class Transition(models.Model):
    """One step of an action's workflow: append-only, the log shown on the action."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="transitions")
    de = models.CharField(max_length=20, choices=Action.Statut.choices)
    vers = models.CharField(max_length=20, choices=Action.Statut.choices)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)
    commentaire = models.TextField(blank=True)

    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["le", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(de=F("vers")), name="transition_change_d_etat"),
            # A return, a refusal or an abandonment always says why: the other side reads it.
            models.CheckConstraint(
                condition=~Q(vers__in=["a_completer", "refusee", "abandonnee"])
                | ~Q(commentaire=""),
                name="transition_motivee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_de_display()} → {self.get_vers_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TransitionImmuable("Une transition enregistrée ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TransitionImmuable("Une transition enregistrée ne se supprime pas.")


class BilanAnnuel(models.Model):
    """The yearly review of an action, or of a whole axe."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="bilans"
    )
    axe = models.ForeignKey(
        Axe, on_delete=models.CASCADE, null=True, blank=True, related_name="bilans"
    )
    annee = models.PositiveSmallIntegerField("année")
    realisations = models.TextField("réalisations")
    difficultes = models.TextField("difficultés rencontrées", blank=True)
    perspectives = models.TextField(blank=True)
    redige_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-annee"]
        verbose_name = "bilan annuel"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=False, axe__isnull=True)
                | Q(action__isnull=True, axe__isnull=False),
                name="bilan_d_une_action_ou_d_un_axe",
            ),
            models.UniqueConstraint(
                fields=["action", "annee"], condition=Q(action__isnull=False), name="bilan_action"
            ),
            models.UniqueConstraint(
                fields=["axe", "annee"], condition=Q(axe__isnull=False), name="bilan_axe"
            ),
        ]

    def __str__(self) -> str:
        return f"Bilan {self.annee} – {self.action or self.axe}"


# --- Consultation -----------------------------------------------------------------------


class CommentaireConsultation(models.Model):
    """A partner's comment on an axe or an action of a draft in consultation, and the
    answer of pilotage; attached to that version for good."""

    feuille = models.ForeignKey(
        FeuilleDeRoute, on_delete=models.PROTECT, related_name="commentaires"
    )
    axe = models.ForeignKey(
        Axe, on_delete=models.PROTECT, null=True, blank=True, related_name="commentaires"
    )
    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, null=True, blank=True, related_name="commentaires"
    )
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    au_nom_de = models.ForeignKey(
        Acteur,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="au nom de",
    )
    texte = models.TextField("commentaire")
    cree_le = models.DateTimeField(default=timezone.now)
    reponse = models.TextField("réponse", blank=True)
    repondu_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    repondu_le = models.DateTimeField(null=True, blank=True)
    pris_en_compte = models.BooleanField("pris en compte", default=False)

    class Meta:
        ordering = ["cree_le", "pk"]
        verbose_name = "commentaire de consultation"
        constraints = [
            models.CheckConstraint(
                condition=Q(axe__isnull=False, action__isnull=True)
                | Q(axe__isnull=True, action__isnull=False),
                name="commentaire_sur_un_axe_ou_une_action",
            ),
            models.CheckConstraint(
                condition=Q(reponse="", repondu_le__isnull=True)
                | (~Q(reponse="") & Q(repondu_le__isnull=False, repondu_par__isnull=False)),
                name="commentaire_reponse_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Commentaire de {self.auteur} sur {self.action or self.axe}"


# --- Context figures and contracts ------------------------------------------------------


class StatistiqueContexte(models.Model):
    """A yearly context figure of a département, with its source."""

    class Indicateur(models.TextChoices):
        PREMIERS_TITRES = (
            "premiers_titres",
            "Premiers titres de séjour délivrés aux primo-arrivants",
        )
        DONT_BPI = "dont_bpi", "dont réfugiés et bénéficiaires de la protection subsidiaire"
        RENOUVELLEMENTS = "renouvellements", "Renouvellements de titres de séjour"
        CIR_SIGNES = "cir_signes", "Contrats d'intégration républicaine signés"
        NIVEAU_A1 = "niveau_a1", "Signataires du CIR ayant atteint le niveau A1"
        DEMANDES_ASILE = "demandes_asile", "Demandes d'asile enregistrées"

    # Figures counted within another (part -> whole): refugees are among the first permits,
    # and those who reached A1 among the CIR signed, so a part never exceeds its whole.
    PARTIES = {"dont_bpi": "premiers_titres", "niveau_a1": "cir_signes"}

    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="statistiques"
    )
    annee = models.PositiveSmallIntegerField("année")
    indicateur = models.CharField(max_length=30, choices=Indicateur.choices)
    valeur = models.PositiveIntegerField()
    source = models.CharField(max_length=200, help_text="Par exemple « OFII, DGEF ».")
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["departement", "-annee", "indicateur"]
        verbose_name = "statistique de contexte"
        verbose_name_plural = "statistiques de contexte"
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "annee", "indicateur"], name="statistique_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicateur_display()} {self.annee} : {self.valeur}"


class Contrat(models.Model):
    """A contract the préfet signs with a commune or an EPCI (CTAI, PTAI)."""

    class Type(models.TextChoices):
        CTAI = "ctai", "Contrat territorial d'accueil et d'intégration (CTAI)"
        PTAI = "ptai", "Programme territorial d'accueil et d'intégration (PTAI)"

    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="contrats")
    type = models.CharField(max_length=10, choices=Type.choices, default=Type.CTAI)
    intitule = models.CharField("intitulé", max_length=200)
    signataire = models.ForeignKey(
        Acteur,
        on_delete=models.PROTECT,
        related_name="contrats",
        help_text="La commune ou l'EPCI qui signe avec le préfet.",
    )
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")
    signe_le = models.DateField("signé le", null=True, blank=True)
    montant_etat = models.DecimalField(
        "engagement de l'État", max_digits=12, decimal_places=2, default=ZERO
    )
    montant_local = models.DecimalField(
        "engagement de la collectivité", max_digits=12, decimal_places=2, default=ZERO
    )
    actions = models.ManyToManyField(Action, related_name="contrats", blank=True)

    class Meta:
        ordering = ["departement", "-date_debut"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__gte=F("date_debut")), name="contrat_dates_ordonnees"
            ),
            models.CheckConstraint(
                condition=Q(montant_etat__gte=0, montant_local__gte=0),
                name="contrat_montants_positifs",
            ),
        ]

    def __str__(self) -> str:
        return self.intitule

    def get_absolute_url(self) -> str:
        return reverse("actions:contrat", args=[self.pk])


class Avenant(models.Model):
    """An amendment to a contract: what it changes, and by how much."""

    contrat = models.ForeignKey(Contrat, on_delete=models.PROTECT, related_name="avenants")
    numero = models.PositiveSmallIntegerField("numéro")
    signe_le = models.DateField("signé le")
    objet = models.TextField()
    variation_etat = models.DecimalField(
        "variation de l'engagement de l'État", max_digits=12, decimal_places=2, default=ZERO
    )
    variation_locale = models.DecimalField(
        "variation de l'engagement local", max_digits=12, decimal_places=2, default=ZERO
    )

    class Meta:
        ordering = ["contrat", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["contrat", "numero"], name="avenant_numero_unique"),
        ]

    def __str__(self) -> str:
        return f"Avenant n° {self.numero} – {self.contrat}"
