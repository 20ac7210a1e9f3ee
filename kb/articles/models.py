"""Articles: an advocate's own writing, in Markdown, citing case studies and research."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from kb.advocates.models import DEPARTMENT
from kb.casestudies.models import CaseStudy
from kb.core.links import slug_url
from kb.core.markdown import markdown_to_text
from kb.core.models import Content, Status, contributions_index
from kb.core.registry import ContentKind
from kb.core.search import TAGS, YEAR, Facet, Searchable, SearchDocument, tag_facets
from kb.research.models import ResearchLink


class Article(Searchable, Content):
    OWNER_FIELD = "author"
    REVISION_FIELDS = [
        "title", "summary", "body", "tags", "related_case_studies", "related_research",
    ]  # fmt: skip
    SEARCH_TYPE = ("article", "Article")
    SEARCH_FACETS = (TAGS, DEPARTMENT, YEAR)
    KIND = ContentKind(
        label="Article",
        label_plural="Articles",
        list_url="articles:list",
        create_url="articles:create",
        add_label="Write an article",
        card_template="articles/_card.html",
        home_item_template="articles/_home_item.html",
        order=30,
        commentable=True,
        illustrated=True,
    )
    CARD_SELECT = ("author",)

    summary = models.TextField(max_length=1_000, help_text="One or two sentences for cards.")
    body = models.TextField(max_length=100_000, help_text="Markdown.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles"
    )
    related_case_studies = models.ManyToManyField(CaseStudy, blank=True, related_name="articles")
    related_research = models.ManyToManyField(
        ResearchLink, blank=True, related_name="articles", verbose_name="related research"
    )
    comments = GenericRelation("comments.Comment")

    class Meta(Content.Meta):
        indexes = [*Content.Meta.indexes, contributions_index("author")]
        permissions = [("publish_article", "Can publish and feature articles")]

    def get_absolute_url(self) -> str:
        return slug_url("articles:detail", self.slug)

    SEARCH_DEPENDENCIES = {
        "author": {"first_name", "last_name", "username"},
        "author__advocate_profile__department": {"name", "slug"},
        "tags": {"name", "slug"},
    }

    def search_document(self) -> SearchDocument:
        tags = self.search_tags()
        author = self.author.get_full_name() or self.author.username
        facets = tag_facets(tags)
        if self.published_at:
            year = str(self.published_at.year)
            facets.append(Facet("year", year, year))
        department = getattr(getattr(self.author, "advocate_profile", None), "department", None)
        if department:
            facets.append(Facet("department", department.slug, department.name))
        return SearchDocument(
            title=self.title,
            url=self.get_absolute_url(),
            keywords=" ".join([tag.name for tag in tags] + [author]),
            summary=self.summary,
            body=markdown_to_text(self.body),
            subtitle=f"Article by {author}",
            is_published=self.status == Status.PUBLISHED,
            published_at=self.published_at,
            owner_id=self.author_id,
            facets=facets,
        )

    @classmethod
    def search_queryset(cls):
        return cls.objects.select_related("author__advocate_profile__department")

    @property
    def reading_minutes(self) -> int:
        return max(1, round(len(self.body.split()) / 200))
