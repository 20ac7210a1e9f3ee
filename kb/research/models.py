"""Research links, unique after URL normalisation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from kb.core.evidence import EVIDENCE, EvidenceLevel
from kb.core.headline import Headline
from kb.core.links import slug_url
from kb.core.markdown import markdown_to_text
from kb.core.models import Content, Status, contributions_index
from kb.core.permissions import AnyUser
from kb.core.registry import ContentKind
from kb.core.search import TAGS, YEAR, Facet, Searchable, SearchDocument, tag_facets
from kb.research.urls_normalize import normalize_doi, normalize_url
from kb.sources.models import RATING, attach_source, rating_facet

DUPLICATE_URL = "This address is already in the KB; an editor can help you find it."


class Kind(models.TextChoices):
    PEER_REVIEWED = "peer_reviewed", "Peer-reviewed study"
    INDUSTRY_REPORT = "industry_report", "Industry report"
    SURVEY = "survey", "Survey"
    NEWS = "news", "News"
    BOOK = "book", "Book"
    TALK = "talk", "Talk or video"
    OTHER = "other", "Other"


# The level a link is graded at unless someone who read it says otherwise: what its kind of
# publication shows by itself. A peer-reviewed study passed review; a report or survey
# publishes its data; news, books, talks and the rest promise no method, so they start as
# anecdote and an editor or the adder raises them. Never more than the kind guarantees.
KIND_EVIDENCE = {
    Kind.PEER_REVIEWED: EvidenceLevel.PEER_REVIEWED,
    Kind.INDUSTRY_REPORT: EvidenceLevel.MEASURED,
    Kind.SURVEY: EvidenceLevel.MEASURED,
}


def evidence_for_kind(kind: str) -> EvidenceLevel:
    return KIND_EVIDENCE.get(kind, EvidenceLevel.ANECDOTE)


class ResearchLink(Searchable, Content):
    OWNER_FIELD = "added_by"
    REVISION_FIELDS = [
        "url", "title", "publisher", "authors", "publication_date", "kind", "evidence_level",
        "key_finding", "tags", "doi",
    ]  # fmt: skip
    SEARCH_TYPE = ("research", "Research")
    SEARCH_FACETS = (TAGS, RATING, EVIDENCE, YEAR)
    KIND = ContentKind(
        label="Research link",
        label_plural="Research",
        list_url="research:list",
        create_url="research:create",
        add_label="Add research",
        card_template="research/_card.html",
        home_item_template="research/_home_item.html",
        order=20,
        illustrated=True,
        source_url_field="url",
    )
    SUMMARY_FIELD = "key_finding"
    CARD_SELECT = ("source",)
    HEADLINE_SELECT = ("source",)

    url = models.URLField("URL", max_length=500)
    normalized_url = models.CharField(max_length=500, unique=True, editable=False)
    publisher = models.CharField(max_length=200)
    # SET_NULL: retiring a source must not block on, or take, the items that cite it; their
    # publisher text stays, so nothing is lost. Not a revision field: it follows the URL.
    source = models.ForeignKey(
        "sources.Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="research_links",
        help_text="Found from the URL's domain when saved.",
    )
    authors = models.CharField(max_length=300, blank=True)
    publication_date = models.DateField(null=True, blank=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER, db_index=True)
    # The lowest level by default: a link nobody graded claims nothing (see KIND_EVIDENCE
    # for what the forms and the import start from).
    evidence_level = models.PositiveSmallIntegerField(
        choices=EvidenceLevel, default=EvidenceLevel.ANECDOTE, db_index=True
    )
    key_finding = models.TextField(
        max_length=2_000, help_text="Markdown; the one finding a colleague should remember."
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        help_text="For example 10.1000/xyz123; a doi.org link is shortened to the DOI.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="research_links",
    )

    class Meta(Content.Meta):
        indexes = [*Content.Meta.indexes, contributions_index("added_by")]
        verbose_name = "research link"
        permissions = [("publish_researchlink", "Can publish and feature research links")]
        constraints = [
            models.UniqueConstraint(
                fields=["doi"],
                condition=~Q(doi=""),
                name="research_researchlink_doi_unique",
                violation_error_message="This DOI is already in the KB.",
            ),
            models.CheckConstraint(
                condition=Q(evidence_level__gte=1, evidence_level__lte=5),
                name="research_researchlink_evidence_range",
            ),
        ]

    # The existing entry found by clean() when the URL is a duplicate; see duplicate_shown_to.
    duplicate_of: "ResearchLink | None" = None

    def clean(self) -> None:
        super().clean()
        self.doi = normalize_doi(self.doi)
        if not self.url:
            return
        self.normalized_url = normalize_url(self.url)
        self.duplicate_of = (
            ResearchLink.all_objects.filter(normalized_url=self.normalized_url)
            .exclude(pk=self.pk)
            .first()
        )
        if self.duplicate_of is not None:
            # Names nothing: the entry may be someone else's draft or in the trash. A form
            # that knows who is asking names it to those who may see it.
            raise ValidationError({"url": ValidationError(DUPLICATE_URL, code="duplicate_url")})

    def duplicate_shown_to(self, user: AnyUser) -> "ResearchLink | None":
        """The entry clean() found with this URL, if ``user`` may be told which it is:
        whoever may open it, and for an entry in the trash, who may restore it from there
        (its owner and editors)."""
        duplicate = self.duplicate_of
        if duplicate is None:
            return None
        may_see = duplicate.can_edit(user) if duplicate.in_trash else duplicate.can_view(user)
        return duplicate if may_see else None

    def save(self, *args, **kwargs) -> None:
        self.normalized_url = normalize_url(self.url)
        self.doi = normalize_doi(self.doi)
        attach_source(self, self.url)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("research:detail", self.slug)

    def headline(self) -> Headline:
        """The key finding, with the source whose rating says how far to trust it."""
        finding = " ".join(markdown_to_text(self.key_finding).split())
        return Headline("Key finding", finding, source=self.source)

    @property
    def source_name(self) -> str:
        return self.source.name if self.source_id else ""

    @classmethod
    def search_queryset(cls):
        return cls.objects.select_related("source")

    @property
    def year(self) -> int | None:
        return self.publication_date.year if self.publication_date else None

    SEARCH_DEPENDENCIES = {"source": {"name", "rating"}, "tags": {"name", "slug"}}

    def search_document(self) -> SearchDocument:
        tags = self.search_tags()
        facets = [*tag_facets(tags), rating_facet(self.source)]
        if self.year:
            facets.append(Facet("year", str(self.year), str(self.year)))
        return SearchDocument(
            title=self.title,
            url=self.get_absolute_url(),
            keywords=" ".join(
                [tag.name for tag in tags] + [self.publisher, self.authors, self.source_name]
            ),
            summary=markdown_to_text(self.key_finding),
            body=self.get_kind_display(),
            subtitle=" · ".join(
                part
                for part in (self.get_kind_display(), self.publisher, str(self.year or ""))
                if part
            ),
            is_published=self.status == Status.PUBLISHED,
            published_at=self.published_at,
            owner_id=self.added_by_id,
            evidence_level=self.evidence_level,
            facets=facets,
        )
