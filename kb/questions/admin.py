"""Curating questions: the trash (restore what an asker deleted) and moderation."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from kb.questions.models import Answer, Question, Routing


class RoutingInline(admin.TabularInline):
    model = Routing
    extra = 0
    autocomplete_fields = ["advocate"]


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0
    fields = ["author", "body", "hidden_at", "hidden_reason", "deleted_at"]
    autocomplete_fields = ["author"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "asker", "department", "private", "created_at", "answered_at"]
    list_filter = ["private", "department", "platform", "answered_at", "deleted_at", "hidden_at"]
    list_select_related = ["asker", "department"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["asker", "department", "platform"]
    readonly_fields = ["created_at", "most_useful"]
    inlines = [RoutingInline, AnswerInline]
    actions = ["restore"]

    @admin.action(description="Restore from the trash")
    def restore(self, request: HttpRequest, queryset: QuerySet) -> None:
        restored = 0
        for question in queryset.filter(deleted_at__isnull=False):
            question.deleted_at = None
            question.save(update_fields=["deleted_at"])  # save() so search hears of it
            restored += 1
        self.message_user(request, f"{restored} question(s) restored.", messages.SUCCESS)
