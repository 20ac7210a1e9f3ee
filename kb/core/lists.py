"""List pages: filter with django-filter, paginate, and relate items by shared tags."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
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
) -> HttpResponse:
    """Render a filtered, paginated list. Invalid filter values are ignored and reported.

    ``published_kind``: ``queryset`` is every published item of its model (``published()``,
    annotated, never narrowed), so unfiltered, its count is that kind's published count,
    kept with the published KB's other counts (kb.core.published_cache) rather than
    counted on every page (15 ms at 16,000 items)."""
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


def related_by_tags(obj, queryset: QuerySet, limit: int = RELATED_SHOWN) -> Related:
    """The first ``limit`` of ``related_queryset``, and whether there are more: first the
    few items sharing two tags or more, ranked; then, if that leaves room, the newest
    sharing one, read down the date index rather than counted."""
    tag_ids = [tag.pk for tag in obj.tags.all()]
    if not tag_ids:
        return Related()
    tagged = _tagged_like(obj, tag_ids, queryset)
    found: list = []
    if len(tag_ids) > 1:
        several = _shared_counts(tagged).filter(shared__gte=2).values("object_id")
        found = list(_related(obj, tag_ids, queryset).filter(pk__in=several)[: limit + 1])
    if len(found) <= limit:
        found += (
            queryset.filter(pk__in=tagged.values("object_id"))
            .exclude(pk__in=[obj.pk, *(item.pk for item in found)])
            .order_by("-published_at", "-pk")[: limit + 1 - len(found)]
        )
    related = Related(found[:limit])
    related.more = len(found) > limit
    return related
