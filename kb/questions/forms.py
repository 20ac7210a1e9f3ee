"""Forms for asking a question, picking the advocates to ask, answering and hiding."""

from django import forms

from kb.core.forms import MAX_TAG_LENGTH, MAX_TAGS
from kb.questions.matching import Suggestion
from kb.questions.models import MAX_BODY, Question

LITE_HELP = "Markdown-lite: *emphasis*, **bold**, `code`, links, lists and > quotes."


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["title", "body", "topics", "platform", "department", "private"]
        labels = {"title": "Your question", "topics": "Topics"}
        help_texts = {
            "title": "One sentence: “How do we start a LinkedIn page for our team?”",
            "body": LITE_HELP,
            "topics": "Comma-separated, such as “recruitment, video”.",
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def clean_topics(self) -> list[str]:
        topics = self.cleaned_data.get("topics") or []
        if len(topics) > MAX_TAGS:
            raise forms.ValidationError(f"Use at most {MAX_TAGS} topics.")
        if any(len(topic) > MAX_TAG_LENGTH for topic in topics):
            raise forms.ValidationError(f"Keep each topic under {MAX_TAG_LENGTH} characters.")
        return topics


class RouteForm(forms.Form):
    """Which of the suggested advocates to ask; each choice says why they match."""

    advocates = forms.TypedMultipleChoiceField(
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Ask these advocates",
        error_messages={"required": "Pick at least one advocate."},
    )

    def __init__(self, *args, suggestions: list[Suggestion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["advocates"].choices = [
            (s.profile.user_id, f"{s.profile.display_name} — {s.explanation}") for s in suggestions
        ]


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="Your answer",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=LITE_HELP,
        error_messages={"required": "Write something first."},
    )


class HideForm(forms.Form):
    reason = forms.CharField(label="Reason readers will see", max_length=300)
