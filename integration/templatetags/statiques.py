"""Subresource integrity that matches what is served: {% integrite "dsfr/dist/dsfr/dsfr.min.css" %}.

django-dsfr's templates carry the hashes of its package's files, but in production the
manifest storage serves rewritten stylesheets: the browser would refuse them and every page
would lose the design system. Our copies of those templates (templates/dsfr/) use this tag.
"""

from django import template

from integration import statiques

register = template.Library()


@register.simple_tag
def integrite(nom: str) -> str:
    return statiques.integrite(nom)
