"""View helpers shared by the content apps: permission-checked lookups, the health check and
the page that explains the evidence levels.

The create/edit flow lives in kb.content.editing, with the rest of the content lifecycle.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from kb.core.evidence import EXPLANATIONS
from kb.core.markdown import render_markdown
from kb.core.models import Content, content_models
from kb.core.permissions import can_add
from kb.core.ratelimits import rate_limited
from kb.core.tags import tag_suggestions


def content_model_or_404(kind: str) -> type[Content]:
    """The content model a shared URL names ("article", "casestudy", …), else a 404."""
    model = content_models().get(kind)
    if model is None:
        raise Http404("No such kind of content.")
    return model


def get_viewable_or_404(queryset: QuerySet, request: HttpRequest, **lookup) -> Model:
    """The object if this user may see it; a draft of someone else's is a 404, not a 403."""
    obj = get_object_or_404(queryset, **lookup)
    if not obj.can_view(request.user):
        raise Http404("No such item.")
    return obj


def get_editable_or_403(queryset: QuerySet, request: HttpRequest, **lookup) -> Model:
    """The object if this user may edit it. Who may see it but not edit it (a reader on a
    published item) gets a 403; who may not even see it gets the 404 of a missing item,
    so the edit URL does not confirm that someone else's draft exists."""
    obj = get_viewable_or_404(queryset, request, **lookup)
    if not obj.can_edit(request.user):
        raise PermissionDenied("You may not edit this item.")
    return obj


def require_add_permission(request: HttpRequest, model: type[Model]) -> None:
    if not can_add(request.user, model):
        raise PermissionDenied("Your role may not add this kind of item.")


@require_GET
def evidence_levels(request: HttpRequest) -> HttpResponse:
    """What each level of the evidence scale means, strongest first, with an example;
    every evidence badge links here."""
    levels = sorted(EXPLANATIONS.values(), key=lambda explained: -explained.level)
    return render(request, "core/evidence_levels.html", {"levels": levels})


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 while the app serves. Polled often, so it touches no
    database unless asked (``?db=1``): then 200 when the database answers, else 503, so a
    balancer may take out a server that lost its database. It is also the load test's
    ceiling: the cheapest request Django can answer through the whole middleware stack."""
    if request.GET.get("db") != "1":
        return JsonResponse({"status": "ok"})
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# As long as the longest Markdown field (an article's body).
MAX_PREVIEW_CHARS = 100_000


@require_POST
@rate_limited("preview")
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The editor's live preview: the sanitised HTML fragment the page will show."""
    # Browsers send a textarea's line breaks as CRLF; count them as the textarea does.
    text = request.POST.get("text", "").replace("\r\n", "\n")
    if len(text) > MAX_PREVIEW_CHARS:
        return HttpResponse(
            f"The preview stops at {MAX_PREVIEW_CHARS:,} characters; this text has {len(text):,}.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(render_markdown(text), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def tag_suggest(request: HttpRequest) -> JsonResponse:
    """Existing tags for what someone is typing (any case), for the tag fields and the list
    filters: ``{"tags": [{"name", "slug", "uses"}, …]}``."""
    return JsonResponse({"tags": tag_suggestions(request.GET.get("q", ""))})


def too_many_requests(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 429 page of a view past its rate limit (``RATELIMIT_VIEW``), with Retry-After."""
    retry_after = getattr(exception, "retry_after", 60)
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
