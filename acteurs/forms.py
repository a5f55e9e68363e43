"""Forms of the actors' registry and of the accounts."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string

from acteurs import access
from acteurs.models import Acteur, Habilitation, Membre, Reseau, User
from acteurs.services import CHAMPS_ACTEUR
from acteurs.territoires import TerritoireField
from acteurs.validators import normalise_siret, normalise_telephone, validate_siret
from integration.champs import UneLigneField, choix_par_colonnes
from integration.outbox import enqueue
from integration.tasks import send_email
from integration.text import chiffres
from integration.widgets import CheckboxFiltrables


class ConnexionForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Les deux champs tiennent "
            "compte des majuscules."
        ),
        "inactive": "Ce compte est désactivé. Contactez le service pilote de votre préfecture.",
    }


class ReinitialisationForm(PasswordResetForm):
    """Django's password-reset form, whose e-mail goes through the outbox like every other:
    recorded before it leaves, tried again while the mail server is down, never dropped
    with a line in a log (Django's own form sends at once and swallows a failure)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        sujet = "".join(render_to_string(subject_template_name, context).splitlines())
        corps = render_to_string(email_template_name, context)
        enqueue(send_email, sujet, corps, [to_email])


# field -> (label, feminine), for the messages that name their field
_LIBELLES = {
    "nom": ("nom", False),
    "sigle": ("sigle", False),
    "adresse": ("adresse", True),
    "code_postal": ("code postal", False),
    "telephone": ("téléphone", False),
    "courriel": ("courriel", False),
    "site_web": ("site web", False),
}


def _messages(champ: str) -> dict[str, str]:
    """Messages that say which field they are about: an import shows them without the form."""
    libelle, feminin = _LIBELLES[champ]
    article = "L'" if libelle[0] in "aeiouyé" else ("La " if feminin else "Le ")
    return {
        "max_length": (
            f"{libelle[0].upper()}{libelle[1:]} trop long{'ue' if feminin else ''} : "
            "%(show_value)d caractères pour %(limit_value)d au plus."
        ),
        "controle": (
            f"{article}{libelle} contient un caractère invisible (caractère de contrôle) : "
            "retirez-le."
        ),
    }


class ActeurChampsForm(forms.ModelForm):
    """The rules every actor's record obeys, whoever types it: this screen or an import.

    Nothing here reads the database; the commune, the networks and the duplicates are
    checked by `ActeurForm` on screen, and by `acteurs.imports` for a whole file at once.
    """

    site_web = forms.URLField(
        label="Site web",
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={
            "invalid": "Le site web « %(value)s » n'est pas une adresse valide.",
            **_messages("site_web"),
        },
    )
    # Wider than the 14 stored digits: people paste SIRETs with spaces or dots.
    siret = forms.CharField(
        label="SIRET",
        required=False,
        max_length=20,
        help_text="14 chiffres, espaces acceptés.",
        error_messages={"max_length": "Le SIRET doit compter 14 chiffres."},
    )
    # Wider than the 5 stored digits: "76 000" is a postal code too.
    code_postal = UneLigneField(
        label="Code postal", required=False, max_length=10, error_messages=_messages("code_postal")
    )

    class Meta:
        model = Acteur
        fields = [champ for champ in CHAMPS_ACTEUR if champ not in ("commune", "reseaux")]
        field_classes = {"nom": UneLigneField, "sigle": UneLigneField, "adresse": UneLigneField,
                         "telephone": UneLigneField}  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "sigle": "Par exemple « OFII », « CAF ».",
            "telephone": "Format 01 23 45 67 89 ou +33 1 23 45 67 89.",
        }
        error_messages = {
            "type": {"required": "Le type est obligatoire."},
            "nom": {"required": "Le nom est obligatoire.", **_messages("nom")},
            "sigle": _messages("sigle"),
            "adresse": _messages("adresse"),
            "telephone": _messages("telephone"),
            "courriel": {
                "invalid": "Le courriel « %(value)s » n'est pas une adresse valide.",
                **_messages("courriel"),
            },
        }

    def clean_siret(self):
        siret = normalise_siret(self.cleaned_data.get("siret", ""))
        if siret:
            validate_siret(siret)
        return siret

    def clean_code_postal(self):
        saisi = self.cleaned_data.get("code_postal", "")
        code = saisi.replace(" ", "")
        if code and not (len(code) == 5 and chiffres(code)):
            raise forms.ValidationError(
                "Le code postal « %(code)s » doit compter 5 chiffres.", params={"code": saisi}
            )
        return code

    def clean_telephone(self):
        return normalise_telephone(self.cleaned_data.get("telephone", ""))


