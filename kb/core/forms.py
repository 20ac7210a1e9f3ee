"""Form rules every content form shares: who may set status/featured, and sane tags."""

from django import forms
from django.db import models

from kb.core.models import Status
from kb.core.permissions import AnyUser, can_publish

MAX_TAGS = 20
MAX_TAG_LENGTH = 50


# URLs typed without a scheme get https:// (Django 6's default, adopted now).
URL_FIELD_OPTIONS = {"assume_scheme": "https"}


def https_url_fields(field: models.Field, **kwargs) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs = {**URL_FIELD_OPTIONS, **kwargs}
    return field.formfield(**kwargs)


class ContentForm(forms.ModelForm):
    """Authors choose draft or in review; only those who may publish see the rest."""

    class Meta:
        formfield_callback = https_url_fields

    def __init__(self, *args, user: AnyUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not can_publish(user, self._meta.model):
            for name in ("featured", "published_at"):
                self.fields.pop(name, None)
            if "status" in self.fields:
                allowed = [Status.DRAFT, Status.IN_REVIEW]
                current = self.instance.status if self.instance.pk else None
                if current == Status.PUBLISHED:
                    # Authors may edit their published item; it stays published.
                    allowed.append(Status.PUBLISHED)
                self.fields["status"].choices = [c for c in Status.choices if c[0] in allowed]

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
