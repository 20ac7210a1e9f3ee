"""The source register: who publishes what the KB cites, and how far editors trust them.

Sources are reference data curated by editors in the admin, not a kind of content: they have
no workflow, revisions or search entry of their own. Research links and case studies point
to one, found from their URL's domain when they are saved.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from kb.core.models import unique_slug
from kb.core.permissions import AnyUser
from kb.core.search import Facet, FacetField
from kb.sources.domains import BadDomain, candidate_domains, domain_of_url, normalize_domain


class Kind(models.TextChoices):
    ACADEMIC_JOURNAL = "academic_journal", "Academic journal"
    RESEARCH_INSTITUTE = "research_institute", "Research institute"
    GOVERNMENT = "government", "Government or statistics body"
    INDUSTRY_ANALYST = "industry_analyst", "Industry analyst"
    PLATFORM_VENDOR = "platform_vendor", "Platform vendor"
    NEWS = "news", "News"
    TRADE_PRESS = "trade_press", "Trade press"
    BLOG = "blog", "Blog"
    INTERNAL = "internal", "Internal"
    OTHER = "other", "Other"


class Rating(models.TextChoices):
    HIGH = "high", "High"
    MODERATE = "moderate", "Moderate"
    LOW = "low", "Low"
    UNRATED = "unrated", "Unrated"


# The search facet of the kinds that cite a source; an item whose site is not in the
# register counts as unrated (rating_facet).
RATING = FacetField("rating", "Source rating", position=45, choices=tuple(Rating.choices))


def rating_facet(source: "Source | None") -> Facet:
    """The search facet of the rating of an item's source (unrated when it has none)."""
    rating = Rating(source.rating) if source is not None else Rating.UNRATED
    return Facet("rating", rating.value, rating.label)


class SourceQuerySet(models.QuerySet):
    def for_domain(self, domain: str) -> "Source | None":
        """The source registered for the domain or its nearest parent domain (one query)."""
        candidates = candidate_domains(domain)
        matches = {
            row.domain: row.source
            for row in SourceDomain.objects.filter(domain__in=candidates).select_related("source")
        }
        return next((matches[name] for name in candidates if name in matches), None)

    def for_url(self, url: str) -> "Source | None":
        domain = domain_of_url(url or "")
        return self.for_domain(domain) if domain else None


class Source(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER, db_index=True)
    rating = models.CharField(max_length=10, choices=Rating, default=Rating.UNRATED, db_index=True)
    rationale = models.TextField(
        max_length=1_000, blank=True, help_text="Why this rating, in a sentence or two."
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    rated_at = models.DateTimeField(null=True, blank=True, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("rate_source", "Can rate sources")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("sources:detail", args=[self.slug])

    def record_rating(self, user: AnyUser) -> None:
        """Note who set the current rating, and when (called when an editor changes it)."""
        self.rated_by = user if user.is_authenticated else None
        self.rated_at = timezone.now()

    @staticmethod
    def can_rate(user: AnyUser) -> bool:
        return user.is_active and user.has_perm("sources.rate_source")


def attach_source(item: models.Model, url: str) -> None:
    """Point an item at the source its URL's domain is registered to. A URL that matches none
    leaves the item's source as it is: one linked by its publisher's name, or by an editor."""
    found = Source.objects.for_url(url)
    if found is not None:
        item.source = found


class SourceDomain(models.Model):
    """A web domain of a source; its sub-domains belong to the source too, unless one of them
    is registered itself (the longest registered domain wins)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(
        max_length=253,
        unique=True,
        help_text="e.g. “ons.gov.uk”; its sub-domains match too. No “www.”, no path.",
    )

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        super().clean()
        try:
            self.domain = normalize_domain(self.domain or "")
        except BadDomain as error:
            raise ValidationError({"domain": str(error)}) from error
        if "." not in self.domain:
            raise ValidationError(
                {"domain": "Give a full domain such as “example.org”, not a top-level one."}
            )
