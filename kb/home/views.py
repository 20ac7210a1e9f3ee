"""Home and tag pages: every kind of content that asks to be there, brought together.

The home page leads with what the evidence says (the strongest measured results, how much
of the evidence is measured or stronger, what is new) before what the KB holds.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from taggit.models import Tag

from kb.advocates.models import AdvocateProfile
from kb.comments.models import for_cards
from kb.core import fragments
from kb.core import published_cache as cache
from kb.core.evidence import EVIDENCE_FIELD, EvidenceLevel, graded_models
from kb.core.headline import Headline
from kb.core.lists import by_pk, paginate, related_queryset
from kb.core.registry import ContentKind, kind_for, kinds_where
from kb.core.views import content_model_or_404, get_viewable_or_404
from kb.follows.services import for_you
from kb.home.cards import published_cards
from kb.home.feeds import feed_url

# At most six featured cards, and an even number of them: the featured grid has one, two or
# three columns by width (three only for six cards), so every row is full.
FEATURED = 6
RESULTS = 4  # strongest results leading the home page: one row of four, or two of two
NEW_DAYS = 30  # "new" on the home page: published in the last month
TAG_PAGE_SECTION = 12
POPULAR_TAGS = 24
STRONGEST = 3
FOR_YOU = 8


@dataclass
class Section:
    """One kind of content on a page: its declaration, some of its items and how many
    (and, on the home page, how many of them are new)."""

    kind: ContentKind
    model_name: str
    count: int
    items: list = field(default_factory=list)
    cards: list[str] = field(default_factory=list)  # rendered, where a page shows cards
    new_count: int = 0


@dataclass
class EvidenceSummary:
    """How strong some evidence is: published items per level, strongest first (every
    level, so an empty step shows as 0), and the strongest few items themselves."""

    levels: list[tuple[EvidenceLevel, int]]
    strongest: list

    @property
    def graded(self) -> int:
        return sum(count for _, count in self.levels)

    @property
    def measured_or_stronger(self) -> int:
        return sum(count for level, count in self.levels if level >= EvidenceLevel.MEASURED)

    @property
    def measured_share(self) -> int | None:
        """The per cent of graded items measured or stronger; None when none is graded."""
        if not self.graded:
            return None
        return round(self.measured_or_stronger * 100 / self.graded)


@dataclass(frozen=True)
class Result:
    """One measured result on the home page: the item, its kind and its headline."""

    item: object
    kind: ContentKind
    headline: Headline


def count_levels(querysets: list) -> list[tuple[EvidenceLevel, int]]:
    """Items of the (graded) querysets per evidence level, strongest first; one query each."""
    counts: Counter = Counter()
    for queryset in querysets:
        rows = queryset.order_by().values(EVIDENCE_FIELD).annotate(n=Count("pk"))
        counts.update({row[EVIDENCE_FIELD]: row["n"] for row in rows})
    return [(level, counts[level.value]) for level in reversed(EvidenceLevel)]


def evidence_summary(tag: Tag, models: list[type]) -> EvidenceSummary:
    """Two queries per kind graded on the scale, however many items carry the tag: the
    counts per level, and that kind's strongest few (of which the strongest overall win)."""
    tagged = [model.objects.published().filter(tags=tag) for model in graded_models(models)]
    candidates = []
    for queryset in tagged:
        candidates += queryset.order_by(f"-{EVIDENCE_FIELD}", "-published_at", "-pk")[:STRONGEST]
    candidates.sort(key=lambda item: (-item.evidence_level, -item.published_at.timestamp()))
    return EvidenceSummary(levels=count_levels(tagged), strongest=candidates[:STRONGEST])


