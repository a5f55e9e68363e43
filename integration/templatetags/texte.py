"""French typography in templates: {{ personne|de }} gives "de Paul" or "d'Anne"."""

from django import template

from integration import text

register = template.Library()


@register.filter
def de(valeur) -> str:
    return text.de(valeur)
