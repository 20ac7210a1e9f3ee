"""The form an editor records a department's new adoption stage with."""

from django import forms
from django.utils import timezone

from kb.departments.models import StageChange


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
