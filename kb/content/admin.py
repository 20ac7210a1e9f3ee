"""The one admin class every content model registers with: curation on the same rules and
services as the site.

- Saving goes through kb.revisions.services, like the site's edit page: a form opened at
  an old version is refused (the version check and its row lock), an item in the trash
  cannot be saved, what a workflow action changed meanwhile is kept, and every save
  records a revision.
- Kinds that declare a source URL show whether its link worked when last checked.
- Publishing, unpublishing and deleting are workflow transitions (recorded, notified);
  deleting moves items to the trash. Featuring is a bulk action for those who may publish.
"""

import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from kb.core import fragments
from kb.core.forms import URL_FIELD_OPTIONS, VersionedForm
from kb.core.permissions import can_publish
from kb.freshness.services import review_after_edit
from kb.linkcheck.admin import SourceLinkAdminMixin
from kb.revisions.services import EditConflict, ItemInTrash, edit_begin, revision_record
from kb.workflow.models import Action
from kb.workflow.services import TransitionError, content_transition, may_take

STALE_ADMIN_FORM = (
    "Someone saved this item after you opened it. Nothing has been saved; your changes are "
    "still below. Open the item's history in another tab to see what changed, then save "
    "again to keep your version."
)


# Every kind's change form shows when the item is next reviewed and its own interval.
REVIEW_FIELDS = ["review_by", "review_interval_months"]


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


class ContentAdmin(SourceLinkAdminMixin, admin.ModelAdmin):
    form = VersionedAdminForm
    list_filter = ["status", "featured", "tags"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    # Status changes are workflow transitions (recorded, notified): actions, not a field.
    readonly_fields = ["status", "version", "created_at", "updated_at"]
    actions = ["publish", "unpublish", "feature", "unfeature"]
    list_per_page = 50
    formfield_overrides = {models.URLField: URL_FIELD_OPTIONS}

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        shown = {name for _, options in fieldsets for name in flatten(options["fields"])}
        review = [name for name in REVIEW_FIELDS if name not in shown]
        if review:
            fieldsets = [*fieldsets, ("Periodic review", {"fields": review})]
        return [*fieldsets, (None, {"fields": ["base_version"]})]

    def get_list_select_related(self, request: HttpRequest) -> list[str]:
        """Every foreign key the changelist shows. Django's ``True`` (and its guess when
        False) joins only non-null ones, and owners are nullable: a query per row."""
        return [
            name
            for name in self.get_list_display(request)
            if isinstance(name, str)
            and any(field.name == name and field.many_to_one for field in self.model._meta.fields)
        ]

    # Saving ---------------------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj, form: ModelForm, change: bool) -> None:
        if change:
            edit_begin(
                instance=obj,
                changed=form.changed_data,
                base_version=form.cleaned_data.get("base_version"),
            )
            review_after_edit(item=obj, changed=form.changed_data)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        revision_record(
            item=form.instance,
            user=request.user,
            message="Edited in the admin" if change else "Created in the admin",
        )

    # The workflow ---------------------------------------------------------------------

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return can_publish(request.user, self.model)

    def _report(self, request: HttpRequest, count: int, verb: str) -> None:
        noun = self.model._meta.verbose_name if count == 1 else self.model._meta.verbose_name_plural
        self.message_user(request, f"{count} {noun} {verb}.", messages.SUCCESS)

    def _transition_all(self, request: HttpRequest, queryset: QuerySet, action: str) -> int:
        # Select by primary key first: the changelist filter (e.g. status=draft) would
        # otherwise stop matching the rows half-way through.
        items = self.model._default_manager.filter(
            pk__in=list(queryset.values_list("pk", flat=True))
        )
        done = 0
        for item in items:
            if not may_take(item, action, request.user):
                continue
            try:
                content_transition(item=item, action=action, user=request.user)
            except (TransitionError, PermissionDenied):
                continue
            done += 1
        return done

    @admin.action(description="Publish selected items", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._report(request, self._transition_all(request, queryset, Action.PUBLISH), "published")

    @admin.action(description="Unpublish selected items", permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._transition_all(request, queryset, Action.UNPUBLISH)
        self._report(request, count, "unpublished")

    @admin.action(description="Feature selected items", permissions=["publish"])
    def feature(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.filter(featured=False).update(featured=True)
        fragments.changed()  # update() sends no signal
        self._report(request, count, "featured")

    @admin.action(description="Stop featuring selected items", permissions=["publish"])
    def unfeature(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.filter(featured=True).update(featured=False)
        fragments.changed()
        self._report(request, count, "unfeatured")

    def delete_model(self, request: HttpRequest, obj) -> None:
        """Deleting moves the item to the trash, restorable for KB_TRASH_DAYS days."""
        content_transition(item=obj, action=Action.TRASH, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._transition_all(request, queryset, Action.TRASH)
        self.message_user(
            request,
            f"{count} moved to the trash; restore them from the site's Trash page.",
            messages.INFO,
        )
