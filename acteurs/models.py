"""The tenant (Departement), reference territories, users, actors and who belongs where."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from acteurs.regions import CHOIX_REGIONS, REGIONS, region_du_departement
from acteurs.validators import validate_siret
from integration.models import OutboxTask
from integration.text import de, search_key

# An actor record not touched for this long is flagged as possibly out of date.
ANCIENNETE_A_VERIFIER = timedelta(days=365)


class Departement(models.Model):
    """The tenant: every root object belongs to one département."""

    code = models.CharField("code INSEE", max_length=3, unique=True)
    nom = models.CharField("nom", max_length=100)
    titre_prefet = models.CharField(
        "intitulé du préfet",
        max_length=150,
        help_text="Tel qu'il s'imprime sur les documents : « Préfet de la Seine-Maritime ».",
    )
    chef_lieu = models.CharField("chef-lieu", max_length=100)
    region = models.CharField(
        "région",
        max_length=3,
        choices=CHOIX_REGIONS,
        blank=True,
        help_text="Déduite du code INSEE quand elle est laissée vide.",
    )
    adresse = models.TextField("adresse de la préfecture", blank=True)
    contact_presse_service = models.TextField(
        "service de presse",
        blank=True,
        help_text="Par exemple « Cabinet du préfet – Service de la communication ».",
    )
    contact_presse_telephone = models.CharField("téléphone presse", max_length=30, blank=True)
    contact_presse_courriel = models.EmailField("courriel presse", blank=True)
    # Printed under the press contacts of a release: « www.hautes-alpes.gouv.fr ».
    site_web = models.URLField("site internet de la préfecture", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self) -> str:
        return self.libelle(self.nom, self.code)

    def save(self, *args, **kwargs):
        if not self.region:
            self.region = region_du_departement(self.code)
        super().save(*args, **kwargs)

    @staticmethod
    def libelle(nom: str, code: str) -> str:
        """The name a list shows, from the columns alone (a filter reads no instance)."""
        return f"{nom} ({code})"

    @property
    def lignes_bloc_marque(self) -> list[str]:
        return lignes_bloc_marque(self.titre_prefet)

    @property
    def du_nom(self) -> str:
        """The name with its article, for a sentence: "des Hautes-Alpes", "de l'Ain"."""
        return du_nom(self.nom, self.titre_prefet)


# How a préfet's title joins the département's name: "Préfet de la Seine-Maritime".
_CHARNIERES = r"(de la |de l'|de l’|du |des |d'|d’|de )"
_VOYELLES = "AEÉÈÊIÎOÔUYH"


def du_nom(nom: str, titre_prefet: str) -> str:
    """ "de la Seine-Maritime", "du Calvados": as the préfet's title says it.

    Without a title that ends with the name, the elision rule alone: "d'Eure", "de Paris".
    """
    trouve = re.search(_CHARNIERES + re.escape(nom) + r"\s*$", titre_prefet or "")
    if trouve:
        return trouve.group(1).replace("’", "'") + nom
    return ("d'" if nom[:1].upper() in _VOYELLES else "de ") + nom


def lignes_bloc_marque(titre: str, largeur: int = 14) -> list[str]:
    """Split "Préfet de la Seine-Maritime" the way the State bloc-marque prints it.

    The first word stands alone; the rest wraps at about LARGEUR characters, breaking
    after a hyphen where a word is too long ("Seine-" / "Maritime").
    """
    mots = titre.split()
    if not mots:
        return []
    lignes, courante = [mots[0]], ""
    morceaux = []
    for mot in mots[1:]:
        parts = mot.split("-")
        morceaux.extend(p + "-" for p in parts[:-1])
        morceaux.append(parts[-1] + " ")
    for morceau in morceaux:
        if courante and len(courante) + len(morceau.rstrip()) > largeur:
            lignes.append(courante.rstrip())
            courante = ""
        courante += morceau
    if courante.strip():
        lignes.append(courante.rstrip())
    return lignes


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who logs in with an e-mail address."""

    username = None
    email = models.EmailField("adresse électronique", unique=True)
    # The département (or, for a wide reader, région or France) last chosen to work on,
    # so that the next login opens on it; see acteurs.middleware.
    perimetre_prefere = models.CharField(
        "périmètre de travail préféré", max_length=10, blank=True, editable=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = "utilisateur"

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Habilitation(models.Model):
    """A role over a territory: prefecture staff, its press office or the préfet's cabinet
    for a département; the préfet de région's cabinet for a whole région; a reader (DREETS,
    DIAIR, DGEF) for a département, a whole région or all of France.

    Pilotage and communication work in one département. A cabinet may cover a région (the
    préfet de région's, over each of its départements), never all of France: no préfet's
    cabinet acts nationally, and the national services only read.
    """

    class Role(models.TextChoices):
        PILOTAGE = "pilotage", "Pilotage (préfecture, DDETS)"
        CABINET = "cabinet", "Cabinet du préfet"
        COMMUNICATION = "communication", "Communication (service de presse de la préfecture)"
        LECTEUR = "lecteur", "Lecteur (services régionaux ou nationaux)"

    # Who may hold a région (the constraint below repeats it) and all of France.
    ROLES_REGIONAUX = (Role.CABINET, Role.LECTEUR)
    ROLES_NATIONAUX = (Role.LECTEUR,)

    class Perimetre(models.TextChoices):
        DEPARTEMENT = "departement", "Un département"
        REGION = "region", "Une région"
        FRANCE = "france", "Toute la France"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="habilitations"
    )
    perimetre = models.CharField(
        "périmètre", max_length=20, choices=Perimetre.choices, default=Perimetre.DEPARTEMENT
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.CASCADE,
        related_name="habilitations",
        null=True,
        blank=True,
        help_text="Pour un périmètre départemental.",
    )
    region = models.CharField(
        "région",
        max_length=3,
        choices=CHOIX_REGIONS,
        blank=True,
        help_text="Pour un périmètre régional.",
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    actif = models.BooleanField("active", default=True)
    cree_le = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "habilitation"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "departement"],
                condition=Q(perimetre="departement"),
                name="habilitation_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "region"],
                condition=Q(perimetre="region"),
                name="habilitation_region_unique",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(perimetre="france"),
                name="habilitation_france_unique",
            ),
            # The scope names exactly what it covers; readers and cabinets may cover a
            # région, only readers all of France.
            models.CheckConstraint(
                condition=Q(perimetre="departement", departement__isnull=False, region="")
                | (
                    Q(perimetre="region", departement__isnull=True, role__in=["cabinet", "lecteur"])
                    & ~Q(region="")
                )
                | Q(perimetre="france", departement__isnull=True, region="", role="lecteur"),
                name="habilitation_perimetre_coherent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.portee}"

    @property
    def portee(self) -> str:
        """What the habilitation covers, as a user reads it."""
        if self.perimetre == self.Perimetre.REGION:
            return f"région {REGIONS.get(self.region, self.region)}"
        if self.perimetre == self.Perimetre.FRANCE:
            return "toute la France"
        return str(self.departement)


class Territoire(models.Model):
    """Reference data: a commune, an EPCI or a département, shared by every tenant."""

    class Type(models.TextChoices):
        COMMUNE = "commune", "Commune"
        EPCI = "epci", "EPCI"
        DEPARTEMENT = "departement", "Département"

    type = models.CharField(max_length=20, choices=Type.choices)
    code = models.CharField(
        max_length=9, help_text="Code INSEE (commune, département) ou SIREN (EPCI)."
    )
    siren = models.CharField("SIREN", max_length=9, blank=True)
    nom = models.CharField(max_length=150)
    codes_postaux = models.CharField("codes postaux", max_length=200, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    epci = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        limit_choices_to={"type": "epci"},
    )
    departements = models.ManyToManyField(Departement, related_name="territoires", blank=True)
    # The name as search-as-you-type compares it (see integration.text.search_key).
    nom_recherche = models.CharField(max_length=150, db_index=True, editable=False)

    class Meta:
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(fields=["type", "code"], name="territoire_unique"),
        ]

    def __str__(self) -> str:
        return self.libelle(self.type, self.nom, self.code)

    def save(self, *args, **kwargs):
        self.nom_recherche = search_key(self.nom)
        super().save(*args, **kwargs)

    @classmethod
    def libelle(cls, type_: str, nom: str, code: str) -> str:
        """The name a list shows, from the columns alone (a filter reads no instance)."""
        return f"{nom} ({code})" if type_ == cls.Type.COMMUNE else nom


