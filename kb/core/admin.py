"""Admin base for publishable content: the curation actions every content type shares."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from kb.core.forms import URL_FIELD_OPTIONS
from kb.core.models import Status
from kb.core.permissions import can_publish


class ContentAdmin(admin.ModelAdmin):
    """Publish, unpublish, feature and unfeature in bulk, for those who may publish."""

    list_filter = ["status", "featured", "tags"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish", "feature", "unfeature"]
    list_select_related = True
    list_per_page = 50
    formfield_overrides = {models.URLField: URL_FIELD_OPTIONS}

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return can_publish(request.user, self.model)

    def _report(self, request: HttpRequest, count: int, verb: str) -> None:
        noun = self.model._meta.verbose_name if count == 1 else self.model._meta.verbose_name_plural
        self.message_user(request, f"{count} {noun} {verb}.", messages.SUCCESS)

    @admin.action(description="Publish selected items", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Select by primary key first: the changelist filter (e.g. status=draft) would
        # otherwise stop matching the rows half-way through.
        pks = list(queryset.exclude(status=Status.PUBLISHED).values_list("pk", flat=True))
        rows = self.model._default_manager.filter(pk__in=pks)
        count = rows.update(status=Status.PUBLISHED)
        rows.filter(published_at__isnull=True).update(published_at=timezone.now())
        self._report(request, count, "published")

    @admin.action(description="Unpublish selected items (back to draft)", permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.filter(status=Status.PUBLISHED).update(status=Status.DRAFT, featured=False)
        self._report(request, count, "unpublished")

    @admin.action(description="Feature selected items", permissions=["publish"])
    def feature(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._report(request, queryset.filter(featured=False).update(featured=True), "featured")

    @admin.action(description="Stop featuring selected items", permissions=["publish"])
    def unfeature(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._report(request, queryset.filter(featured=True).update(featured=False), "unfeatured")
