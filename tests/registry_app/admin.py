from django.contrib import admin

from kb.content.admin import ContentAdmin
from tests.registry_app.models import Finding


@admin.register(Finding)
class FindingAdmin(ContentAdmin):
    list_display = ["title", "owner", "status", "featured", "published_at"]
    search_fields = ["title", "summary"]
