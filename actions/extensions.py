"""Sections that higher layers add to an action's page, without the plan importing them.

The comités app (above the plan) registers the decisions its séances took about an action;
the action's page renders every registered section. Each section is a callable
(user, action) -> (template name, context) or None when it has nothing to show that user.
"""

from collections.abc import Callable

from django.template.loader import render_to_string

Section = Callable[[object, object], tuple[str, dict] | None]
SECTIONS_DE_L_ACTION: list[Section] = []


def ajouter_section(section: Section) -> None:
    if section not in SECTIONS_DE_L_ACTION:
        SECTIONS_DE_L_ACTION.append(section)


def sections(request, action) -> list[str]:
    """The registered sections USER may see, rendered (their templates escape user text)."""
    return [
        render_to_string(template, contexte, request)
        for section in SECTIONS_DE_L_ACTION
        if (rendu := section(request.user, action))
        for template, contexte in [rendu]
    ]
