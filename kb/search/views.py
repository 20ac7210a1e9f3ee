"""The search results page and the search-as-you-type endpoint."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from kb.core.ratelimits import rate_limited
from kb.search import pages, service
from kb.search.forms import SearchForm

FACET_VALUES_SHOWN = 12


@require_GET
def search_results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    form.is_valid()  # invalid fields are dropped from cleaned_data and listed as errors
    text = form.cleaned_data.get("q", "")
    active = form.filters()
    sort = form.cleaned_data.get("sort") or "relevance"
    matched = service.prepare(text, user=request.user, filters=active)
    # The results of a full page seen by someone who sees only what is public are the
    # same for everyone like them (kb.search.pages); they depend on the whole query string.
    page_key = None
    body = None
    if matched.public_only and len(matched.hits) >= settings.KB_PAGE_SIZE:
        params = sorted((name, tuple(values)) for name, values in request.GET.lists())
        page_key = pages.key(matched.key(), tuple(params))
        body = pages.get(page_key, matched.sets, matched.hits)
    if body is None:
        results = service.results(
            matched,
            sort=sort,
            page=request.GET.get("page"),
            per_page=settings.KB_PAGE_SIZE,
            facet_limit=FACET_VALUES_SHOWN,
        )
        body = render_to_string(
            "search/results_body.html",
            _body_context(request, form, results, active, sort),
            request,
        )
        if page_key is not None:
            pages.put(page_key, matched.sets, matched.hits, body)
    context = {"text": text, "hidden_filters": active, "sort": sort, "body": body}
    return render(request, "search/results.html", context)


def _body_context(
    request: HttpRequest,
    form: SearchForm,
    results: service.SearchResults,
    active: dict[str, str],
    sort: str,
) -> dict:
    link = _Links(request)
    labels = {(f.name, f.value): f.label for f in results.all_facet_values()}
    facets = [
        {
            "title": facet.label,
            "values": [
                {
                    "label": value.label,
                    "count": value.count,
                    "selected": active.get(name) == value.value,
                    "url": link.to(**{name: value.value}),
                }
                for place, value in enumerate(results.facets.get(name, []))
                # The dozen commonest, and the chosen value even when ties push it further.
                if place < FACET_VALUES_SHOWN or active.get(name) == value.value
            ],
        }
        for name, facet in service.facet_fields().items()
        if results.facets.get(name)
    ]
    active_filters = [
        {
            "title": service.facet_fields()[name].label,
            "label": labels.get((name, value), value),
            "remove_url": link.to(**{name: None}),
        }
        for name, value in active.items()
    ]
    return {
        "results": results,
        "page": results.page,
        "facets": facets,
        "active_filters": active_filters,
        "sort": sort,
        "form_errors": {k: v for k, v in form.errors.items() if k != "q"},
    }


class _Links:
    """Query strings of this page with some parameters changed, back on page 1.

    The page links every facet value (up to 70), so the request's parameters are read
    once rather than the QueryDict deep-copied for each link.
    """

    def __init__(self, request: HttpRequest) -> None:
        self.params = {name: values for name, values in request.GET.lists() if name != "page"}

    def to(self, **changes: str | None) -> str:
        params = dict(self.params)
        for name, value in changes.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = [value]
        return "?" + urlencode(params, doseq=True)


@require_GET
@rate_limited("suggest")
def search_suggest(request: HttpRequest) -> JsonResponse:
    text = request.GET.get("q", "")[:200]
    return JsonResponse(service.suggest(text, user=request.user))
