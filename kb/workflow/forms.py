"""The small form behind every workflow action: a comment and, for publishing, a time."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from kb.workflow.models import Action


class ActionForm(forms.Form):
    comment = forms.CharField(
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to the author and kept in the item's history.",
    )
    publish_at = forms.DateTimeField(
        required=False,
        label="Publish at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Leave empty to publish now; a future time schedules it.",
    )

    def __init__(self, *args, action: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        if action != Action.PUBLISH:
            del self.fields["publish_at"]
        if action == Action.REQUEST_CHANGES:
            self.fields["comment"].required = True
            self.fields["comment"].label = "What needs to change"
            self.fields["comment"].error_messages["required"] = (
                "Say what needs to change; the author will see your comment."
            )
        if action in (Action.TRASH, Action.RESTORE, Action.WITHDRAW):
            del self.fields["comment"]

    def clean_publish_at(self):
        value = self.cleaned_data.get("publish_at")
        if value and value < timezone.now() - timedelta(minutes=1):
            raise forms.ValidationError("Choose a time from now on, or leave it empty.")
        return value
