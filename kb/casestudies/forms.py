"""Submitting and editing a case study, with its metrics as a formset."""

from django import forms

from kb.casestudies.models import CaseStudy, Metric
from kb.core.forms import ContentForm
from kb.sources.forms import SourcedFormMixin


class CaseStudyForm(SourcedFormMixin, ContentForm):
    MARKDOWN_FIELDS = ("summary", "challenge", "approach", "outcome")

    url_field = "source_url"

    class Meta(ContentForm.Meta):
        model = CaseStudy
        fields = [
            "title", "organisation", "sector", "platforms", "year", "evidence_level",
            "summary", "challenge", "approach", "outcome", "source_url", "publisher",
            "tags", "featured", "published_at",
        ]  # fmt: skip
        widgets = {
            "platforms": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "published_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "year": forms.NumberInput(attrs={"min": 1990, "max": 2100}),
        }


class BaseMetricFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        """One headline at most, said on the form rather than left to the constraint."""
        super().clean()
        headlines = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_headline") and not form.cleaned_data.get("DELETE")
        ]
        if len(headlines) > 1:
            raise forms.ValidationError(
                "Mark one result as the headline, not several.", code="headlines"
            )


MetricFormSet = forms.inlineformset_factory(
    CaseStudy,
    Metric,
    fields=[
        "name",
        "value_before",
        "value_after",
        "unit",
        "period",
        "lower_is_better",
        "is_headline",
        "position",
    ],
    formset=BaseMetricFormSet,
    extra=2,
    max_num=20,
    validate_max=True,
    can_delete=True,
)
