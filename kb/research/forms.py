"""Adding and editing a research link; a URL already in the KB is caught with a link to it."""

from django import forms

from kb.core.forms import ContentForm
from kb.research.models import ResearchLink


class ResearchLinkForm(ContentForm):
    class Meta(ContentForm.Meta):
        model = ResearchLink
        fields = [
            "url", "title", "publisher", "authors", "publication_date", "kind", "key_finding",
            "tags", "featured", "published_at",
        ]  # fmt: skip
        widgets = {
            "publication_date": forms.DateInput(attrs={"type": "date"}),
            "key_finding": forms.Textarea(attrs={"rows": 3}),
            "published_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }
