"""Instances, their composition, séances, convocations, attendance, decisions, communiqués.

A seat's history is kept: a change of holder ends one mandate and starts another, nothing
is deleted. A closed séance's attendance is frozen, by the model and by the database
(`comites.verrou`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Acteur, Departement
from actions.models import Action, FeuilleDeRoute
from integration.models import OutboxTask


class Instance(models.Model):
    """A COPIL, a comité technique or a thematic groupe de travail of a département."""

    class Type(models.TextChoices):
        COPIL = "copil", "Comité de pilotage"
        COMITE_TECHNIQUE = "comite_technique", "Comité technique"
        GROUPE_TRAVAIL = "groupe_travail", "Groupe de travail"

    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="instances")
    type = models.CharField(max_length=20, choices=Type.choices)
    nom = models.CharField(max_length=200)
    theme = models.CharField("thème", max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enfants",
        verbose_name="instance parente",
    )
    cree_le = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        ordering = ["departement", "type", "nom"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "nom"], name="instance_nom_unique"),
            models.CheckConstraint(
                condition=~Q(type="groupe_travail") | ~Q(theme=""), name="groupe_travail_theme"
            ),
        ]

    def __str__(self) -> str:
        return self.nom

    def get_absolute_url(self) -> str:
        return reverse("comites:instance", args=[self.pk])

    # The unique name's refusal, in French (Django's own names the model and its fields).
    NOM_PRIS = "Une instance de ce nom existe déjà dans le département."

    def nom_pris(self) -> bool:
        """Whether another instance of the département has this name."""
        memes = Instance.objects.filter(departement=self.departement_id, nom=self.nom)
        return memes.exclude(pk=self.pk).exists()

    def clean(self):
        if self.type == self.Type.GROUPE_TRAVAIL and not self.theme.strip():
            raise ValidationError({"theme": "Un groupe de travail a un thème."})
        if self.parent_id and self.parent.departement_id != self.departement_id:
            raise ValidationError({"parent": "L'instance parente est d'un autre département."})
        ancetre = self.parent
        while ancetre is not None:
            if self.pk and ancetre.pk == self.pk:
                raise ValidationError({"parent": "Une instance ne peut dépendre d'elle-même."})
            ancetre = ancetre.parent


class Personne(models.Model):
    """Someone who sits or is invited; an account is optional."""

    class Civilite(models.TextChoices):
        MADAME = "mme", "Mme"
        MONSIEUR = "m", "M."

    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+")
    civilite = models.CharField("civilité", max_length=3, choices=Civilite.choices, blank=True)
    nom = models.CharField("prénom et nom", max_length=200)
    # As a release prints it after the name: « préfète des Hautes-Alpes ».
    fonction = models.CharField(max_length=200, blank=True)
    courriel = models.EmailField("adresse électronique")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="personnes_comites",
        verbose_name="compte",
    )

    class Meta:
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "courriel"], name="personne_courriel_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.nom

    @property
    def feminin(self) -> bool:
        return self.civilite == self.Civilite.MADAME

    @property
    def nom_et_fonction(self) -> str:
        """ "Claire Martin, préfète des Hautes-Alpes", as a release names someone."""
        return f"{self.nom}, {self.fonction}" if self.fonction else self.nom

    @property
    def designation(self) -> str:
        """ "Mme Claire Martin, préfète des Hautes-Alpes", as minutes name someone."""
        civilite = f"{self.get_civilite_display()} " if self.civilite else ""
        return civilite + self.nom_et_fonction


class Siege(models.Model):
    """A mandate: a person holds a seat for an actor, from a date, until an end date."""

    class Role(models.TextChoices):
        PRESIDENCE = "presidence", "Présidence"
        VICE_PRESIDENCE = "vice_presidence", "Vice-présidence"
        SECRETARIAT = "secretariat", "Secrétariat"
        MEMBRE = "membre", "Membre"

    instance = models.ForeignKey(Instance, on_delete=models.PROTECT, related_name="sieges")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    personne = models.ForeignKey(Personne, on_delete=models.PROTECT, related_name="sieges")
    acteur = models.ForeignKey(
        Acteur, on_delete=models.PROTECT, related_name="sieges", verbose_name="structure"
    )
    debut = models.DateField("début du mandat", default=timezone.localdate)
    fin = models.DateField("fin du mandat", null=True, blank=True)

    class Meta:
        ordering = ["instance", "role", "personne__nom", "-debut"]
        verbose_name = "siège"
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(fin__gte=F("debut")), name="siege_dates_ordonnees"
            ),
            models.UniqueConstraint(
                fields=["instance", "personne", "acteur"],
                condition=Q(fin__isnull=True),
                name="siege_un_mandat_en_cours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} : {self.personne} ({self.acteur})"

    @property
    def en_cours(self) -> bool:
        return self.fin is None or self.fin >= timezone.localdate()

    def delete(self, *args, **kwargs):
        raise ValidationError("Un mandat se termine, il ne se supprime pas.")


class Seance(models.Model):
    """A meeting of an instance."""

    class Statut(models.TextChoices):
        PLANIFIEE = "planifiee", "Planifiée"
        CONVOQUEE = "convoquee", "Convoquée"
        TENUE = "tenue", "Tenue"
        CLOSE = "close", "Close"
        ANNULEE = "annulee", "Annulée"

    instance = models.ForeignKey(Instance, on_delete=models.PROTECT, related_name="seances")
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin")
    lieu = models.CharField(max_length=250, blank=True)
    lien_visio = models.URLField("lien de visioconférence", blank=True)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.PLANIFIEE)
    preside_par = models.ForeignKey(
        Personne,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="présidée par",
    )
    # The calendar invitation's SEQUENCE: each change sent to invitees raises it.
    sequence = models.PositiveIntegerField(default=0)
    organisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    compte_rendu = models.TextField("compte rendu", blank=True)  # sanitised HTML
    compte_rendu_le = models.DateTimeField(null=True, blank=True)
    # The place and date printed under the compte rendu's title, as typed ("Gap, le 20 juin
    # 2019"); empty in minutes written before the line existed, which print the séance's day.
    compte_rendu_lieu_date = models.CharField(
        "lieu et date du compte rendu", max_length=120, blank=True
    )
    relance_compte_rendu_le = models.DateTimeField(null=True, blank=True)
    close_le = models.DateTimeField("close le", null=True, blank=True)
    close_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-debut"]
        verbose_name = "séance"
        constraints = [
            models.CheckConstraint(condition=Q(fin__gt=F("debut")), name="seance_fin_apres_debut"),
            models.CheckConstraint(
                condition=~Q(statut="close") | Q(close_le__isnull=False, close_par__isnull=False),
                name="seance_close_datee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instance} – {timezone.localtime(self.debut):%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("comites:seance", args=[self.pk])

    @property
    def uid(self) -> str:
        """Stable calendar UID: the same event, however often it is re-sent."""
        return f"seance-{self.pk}@comites.integration"

    @property
    def repondable(self) -> bool:
        return self.statut in (self.Statut.PLANIFIEE, self.Statut.CONVOQUEE)

    @property
    def est_close(self) -> bool:
        return self.statut == self.Statut.CLOSE


class Point(models.Model):
    """A point of the ordre du jour."""

    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="points")
    ordre = models.PositiveSmallIntegerField()
    titre = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    actions = models.ManyToManyField(Action, blank=True, related_name="points_comites")
    feuille = models.ForeignKey(
        FeuilleDeRoute,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="feuille de route",
    )

    class Meta:
        ordering = ["seance", "ordre"]
        verbose_name = "point de l'ordre du jour"
        constraints = [
            models.UniqueConstraint(fields=["seance", "ordre"], name="point_ordre_unique"),
        ]

    def __str__(self) -> str:
        return self.titre


class Convocation(models.Model):
    """An invitation to a séance, its answer and the attendance recorded."""

    class Reponse(models.TextChoices):
        ATTENTE = "attente", "Sans réponse"
        PRESENT = "present", "Présent"
        EXCUSE = "excuse", "Excusé"
        REPRESENTE = "represente", "Représenté"

    class Presence(models.TextChoices):
        PRESENT = "present", "Présent"
        REPRESENTE = "represente", "Représenté"
        EXCUSE = "excuse", "Excusé"
        ABSENT = "absent", "Absent"

    seance = models.ForeignKey(Seance, on_delete=models.PROTECT, related_name="convocations")
    personne = models.ForeignKey(Personne, on_delete=models.PROTECT, related_name="convocations")
    acteur = models.ForeignKey(
        Acteur, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invite = models.BooleanField("invité hors composition", default=False)
    jeton_hash = models.CharField(max_length=64, unique=True)  # only a hash is kept
    envoyee_le = models.DateTimeField(null=True, blank=True)
    rappel_le = models.DateTimeField(null=True, blank=True)
    # The outbox row of the latest e-mail to this person (convocation, change, reminder):
    # whether it really left, is still waiting for the mail server, or failed.
    envoi = models.ForeignKey(
        OutboxTask,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="envoi du dernier courriel",
    )
    reponse = models.CharField(max_length=20, choices=Reponse.choices, default=Reponse.ATTENTE)
    represente_par_nom = models.CharField("représenté par", max_length=200, blank=True)
    represente_par_structure = models.CharField("structure", max_length=200, blank=True)
    repondu_le = models.DateTimeField(null=True, blank=True)
    presence = models.CharField(max_length=20, choices=Presence.choices, blank=True)
    presence_represente_par = models.CharField("représenté par", max_length=200, blank=True)

    class Meta:
        ordering = ["seance", "personne__nom"]
        constraints = [
            models.UniqueConstraint(fields=["seance", "personne"], name="convocation_unique"),
            models.CheckConstraint(
                condition=~Q(reponse="represente") | ~Q(represente_par_nom=""),
                name="convocation_representant_nomme",
            ),
            models.CheckConstraint(
                condition=~Q(presence="represente") | ~Q(presence_represente_par=""),
                name="presence_representant_nomme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.personne} – {self.seance}"


class Decision(models.Model):
    """An entry of the relevé de décisions."""

    class Statut(models.TextChoices):
        A_FAIRE = "a_faire", "À faire"
        EN_COURS = "en_cours", "En cours"
        FAITE = "faite", "Faite"
        ABANDONNEE = "abandonnee", "Abandonnée"

    OUVERTES = (Statut.A_FAIRE, Statut.EN_COURS)

    seance = models.ForeignKey(Seance, on_delete=models.PROTECT, related_name="decisions")
    texte = models.TextField("décision")
    responsable = models.CharField("responsable", max_length=200)
    echeance = models.DateField("échéance", null=True, blank=True)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.A_FAIRE)
    actions = models.ManyToManyField(Action, blank=True, related_name="decisions_comites")
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seance", "echeance", "pk"]
        verbose_name = "décision"
        indexes = [
            # The home page's overdue decisions, the oldest first: a national reader's home
            # page read the country's 1,800 open ones to show ten (14 ms; 0.7 ms so).
            models.Index(
                fields=["echeance"],
                condition=Q(statut__in=["a_faire", "en_cours"]),
                name="decision_ouverte_echeance",
            ),
        ]

    def __str__(self) -> str:
        return self.texte[:80]

    @property
    def en_retard(self) -> bool:
        return bool(
            self.echeance and self.statut in self.OUVERTES and self.echeance < timezone.localdate()
        )


class Communique(models.Model):
    """A version of a séance's press release: each save adds one. Two kinds: the communiqué
    de presse, after the meeting, and the avis aux médias, which announces a coming séance
    (date, place, presidency, how the press attends) without attendance or decisions. Each
    kind numbers its own versions."""

    class Genre(models.TextChoices):
        COMMUNIQUE = "communique", "Communiqué de presse"
        AVIS_MEDIAS = "avis_medias", "Avis aux médias"

    seance = models.ForeignKey(Seance, on_delete=models.PROTECT, related_name="communiques")
    genre = models.CharField(max_length=20, choices=Genre.choices, default=Genre.COMMUNIQUE)
    version = models.PositiveSmallIntegerField()
    titre = models.CharField(max_length=250)
    # The place and date printed under the title, as validated ("Gap, le 20 juin 2019"):
    # a release may be dated before or after the day it was saved. Empty in versions saved
    # before the line existed, which print the day they were saved.
    lieu_date = models.CharField("lieu et date", max_length=120, blank=True)
    texte = models.TextField()
    # The context figures' paragraph, of the year the officer chose; empty: none printed.
    chiffres = models.TextField("chiffres de contexte", blank=True)
    # Who is quoted (« Claire Martin, préfète des Hautes-Alpes ») and the words, printed
    # as a quotation after the text; both or neither.
    citation_auteur = models.CharField("personne citée", max_length=250, blank=True)
    citation = models.TextField(blank=True)
    # An avis aux médias: how the press attends (accreditation, contact, time of arrival).
    acces_presse = models.TextField("accès de la presse", blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    # What a version says; saving the same content again adds no version.
    CONTENU = (
        "titre", "lieu_date", "texte", "chiffres", "citation_auteur", "citation", "acces_presse"
    )  # fmt: skip

    class Meta:
        ordering = ["seance", "genre", "-version"]
        verbose_name = "communiqué de presse"
        constraints = [
            models.UniqueConstraint(
                fields=["seance", "genre", "version"], name="communique_version_unique_par_genre"
            ),
            models.CheckConstraint(
                condition=Q(genre="communique") | ~Q(acces_presse=""),
                name="avis_medias_acces_presse",
            ),
            models.CheckConstraint(
                condition=Q(citation="") | ~Q(citation_auteur=""),
                name="communique_citation_attribuee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.titre} (version {self.version})"

    def get_absolute_url(self) -> str:
        page = "comites:avis_medias" if self.est_avis else "comites:communique"
        return reverse(page, args=[self.seance_id])

    @property
    def est_avis(self) -> bool:
        return self.genre == self.Genre.AVIS_MEDIAS


class JetonCalendrier(models.Model):
    """The secret of a user's personal calendar feed; revoking deletes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jeton_calendrier"
    )
    jeton_hash = models.CharField(max_length=64, unique=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Flux d'agenda de {self.user}"
