"""Following the links a page shows, as a user would: none may lead to a refusal."""

import html
import re

from django.urls import reverse

# Where a reader of every kind starts: the home page and each section's front page.
DEPARTS = ("/", "/acteurs/", "/comites/", "/plan-d-actions/", "/plan-d-actions/actions/")


def liens_refuses(client, perimetre: str) -> tuple[set[str], list[str]]:
    """(links followed, « page -> link » refused) for CLIENT's user once PERIMETRE is chosen:
    every link of the DEPARTS pages, opened once each (exports and static files aside)."""
    client.post(reverse("changer_departement"), {"perimetre": perimetre})
    suivis, refus = set(), []
    for depart in DEPARTS:
        page = client.get(depart)
        assert page.status_code == 200, depart
        for lien in set(re.findall(r'href="(/[^"#]*)"', page.content.decode())):
            lien = html.unescape(lien)
            if lien in suivis or lien.startswith("/static/") or "export" in lien:
                continue
            suivis.add(lien)
            if client.get(lien).status_code in (403, 404, 500):
                refus.append(f"{depart} -> {lien}")
    return suivis, refus