def strongest_results(
    kinds: list[tuple[type, ContentKind]], ranked: list[tuple[str, int]]
) -> list[Result]:
    """The strongest published results of the kinds whose headline is a measured change:
    stronger evidence first, then the bigger improvement (how many times better, a fall
    counting when lower is better), newest on ties. Only improvements: a result that got
    worse is evidence too, but not a headline.

    Ranking reads every published item's headline (a second at 100,000 items), so which
    items win is cached (kb.core.published_cache: a new ranking after any change to an item of these
    kinds or to what their headlines read) and given here (``ranked_results``); the winners
    themselves are read afresh, one query per kind however many there are, so an edited
    title shows at once."""
    found = {}
    for model, kind in kinds:
        pks = [pk for label, pk in ranked if label == model._meta.label]
        gain = model.headline_gain()
        if gain is None or not graded_models([model]):
            continue
        # pk=None matches nothing but still asks: the same queries however many win.
        wanted = Q(pk__in=pks) if pks else Q(pk=None)
        items = model.objects.published().for_headlines().annotate(gain=gain).filter(wanted)
        found.update({(model._meta.label, item.pk): (item, kind) for item in items})
    return [
        Result(item, kind, item.headline())
        for item, kind in (found[key] for key in ranked if key in found)
    ]


def ranked_results(kinds: list[tuple[type, ContentKind]], limit: int = RESULTS) -> list:
    """(model label, pk) of the strongest results, best first, kept with the published
    KB's counts (kb.core.published_cache)."""
    return cache.cached(f"strongest:{limit}", lambda: _strongest(kinds, limit))


def _strongest(kinds: list[tuple[type, ContentKind]], limit: int) -> list[tuple[str, int]]:
    """(model label, pk) of the strongest results, best first. Each kind ranks its own in
    SQL (one query, and what its headline reads), so the cost does not grow with the
    number of items shown."""
    candidates = []
    for model, _ in kinds:
        gain = model.headline_gain()
        if gain is None or not graded_models([model]):
            continue
        ranked = (
            model.objects.published()
            .annotate(gain=gain)
            .filter(gain__isnull=False)
            .order_by(f"-{EVIDENCE_FIELD}", "-gain", "-published_at", "-pk")
            .values_list(EVIDENCE_FIELD, "gain", "published_at", "pk")
        )
        candidates += [(model._meta.label, row) for row in ranked[:limit]]
    candidates.sort(key=lambda pair: (-pair[1][0], -pair[1][1], -pair[1][2].timestamp()))
    return [(label, row[3]) for label, row in candidates[:limit]]


