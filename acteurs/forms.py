"""Forms of the actors' registry and of the accounts."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm


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
