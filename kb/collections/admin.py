"""Briefs and learning paths in the admin: the collections with their items inline (order
by the position column), and the audiences editors keep."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from kb.collections.models import MAX_ITEMS, Audience, Collection, CollectionItem
from kb.content.admin import ContentAdmin
from kb.core.registry import kinds


def _kind_content_types() -> list[int]:
    models = [model for model, _ in kinds()]
    return [ct.pk for ct in ContentType.objects.get_for_models(*models).values()]


class CollectionItemAdminForm(forms.ModelForm):
    class Meta:
        model = CollectionItem
        fields = ["position", "content_type", "object_id", "note"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "content_type" in self.fields:
            self.fields["content_type"].queryset = ContentType.objects.filter(
                pk__in=_kind_content_types()
            )
            self.fields["content_type"].label = "Kind"
        if "object_id" in self.fields:
            self.fields["object_id"].label = "Item id"

    def clean(self) -> dict:
        cleaned = super().clean()
        content_type, object_id = cleaned.get("content_type"), cleaned.get("object_id")
        if content_type and object_id:
            model = content_type.model_class()
            if model is None or not model.all_objects.filter(pk=object_id).exists():
                self.add_error("object_id", f"There is no {content_type.name} with this id.")
            elif self.instance.collection_id and (
                model is Collection and object_id == self.instance.collection_id
            ):
                self.add_error("object_id", "A collection cannot include itself.")
        return cleaned


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    form = CollectionItemAdminForm
    extra = 1
    max_num = MAX_ITEMS
    ordering = ["position", "pk"]


@admin.register(Collection)
class CollectionAdmin(ContentAdmin):
    list_display = ["title", "kind", "audience", "status", "featured", "published_at", "created_by"]
    list_filter = ["status", "kind", "audience", "featured", "tags"]
    search_fields = ["title", "purpose"]
    autocomplete_fields = ["created_by"]
    inlines = [CollectionItemInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "audience", "purpose", "introduction"]}),
        ("Publishing", {"fields": ["status", "featured", "published_at", "tags", "created_by"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "description", "collection_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(collection_count=Count("collections"))

    @admin.display(description="Briefs and paths", ordering="collection_count")
    def collection_count(self, audience: Audience) -> int:
        return audience.collection_count
