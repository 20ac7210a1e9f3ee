from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from kb.advocates.forms import ProfilePhotoField
from kb.advocates.models import AdvocateProfile, Department, Handle
from kb.core.forms import URL_FIELD_OPTIONS


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "advocate_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(advocate_count=Count("advocates"))

    @admin.display(description="Advocates", ordering="advocate_count")
    def advocate_count(self, obj: Department) -> int:
        return obj.advocate_count


class HandleInline(admin.TabularInline):
    model = Handle
    formfield_overrides = {models.URLField: URL_FIELD_OPTIONS}
    extra = 1
    autocomplete_fields = ["platform"]


@admin.register(AdvocateProfile)
class AdvocateProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "department", "job_title", "open_to_help", "updated_at"]
    list_filter = ["department", "open_to_help", "platforms", "expertise"]
    list_select_related = ["user", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "job_title", "bio"]
    autocomplete_fields = ["user", "department", "platforms"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [HandleInline]
    formfield_overrides = {models.ImageField: {"form_class": ProfilePhotoField}}

    @admin.display(description="Name", ordering="user__first_name")
    def display_name(self, obj: AdvocateProfile) -> str:
        return obj.display_name
