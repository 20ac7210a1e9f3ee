"""Editors set how often each kind of content is reviewed, and can read who verified what."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest

from kb.core.registry import kinds
from kb.freshness.models import ReviewPolicy, Verification


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(admin.ModelAdmin):
    list_display = ["kind", "interval_months"]
    list_editable = ["interval_months"]
    list_display_links = ["kind"]
    fields = ["content_type", "interval_months"]
    list_select_related = ["content_type"]

    @admin.display(description="Kind of content", ordering="content_type__model")
    def kind(self, policy: ReviewPolicy) -> str:
        return str(policy)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "content_type":
            types = ContentType.objects.get_for_models(*[model for model, _ in kinds()])
            kwargs["queryset"] = ContentType.objects.filter(pk__in=[t.pk for t in types.values()])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # A policy belongs to its kind for life; change the interval, not the kind.
        return ["content_type"] if obj else []


@admin.register(Verification)
class VerificationAdmin(admin.ModelAdmin):
    """The history of "still accurate": kept as it happened, so read-only."""

    list_display = ["__str__", "item_title", "content_type", "verified_by", "review_by"]
    list_filter = ["content_type", "verified_at"]
    list_select_related = ["content_type", "verified_by"]
    date_hierarchy = "verified_at"

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("item")

    @admin.display(description="Item")
    def item_title(self, verification: Verification) -> str:
        item = verification.item
        return str(item) if item is not None else f"(deleted #{verification.object_id})"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
