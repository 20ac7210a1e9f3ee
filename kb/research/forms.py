"""Adding and editing a research link; a URL already in the KB is refused, with a link to
the entry for whoever may open it."""

from django import forms

from kb.core.forms import ContentForm
from kb.research.models import ResearchLink
from kb.sources.forms import SourcedFormMixin


class ResearchLinkForm(SourcedFormMixin, ContentForm):
    url_field = "url"

    class Meta(ContentForm.Meta):
        model = ResearchLink
        fields = [
            "url", "doi", "title", "publisher", "authors", "publication_date", "kind",
            "key_finding", "tags", "featured", "published_at",
        ]  # fmt: skip
        widgets = {
            "publication_date": forms.DateInput(attrs={"type": "date"}),
            "key_finding": forms.Textarea(attrs={"rows": 3}),
            "published_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    # The existing entry with this URL, when this user may be shown it.
    duplicate: ResearchLink | None = None

    def _post_clean(self) -> None:
        super()._post_clean()
        self.duplicate = self.instance.duplicate_shown_to(self.user)
        if self.duplicate is not None:
            title = self.duplicate.title
            message = (
                f"This link is in the trash as “{title}”; restore it instead."
                if self.duplicate.in_trash
                else f"This link is already in the KB as “{title}”."
            )
            # Replaces the model's message, which names nothing.
            self.errors["url"] = self.error_class([message])