class ActeurForm(ActeurChampsForm):
    """Create or edit an actor; the commune is searched within the actor's département."""

    class Meta(ActeurChampsForm.Meta):
        fields = CHAMPS_ACTEUR
        widgets = {
            **ActeurChampsForm.Meta.widgets,
            "reseaux": CheckboxFiltrables(libelle_filtre="réseaux"),
        }
        help_texts = {
            **ActeurChampsForm.Meta.help_texts,
            "reseaux": (
                "Réseaux ou organisations dont la structure fait partie "
                "(vocabulaire data·inclusion)."
            ),
        }

    def __init__(self, *args, departement, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.departement, self.user = departement, user
        commune = TerritoireField(label="Commune", required=False)
        commune.departement, commune.types = departement, ("commune",)
        self.fields["commune"] = commune
        if self.instance.pk:
            self.initial["commune"] = self.instance.commune
        self.fields["reseaux"].queryset = Reseau.objects.order_by("libelle")
        # Read as columns, not instances through a server-side cursor (as the fiche's lists).
        choix_par_colonnes(self.fields["reseaux"], ("libelle",))
        self.fields["siret"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["telephone"].widget.attrs.update(type="tel", autocomplete="tel")
        self.fields["type"].choices = [("", "Choisir un type d'acteur"), *Acteur.Type.choices]

    def clean_siret(self):
        siret = super().clean_siret()
        if not siret:
            return ""
        doublon = (
            Acteur.objects.filter(departement=self.departement, siret=siret)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if doublon is None:
            return siret
        if access.acteurs_visible_to(self.user).filter(pk=doublon.pk).exists():
            raise forms.ValidationError(
                "Un acteur de ce département porte déjà ce SIRET : %(nom)s.",
                params={"nom": doublon.nom},
            )
        # Another partner's proposal: its existence is unavoidable to tell, never its name.
        raise forms.ValidationError(
            "Ce SIRET figure déjà sur une fiche du département en cours d'examen par le "
            "service pilote."
        )

    def clean_nom(self):
        nom = self.cleaned_data["nom"]
        # Only among the actors this user may see: a partner never learns of another's draft.
        doublon = access.acteurs_visible_to(self.user).filter(
            departement=self.departement, nom__iexact=nom
        )
        if doublon.exclude(pk=self.instance.pk).exclude(statut=Acteur.Statut.REJETE).exists():
            raise forms.ValidationError("Un acteur de ce nom existe déjà dans le département.")
        return nom

    def donnees(self) -> dict:
        """The cleaned values as the services take them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("valider", "Valider la proposition"), ("rejeter", "Rejeter la proposition")],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(
        label="Motif du rejet",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour un rejet : il est envoyé au proposant.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "rejeter" and not (data.get("motif") or "").strip():
            self.add_error("motif", "Indiquez le motif du rejet : il sera communiqué au proposant.")
        return data


class RoleMembreForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=Membre.Role.choices)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique de la personne invitée")
    acteur = forms.ModelChoiceField(
        label="Structure",
        queryset=Acteur.objects.none(),
        required=False,
        empty_label="Aucune : invitation dans l'équipe départementale",
    )
    role_membre = forms.ChoiceField(
        label="Rôle dans la structure",
        choices=[("", "Choisir un rôle"), *Membre.Role.choices],
        required=False,
    )
    role_departemental = forms.ChoiceField(
        label="Rôle départemental",
        choices=[("", "Choisir un rôle"), *Habilitation.Role.choices],
        required=False,
        help_text="Seulement pour une invitation dans l'équipe départementale.",
    )

    def __init__(self, *args, acteurs, peut_inviter_equipe: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acteur"].queryset = acteurs
        if not peut_inviter_equipe:
            self.fields["acteur"].required = True
            self.fields["acteur"].empty_label = None
            del self.fields["role_departemental"]

    def clean(self):
        data = super().clean()
        if data.get("acteur"):
            if not data.get("role_membre"):
                self.add_error(
                    "role_membre", "Choisissez le rôle de la personne dans la structure."
                )
            data["role_departemental"] = ""
        elif "role_departemental" in self.fields:
            if not data.get("role_departemental"):
                self.add_error(
                    "role_departemental",
                    "Choisissez une structure, ou un rôle dans l'équipe départementale.",
                )
            data["role_membre"] = ""
        return data


class CreationCompteForm(forms.Form):
    """The account an invited person creates when accepting."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(
        label="Mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="12 caractères au moins, pas uniquement des chiffres, pas trop courant.",
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Les deux mots de passe ne correspondent pas.")
        elif p1:
            candidat = User(
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, candidat)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ContactsPresseForm(forms.Form):
    """The foot of every press release of the département."""

    contact_presse_service = forms.CharField(
        label="Service de presse",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Une ligne par ligne imprimée : « Cabinet de la préfète », « Bureau de la "
        "communication interministérielle ».",
    )
    contact_presse_telephone = forms.CharField(
        label="Téléphone presse", max_length=30, required=False
    )
    contact_presse_courriel = forms.EmailField(label="Courriel presse", required=False)
    adresse = forms.CharField(
        label="Adresse de la préfecture",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    site_web = forms.URLField(
        label="Site internet de la préfecture", required=False, assume_scheme="https"
    )

    def clean_contact_presse_telephone(self):
        return normalise_telephone(self.cleaned_data.get("contact_presse_telephone", ""))
