"""Login throttling helpers."""


def axes_username(request, credentials=None) -> str:
    """The login e-mail, lower-cased, so that case variants share one failure counter."""
    source = credentials if credentials is not None else getattr(request, "data", request.POST)
    return (source.get("username") or "").strip().lower()
