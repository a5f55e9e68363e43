"""The public page that tells anyone whether a PDF is intact and who signed it (/verifier/).

Anyone may drop a PDF: the page says whether it carries a signature, whether the file is
still what was signed, by whom and when, and, when it is one of the signed documents this
service produced, what it is. It never says anything of an unsigned file, even one whose
hash matches a document of ours.

The verdict comes from `integration.signature.verifier_pdf`, which judges the file in a
child process with CPU, memory and wall-clock limits: green only when the préfecture's
certificate signed and nothing but archiving data (document security store, document
timestamps) followed. A body larger than the limit is refused on its announced length by
`TailleVerificationMiddleware`, before anything reads it (the CSRF check parses the form).
Checks are limited per client address (`integration.proxy`) in the cache: locmem by
default (a count per process), Redis shared by every process when CACHE_URL is set.
"""

from contextlib import contextmanager, suppress

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from integration.documents.registre import TypeInconnu, type_document
from integration.documents.services import objet_de
from integration.models import DocumentRequest
from integration.proxy import client_address
from integration.text import date_longue

TITRE = "Vérifier un document signé"
MEGA_OCTET = 1024 * 1024
# What the form's other fields and the multipart framing add to the file's own size (the
# token, the boundaries, the file's name): a file 1 KB over the limit is refused unread.
_MARGE_ENVOI = 1024


OCCUPE = (
    "Trop de documents sont en cours de vérification en ce moment : le vôtre n'a pas été "
    "vérifié. Réessayez dans une minute."
)


def taille_max_mo() -> int:
    return settings.VERIFICATION_TAILLE_MAX // MEGA_OCTET


def message_trop_gros() -> str:
    return (
        f"Le fichier dépasse {taille_max_mo()} Mo : il n'a pas été vérifié. "
        "Les documents signés de ce service sont bien plus légers ; vérifiez le fichier choisi."
    )


class VerificationForm(forms.Form):
    fichier = forms.FileField(
        label="Document PDF",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": "Choisissez le document PDF à vérifier.",
            "empty": "Le fichier déposé est vide.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].help_text = f"Format PDF, {taille_max_mo()} Mo au plus."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > settings.VERIFICATION_TAILLE_MAX:
            raise forms.ValidationError(message_trop_gros())
        return fichier


def _verification_permise(request) -> bool:
    """Count one check for the client; False beyond the limit of the window."""
    cle = f"verifier:{client_address(request) or 'inconnu'}"
    fenetre = settings.VERIFICATION_FENETRE
    cache.add(cle, 0, timeout=fenetre)  # the window starts with the first check
    try:
        nombre = cache.incr(cle)
    except ValueError:  # expired between the two calls
        cache.set(cle, 1, timeout=fenetre)
        nombre = 1
    return nombre <= settings.VERIFICATION_LIMITE


_CLE_EN_COURS = "verifier:en-cours"


@contextmanager
def place_de_verification():
    """True while this check holds one of the VERIFICATION_SIMULTANEES places of the whole
    site (counted in the cache), False when they are all taken.

    A web process waits for its check's child: past a few at once, every process would wait
    and the site would stop answering. The count expires on its own, should a process die
    holding a place."""
    duree = settings.VERIFICATION_DUREE_SECONDES + 60
    cache.add(_CLE_EN_COURS, 0, timeout=duree)
    try:
        en_cours = cache.incr(_CLE_EN_COURS)
    except ValueError:  # expired between the two calls
        cache.set(_CLE_EN_COURS, 1, timeout=duree)
        en_cours = 1
    try:
        yield en_cours <= settings.VERIFICATION_SIMULTANEES
    finally:
        with suppress(ValueError):  # expired meanwhile: nothing left to give back
            cache.decr(_CLE_EN_COURS)


def document_reconnu(sha256: str) -> dict | None:
    """What may be said publicly of the produced signed document with this hash.

    Only signed, produced documents are looked up: an unsigned one is never revealed."""
    document = (
        DocumentRequest.objects.filter(sha256=sha256, signed=True)
        .filter(status=DocumentRequest.Status.DONE)
        .select_related("content_type")
        .defer("html")
        .first()
    )
    if document is None:
        return None
    try:
        kind = type_document(document.kind)
    except TypeInconnu:
        return None
    objet = objet_de(document)
    if kind.description_publique is not None and objet is not None:
        # The kind says what the document is, with its own date (a feuille's signature).
        return {"description": kind.description_publique(objet)}
    produit_le = date_longue(document.finished_at)
    return {"description": f"{kind.libelle}, document produit le {produit_le}"}


def _contexte_page() -> dict:
    return {
        "title": TITRE,
        "taille_max_mo": taille_max_mo(),
        "limite_nombre": settings.VERIFICATION_LIMITE,
        "fenetre_minutes": max(1, settings.VERIFICATION_FENETRE // 60),
    }


def _longueur_annoncee(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:  # a malformed header: the form's own size check still holds
        return 0


class TailleVerificationMiddleware:
    """Refuses (413) a /verifier/ upload whose announced length exceeds the limit.

    A middleware, not the view: the CSRF check (a view hook, after every middleware's own
    pass) parses the whole multipart body first, and would read 20 MB and more."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and _longueur_annoncee(request) > settings.VERIFICATION_TAILLE_MAX + _MARGE_ENVOI
            and request.path_info == reverse("verifier")
        ):
            context = {**_contexte_page(), "form": VerificationForm()}
            context["trop_gros"] = message_trop_gros()
            reponse = render(request, "documents/verifier.html", context, status=413)
            add_never_cache_headers(reponse)
            return reponse
        return self.get_response(request)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def verifier(request):
    from integration.signature import Statut, verifier_pdf  # pyHanko, only when needed

    minutes = max(1, settings.VERIFICATION_FENETRE // 60)
    context = _contexte_page()
    if request.method != "POST":
        context["form"] = VerificationForm()
        return render(request, "documents/verifier.html", context)

    if not _verification_permise(request):
        context["form"] = VerificationForm()
        context["limite"] = (
            f"Vous avez vérifié {settings.VERIFICATION_LIMITE} documents en peu de temps. "
            f"Réessayez dans {minutes} minutes."
        )
        return render(request, "documents/verifier.html", context, status=429)

    form = VerificationForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "documents/verifier.html", context)
    fichier = form.cleaned_data["fichier"]
    with place_de_verification() as place:
        if not place:
            context["occupe"] = OCCUPE
            return render(request, "documents/verifier.html", context, status=503)
        verification = verifier_pdf(b"".join(fichier.chunks()))
    context["verification"] = verification
    context["nom_fichier"] = fichier.name
    if verification.statut == Statut.INTACT:
        # Found by the revision the préfecture signed: archiving data added since (a
        # document timestamp) changes the file's hash, not what was signed.
        context["reconnu"] = document_reconnu(verification.sha256_signe)
    context["form"] = VerificationForm()  # ready for another file
    return render(request, "documents/verifier.html", context)
