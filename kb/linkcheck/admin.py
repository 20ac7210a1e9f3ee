"""The link checker's results in the admin of every kind that declares a source URL:
a "Link" column and filter on the changelist, and the last check on the change form.

``ContentAdmin`` takes in ``SourceLinkAdminMixin``, which does nothing for kinds without
a source URL, so a new kind with one gets all this from its declaration alone.
"""

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.timezone import localtime

from kb.linkcheck.models import LinkCheck, source_url_field, with_link_state


class LinkStateFilter(admin.SimpleListFilter):
    title = "link"
    parameter_name = "link"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("broken", "Broken"), ("ok", "OK"), ("unchecked", "Unchecked")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        # link_reason: None when unchecked, "" when it worked, the reason when broken.
        match self.value():
            case "broken":
                return queryset.filter(link_reason__gt="")
            case "ok":
                return queryset.filter(link_reason="")
            case "unchecked":
                return queryset.filter(link_reason__isnull=True)
        return queryset


def describe_check(check: LinkCheck | None) -> str:
    if check is None:
        return "Not checked yet."
    checked = date_format(localtime(check.checked_at), "DATETIME_FORMAT")
    if check.is_broken:
        since = date_format(localtime(check.broken_since), "DATE_FORMAT")
        return f"Broken when checked on {checked}: {check.reason} (broken since {since})."
    if check.moved_permanently:
        return f"Works; checked on {checked}. It has moved permanently to {check.final_url}"
    return f"Works; checked on {checked}."


class SourceLinkAdminMixin:
    """For a ModelAdmin of content: whether its source link worked when last checked."""

    def has_source_link(self) -> bool:
        return source_url_field(self.model) is not None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        return with_link_state(queryset) if self.has_source_link() else queryset

    def get_list_display(self, request: HttpRequest):
        display = super().get_list_display(request)
        return [*display, "link_state"] if self.has_source_link() else display

    def get_list_filter(self, request: HttpRequest):
        filters = super().get_list_filter(request)
        return [*filters, LinkStateFilter] if self.has_source_link() else filters

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "source_link_check"] if self.has_source_link() else fields

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_source_link():
            return fieldsets
        if "source_link_check" in flatten_fieldsets(fieldsets):  # no fieldsets declared
            return fieldsets
        return [*fieldsets, ("Source link", {"fields": ["source_link_check"]})]

    @admin.display(description="Link", ordering="link_reason")
    def link_state(self, obj) -> str:
        reason = getattr(obj, "link_reason", None)
        if reason is None:
            return "Unchecked"
        return f"Broken: {reason}" if reason else "OK"

    @admin.display(description="Last check")
    def source_link_check(self, obj) -> str:
        return describe_check(LinkCheck.objects.current(obj).first())
