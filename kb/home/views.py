"""Home and tag pages: every kind of content that asks to be there, brought together."""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from kb.advocates.models import AdvocateProfile
from kb.comments.models import for_cards
from kb.core.evidence import EVIDENCE_FIELD, EvidenceLevel, graded_models
from kb.core.registry import ContentKind, kinds_where
from kb.follows.services import for_you
from kb.home.feeds import feed_url

FEATURED = 3
TAG_PAGE_SECTION = 12
POPULAR_TAGS = 24
STRONGEST = 3
FOR_YOU = 8


@dataclass
class Section:
    """One kind of content on a page: its declaration, some of its items and how many."""

    kind: ContentKind
    model_name: str
    items: list
    count: int
    featured: list = field(default_factory=list)  # on the home page


@dataclass
class EvidenceSummary:
    """How strong the evidence on one topic is: published items per level, strongest first
    (every level, so an empty step shows as 0), and the strongest few items themselves."""

    levels: list[tuple[EvidenceLevel, int]]
    strongest: list

    @property
    def graded(self) -> int:
        return sum(count for _, count in self.levels)

    @property
    def measured_or_stronger(self) -> int:
        return sum(count for level, count in self.levels if level >= EvidenceLevel.MEASURED)


def evidence_summary(tag: Tag, models: list[type]) -> EvidenceSummary:
    """Two queries per kind graded on the scale, however many items carry the tag: the
    counts per level, and that kind's strongest few (of which the strongest overall win)."""
    counts: Counter = Counter()
    candidates = []
    for model in graded_models(models):
        tagged = model.objects.published().filter(tags=tag)
        rows = tagged.order_by().values(EVIDENCE_FIELD).annotate(n=Count("pk"))
        counts.update({row[EVIDENCE_FIELD]: row["n"] for row in rows})
        candidates += tagged.order_by(f"-{EVIDENCE_FIELD}", "-published_at", "-pk")[:STRONGEST]
    candidates.sort(key=lambda item: (-item.evidence_level, -item.published_at.timestamp()))
    levels = [(level, counts[level.value]) for level in reversed(EvidenceLevel)]
    return EvidenceSummary(levels=levels, strongest=candidates[:STRONGEST])


def popular_tags(limit: int = POPULAR_TAGS) -> list[Tag]:
    """Tags by how much published content carries them (drafts don't leak their topics)."""
    models = [model for model, _ in kinds_where("on_topic_pages")]
    types = ContentType.objects.get_for_models(*models)
    published = Q()
    for model in models:
        published |= Q(
            taggit_taggeditem_items__content_type=types[model],
            taggit_taggeditem_items__object_id__in=model.objects.published().values("pk"),
        )
    return list(
        Tag.objects.annotate(uses=Count("taggit_taggeditem_items", filter=published))
        .filter(uses__gt=0)
        .order_by("-uses", "name")[:limit]
    )


def home(request: HttpRequest) -> HttpResponse:
    sections = []
    for model, kind in kinds_where("on_home"):
        published = model.objects.published()
        sections.append(
            Section(
                kind=kind,
                model_name=model._meta.model_name,
                items=list(published.for_cards()[: kind.home_limit]),
                count=published.count(),
                featured=list(for_cards(published.filter(featured=True))[:FEATURED]),
            )
        )
    context = {
        "sections": sections,
        "any_featured": any(section.featured for section in sections),
        "feed_url": feed_url(request.user),
        "advocate_count": AdvocateProfile.objects.listed().count(),
        "popular_tags": popular_tags(),
        "for_you": for_you(request.user, limit=FOR_YOU),
    }
    return render(request, "home/home.html", context)


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything published with one tag, a section per kind, each linking to its full list."""
    tag = get_object_or_404(Tag, slug=slug)
    sections = []
    on_topic_pages = kinds_where("on_topic_pages")
    for model, kind in on_topic_pages:
        tagged = model.objects.published().filter(tags=tag)
        sections.append(
            Section(
                kind=kind,
                model_name=model._meta.model_name,
                items=list(for_cards(tagged)[:TAG_PAGE_SECTION]),
                count=tagged.count(),
            )
        )
    advocates = AdvocateProfile.objects.listed().filter(expertise=tag)
    context = {
        "tag": tag,
        "evidence": evidence_summary(tag, [model for model, _ in on_topic_pages]),
        "sections": [section for section in sections if section.count],
        "advocates": advocates.for_cards()[:TAG_PAGE_SECTION],
        "advocate_count": advocates.count(),
    }
    return render(request, "home/tag_detail.html", context)


def tag_list(request: HttpRequest) -> HttpResponse:
    return render(request, "home/tag_list.html", {"tags": popular_tags(limit=500)})
