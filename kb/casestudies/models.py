"""Case studies with structured before/after metrics and a graded level of evidence."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import FloatField, OuterRef, Subquery

from kb.core.evidence import EVIDENCE, EvidenceLevel
from kb.core.headline import Headline
from kb.core.links import slug_url
from kb.core.markdown import markdown_to_text
from kb.core.measures import Change, gain_expression
from kb.core.models import Content, Status, contributions_index
from kb.core.registry import ContentKind
from kb.core.search import (
    TAGS,
    YEAR,
    Facet,
    Searchable,
    SearchDocument,
    search_prefetch,
    tag_facets,
)
from kb.platforms.models import PLATFORMS, Platform, platform_facets
from kb.sources.models import RATING, attach_source, rating_facet


class Sector(models.TextChoices):
    PUBLIC = "public", "Public sector & government"
    HEALTH = "health", "Health & care"
    EDUCATION = "education", "Education"
    NONPROFIT = "nonprofit", "Charity & non-profit"
    RETAIL = "retail", "Retail & consumer"
    FINANCE = "finance", "Finance & insurance"
    MANUFACTURING = "manufacturing", "Manufacturing & engineering"
    TECHNOLOGY = "technology", "Technology"
    PROFESSIONAL = "professional", "Professional services"
    HOSPITALITY = "hospitality", "Hospitality & travel"
    ENERGY = "energy", "Energy & utilities"
    MEDIA = "media", "Media & culture"


class CaseStudy(Searchable, Content):
    OWNER_FIELD = "created_by"
    REVISION_FIELDS = [
        "title", "organisation", "sector", "platforms", "year", "evidence_level", "summary",
        "challenge", "approach", "outcome", "source_url", "publisher", "tags", "metrics",
    ]  # fmt: skip
    SEARCH_TYPE = ("casestudy", "Case study")
    SEARCH_FACETS = (TAGS, PLATFORMS, RATING, EVIDENCE, YEAR)
    KIND = ContentKind(
        label="Case study",
        label_plural="Case studies",
        list_url="casestudies:list",
        create_url="casestudies:create",
        add_label="Submit a case study",
        card_template="casestudies/_card.html",
        home_item_template="casestudies/_home_item.html",
        order=10,
        commentable=True,
        illustrated=True,
        source_url_field="source_url",
    )
    CARD_SELECT = ("source",)
    CARD_PREFETCH = ("platforms", "metrics")  # the card shows the headline result
    HEADLINE_SELECT = ("source",)
    HEADLINE_PREFETCH = ("metrics",)

    organisation = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector, db_index=True)
    platforms = models.ManyToManyField(Platform, blank=True, related_name="case_studies")
    summary = models.TextField(max_length=2_000, help_text="Markdown; one paragraph.")
    challenge = models.TextField(max_length=20_000, blank=True, help_text="Markdown.")
    approach = models.TextField(max_length=20_000, blank=True, help_text="Markdown.")
    outcome = models.TextField(max_length=20_000, blank=True, help_text="Markdown.")
    source_url = models.URLField("source URL", max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    # SET_NULL: retiring a source must not block on, or take, the items that cite it; their
    # publisher text stays, so nothing is lost. Not a revision field: it follows the URL.
    source = models.ForeignKey(
        "sources.Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_studies",
        help_text="Found from the URL's domain when saved.",
    )
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)], db_index=True
    )
    evidence_level = models.PositiveSmallIntegerField(
        choices=EvidenceLevel, default=EvidenceLevel.SELF_REPORTED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_studies",
    )
    comments = GenericRelation("comments.Comment")

    class Meta(Content.Meta):
        indexes = [*Content.Meta.indexes, contributions_index("created_by")]
        verbose_name_plural = "case studies"
        permissions = [("publish_casestudy", "Can publish and feature case studies")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1990, year__lte=2100),
                name="casestudies_casestudy_year_range",
            ),
            models.CheckConstraint(
                condition=models.Q(evidence_level__gte=1, evidence_level__lte=5),
                name="casestudies_casestudy_evidence_range",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        attach_source(self, self.source_url)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("casestudies:detail", self.slug)

    SEARCH_DEPENDENCIES = {
        "source": {"name", "rating"},
        "platforms": {"name", "slug"},
        "metrics": {
            "name",
            "value_before",
            "value_after",
            "unit",
            "lower_is_better",
            "is_headline",
        },
        "tags": {"name", "slug"},
    }

    @property
    def headline_metric(self) -> "Metric | None":
        """The result its author marked as the headline, else the first; read from the
        prefetched metrics, so a list of cards costs no query per item."""
        return headline_of(list(self.metrics.all()))

    def search_document(self) -> SearchDocument:
        tags, platforms = self.search_tags(), self.search_related("platforms")
        metrics = self.search_related("metrics")
        headline = headline_of(metrics)
        subtitle = f"{self.organisation} · {self.get_sector_display()} · {self.year}"
        if headline is not None:
            subtitle += f" · {headline.name}: {headline.as_change.summary}"
        return SearchDocument(
            title=self.title,
            url=self.get_absolute_url(),
            keywords=" ".join(
                [tag.name for tag in tags]
                + [self.organisation, self.get_sector_display()]
                + [self.source.name if self.source_id else ""]
                + [platform.name for platform in platforms]
            ),
            summary=markdown_to_text(self.summary),
            body="\n".join(
                [markdown_to_text(text) for text in (self.challenge, self.approach, self.outcome)]
                + [metric.name for metric in metrics]
            ),
            subtitle=subtitle,
            is_published=self.status == Status.PUBLISHED,
            published_at=self.published_at,
            owner_id=self.created_by_id,
            evidence_level=self.evidence_level,
            facets=[
                Facet("year", str(self.year), str(self.year)),
                *tag_facets(tags),
                *platform_facets(platforms),
                rating_facet(self.source),
            ],
        )

    @classmethod
    def search_queryset(cls):
        return cls.objects.select_related("source").prefetch_related(
            search_prefetch("platforms"), search_prefetch("metrics")
        )

    def headline(self) -> Headline | None:
        """The headline metric (marked, else the first) is the headline result."""
        metric = self.headline_metric
        if metric is None:
            return None
        change = metric.as_change
        return Headline(metric.name, change.summary, change.improved, self.source, change)

    @classmethod
    def headline_gain(cls) -> Subquery:
        """The gain of the headline metric, chosen as headline_of() chooses it."""
        metrics = Metric.objects.filter(case_study=OuterRef("pk")).order_by(
            "-is_headline", "position", "pk"
        )
        gain = gain_expression("value_before", "value_after", "lower_is_better")
        return Subquery(metrics.annotate(gain=gain).values("gain")[:1], output_field=FloatField())


def headline_of(metrics: list["Metric"]) -> "Metric | None":
    """Of a case study's metrics in their order, the one marked as the headline, else the
    first."""
    return next((m for m in metrics if m.is_headline), metrics[0] if metrics else None)


class Metric(models.Model):
    """One measured result of a case study, such as "Applications per vacancy 14 → 31"."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=120)
    value_before = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    value_after = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=40, blank=True, help_text='e.g. "%", "followers", "£".')
    period = models.CharField(max_length=80, blank=True, help_text='e.g. "6 months".')
    lower_is_better = models.BooleanField(
        default=False, help_text="Tick when a fall is the improvement (cost, time to hire)."
    )
    is_headline = models.BooleanField(
        "headline",
        default=False,
        help_text="The result cards and search show; without one, the first is shown.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_study"],
                condition=models.Q(is_headline=True),
                name="casestudies_metric_one_headline",
                violation_error_message="A case study has one headline result.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def as_change(self) -> Change:
        return Change(self.value_before, self.value_after, self.unit, self.lower_is_better)
