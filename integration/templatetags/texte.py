"""French typography in templates: {{ personne|de }} gives "de Paul" or "d'Anne",
{{ jour|date_longue }} "1er janvier 2026", {{ moment|heure }} "9 h 30"."""

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


@register.filter
def de_structure(valeur) -> str:
    """{{ acteur.nom|de_structure }}: "de l'Association…", "du Conseil…", "de la Ville…"."""
    return text.de_structure(valeur)


@register.filter
def date_longue(valeur, option: str = "") -> str:
    """{{ jour|date_longue }}: "1er janvier 2026"; {{ jour|date_longue:"jour" }}: "lundi 1er
    janvier 2026"; an empty value stays empty."""
    if not valeur:
        return ""
    return text.date_longue(valeur, jour_de_la_semaine=option == "jour")


@register.filter
def date_heure(valeur, option: str = "") -> str:
    """{{ moment|date_heure }}: "1er janvier 2026 à 9 h 30" (with "jour": "lundi 1er…")."""
    if not valeur:
        return ""
    return text.date_et_heure(valeur, jour_de_la_semaine=option == "jour")


@register.filter
def heure(valeur) -> str:
    """{{ moment|heure }}: "9 h 30", "14 h"."""
    return text.heure(valeur) if valeur else ""
