"""Assembling a collection: its description, and its items as an inline formset.

An item is given by its address in the KB (what a reader copies from the address bar;
the form offers the published items as suggestions), checked against what the author may
see. Order is a number per row, which works without JavaScript; a row given a new number
goes before a row that already had it, so typing 1 moves an item to the top, and the
positions are then renumbered 1, 2, 3… (collection.js only fills the numbers in).
"""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.forms.models import BaseInlineFormSet
from django.urls import Resolver404, resolve

from kb.collections.entries import fetch_items
from kb.collections.models import MAX_ITEMS, NOTE_MAX_LENGTH, Collection, CollectionItem
from kb.core.forms import ContentForm
from kb.core.models import Content
from kb.core.permissions import AnyUser
from kb.core.registry import kinds
from kb.core.templatetags.kb import type_name

UNKNOWN_ITEM = "There is no item you can see at this address in the KB."
MAX_POSITION = 1_000
SUGGESTIONS_PER_KIND = 200


class CollectionForm(ContentForm):
    MARKDOWN_FIELDS = ("introduction",)

    class Meta(ContentForm.Meta):
        model = Collection
        fields = [
            "title", "kind", "audience", "purpose", "introduction", "tags", "featured",
            "published_at",
        ]  # fmt: skip
        widgets = {
            "kind": forms.RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "published_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience"].empty_label = "Choose an audience"


def _known_hosts() -> set[str]:
    hosts = {urlsplit(settings.SITE_URL).hostname or ""}
    hosts.update(host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*")
    return {host.lower() for host in hosts if host}


def item_at(address: str) -> Content | None:
    """The item (of any registered kind, trash included) whose page is at ``address``:
    a path ("/case-studies/…/") or a full URL of this KB."""
    try:
        parts = urlsplit(address.strip())
    except ValueError:
        return None
    if parts.scheme not in ("", "http", "https"):
        return None
    if parts.hostname and parts.hostname.lower() not in _known_hosts():
        return None
    try:
        match = resolve(parts.path or "/")
    except (Resolver404, ValueError):
        return None
    slug = match.kwargs.get("slug")
    if match.url_name != "detail" or not slug:
        return None
    for model, kind in kinds():
        if kind.list_url.partition(":")[0] == match.namespace:
            return model.all_objects.filter(slug=slug).first()
    return None


class CollectionItemForm(forms.ModelForm):
    address = forms.CharField(
        label="Item address",
        max_length=500,
        help_text="The address of its page in the KB; start typing a title for suggestions.",
        widget=forms.TextInput(attrs={"list": "collection-item-choices", "autocomplete": "off"}),
    )
    position = forms.IntegerField(
        min_value=1,
        max_value=MAX_POSITION,
        required=False,
        help_text="1 comes first; leave empty to put it last.",
        widget=forms.NumberInput(attrs={"class": "position-input"}),
    )

    class Meta:
        model = CollectionItem
        fields = ["address", "note", "position"]
        widgets = {"note": forms.TextInput(attrs={"maxlength": NOTE_MAX_LENGTH})}

    def __init__(self, *args, user: AnyUser, current: Content | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.current = current  # the item this row points at now, if it still exists
        if current is not None:
            self.initial.setdefault("address", current.get_absolute_url())
            if current.can_view(user):  # never name an item this author may not open
                self.fields["address"].help_text = f"Now: {type_name(current)} “{current}”."
        self.target: Content | None = None

    def clean_address(self) -> str:
        address = self.cleaned_data["address"].strip()
        if self.current is not None and address == self.initial.get("address"):
            self.target = self.current  # kept as it was, seen now or not
            return address
        item = item_at(address)
        if item is None or not item.can_view(self.user):
            raise forms.ValidationError(UNKNOWN_ITEM, code="unknown_item")
        collection = self.instance.collection if self.instance.collection_id else None
        if collection is not None and isinstance(item, Collection) and item.pk == collection.pk:
            raise forms.ValidationError("A collection cannot include itself.", code="itself")
        self.target = item
        return address

    def clean_note(self) -> str:
        return " ".join(self.cleaned_data["note"].split())  # one line


class BaseCollectionItemFormSet(BaseInlineFormSet):
    """The items of a collection, with the author to check what they may add."""

    needs_user = True

    def __init__(self, *args, user: AnyUser, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        rows = list(self.get_queryset()) if self.instance.pk else []
        self._current = fetch_items(rows, lambda model: model.all_objects, headlines=False)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"

    def get_form_kwargs(self, index: int) -> dict:
        kwargs = {**super().get_form_kwargs(index), "user": self.user}
        if index is not None and index < self.initial_form_count():
            row = self.get_queryset()[index]
            kwargs["current"] = self._current.get(row.key)
        return kwargs

    def clean(self) -> None:
        super().clean()
        self.ordered: list[CollectionItemForm] = []
        if any(self.errors):
            return
        live = [
            (index, form)
            for index, form in enumerate(self.forms)
            if (form.has_changed() or form.instance.pk)
            and not self._should_delete_form(form)
            and form.cleaned_data
        ]
        if len(live) > MAX_ITEMS:
            raise forms.ValidationError(f"A collection holds at most {MAX_ITEMS} items.")
        seen = set()
        for _, form in live:
            key = (form.target._meta.label, form.target.pk)
            if key in seen:
                raise forms.ValidationError(f"“{form.target}” is in this collection twice.")
            seen.add(key)

        def place(entry: tuple[int, CollectionItemForm]) -> tuple[int, int, int]:
            index, form = entry
            moved = "position" in form.changed_data
            return (form.cleaned_data.get("position") or MAX_POSITION + 1, 0 if moved else 1, index)

        self.ordered = [form for _, form in sorted(live, key=place)]
        for number, form in enumerate(self.ordered, start=1):
            form.cleaned_data["position"] = number

    def save(self, commit: bool = True) -> list[CollectionItem]:
        """Write the list afresh: rows carry nothing but their place, item and note (a
        reader's progress is kept by item), and rewriting them all lets two rows swap items
        without a moment where one item is in the collection twice."""
        self.instance.items.all().delete()
        rows = [
            CollectionItem(
                collection=self.instance,
                content_type=ContentType.objects.get_for_model(form.target),
                object_id=form.target.pk,
                position=form.cleaned_data["position"],
                note=form.cleaned_data["note"],
            )
            for form in self.ordered
        ]
        return CollectionItem.objects.bulk_create(rows)

    def suggestions(self) -> list[tuple[str, str]]:
        """Published items of every kind, as (address, "Kind: title"), for the datalist."""
        found = []
        for model, kind in kinds():
            items = model.objects.published().only("title", "slug").order_by("-published_at")
            found.extend(
                (item.get_absolute_url(), f"{kind.label}: {item.title}")
                for item in items[:SUGGESTIONS_PER_KIND]
            )
        return found


CollectionItemFormSet = forms.inlineformset_factory(
    Collection,
    CollectionItem,
    form=CollectionItemForm,
    formset=BaseCollectionItemFormSet,
    fields=["address", "note", "position"],
    extra=3,
    max_num=MAX_ITEMS,
    validate_max=True,
    can_delete=True,
)
