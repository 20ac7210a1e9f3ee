"""The form an editor records a department's new adoption stage with, and the dashboard's
filters."""

from datetime import date, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag

from kb.advocates.models import Department
from kb.departments.models import StageChange
from kb.platforms.models import Platform


class StageChangeForm(forms.ModelForm):
    class Meta:
        model = StageChange
        fields = ["stage", "changed_on", "note"]
        labels = {"changed_on": "Since", "note": "What showed it"}
        widgets = {"changed_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, department=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.department = department
        self.fields["stage"].empty_label = None

    def clean_changed_on(self):
        changed_on = self.cleaned_data["changed_on"]
        if changed_on > timezone.localdate():
            raise forms.ValidationError("A stage is recorded once reached, not ahead of time.")
        if StageChange.objects.filter(department=self.department, changed_on=changed_on).exists():
            raise forms.ValidationError("This department already has a stage on that day.")
        return changed_on


MONTH_FORMAT = "%Y-%m"
LONGEST_RANGE = 120  # months: ten years of monthly bars is already a wall


class DashboardFilterForm(forms.Form):
    """The dashboard's filters; the period defaults to the last 12 months."""

    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="The whole organisation",
    )
    platform = forms.ModelChoiceField(
        queryset=Platform.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="Any platform",
    )
    topic = forms.CharField(required=False, max_length=100, help_text="A topic's name or slug.")
    start = forms.DateField(
        required=False,
        input_formats=[MONTH_FORMAT],
        label="From (month)",
        widget=forms.DateInput(attrs={"type": "month"}, format=MONTH_FORMAT),
    )
    end = forms.DateField(
        required=False,
        input_formats=[MONTH_FORMAT],
        label="To (month)",
        widget=forms.DateInput(attrs={"type": "month"}, format=MONTH_FORMAT),
    )

    def clean_topic(self) -> Tag | None:
        text = self.cleaned_data["topic"].strip()
        if not text:
            return None
        tag = Tag.objects.filter(Q(slug=text) | Q(name__iexact=text)).order_by("pk").first()
        if tag is None:
            raise forms.ValidationError("No topic by that name.")
        return tag

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        end = cleaned.get("end") or today
        start = cleaned.get("start") or date(end.year - 1, end.month, 1) + timedelta(days=31)
        start, end = (start.year, start.month), (end.year, end.month)
        if start > end:
            self.add_error("start", "The period must start before it ends.")
        elif (end[0] - start[0]) * 12 + end[1] - start[1] >= LONGEST_RANGE:
            self.add_error("start", f"Choose at most {LONGEST_RANGE} months.")
        cleaned["start_month"], cleaned["end_month"] = start, end
        return cleaned

    @classmethod
    def default(cls) -> "DashboardFilterForm":
        form = cls({})
        form.is_valid()
        return form
