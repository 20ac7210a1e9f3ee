"""Logging and editing an experiment."""

from django import forms

from kb.core.forms import ContentForm
from kb.experiments.models import Experiment

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
VALUE_INPUT = forms.NumberInput(attrs={"step": "any"})


class ExperimentForm(ContentForm):
    """The model's clean() says what a finished outcome needs, next to the fields."""

    MARKDOWN_FIELDS = ("hypothesis", "change", "learnings")

    class Meta(ContentForm.Meta):
        model = Experiment
        fields = [
            "title", "department", "platforms", "hypothesis", "change", "metric_name",
            "baseline", "target", "result", "unit", "lower_is_better", "period",
            "start_date", "end_date", "outcome", "evidence_level", "learnings", "tags", "featured",
            "published_at",
        ]  # fmt: skip
        widgets = {
            "platforms": forms.CheckboxSelectMultiple,
            "hypothesis": forms.Textarea(attrs={"rows": 3}),
            "baseline": VALUE_INPUT,
            "target": VALUE_INPUT,
            "result": VALUE_INPUT,
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "published_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].empty_label = "Choose a department"
