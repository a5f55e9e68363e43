"""Forms of the comités. Choices offered are always narrowed to the séance's département."""

from django import forms
from django.utils import timezone

from acteurs.models import Acteur
from actions.models import Action, FeuilleDeRoute
from comites.models import Convocation, Decision, Instance, Personne, Siege
from integration.champs import UneLigneField, choix_par_colonnes
from integration.widgets import (
    ListeDeChoix,
    ListeDeChoixMultiple,
    SaisieDate,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class InstanceForm(forms.ModelForm):
    nom = UneLigneField(max_length=200)

    class Meta:
        model = Instance
        fields = ["type", "nom", "theme", "parent"]
        help_texts = {"theme": "Obligatoire pour un groupe de travail."}

    def __init__(self, *args, departement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.departement = departement
        self.fields["parent"].queryset = Instance.objects.filter(departement=departement)

    def clean_nom(self):
        self.instance.nom = self.cleaned_data["nom"]
        if self.instance.nom_pris():
            raise forms.ValidationError(Instance.NOM_PRIS)
        return self.instance.nom


CIVILITE = forms.ChoiceField(
    label="Civilité", choices=[("", "—"), *Personne.Civilite.choices], required=False
)
FONCTION = UneLigneField(
    label="Fonction",
    max_length=200,
    required=False,
    help_text="Telle qu'un communiqué l'écrit après le nom : « préfète des Hautes-Alpes ».",
)


class PersonneForm(forms.Form):
    """A person's civility, name and function, as documents print them."""

    civilite = CIVILITE
    nom = UneLigneField(label="Prénom et nom", max_length=200)
    fonction = FONCTION


class SiegeForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=Siege.Role.choices)
    civilite = CIVILITE
    nom = UneLigneField(label="Prénom et nom", max_length=200)
    fonction = FONCTION
    courriel = forms.EmailField(label="Adresse électronique")
    acteur = forms.ModelChoiceField(
        label="Structure représentée", queryset=Acteur.objects.none(), widget=ListeDeChoix
    )
    debut = forms.DateField(label="Début du mandat", widget=SaisieDate())

    def __init__(self, *args, departement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acteur"].queryset = (
            Acteur.objects.actifs().valides().filter(departement=departement)
        )
        choix_par_colonnes(self.fields["acteur"], ("nom", "sigle"), Acteur.libelle)


class FinMandatForm(forms.Form):
    """One date in a seat's row of the composition table, beside its « Terminer »."""

    marquer_obligatoires = False  # a lone control with its button: the mark would say nothing
    fin = forms.DateField(label="Fin du mandat", widget=SaisieDate())


class SeanceForm(forms.Form):
    debut = forms.DateTimeField(label="Début", widget=DATETIME)
    fin = forms.DateTimeField(label="Fin", widget=DATETIME)
    lieu = UneLigneField(label="Lieu", max_length=250, required=False)
    lien_visio = forms.URLField(
        label="Lien de visioconférence", required=False, assume_scheme="https"
    )

    def clean(self):
        data = super().clean()
        if data.get("debut") and data.get("fin") and data["fin"] <= data["debut"]:
            self.add_error("fin", "La fin de la séance doit suivre son début.")
        if not (data.get("lieu") or data.get("lien_visio")):
            raise forms.ValidationError("Indiquez un lieu ou un lien de visioconférence.")
        return data


class NouvelleSeanceForm(SeanceForm):
    preside_par = forms.ModelChoiceField(
        label="Présidée par", queryset=Personne.objects.none(), required=False
    )

    def __init__(self, *args, instance, **kwargs):
        super().__init__(*args, **kwargs)
        aujourd_hui = timezone.localdate()
        en_cours = instance.sieges.filter(debut__lte=aujourd_hui).exclude(fin__lt=aujourd_hui)
        self.fields["preside_par"].queryset = Personne.objects.filter(
            pk__in=en_cours.values("personne")
        )
        presidence = en_cours.filter(role=Siege.Role.PRESIDENCE).first()
        if presidence is not None:
            self.fields["preside_par"].initial = presidence.personne_id


class PointForm(forms.Form):
    titre = UneLigneField(label="Intitulé du point", max_length=250)
    description = forms.CharField(label="Précisions", widget=forms.Textarea, required=False)
    actions = forms.ModelMultipleChoiceField(
        label="Actions concernées",
        queryset=Action.objects.none(),
        required=False,
        widget=ListeDeChoixMultiple,
    )
    feuille = forms.ModelChoiceField(
        label="Feuille de route", queryset=FeuilleDeRoute.objects.none(), required=False
    )

    def __init__(self, *args, actions, departement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = actions.filter(feuille__departement=departement)
        choix_par_colonnes(self.fields["actions"], ("titre",))
        self.fields["feuille"].queryset = FeuilleDeRoute.objects.filter(departement=departement)


class InviteForm(forms.Form):
    civilite = CIVILITE
    nom = UneLigneField(label="Prénom et nom", max_length=200)
    fonction = FONCTION
    courriel = forms.EmailField(label="Adresse électronique")


class ReponseForm(forms.Form):
    reponse = forms.ChoiceField(
        label="Votre réponse",
        choices=[
            (Convocation.Reponse.PRESENT, "Je serai présent(e)"),
            (Convocation.Reponse.EXCUSE, "Je suis excusé(e)"),
            (Convocation.Reponse.REPRESENTE, "Je serai représenté(e)"),
        ],
        widget=forms.RadioSelect,
    )
    represente_par_nom = UneLigneField(
        label="Nom de la personne qui vous représente", max_length=200, required=False
    )
    represente_par_structure = UneLigneField(label="Sa structure", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("reponse") == "represente" and not data.get("represente_par_nom"):
            self.add_error("represente_par_nom", "Indiquez qui vous représentera.")
        return data


class CompteRenduForm(forms.Form):
    lieu_date = UneLigneField(
        label="Lieu et date",
        max_length=120,
        required=False,
        help_text=(
            "Imprimés sous le titre tels que saisis, par exemple « Gap, le 20 juin 2019 » ; "
            "vides, le chef-lieu et le jour de la séance."
        ),
    )
    compte_rendu = forms.CharField(
        label="Compte rendu",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "Séparez les paragraphes par une ligne vide ; commencez une ligne par « - » pour "
            "une liste. Le texte est repris tel quel sur la page et dans le PDF."
        ),
    )


class DecisionForm(forms.ModelForm):
    responsable = UneLigneField(max_length=200)

    class Meta:
        model = Decision
        fields = ["texte", "responsable", "echeance", "statut", "actions"]
        widgets = {
            "echeance": SaisieDate(),
            "texte": forms.Textarea(attrs={"rows": 3}),
            "actions": ListeDeChoixMultiple,
        }
        labels = {"statut": "Avancement"}
        help_texts = {
            "statut": (
                "Pour une séance saisie après coup, choisissez « Faite » si la décision est "
                "déjà réalisée : elle ne sera jamais signalée en retard."
            )
        }

    def __init__(self, *args, actions, departement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = actions.filter(feuille__departement=departement)
        choix_par_colonnes(self.fields["actions"], ("titre",))
        self.fields["actions"].required = False
        self.fields["actions"].label = "Actions liées"
        # Left out (an older form, a script): the decision is to do, as before.
        self.fields["statut"].required = False

    def clean_statut(self):
        return self.cleaned_data.get("statut") or Decision.Statut.A_FAIRE


class _EnteteDePresse(forms.Form):
    """What heads every release to the press: its title and its date line."""

    titre = UneLigneField(label="Titre", max_length=250)
    lieu_date = UneLigneField(
        label="Lieu et date",
        max_length=120,
        help_text="Imprimés sous le titre tels que saisis, par exemple « Gap, le 20 juin 2019 ».",
    )


class CommuniqueForm(_EnteteDePresse):
    texte = forms.CharField(
        label="Texte",
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Séparez les paragraphes par une ligne vide.",
    )
    chiffres = forms.CharField(
        label="Chiffres de contexte",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Imprimés après le premier paragraphe ; vides, aucun chiffre n'est cité.",
    )
    citation_auteur = UneLigneField(
        label="Personne citée",
        max_length=250,
        required=False,
        help_text="Son nom et sa fonction : « Claire Martin, préfète des Hautes-Alpes ».",
    )
    citation = forms.CharField(
        label="Citation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ses mots, sans guillemets : le communiqué les met en italique, entre « ».",
    )

    def clean(self):
        data = super().clean()
        if data.get("citation", "").strip() and not data.get("citation_auteur"):
            self.add_error("citation_auteur", "Indiquez qui est cité, avec sa fonction.")
        return data


class AvisMediasForm(_EnteteDePresse):
    """An avis aux médias: a coming séance announced to the press."""

    texte = forms.CharField(
        label="Texte",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "Qui préside, quelle instance se réunit, quand et où. Séparez les paragraphes par "
            "une ligne vide."
        ),
    )
    acces_presse = forms.CharField(
        label="Accès de la presse",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Accréditation, contact, heure d'arrivée : imprimés sous « Accès presse ».",
    )
