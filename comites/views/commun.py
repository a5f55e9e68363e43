"""What the comités' pages share: their context, a séance's convocations in the order the
pages list them. Their side forms run through `integration.vues.traiter_en_place`."""


def contexte_page(title, **kwargs):
    return {"title": title, "section": "comites", **kwargs}


def convocations_triees(seance):
    return seance.convocations.select_related("personne", "acteur", "envoi").order_by(
        "personne__nom"
    )
