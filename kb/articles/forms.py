"""Writing and editing an article."""

from django import forms

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.core.forms import ChosenAndRecentSelectMultiple, ContentForm
from kb.research.models import ResearchLink


class ArticleForm(ContentForm):
    class Meta(ContentForm.Meta):
        model = Article
        fields = [
            "title", "summary", "body", "tags", "related_case_studies", "related_research",
            "featured", "published_at",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 20}),
            "published_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "related_case_studies": ChosenAndRecentSelectMultiple,
            "related_research": ChosenAndRecentSelectMultiple,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Cite only what readers can open.
        self.fields["related_case_studies"].queryset = CaseStudy.objects.published().order_by(
            "title"
        )
        self.fields["related_research"].queryset = ResearchLink.objects.published().order_by(
            "title"
        )
