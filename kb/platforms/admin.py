from django.contrib import admin

from kb.platforms.models import Platform


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "internal", "url"]
    list_filter = ["internal"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
