"""Searching the reference territories and choosing one in a form.

`rechercher()` serves the search-as-you-type; `TerritoireField` lets a form pick a
territory, with live suggestions when JavaScript runs and a server-side resolution of
what was typed when it does not.
"""

import json
import re

from django import forms
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse

from acteurs.models import Departement, Territoire
from acteurs.referentiel import SEPARATEUR
from integration.text import chiffres, search_key

# --- Search -----------------------------------------------------------------------------


def _pk(departement):
    return getattr(departement, "pk", departement)


def rechercher(texte: str, departement, types=("commune",), limite: int = 10) -> list[Territoire]:
    """Territories of DEPARTEMENT matching TEXTE: by name (accents and case ignored),
    INSEE/SIREN code or postal code. Starts-with first, then the most populated."""
    q = search_key(texte)
    brut = (texte or "").strip().upper()
    if not q or departement is None:
        return []
    debut = Q(nom_recherche__startswith=q)
    if re.fullmatch(r"[0-9][0-9AB][0-9]*", brut):
        debut |= Q(code__startswith=brut)
        if chiffres(brut):
            debut |= Q(codes_postaux__startswith=brut) | Q(
                codes_postaux__contains=SEPARATEUR + brut
            )
    qs = (
        Territoire.objects.filter(departements=_pk(departement), type__in=list(types))
        .filter(debut | Q(nom_recherche__contains=q))
        .annotate(
            rang=Case(When(debut, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("rang", F("population").desc(nulls_last=True), "nom", "code")
        .only("type", "code", "nom", "codes_postaux", "population")
    )
    return list(qs[:limite])


def libelle(territoire: Territoire) -> str:
    """ "Gap (05061)": what a suggestion fills in and what the field reads back."""
    return f"{territoire.nom} ({territoire.code})"


# --- Form field -------------------------------------------------------------------------

_NOMS = {
    # type -> (singular, plural, "Aucun"/"Aucune", code name)
    "commune": ("commune", "communes", "Aucune", "le code INSEE"),
    "epci": ("EPCI", "EPCI", "Aucun", "le SIREN"),
    "departement": ("département", "départements", "Aucun", "le code"),
}


def du_departement(departement) -> str:
    """ "de la Seine-Maritime", "des Hautes-Alpes": read from the préfet's title."""
    return departement.du_nom if departement is not None else ""


class TerritoireWidget(forms.TextInput):
    """A text input that asks the server for suggestions as one types (htmx).

    The suggestions land in a list right below the input (see the template);
    `static/js/territoires.js` lets one pick them with the mouse or the keyboard.
    """

    template_name = "acteurs/widgets/territoire.html"

    class Media:
        js = [forms.Script("js/territoires.js", defer=True)]

    def __init__(self, attrs=None, types=("commune",)):
        super().__init__(attrs)
        self.types = tuple(types)
        self.departement = None  # whose territories to suggest; the current one when None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        liste = f"{attrs.get('id') or 'id_' + name}-suggestions"
        attrs.update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-controls": liste,
                "aria-expanded": "false",
                "data-territoire": "",
                "hx-get": reverse("acteurs:territoires_recherche"),
                "hx-trigger": "input changed delay:250ms, search",
                "hx-target": f"#{liste}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
                # The input's own value travels under its name; "champ" tells the view
                # which parameter holds the query.
                "hx-vals": json.dumps(
                    {
                        "types": ",".join(self.types),
                        "champ": name,
                        **({"departement": _pk(self.departement)} if self.departement else {}),
                    }
                ),
            }
        )
        context["widget"]["suggestions_id"] = liste
        return context


class TerritoireField(forms.Field):
    """Choose a territory by typing its code, its label "Nom (code)" or its name.

    The form sets `field.departement` (the scope) in its __init__, and `types` if
    it wants EPCI or départements too. Works without JavaScript: whatever was typed is
    resolved here, with a clear message when it is ambiguous or unknown.
    """

    widget = TerritoireWidget

    def __init__(
        self,
        *,
        departement=None,
        types=("commune",),
        queryset=None,
        limit_choices_to=None,
        to_field_name=None,
        blank=None,
        **kwargs,
    ):
        # queryset, limit_choices_to, to_field_name and blank: what a ModelForm passes for
        # a ForeignKey when `field_classes = {"commune": TerritoireField}`.
        super().__init__(**kwargs)
        self.departement = departement
        self.types = types
        self.queryset = queryset if queryset is not None else Territoire.objects.all()
        if limit_choices_to and not callable(limit_choices_to):
            self.queryset = self.queryset.complex_filter(limit_choices_to)

    @property
    def departement(self):
        return self._departement

    @departement.setter
    def departement(self, valeur):
        # The widget asks for the suggestions of the form's département, which is not
        # always the one the user works on (an actor of another département is edited).
        self._departement = valeur
        self.widget.departement = valeur

    @property
    def types(self):
        return self._types

    @types.setter
    def types(self, valeur):
        self._types = tuple(valeur)
        self.widget.types = self._types

    def _portee(self):
        qs = self.queryset.filter(type__in=self.types)
        if self.departement is not None:
            qs = qs.filter(departements=_pk(self.departement))
        return qs

    def _departement_objet(self):
        if self.departement is None or isinstance(self.departement, Departement):
            return self.departement
        return Departement.objects.filter(pk=self.departement).first()

    def _mots(self):
        if len(self.types) == 1:
            return _NOMS[self.types[0]]
        return ("territoire", "territoires", "Aucun", "le code")

    def _liste(self, territoires, maximum=8) -> str:
        texte = ", ".join(libelle(t) for t in territoires[:maximum])
        return texte + ("…" if len(territoires) > maximum else "")

    def prepare_value(self, value):
        if isinstance(value, Territoire):
            return libelle(value)
        if isinstance(value, int):
            territoire = Territoire.objects.filter(pk=value).only("nom", "code").first()
            return libelle(territoire) if territoire else ""
        return value

    def to_python(self, value):
        if isinstance(value, Territoire):
            return value
        texte = " ".join(str(value or "").split())
        if not texte:
            return None
        portee = self._portee()
        singulier, _, aucun, _ = self._mots()

        # "Gap (05061)"; an EPCI name may end in brackets too: "CA Loire Forez (LFA)".
        etiquette = re.fullmatch(r"(?P<nom>.*?)\s*\((?P<code>[0-9][0-9ABab][0-9]{0,7})\)", texte)
        territoire = portee.filter(code=etiquette["code"].upper()).first() if etiquette else None
        if territoire is not None:
            code, nom = etiquette["code"].upper(), etiquette["nom"]
            if nom and search_key(nom) != search_key(territoire.nom):
                raise forms.ValidationError(
                    "Le code %(code)s est celui de %(vrai)s, pas de « %(nom)s ». "
                    "Choisissez dans la liste ou corrigez le nom.",
                    code="incoherent",
                    params={"code": code, "vrai": territoire.nom, "nom": nom},
                )
            return territoire

        code = texte.upper().replace(" ", "")
        if re.fullmatch(r"[0-9][0-9AB][0-9]{0,7}", code):
            territoire = portee.filter(code=code).first()
            if territoire is not None:
                return territoire
            if len(code) == 5 and chiffres(code):
                par_code_postal = list(
                    portee.filter(
                        Q(codes_postaux__startswith=code) | Q(codes_postaux__contains="|" + code)
                    ).order_by("nom")
                )
                par_code_postal = [
                    t for t in par_code_postal if code in t.codes_postaux.split(SEPARATEUR)
                ]
                if len(par_code_postal) == 1:
                    return par_code_postal[0]
                if par_code_postal:
                    raise self._ambigu(
                        "Plusieurs %(pluriel)s ont le code postal %(code)s : %(liste)s. "
                        "Précisez %(nom_du_code)s.",
                        par_code_postal,
                        code=code,
                    )
            raise self._inconnu(texte)

        q = search_key(texte)
        exacts = list(portee.filter(nom_recherche=q).order_by("code"))
        if len(exacts) == 1:
            return exacts[0]
        if exacts:
            raise self._ambigu(
                "Plusieurs %(pluriel)s portent ce nom : %(liste)s. Précisez %(nom_du_code)s.",
                exacts,
            )
        if self.departement is None:
            raise self._inconnu(texte)
        proches = rechercher(texte, self.departement, self.types, limite=9)
        if len(proches) > 1:
            raise self._ambigu(
                "Plusieurs %(pluriel)s correspondent à « %(texte)s » : %(liste)s. "
                "Précisez %(nom_du_code)s.",
                proches,
                texte=texte,
            )
        if proches:
            raise forms.ValidationError(
                "%(aucun)s %(singulier)s %(du)s ne s'appelle « %(texte)s ». "
                "Vouliez-vous dire %(proche)s ?",
                code="inconnu",
                params={
                    "aucun": aucun,
                    "singulier": singulier,
                    "du": du_departement(self._departement_objet()),
                    "texte": texte,
                    "proche": libelle(proches[0]),
                },
            )
        raise self._inconnu(texte)

    def _ambigu(self, message: str, territoires, **params) -> forms.ValidationError:
        """Several territories fit: list them with their codes so the user can choose."""
        _singulier, pluriel, _aucun, nom_du_code = self._mots()
        params.update(pluriel=pluriel, nom_du_code=nom_du_code, liste=self._liste(territoires))
        return forms.ValidationError(message, code="ambigu", params=params)

    def _inconnu(self, texte):
        singulier, _, aucun, _ = self._mots()
        du = du_departement(self._departement_objet())
        return forms.ValidationError(
            "%(aucun)s %(singulier)s%(du)s ne correspond à « %(texte)s ».",
            code="inconnu",
            params={
                "aucun": aucun,
                "singulier": singulier,
                "du": f" {du}" if du else "",
                "texte": texte,
            },
        )

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            nouveau = self.to_python(data)
        except forms.ValidationError:
            return True
        return _pk(initial) != _pk(nouveau)
