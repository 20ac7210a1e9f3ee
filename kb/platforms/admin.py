from django.contrib import admin
from django.db import models

from kb.core.forms import URL_FIELD_OPTIONS
from kb.platforms.models import Platform


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "internal", "url"]
    list_filter = ["internal"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: URL_FIELD_OPTIONS}
