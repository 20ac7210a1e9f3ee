"""List pages: filter with django-filter, paginate, and relate items by shared tags."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_filters import FilterSet


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int | None = None) -> Page:
    """The requested page; a missing, malformed or out-of-range number gives the nearest page."""
    paginator = Paginator(queryset, per_page or settings.KB_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def render_filtered_list(
    request: HttpRequest,
    filterset_class: type[FilterSet],
    queryset: QuerySet,
    template_name: str,
    extra_context: dict | None = None,
) -> HttpResponse:
    """Render a filtered, paginated list. Invalid filter values are ignored and reported."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    page = paginate(request, filterset.qs)
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


def related_queryset(obj, queryset: QuerySet) -> QuerySet:
    """Other items of ``queryset`` sharing the most tags with ``obj``, newest first on ties
    (none when ``obj`` has no tags)."""
    tag_ids = [tag.pk for tag in obj.tags.all()]
    return (
        queryset.filter(tags__in=tag_ids)
        .exclude(pk=obj.pk)
        .annotate(shared_tags=Count("tags"))
        .order_by("-shared_tags", "-published_at", "-pk")
    )


def related_by_tags(obj, queryset: QuerySet, limit: int = RELATED_SHOWN) -> Related:
    """The first ``limit`` of ``related_queryset``, in one query: one more is fetched to
    know whether there are others."""
    if not obj.tags.all():
        return Related()
    items = list(related_queryset(obj, queryset)[: limit + 1])
    related = Related(items[:limit])
    related.more = len(items) > limit
    return related
