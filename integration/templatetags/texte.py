"""French typography in templates: {{ personne|de }} gives "de Paul" or "d'Anne"."""

from django import template

from integration import text

register = template.Library()


@register.filter
def de(valeur) -> str:
    return text.de(valeur)


@register.filter
def typo(valeur) -> str:
    """{{ texte|typo }}: French spaces before ; : ! ? and inside « ». The result is still
    escaped by the template, like any other value."""
    return text.typographie(str(valeur) if valeur is not None else "")
