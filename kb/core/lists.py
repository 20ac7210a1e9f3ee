"""List pages: filter with django-filter, paginate, and relate items by shared tags."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_filters import FilterSet

from kb.core import published_cache
from kb.core.models import TaggedItem


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    per_page: int | None = None,
    count: Callable[[], int] | None = None,
) -> Page:
    """The requested page; a missing, malformed or out-of-range number gives the nearest page.
    ``count``, when given, answers how many items there are instead of a COUNT query."""
    paginator = Paginator(queryset, per_page or settings.KB_PAGE_SIZE)
    if count is not None:
        paginator.count = count()  # a cached_property: set, it is never computed
    return paginator.get_page(request.GET.get("page"))


def render_filtered_list(
    request: HttpRequest,
    filterset_class: type[FilterSet],
    queryset: QuerySet,
    template_name: str,
    extra_context: dict | None = None,
    *,
    published_kind: bool = False,
    cards: Callable[[type, list], list[str]] | None = None,
) -> HttpResponse:
    """Render a filtered, paginated list. Invalid filter values are ignored and reported.

    ``published_kind``: ``queryset`` is every published item of its model (``published()``,
    annotated, never narrowed), so unfiltered, its count is that kind's published count,
    kept with the published KB's other counts (kb.core.published_cache) rather than
    counted on every page (15 ms at 16,000 items).

    ``cards``: gives the page's items' rendered cards (``cards(model, pks)``, which reads
    only the items whose cards are not kept), as ``cards`` for the template to show instead
    of rendering each item of ``object_list``."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    count = None
    if published_kind and set(request.GET) <= {"page"}:
        label = queryset.model._meta.label

        def count() -> int:
            return published_cache.cached(f"count:{label}", filterset.qs.count)

    page = paginate(request, filterset.qs, count=count)
    context = {
        "filter": filterset,
        "page": page,
        "object_list": page.object_list,
        "filter_errors": filterset.errors if filterset.is_bound else {},
        **(extra_context or {}),
    }
    if cards is not None:
        pks = list(page.object_list.values_list("pk", flat=True))
        context["cards"] = cards(queryset.model, pks)
    return render(request, template_name, context)


RELATED_SHOWN = 4  # beside an item; the page of all related items lists the rest


class Related(list):
    """The first few items related to one; ``more`` says that others share its tags too
    (the sidebar then links to them all)."""

    more: bool = False


# Shared tags are counted in the tag table alone, through its index on (content type,
# object id). Joining the tags to the items and grouping the items
# (``annotate(Count("tags"))``) made PostgreSQL cast every tag row's object id to the
# items' key type, which no index serves: a minute a page at 100,000 items.


def _tagged_like(obj, tag_ids: list[int], queryset: QuerySet) -> QuerySet:
    """The tag rows of the other items of ``queryset``'s model carrying these tags."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    return TaggedItem.objects.filter(content_type=content_type, tag_id__in=tag_ids).exclude(
        object_id=obj.pk
    )


def _shared_counts(tagged: QuerySet) -> QuerySet:
    return tagged.order_by().values("object_id").annotate(shared=Count("pk"))


def related_queryset(obj, queryset: QuerySet) -> QuerySet:
    """Other items of ``queryset`` sharing the most tags with ``obj``, newest first on ties
    (none when ``obj`` has no tags)."""
    return _related(obj, [tag.pk for tag in obj.tags.all()], queryset)


def _related(obj, tag_ids: list[int], queryset: QuerySet) -> QuerySet:
    tagged = _tagged_like(obj, tag_ids, queryset)
    shared = _shared_counts(tagged).filter(object_id=OuterRef("pk")).values("shared")
    return (
        queryset.filter(pk__in=tagged.values("object_id"))
        .exclude(pk=obj.pk)
        .annotate(shared_tags=Subquery(shared))
        .order_by("-shared_tags", "-published_at", "-pk")
    )


def related_by_tags(obj, limit: int = RELATED_SHOWN) -> Related:
    """The first ``limit`` published items of ``obj``'s kind in ``related_queryset`` order,
    and whether there are more.

    Which items they are reads every item carrying ``obj``'s commonest tag (several
    milliseconds a page at 100,000 items), yet changes only when an item is published,
    unpublished or re-tagged: so the choice is kept with the published KB's counts
    (kb.core.published_cache), keyed by ``obj``'s own tags, and the items themselves are
    read afresh, so an edited title shows at once."""
    tag_ids = sorted(tag.pk for tag in obj.tags.all())
    if not tag_ids:
        return Related()
    model = type(obj)
    published = model.objects.published()
    key = f"related:{model._meta.label}:{obj.pk}:{limit}:{','.join(map(str, tag_ids))}"
    pks, more = published_cache.cached(key, lambda: _related_choice(obj, tag_ids, published, limit))
    related = Related(by_pk(published, pks))
    related.more = more
    return related


def _related_choice(obj, tag_ids: list[int], queryset: QuerySet, limit: int) -> tuple:
    """(pks of the first ``limit`` related items, whether there are more): first the few
    items sharing two tags or more, ranked; then, if that leaves room, the newest sharing
    one, read down the date index rather than counted."""
    tagged = _tagged_like(obj, tag_ids, queryset)
    found: list[int] = []
    if len(tag_ids) > 1:
        several = _shared_counts(tagged).filter(shared__gte=2).values("object_id")
        found = list(
            _related(obj, tag_ids, queryset)
            .filter(pk__in=several)
            .values_list("pk", flat=True)[: limit + 1]
        )
    if len(found) <= limit:
        found += (
            queryset.filter(pk__in=tagged.values("object_id"))
            .exclude(pk__in=[obj.pk, *found])
            .order_by("-published_at", "-pk")
            .values_list("pk", flat=True)[: limit + 1 - len(found)]
        )
    return found[:limit], len(found) > limit


def by_pk(queryset: QuerySet, pks: list[int]) -> list:
    """The items with these pks, in their order (one query even for none: the same
    queries however many items there are)."""
    wanted = Q(pk__in=pks) if pks else Q(pk=None)
    found = {item.pk: item for item in queryset.filter(wanted)}
    return [found[pk] for pk in pks if pk in found]
