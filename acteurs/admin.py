"""The technical administration: onboarding a département and its first pilotage account.

Day-to-day work (actors, members, invitations) happens in the application itself, where
the access rules apply and every change is journalled: here those tables are read-only.
What stays editable (a département, a user's habilitations) goes through the services,
which journal it too.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models

from acteurs import services
from acteurs.models import Acteur, Departement, Habilitation, Invitation, Membre, User
from acteurs.referentiel import charger_territoires
from integration.admin import LectureSeuleAdmin


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "titre_prefet", "chef_lieu"]
    search_fields = ["code", "nom"]
    # The prefecture's site typed without a scheme is read as https, as on its own form.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_delete_permission(self, request, obj=None):
        return False  # a tenant is never deleted: its actors and history point to it

    def save_model(self, request, obj, form, change):
        services.enregistrer_departement(obj, by=request.user)
        if not change:  # a new tenant gets its communes and EPCI at once
            bilan = charger_territoires({obj.code})
            nombre = sum(sum(c.values()) for c in bilan.par_departement.values())
            self.message_user(request, f"{nombre} territoires rattachés à {obj.nom}.")


class HabilitationForm(forms.ModelForm):
    class Meta:
        model = Habilitation
        fields = ["perimetre", "departement", "region", "role", "actif"]

    def clean(self):
        data = super().clean()
        self._verifier_portee(data)
        if self.instance.pk is None and not data.get("actif", True):
            raise forms.ValidationError(
                "Une habilitation se crée active : décochez « active » ensuite pour la retirer."
            )
        if self.instance.pk and not data.get("actif") and "role" in self.changed_data:
            raise forms.ValidationError(
                "Retirez l'habilitation ou changez son rôle, pas les deux à la fois."
            )
        if self.instance.pk and {"perimetre", "departement", "region"} & set(self.changed_data):
            raise forms.ValidationError(
                "Le périmètre d'une habilitation ne change pas : "
                "retirez-la et créez-en une pour l'autre périmètre."
            )
        return data

    def _verifier_portee(self, data) -> None:
        """Say in French what the database's constraint would refuse."""
        perimetre = data.get("perimetre")
        if perimetre == Habilitation.Perimetre.DEPARTEMENT and not data.get("departement"):
            self.add_error("departement", "Choisissez le département.")
        if perimetre == Habilitation.Perimetre.REGION and not data.get("region"):
            self.add_error("region", "Choisissez la région.")
        if perimetre != Habilitation.Perimetre.DEPARTEMENT:
            if refus := services.refus_de_portee(perimetre, data.get("role")):
                self.add_error("role", refus)
            data["departement"] = None
        if perimetre != Habilitation.Perimetre.REGION:
            data["region"] = ""


class HabilitationInline(admin.TabularInline):
    model = Habilitation
    form = HabilitationForm
    extra = 0
    can_delete = False  # retired (unchecked "active"), never deleted: the journal cites it


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [HabilitationInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Droits techniques", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated: memberships and the journal point to them

    def save_model(self, request, obj, form, change):
        services.enregistrer_compte(obj, by=request.user)  # journals a change of rights

    def save_formset(self, request, form, formset, change):
        if formset.model is not Habilitation:
            return super().save_formset(request, form, formset, change)
        # The services journal each grant, change of role and retirement.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for habilitation_form in formset.forms:
            if habilitation_form.has_changed():
                self._enregistrer_habilitation(request, form.instance, habilitation_form, formset)

    def _enregistrer_habilitation(self, request, user, habilitation_form, formset):
        data = habilitation_form.cleaned_data
        if habilitation_form.instance.pk is None:
            habilitation = services.habiliter(
                user,
                data["departement"],
                data["role"],
                by=request.user,
                perimetre=data["perimetre"],
                region=data["region"],
            )
            formset.new_objects.append(habilitation)
            return
        stockee = Habilitation.objects.get(pk=habilitation_form.instance.pk)
        if not data["actif"]:
            if stockee.actif:
                services.retirer_habilitation(stockee, by=request.user)
        else:
            services.habiliter(
                user,
                stockee.departement,
                data["role"],
                by=request.user,
                perimetre=stockee.perimetre,
                region=stockee.region,
            )
        formset.changed_objects.append((stockee, habilitation_form.changed_data))


@admin.register(Acteur)
class ActeurAdmin(LectureSeuleAdmin):
    list_display = ["nom", "sigle", "type", "departement", "statut", "archive_le"]
    list_filter = ["departement", "type", "statut"]
    search_fields = ["nom", "sigle", "siret"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as ActeurForm


@admin.register(Membre)
class MembreAdmin(LectureSeuleAdmin):
    list_display = ["user", "acteur", "role", "actif"]
    list_filter = ["role", "actif"]
    list_select_related = ["user", "acteur"]


@admin.register(Invitation)
class InvitationAdmin(LectureSeuleAdmin):
    list_display = ["email", "acteur", "departement", "envoyee_le", "expire_le", "acceptee_le"]
    list_filter = ["departement"]
    list_select_related = ["acteur", "departement"]
    search_fields = ["email"]
    exclude = ["jeton_hash"]  # a hash, but still nothing an operator needs to see
