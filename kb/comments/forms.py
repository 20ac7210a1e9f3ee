"""Forms for writing a comment or a reply, and for an editor's reason to hide one."""

from django import forms

from kb.comments.models import MAX_BODY, Comment
from kb.core.models import Content

# The largest primary key a bigint column holds; anything above is not a comment.
MAX_ID = 2**63 - 1


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown-lite: *emphasis*, **bold**, `code`, links, lists and > quotes.",
        error_messages={"required": "Write something first."},
    )


class ReplyForm(CommentForm):
    """A new comment on ``target``, answering another of its comments when ``parent`` is set."""

    parent = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )

    def __init__(self, *args, target: Content, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.target = target

    def clean_parent(self) -> Comment | None:
        pk = self.cleaned_data["parent"]
        if pk is None:
            return None
        parent = (
            Comment.objects.for_item(self.target)
            .select_related("author", "parent")
            .filter(pk=pk)
            .first()
        )
        if parent is None:
            raise forms.ValidationError("You can only reply to a comment on this item.")
        return parent


class HideForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        help_text="Readers see this in place of the comment.",
        error_messages={"required": "Give the reason readers will see."},
    )
