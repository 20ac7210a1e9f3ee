"""Digests in the admin: each user's digest setting, and the digests recorded (read-only:
they are the record that stops a digest going out twice). Follows themselves are each
reader's own business and stay out of it."""

from django.contrib import admin

from kb.follows.models import Digest, DigestPreference


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "frequency", "updated_at"]
    list_filter = ["frequency"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "period_end", "item_count", "sent_at"]
    list_filter = ["frequency"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "period_start"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
