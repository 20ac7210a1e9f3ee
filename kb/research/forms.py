"""Adding and editing a research link; a URL already in the KB is refused, with a link to
the entry for whoever may open it."""

from django import forms

from kb.core.evidence import EvidenceLevel
from kb.core.forms import ContentForm
from kb.research.models import ResearchLink, evidence_for_kind
from kb.sources.forms import SourcedFormMixin


class ResearchLinkForm(SourcedFormMixin, ContentForm):
    MARKDOWN_FIELDS = ("key_finding",)

    url_field = "url"

    class Meta(ContentForm.Meta):
        model = ResearchLink
        fields = [
            "url", "doi", "title", "publisher", "authors", "publication_date", "kind",
            "evidence_level", "key_finding", "tags", "featured", "published_at",
        ]  # fmt: skip
        widgets = {
            "publication_date": forms.DateInput(attrs={"type": "date"}),
            "key_finding": forms.Textarea(attrs={"rows": 3}),
            "published_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    # Left empty, the level is what the kind of publication shows by itself (KIND_EVIDENCE),
    # as for imported links; whoever read it and knows better chooses one.
    evidence_level = forms.TypedChoiceField(
        label="Evidence level",
        choices=[("", "From its kind (peer-reviewed 4, report or survey 3, else 1)")]
        + EvidenceLevel.choices,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="How far its findings can be trusted; see “What the levels mean”.",
    )

    # The existing entry with this URL, when this user may be shown it.
    duplicate: ResearchLink | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding and "evidence_level" not in kwargs.get("initial", {}):
            self.initial["evidence_level"] = ""  # not the model's default: "from its kind"

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("evidence_level") is None:
            cleaned["evidence_level"] = evidence_for_kind(cleaned.get("kind") or "")
        return cleaned

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
