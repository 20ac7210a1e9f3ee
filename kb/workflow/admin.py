"""The workflow in the admin: bulk publish/unpublish as recorded transitions, deleting as
moving to the trash, and a read-only log of transitions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from kb.core.admin import ContentAdmin
from kb.workflow.models import Action, Transition
from kb.workflow.services import TransitionError, content_transition, may_take


class WorkflowContentAdmin(ContentAdmin):
    actions = ["publish", "unpublish", *ContentAdmin.actions]

    def _transition_all(self, request: HttpRequest, queryset: QuerySet, action: str) -> int:
        # Select by primary key first: the changelist filter (e.g. status=draft) would
        # otherwise stop matching the rows half-way through.
        items = self.model._default_manager.filter(
            pk__in=list(queryset.values_list("pk", flat=True))
        )
        done = 0
        for item in items:
            if not may_take(item, action, request.user):
                continue
            try:
                content_transition(item=item, action=action, user=request.user)
            except (TransitionError, PermissionDenied):
                continue
            done += 1
        return done

    @admin.action(description="Publish selected items", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._report(request, self._transition_all(request, queryset, Action.PUBLISH), "published")

    @admin.action(description="Unpublish selected items", permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._transition_all(request, queryset, Action.UNPUBLISH)
        self._report(request, count, "unpublished")

    def delete_model(self, request: HttpRequest, obj) -> None:
        """Deleting moves the item to the trash, restorable for KB_TRASH_DAYS days."""
        content_transition(item=obj, action=Action.TRASH, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._transition_all(request, queryset, Action.TRASH)
        self.message_user(
            request,
            f"{count} moved to the trash; restore them from the site's Trash page.",
            messages.INFO,
        )


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "content_type", "object_id", "action", "actor", "to_status"]
    list_filter = ["action", "content_type"]
    search_fields = ["comment", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