class Reseau(models.Model):
    """A network an actor belongs to, from the data·inclusion vocabulary."""

    slug = models.SlugField(max_length=100, unique=True)
    libelle = models.CharField("libellé", max_length=200)

    class Meta:
        ordering = ["libelle"]
        verbose_name = "réseau"

    def __str__(self) -> str:
        return self.libelle


class ActeurQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(archive_le__isnull=True)

    def valides(self):
        return self.filter(statut=Acteur.Statut.VALIDE)

    def a_verifier(self):
        """Records nobody has touched for over a year."""
        return self.filter(modifie_le__lt=timezone.now() - ANCIENNETE_A_VERIFIER)


class Acteur(models.Model):
    """An organisation taking part in the strategy."""

    class Type(models.TextChoices):
        SERVICE_ETAT = "service_etat", "Service de l'État"
        OPERATEUR_ETAT = "operateur_etat", "Opérateur de l'État"
        COLLECTIVITE = "collectivite", "Collectivité territoriale"
        EPCI = "epci", "EPCI"
        ASSOCIATION = "association", "Association"
        ENTREPRISE = "entreprise", "Entreprise"
        AUTRE = "autre", "Autre"

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente de validation"
        VALIDE = "valide", "Validé"
        REJETE = "rejete", "Rejeté"

    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="acteurs", verbose_name="département"
    )
    type = models.CharField(max_length=20, choices=Type.choices)
    nom = models.CharField(max_length=200)
    sigle = models.CharField(max_length=30, blank=True)
    siret = models.CharField(
        "SIRET",
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text="14 chiffres, sans espaces.",
    )
    adresse = models.CharField(max_length=250, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        Territoire,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"type": Territoire.Type.COMMUNE},
    )
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    courriel = models.EmailField(blank=True)
    site_web = models.URLField("site web", blank=True)
    reseaux = models.ManyToManyField(
        Reseau, blank=True, related_name="acteurs", verbose_name="réseaux"
    )
    description = models.TextField(blank=True)
    # Name and sigle as the list's search compares them (see integration.text.search_key):
    # "solidarite" finds "SOLIDARITÉ" on SQLite and PostgreSQL alike, without a function
    # applied to every row at query time.
    recherche = models.CharField(max_length=240, db_index=True, editable=False, default="")

    statut = models.CharField(
        "statut de modération", max_length=20, choices=Statut.choices, default=Statut.VALIDE
    )
    propose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="acteurs_proposes",
    )
    modere_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modere_le = models.DateTimeField("modéré le", null=True, blank=True)
    motif_rejet = models.TextField("motif du rejet", blank=True)

    archive_le = models.DateTimeField("archivé le", null=True, blank=True)
    archive_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("mis à jour le", auto_now=True)

    objects = ActeurQuerySet.as_manager()

    class Meta:
        ordering = ["nom"]
        indexes = [
            # The list's default sort (name, then pk): over a région or France, the first
            # page is read along this index instead of sorting every actor of the perimeter.
            models.Index(fields=["nom", "id"], name="acteur_tri_nom"),
            # What the list counts (the actors one reads, not archived), from the index
            # alone: over France, reading the table's 25,000 wide rows cost 10 to 20 ms.
            models.Index(
                fields=["departement", "statut", "propose_par"],
                condition=Q(archive_le__isnull=True),
                name="acteur_lus_non_archives",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "siret"],
                condition=~Q(siret=""),
                name="acteur_siret_unique_par_departement",
            ),
            # A rejection is never half-recorded: who, when and why.
            models.CheckConstraint(
                condition=~Q(statut="rejete") | (Q(modere_le__isnull=False) & ~Q(motif_rejet="")),
                name="acteur_rejet_complet",
            ),
            models.CheckConstraint(
                condition=Q(archive_le__isnull=True) | Q(statut="valide"),
                name="acteur_archive_si_valide",
            ),
        ]

    def __str__(self) -> str:
        return self.libelle(self.nom, self.sigle)

    def save(self, *args, **kwargs):
        self.recherche = cle_de_recherche(self.nom, self.sigle)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"nom", "sigle"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "recherche"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("acteurs:detail", args=[self.pk])

    @staticmethod
    def libelle(nom: str, sigle: str) -> str:
        """The name a list shows, from the columns alone (a filter reads no instance)."""
        return f"{nom} ({sigle})" if sigle else nom

    @property
    def est_archive(self) -> bool:
        return self.archive_le is not None

    @property
    def a_verifier(self) -> bool:
        """True when nobody has touched the record for over a year."""
        return timezone.now() - self.modifie_le > ANCIENNETE_A_VERIFIER


