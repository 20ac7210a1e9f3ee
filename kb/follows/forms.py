"""The digest setting on the Following page."""

from django import forms

from kb.follows.models import DigestPreference


class DigestPreferenceForm(forms.ModelForm):
    class Meta:
        model = DigestPreference
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}
        labels = {"frequency": "Digest e-mail"}
        help_texts = {
            "frequency": "What is new in what you follow, with each item's headline result "
            "and evidence level, and the most-read item of the period."
        }
