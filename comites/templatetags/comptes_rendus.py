"""The compte rendu as the séance page and its PDF show it: one filter for both."""

import html
import re

from django import template
from django.utils.safestring import mark_safe

from comites.services import nettoyer
from integration.text import paragraphes_html

register = template.Library()

# Minutes saved when the field took HTML: they keep their (sanitised) tags.
_BALISE = re.compile(r"<(p|h3|h4|ul|ol|li|br|strong|em|a)\b", re.IGNORECASE)


@register.filter
def compte_rendu(valeur) -> str:
    """Typed paragraphs and « - » lists as HTML, escaped; older HTML minutes cleaned again,
    so nothing written to the table by another way reaches the page or the PDF engine."""
    valeur = valeur or ""
    if _BALISE.search(valeur):
        return mark_safe(nettoyer(valeur))  # noqa: S308 - sanitised by nh3
    # Saved through nh3, which escapes « < » and « & »: read back as typed, escaped once.
    return mark_safe(paragraphes_html(html.unescape(valeur)))  # noqa: S308
