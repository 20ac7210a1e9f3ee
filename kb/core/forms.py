"""Form rules every content form shares: who may feature and schedule, the version the edit
started from, and sane tags. Status changes are not form fields: they go through the
workflow, which records who made each one.
"""

import copy

from django import forms
from django.db import models
from django.forms.renderers import Jinja2
from django.urls import reverse

from kb.core.models import REVIEW_INTERVAL_MAX_MONTHS
from kb.core.permissions import AnyUser, can_publish

MAX_TAGS = 20
MAX_TAG_LENGTH = 50


# How many of the newest items a related-items picker lists besides the chosen ones.
RECENT_CHOICES = 100


class ChosenAndRecentSelectMultiple(forms.SelectMultiple):
    """A multiple select over a model queryset that lists only the chosen items and the
    ``recent`` newest, by title. The form still accepts any item of the field's queryset
    (the editor's autocomplete finds them by title, kb.articles.views.related_options);
    listing every published item would make each edit page carry one option per item,
    seconds to render at 100,000 items."""

    recent = RECENT_CHOICES

    def optgroups(self, name: str, value: list, attrs=None) -> list:
        every = self.choices
        queryset = getattr(every, "queryset", None)
        if queryset is None:
            return super().optgroups(name, value, attrs)
        chosen = [pk for pk in value if str(pk).isdigit()]
        newest = queryset.order_by("-published_at", "-pk").values_list("pk", flat=True)
        shown = copy.copy(every)
        shown.queryset = queryset.filter(
            models.Q(pk__in=chosen) | models.Q(pk__in=list(newest[: self.recent]))
        )
        self.choices = shown
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = every


# URLs typed without a scheme get https:// (Django 6's default, adopted now).
URL_FIELD_OPTIONS = {"assume_scheme": "https"}


def https_url_fields(field: models.Field, **kwargs) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs = {**URL_FIELD_OPTIONS, **kwargs}
    return field.formfield(**kwargs)


# How often the item is reviewed, on every content form (see ContentForm).
REVIEW_INTERVAL_FIELD = "review_interval_months"

# Fields that workflow actions write too (unpublishing unfeatures, publishing dates).
WORKFLOW_FORM_FIELDS = ("featured", "published_at")


class VersionedForm(forms.ModelForm):
    """An edit form of content (on the site or in the admin) carries the version it was
    opened at, so a save over someone else's newer change is caught (optimistic locking).

    Workflow actions do not change the version, so the form also sends back the values it
    showed for the fields they write: what the user changed is measured against those, and
    a save never writes back a value an action replaced while the form was open.
    """

    base_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version
        for name in WORKFLOW_FORM_FIELDS:
            if name in self.fields:
                # A post without the shown values (a script, an old page) is measured
                # against the item as loaded, as before.
                self.fields[name].show_hidden_initial = not self.is_bound or self._sent_initial(
                    name
                )

    def _sent_initial(self, name: str) -> bool:
        prefix = self.add_initial_prefix(name)
        # Split widgets (the admin's date and time) send initial-<name>_0, _1.
        return any(key == prefix or key.startswith(f"{prefix}_") for key in self.data)


PICK_SEVERAL = "Hold Ctrl (⌘ on a Mac) and click to pick several; type to find one."


def suggest_tags(field: forms.Field) -> None:
    """Mark a comma-separated tag field for suggestions of existing tags as one types
    (``static/js/forms.js``; without JavaScript it is a plain text field)."""
    field.widget.attrs.update({"data-tag-suggest": reverse("tag_suggest"), "autocomplete": "off"})


class ContentForm(VersionedForm):
    """Only those who may publish feature and schedule; every edit must say its version."""

    # The Markdown fields the editor works on: an image added on the form without
    # JavaScript goes at the end of one of them (see kb.content.editing).
    MARKDOWN_FIELDS: tuple[str, ...] = ()
    # Django's own widget templates for Jinja2: its template engine renders each option
    # of a select through two included templates, most of an edit page's time (README).
    default_renderer = Jinja2()

    class Meta:
        formfield_callback = https_url_fields

    def __init__(self, *args, user: AnyUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.fields["base_version"].required = True
            self.fields["base_version"].error_messages["required"] = (
                "This form is missing the version it was opened at; reload the page."
            )
        else:
            del self.fields["base_version"]
        if not can_publish(user, self._meta.model):
            for name in ("featured", "published_at"):
                self.fields.pop(name, None)
        if "tags" in self.fields:
            suggest_tags(self.fields["tags"])
        self._add_review_interval()
        for field in self.fields.values():
            # A plain multiple select (what the pickers are without JavaScript) says how.
            widget = field.widget
            if (
                isinstance(widget, forms.SelectMultiple)
                and not isinstance(widget, forms.CheckboxSelectMultiple)
                and not field.help_text
            ):
                field.help_text = PICK_SEVERAL

    def _add_review_interval(self) -> None:
        """Every kind's form lets its owner or an editor review the item more or less
        often than its kind usually is (kb.freshness), without each form listing it."""
        if REVIEW_INTERVAL_FIELD in self.fields:
            return
        model_field = self._meta.model._meta.get_field(REVIEW_INTERVAL_FIELD)
        # The bounds stated: a positive integer field's own form field would allow 0.
        self.fields[REVIEW_INTERVAL_FIELD] = model_field.formfield(
            min_value=1, max_value=REVIEW_INTERVAL_MAX_MONTHS
        )
        self.initial[REVIEW_INTERVAL_FIELD] = getattr(self.instance, REVIEW_INTERVAL_FIELD)

    def _post_clean(self) -> None:
        # Not in Meta.fields, so construct_instance() leaves it alone: set it here.
        if REVIEW_INTERVAL_FIELD in self.cleaned_data:
            setattr(self.instance, REVIEW_INTERVAL_FIELD, self.cleaned_data[REVIEW_INTERVAL_FIELD])
        super()._post_clean()

    def clean(self) -> dict:
        # Browsers send textarea line ends as CRLF; store LF so that a save through the
        # site does not change every line of a text written elsewhere (and of its diff).
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\r" in value:
                cleaned[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        return cleaned

    def clean_tags(self) -> list[str]:
        tags = self.cleaned_data.get("tags") or []
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(f"Use at most {MAX_TAGS} tags.")
        too_long = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"Keep each tag under {MAX_TAG_LENGTH} characters (“{too_long[0][:60]}…” is not)."
            )
        return tags
