"""Editors curate the register here: domains inline, and each rating signed by who set it."""

from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest

from kb.sources.models import Source, SourceDomain


class SourceDomainInline(admin.TabularInline):
    model = SourceDomain
    extra = 1


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "rating", "domain_list", "items", "rated_by", "rated_at"]
    list_filter = ["rating", "kind"]
    search_fields = ["name", "domains__domain", "rationale"]
    readonly_fields = ["rated_by", "rated_at", "proposed_by", "created_at"]
    fields = ["name", "kind", "rating", "rationale", *readonly_fields]
    inlines = [SourceDomainInline]

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .select_related("rated_by")
            .prefetch_related("domains")
            .annotate(
                research_count=Count("research_links", distinct=True),
                case_study_count=Count("case_studies", distinct=True),
            )
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Source | None = None) -> list[str]:
        # Advocates propose sources unrated; only those who may rate set the rating.
        if Source.can_rate(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, "rating", "rationale"]

    def save_model(self, request: HttpRequest, obj: Source, form, change: bool) -> None:
        if {"rating", "rationale"} & set(form.changed_data):
            obj.record_rating(request.user)
        super().save_model(request, obj, form, change)

    @admin.display(description="Domains")
    def domain_list(self, obj: Source) -> str:
        return ", ".join(domain.domain for domain in obj.domains.all())

    @admin.display(description="Items (all states)")
    def items(self, obj: Source) -> int:
        return obj.research_count + obj.case_study_count
