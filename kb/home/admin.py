"""The topics' admin: editors merge and rename tags (every tagged item is re-tagged and
re-indexed) and see which tags repeat a platform's name."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count
from django.http import HttpRequest
from django.template.response import TemplateResponse
from taggit.models import Tag

from kb.home.tagging import platform_named_tags, tag_merge, tag_renamed

admin.site.unregister(Tag)  # taggit's own: its merge keeps the old tags and skips search


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        label="Keep this tag",
        help_text="The others are deleted; what carried them carries this one instead.",
    )

    def __init__(self, *args, tags, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = tags


class RepeatsPlatformFilter(admin.SimpleListFilter):
    title = "repeats a platform"
    parameter_name = "platform"

    def lookups(self, request, model_admin):
        return [("yes", "Yes")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=platform_named_tags())
        return queryset


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "uses", "repeats_platform"]
    ordering = ["name", "slug"]
    search_fields = ["name", "slug"]
    list_filter = [RepeatsPlatformFilter]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(_uses=Count("core_taggeditem_items"))

    def changelist_view(self, request: HttpRequest, extra_context=None):
        self._platform_tags = platform_named_tags()  # one read per page, not one per row
        if self._platform_tags and request.method == "GET":
            names = ", ".join(
                sorted(
                    Tag.objects.filter(pk__in=self._platform_tags).values_list("name", flat=True)
                )
            )
            messages.warning(
                request,
                f"These tags repeat a platform's name: {names}. Name the platform in an "
                "item's platforms instead, and merge or delete the tag.",
            )
        return super().changelist_view(request, extra_context)

    @admin.display(description="uses", ordering="_uses")
    def uses(self, tag: Tag) -> int:
        return tag._uses

    @admin.display(description="repeats a platform")
    def repeats_platform(self, tag: Tag) -> str:
        return getattr(self, "_platform_tags", {}).get(tag.pk, "")

    def save_model(self, request, obj: Tag, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and {"name", "slug"} & set(form.changed_data):
            tag_renamed(obj)

    @admin.action(description="Merge the selected tags into one…")
    def merge(self, request: HttpRequest, queryset):
        tags = queryset.order_by("-_uses", "name")
        if tags.count() < 2:
            self.message_user(request, "Select at least two tags to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, tags=tags)
        if form.is_valid():
            target = form.cleaned_data["target"]
            merged = [tag.name for tag in tags if tag.pk != target.pk]
            moved = tag_merge(target=target, tags=list(tags))
            self.message_user(
                request,
                f"Merged {', '.join(merged)} into “{target.name}”: {moved} item"
                f"{'s' if moved != 1 else ''} re-tagged.",
                messages.SUCCESS,
            )
            return None
        if form.is_bound:
            self.message_user(request, "Choose the tag to keep.", messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge tags",
            "opts": self.model._meta,
            "form": form if form.is_bound else MergeForm(initial={"target": tags[0].pk}, tags=tags),
            "tags": tags,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/taggit/tag/merge.html", context)
