"""Curating adoption: the stages' wording and order, and each department's history."""

from django.contrib import admin
from django.http import HttpRequest

from kb.departments.models import AdoptionStage, StageChange


@admin.register(AdoptionStage)
class AdoptionStageAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "description"]
    list_editable = ["position"]
    search_fields = ["name"]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["department", "stage", "changed_on", "note", "recorded_by"]
    list_filter = ["stage", "department"]
    list_select_related = ["department", "stage", "recorded_by"]
    search_fields = ["department__name", "note"]
    autocomplete_fields = ["department"]
    date_hierarchy = "changed_on"
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request: HttpRequest, obj: StageChange, form, change: bool) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
