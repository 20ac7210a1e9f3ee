"""Comments in the admin: find them by text, see what they are on, hide or unhide in bulk."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from kb.comments.models import Comment, commentable_types
from kb.core import fragments

ADMIN_HIDE_REASON = "Hidden from the admin"


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "target_link", "author", "created_at", "is_hidden"]
    list_filter = [
        ("hidden_at", admin.EmptyFieldListFilter),
        ("deleted_at", admin.EmptyFieldListFilter),
        "content_type",
        "created_at",
    ]
    search_fields = ["body"]
    list_select_related = ["author"]
    date_hierarchy = "created_at"
    raw_id_fields = ["author", "parent"]
    readonly_fields = [
        "target_link",
        "created_at",
        "edited_at",
        "hidden_at",
        "hidden_by",
        "deleted_at",
    ]
    actions = ["hide", "unhide"]
    list_per_page = 50

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "content_type":
            kwargs["queryset"] = db_field.remote_field.model.objects.filter(commentable_types())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # One query per kind of item for the "on" column, not one per row.
        return super().get_queryset(request).prefetch_related("target")

    @admin.display(description="on")
    def target_link(self, comment: Comment) -> str:
        target = comment.target
        if target is None:
            return "—"
        return format_html('<a href="{}">{}</a>', target.get_absolute_url(), target)

    @admin.display(description="hidden", boolean=True, ordering="hidden_at")
    def is_hidden(self, comment: Comment) -> bool:
        return comment.hidden_at is not None

    def _report(self, request: HttpRequest, count: int, verb: str) -> None:
        noun = "comment" if count == 1 else "comments"
        self.message_user(request, f"{count} {noun} {verb}.", messages.SUCCESS)

    @admin.action(description="Hide selected comments", permissions=["change"])
    def hide(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.filter(hidden_at__isnull=True).update(
            hidden_at=timezone.now(), hidden_by=request.user, hidden_reason=ADMIN_HIDE_REASON
        )
        fragments.changed()  # update() sends no signal; cards count the comments shown
        self._report(request, count, "hidden")

    @admin.action(description="Unhide selected comments", permissions=["change"])
    def unhide(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.filter(hidden_at__isnull=False).update(
            hidden_at=None, hidden_by=None, hidden_reason=""
        )
        fragments.changed()
        self._report(request, count, "unhidden")
