"""The filters of the overdue list: by owner, department and reason."""

from django import forms

from kb.freshness.overdue import REASONS, NeedsReview


class OverdueFilterForm(forms.Form):
    """Choices come from what needs review, so every option finds something; an unknown
    value (an old link, a hand-typed address) is reported and ignored."""

    owner = forms.ChoiceField(required=False)
    department = forms.ChoiceField(required=False)
    reason = forms.ChoiceField(required=False, choices=[("", "Any reason"), *REASONS])

    def __init__(self, *args, entries: list[NeedsReview], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        owners = {e.owner.get_username(): e.owner for e in entries if e.owner is not None}
        departments = {e.department.slug: e.department for e in entries if e.department}
        self.fields["owner"].choices = [("", "Anyone")] + sorted(
            ((name, user.get_full_name() or name) for name, user in owners.items()),
            key=lambda choice: choice[1].lower(),
        )
        self.fields["department"].choices = [("", "Any department")] + sorted(
            ((slug, d.name) for slug, d in departments.items()), key=lambda c: c[1].lower()
        )

    def apply(self, entries: list[NeedsReview]) -> list[NeedsReview]:
        """The entries the valid filters keep (invalid ones are ignored)."""
        values = {name: self.cleaned_data.get(name) for name in self.fields}
        if values["owner"]:
            entries = [e for e in entries if e.owner and e.owner.get_username() == values["owner"]]
        if values["department"]:
            entries = [
                e for e in entries if e.department and e.department.slug == values["department"]
            ]
        if values["reason"]:
            entries = [e for e in entries if values["reason"] in e.reasons]
        return entries
