"""What the comités' pages share: their context, a form's errors as one message, a
séance's convocations in the order the pages list them."""


def contexte_page(title, **kwargs):
    return {"title": title, "section": "comites", **kwargs}


def erreurs_du_formulaire(form) -> str:
    return " ".join(f"{form.fields[f].label if f in form.fields else ''} : {e}".lstrip(" :")
                    for f, errs in form.errors.items() for e in errs)  # fmt: skip


def convocations_triees(seance):
    return seance.convocations.select_related("personne", "acteur", "envoi").order_by(
        "personne__nom"
    )
