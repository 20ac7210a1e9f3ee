"""Articles: an advocate's own writing, in Markdown, citing case studies and research."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from kb.casestudies.models import CaseStudy
from kb.core.models import Content
from kb.research.models import ResearchLink


class Article(Content):
    OWNER_FIELD = "author"

    summary = models.TextField(max_length=1_000, help_text="One or two sentences for cards.")
    body = models.TextField(max_length=100_000, help_text="Markdown.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles"
    )
    related_case_studies = models.ManyToManyField(CaseStudy, blank=True, related_name="articles")
    related_research = models.ManyToManyField(
        ResearchLink, blank=True, related_name="articles", verbose_name="related research"
    )

    class Meta(Content.Meta):
        permissions = [("publish_article", "Can publish and feature articles")]

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.slug])

    @property
    def reading_minutes(self) -> int:
        return max(1, round(len(self.body.split()) / 200))
