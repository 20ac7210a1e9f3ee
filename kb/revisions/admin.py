"""Saving content in the admin makes a revision too, and a stale admin form is refused.

The admin saves through the same service as the site (kb.revisions.services.edit_begin):
the version check, the trash check and keeping what workflow actions changed meanwhile.
"""

import copy

from django import forms
from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from kb.core.forms import VersionedForm
from kb.revisions.models import Revision
from kb.revisions.services import EditConflict, ItemInTrash, edit_begin, revision_record
from kb.workflow.admin import WorkflowContentAdmin

STALE_ADMIN_FORM = (
    "Someone saved this item after you opened it. Nothing has been saved; your changes are "
    "still below. Open the item's history in another tab to see what changed, then save "
    "again to keep your version."
)


class VersionedAdminForm(VersionedForm):
    """The admin's edit form is refused, like the site's, when it started from an old version."""

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk and not self.errors:
            # The admin saves inside one transaction, so the row lock taken here holds
            # until save_model writes; the check is the site's, on a copy of the instance
            # (the form fills in the real one after clean).
            probe = copy.copy(self.instance)
            try:
                edit_begin(
                    instance=probe,
                    changed=self.changed_data,
                    base_version=cleaned.get("base_version"),
                )
            except ItemInTrash as gone:
                raise forms.ValidationError(str(gone), code="trashed") from gone
            except EditConflict as conflict:
                # Saving this form again is then a deliberate "keep mine".
                self.data = self.data.copy()
                self.data["base_version"] = str(conflict.current.version)
                raise forms.ValidationError(STALE_ADMIN_FORM, code="stale") from conflict
        return cleaned


class RevisionedContentAdmin(WorkflowContentAdmin):
    form = VersionedAdminForm

    def get_fieldsets(self, request: HttpRequest, obj=None):
        return [*super().get_fieldsets(request, obj), (None, {"fields": ["base_version"]})]

    def save_model(self, request: HttpRequest, obj, form: ModelForm, change: bool) -> None:
        if change:
            edit_begin(
                instance=obj,
                changed=form.changed_data,
                base_version=form.cleaned_data.get("base_version"),
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        revision_record(
            item=form.instance,
            user=request.user,
            message="Edited in the admin" if change else "Created in the admin",
        )


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "content_type", "object_id", "number", "author", "message"]
    list_filter = ["content_type"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type", "author"]
    readonly_fields = [
        "content_type",
        "object_id",
        "number",
        "data",
        "author",
        "message",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