def featured_choice(kinds: list[tuple[type, ContentKind]]) -> list[tuple[type, object]]:
    """(model, pk) of the newest featured items of every kind, as many as fill the featured
    grid's rows: all of them up to FEATURED, an even number once there are two or more."""
    featured = []
    for model, _ in kinds:
        published = model.objects.published().filter(featured=True)
        featured += [
            (model, pk, when) for pk, when in published.values_list("pk", "published_at")[:FEATURED]
        ]
    featured.sort(key=lambda row: row[2], reverse=True)
    shown = len(featured) if len(featured) < 2 else min(FEATURED, len(featured) // 2 * 2)
    return [(model, pk) for model, pk, _ in featured[:shown]]


def featured_items(
    kinds: list[tuple[type, ContentKind]], chosen: list[tuple[type, object]]
) -> list[tuple[ContentKind, object]]:
    """The chosen featured items (``featured_choice``) with what their cards show: the
    same queries for each kind whether it has any (by_pk asks even for none)."""
    found = {}
    for model, kind in kinds:
        pks = [pk for chosen_model, pk in chosen if chosen_model is model]
        items = by_pk(for_cards(model.objects.published()), pks)
        found |= {(model, item.pk): (kind, item) for item in items}
    return [found[key] for key in chosen if key in found]


def popular_tags(limit: int = POPULAR_TAGS) -> list[Tag]:
    """Tags by how much published content carries them (drafts don't leak their topics),
    cached until an item's publication or tags change (kb.core.published_cache)."""
    return cache.cached(f"popular_tags:{limit}", lambda: _popular_tags(limit))


def _popular_tags(limit: int) -> list[Tag]:
    models = [model for model, _ in kinds_where("on_topic_pages")]
    types = ContentType.objects.get_for_models(*models)
    published = Q()
    for model in models:
        published |= Q(
            core_taggeditem_items__content_type=types[model],
            core_taggeditem_items__object_id__in=model.objects.published().values("pk"),
        )
    return list(
        Tag.objects.annotate(uses=Count("core_taggeditem_items", filter=published))
        .filter(uses__gt=0)
        .order_by("-uses", "name")[:limit]
    )


def _home_totals(on_home: list[tuple[type, ContentKind]]) -> dict:
    """Published items of each kind (and how many are new), and per evidence level."""
    since = timezone.now() - timedelta(days=NEW_DAYS)
    counts = {}
    for model, _ in on_home:
        totals = (
            model.objects.published()
            .order_by()
            .aggregate(count=Count("pk"), new=Count("pk", filter=Q(published_at__gte=since)))
        )
        counts[model._meta.label] = (totals["count"], totals["new"])
    graded = graded_models([model for model, _ in on_home])
    return {
        "kinds": counts,
        "levels": count_levels([model.objects.published() for model in graded]),
    }


def home(request: HttpRequest) -> HttpResponse:
    """The home page: what every reader shares is rendered once until anything it shows
    changes (kb.core.fragments.shared_showing: what is published, and the items it shows);
    "for you" and the private feed link are the reader's own, put in their places on each
    request."""
    on_home = kinds_where("on_home")
    shared = fragments.shared_showing(
        "home",
        lambda: _home_choice(on_home),
        lambda chosen: render_to_string("home/_home_body.html", _home_body(on_home, chosen)),
    )
    feed = feed_url(request.user)
    own = {
        "for-you": render_to_string(
            "home/_for_you.html", {"for_you": for_you(request.user, limit=FOR_YOU)}, request
        ),
        "feed-link": render_to_string("home/_feed_link.html", {"feed_url": feed}, request),
    }
    body = mark_safe(fragments.fill(shared, **own))  # all three rendered by templates
    return render(request, "home/home.html", {"feed_url": feed, "body": body})


@dataclass(frozen=True)
class HomeChoice:
    """Which items the home page's shared part shows: the newest of each kind (model →
    pks), the featured ones and the strongest results' ranking."""

    newest: dict[type, list]
    featured: list[tuple[type, object]]
    strongest: list[tuple[str, int]]


def _home_choice(on_home: list[tuple[type, ContentKind]]) -> tuple[HomeChoice, list[str]]:
    """The items the home page shows, and their scopes (kb.core.fragments), read before
    it is rendered: one small query per kind for the newest, one for the featured, and
    the strongest results' ranking (kept with the published KB's counts)."""
    newest = {
        model: list(model.objects.published().values_list("pk", flat=True)[: kind.home_limit])
        for model, kind in on_home
    }
    featured = featured_choice(on_home)
    strongest = ranked_results(on_home)
    models = {model._meta.label: model for model, _ in on_home}
    shown = {(model, pk) for model, pks in newest.items() for pk in pks}
    shown |= set(featured)
    shown |= {(models[label], pk) for label, pk in strongest if label in models}
    scopes = sorted(fragments.item_scope(model, pk) for model, pk in shown)
    return HomeChoice(newest=newest, featured=featured, strongest=strongest), scopes


def _home_body(on_home: list[tuple[type, ContentKind]], chosen: HomeChoice) -> dict:
    sections = []
    totals = cache.cached("home_totals", lambda: _home_totals(on_home))
    for model, kind in on_home:
        count, new_count = totals["kinds"].get(model._meta.label, (0, 0))
        sections.append(
            Section(
                kind=kind,
                model_name=model._meta.model_name,
                items=by_pk(model.objects.published().with_card_keys(), chosen.newest[model]),
                count=count,
                new_count=new_count,
            )
        )
    return {
        "results": strongest_results(on_home, chosen.strongest),
        "evidence": EvidenceSummary(levels=totals["levels"], strongest=[]),
        "new_count": sum(section.new_count for section in sections),
        "new_days": NEW_DAYS,
        "sections": sections,
        "featured": featured_items(on_home, chosen.featured),
        "advocate_count": AdvocateProfile.objects.listed().count(),
        "popular_tags": popular_tags(),
    }


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything published with one tag, a section per kind, each linking to its full list.

    The sections, the evidence and the advocates are the same for every reader, so they
    are rendered once until anything they may show changes (kb.core.fragments); the follow
    button and the private feed link are the reader's own."""
    tag = get_object_or_404(Tag, slug=slug)
    body = fragments.shared(
        f"topic:{tag.pk}",
        lambda: render_to_string("home/_topic_body.html", _topic_body(tag)),
        [fragments.tag_scope(tag.pk)],
    )
    return render(request, "home/tag_detail.html", {"tag": tag, "body": mark_safe(body)})


def _topic_body(tag: Tag) -> dict:
    """What a topic page shows every reader. Which items its sections and evidence show,
    and how many, reads every item carrying the tag (a second for the commonest tags at
    100,000 items), so that choice is also kept with the published KB's counts
    (kb.core.published_cache), for when an edit elsewhere renders the part afresh."""
    on_topic_pages = kinds_where("on_topic_pages")
    chosen = cache.cached(f"topic:{tag.pk}", lambda: _topic_choice(tag, on_topic_pages))
    sections = []
    for model, kind in on_topic_pages:
        count, pks = chosen["sections"][model._meta.label]
        if count:
            sections.append(
                Section(
                    kind=kind,
                    model_name=model._meta.model_name,
                    cards=published_cards(model, pks),
                    count=count,
                )
            )
    strongest = []
    for model in graded_models([model for model, _ in on_topic_pages]):
        pks = [pk for label, pk in chosen["strongest"] if label == model._meta.label]
        strongest += by_pk(model.objects.published(), pks)
    strongest.sort(key=lambda item: (-item.evidence_level, -item.published_at.timestamp()))
    advocates = AdvocateProfile.objects.listed().filter(expertise=tag)
    return {
        "tag": tag,
        "evidence": EvidenceSummary(levels=chosen["levels"], strongest=strongest),
        "sections": sections,
        "advocates": advocates.for_cards()[:TAG_PAGE_SECTION],
        "advocate_count": advocates.count(),
    }


def _topic_choice(tag: Tag, on_topic_pages: list[tuple[type, ContentKind]]) -> dict:
    """What a topic page shows of each kind: how many carry the tag and the first few
    (model label → (count, pks)), and its evidence: counts per level and the strongest."""
    sections = {}
    for model, _ in on_topic_pages:
        tagged = model.objects.published().filter(tags=tag)
        pks = list(tagged.values_list("pk", flat=True)[:TAG_PAGE_SECTION])
        sections[model._meta.label] = (tagged.count() if pks else 0, pks)
    summary = evidence_summary(tag, [model for model, _ in on_topic_pages])
    return {
        "sections": sections,
        "levels": summary.levels,
        "strongest": [(type(item)._meta.label, item.pk) for item in summary.strongest],
    }


def related_list(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """Every published item of a kind related to one by its tags, most shared first: where
    the sidebar beside the item, which shows the first few, links to."""
    model = content_model_or_404(kind)
    declaration = kind_for(model)
    if declaration is None:
        raise Http404("No such kind of content.")
    subject = get_viewable_or_404(model.objects.prefetch_related("tags"), request, slug=slug)
    page = paginate(request, related_queryset(subject, for_cards(model.objects.published())))
    context = {"subject": subject, "kind": declaration, "page": page}
    return render(request, "home/related_list.html", context)


def tag_list(request: HttpRequest) -> HttpResponse:
    return render(request, "home/tag_list.html", {"tags": popular_tags(limit=500)})
