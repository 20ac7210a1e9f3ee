"""The source register as readers see it: every source with its rating, and each source's
published items."""

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kb.core.evidence import EVIDENCE_FIELD, EvidenceLevel, graded_models
from kb.core.lists import render_filtered_list
from kb.core.registry import ContentKind, kinds
from kb.sources.filters import SourceFilter
from kb.sources.models import Source


def sourced_kinds() -> list[tuple[type[models.Model], ContentKind]]:
    """The kinds of content that cite a source: those with a ``source`` key to the register.
    Found through the registry, so this app imports none of them."""
    found = []
    for model, kind in kinds():
        try:
            field = model._meta.get_field("source")
        except FieldDoesNotExist:
            continue
        if field.is_relation and field.related_model is Source:
            found.append((model, kind))
    return found


def _published_count(model: type[models.Model]) -> Subquery:
    return Coalesce(
        Subquery(
            model.objects.published()
            .filter(source=OuterRef("pk"))
            .order_by()
            .values("source")
            .annotate(count=Count("pk"))
            .values("count"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def source_list(request: HttpRequest) -> HttpResponse:
    counts = [_published_count(model) for model, _kind in sourced_kinds()]
    queryset = Source.objects.annotate(
        item_count=sum(counts[1:], counts[0]) if counts else Value(0)
    )
    return render_filtered_list(request, SourceFilter, queryset, "sources/source_list.html")


class EvidenceAtLeastForm(forms.Form):
    evidence = forms.TypedChoiceField(
        label="Evidence at least",
        choices=[("", "Any evidence"), *EvidenceLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source.objects.select_related("rated_by"), slug=slug)
    # A level off the scale is reported above the list and ignored, as on the other lists.
    form = EvidenceAtLeastForm(request.GET)
    at_least = form.cleaned_data.get("evidence") if form.is_valid() else None
    graded = graded_models([model for model, _kind in sourced_kinds()])
    # Newest first across kinds: order the keys, then fetch only the page's items as cards.
    keys = []
    for model, kind in sourced_kinds():
        published = model.objects.published().filter(source=source)
        if at_least is not None:
            if model not in graded:
                continue  # ungraded items cannot be at a level
            published = published.filter(**{f"{EVIDENCE_FIELD}__gte": at_least})
        rows = published.values_list("published_at", "pk")
        keys += [(published_at, pk, model, kind) for published_at, pk in rows]
    keys.sort(key=lambda key: (key[0], key[1]), reverse=True)
    page = Paginator(keys, settings.KB_PAGE_SIZE).get_page(request.GET.get("page"))
    cards = {}
    for model, kind in sourced_kinds():
        pks = [pk for _at, pk, key_model, _kind in page.object_list if key_model is model]
        if pks:
            for item in model.objects.for_cards().filter(pk__in=pks):
                cards[model, item.pk] = (kind.card_template, item)
    context = {
        "source": source,
        "domains": source.domains.all(),
        "page": page,
        "cards": [cards[model, pk] for _at, pk, model, _kind in page.object_list],
        "filter": form,
        "filter_errors": form.errors,
    }
    return render(request, "sources/source_detail.html", context)
