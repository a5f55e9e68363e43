"""French typography in templates: {{ personne|de }} gives "de Paul" or "d'Anne"."""

from django import template
from django.utils.safestring import mark_safe

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


@register.filter
def paragraphes(valeur) -> str:
    """{{ texte|paragraphes }}: typed paragraphs and « - » lists as <p> and <ul>, every
    piece escaped (integration.text.paragraphes_html)."""
    return mark_safe(text.paragraphes_html(str(valeur) if valeur is not None else ""))  # noqa: S308
