"""Notifications in the admin: for looking into what someone was told, not for writing."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kb.notifications.models import Notification


class ReadFilter(admin.SimpleListFilter):
    title = "read"
    parameter_name = "read"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("yes", "Read"), ("no", "Unread")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "recipient", "verb", "created_at", "is_read"]
    list_filter = ["verb", ReadFilter]
    search_fields = [
        "target_title",
        "message",
        "recipient__username",
        "recipient__last_name",
        "actor__username",
        "actor__last_name",
    ]
    list_select_related = ["recipient", "actor"]
    date_hierarchy = "created_at"
    list_per_page = 50

    @admin.display(boolean=True, description="Read", ordering="read_at")
    def is_read(self, notification: Notification) -> bool:
        return not notification.is_unread

    # Notifications are made by the site's own events; the admin may look and delete.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False