def cle_de_recherche(nom: str, sigle: str = "") -> str:
    """What an actor is found by: its name and its sigle, folded, in one string."""
    return search_key(f"{nom} {sigle}")[:240]


class Membre(models.Model):
    """A user's membership of an actor. Deactivated, never deleted."""

    class Role(models.TextChoices):
        ADMINISTRATEUR = "administrateur", "Administrateur de la structure"
        CONTRIBUTEUR = "contributeur", "Contributeur"
        LECTEUR = "lecteur", "Lecteur"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="adhesions"
    )
    acteur = models.ForeignKey(Acteur, on_delete=models.PROTECT, related_name="membres")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    actif = models.BooleanField(default=True)
    cree_le = models.DateTimeField("membre depuis", auto_now_add=True)
    desactive_le = models.DateTimeField("désactivé le", null=True, blank=True)
    desactive_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = "membre"
        constraints = [
            models.UniqueConstraint(fields=["user", "acteur"], name="membre_unique"),
            models.CheckConstraint(
                condition=Q(actif=True, desactive_le__isnull=True)
                | Q(actif=False, desactive_le__isnull=False),
                name="membre_desactivation_datee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.acteur} ({self.get_role_display()})"


class InvitationQuerySet(models.QuerySet):
    def en_cours(self):
        return self.filter(
            acceptee_le__isnull=True, revoquee_le__isnull=True, expire_le__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mailed invitation to join an actor, or a département's staff, that expires."""

    DUREE = timedelta(days=14)

    departement = models.ForeignKey(Departement, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField("adresse électronique")
    acteur = models.ForeignKey(
        Acteur, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    role_membre = models.CharField(
        "rôle dans la structure", max_length=20, choices=Membre.Role.choices, blank=True
    )
    role_departemental = models.CharField(
        "rôle départemental", max_length=20, choices=Habilitation.Role.choices, blank=True
    )
    # Only a hash is kept: a leaked database does not leak usable links.
    jeton_hash = models.CharField(max_length=64, unique=True)
    invite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    envoyee_le = models.DateTimeField("envoyée le")
    expire_le = models.DateTimeField("expire le")
    nb_envois = models.PositiveSmallIntegerField(default=1)
    acceptee_le = models.DateTimeField(null=True, blank=True)
    revoquee_le = models.DateTimeField(null=True, blank=True)
    # The outbox row of the latest e-mail: whether the link really left, or not yet.
    envoi = models.ForeignKey(
        OutboxTask,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="envoi du courriel",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(acteur__isnull=False) & ~Q(role_membre="") & Q(role_departemental=""))
                | (Q(acteur__isnull=True) & Q(role_membre="") & ~Q(role_departemental="")),
                name="invitation_cible_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {de(self.email)}"

    @property
    def statut(self) -> str:
        if self.acceptee_le:
            return "acceptée"
        if self.revoquee_le:
            return "révoquée"
        if self.expire_le <= timezone.now():
            return "expirée"
        return "en cours"

    @property
    def est_utilisable(self) -> bool:
        return self.statut == "en cours"

    @property
    def role_libelle(self) -> str:
        return self.get_role_membre_display() or self.get_role_departemental_display()
