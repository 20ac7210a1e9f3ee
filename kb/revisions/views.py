"""History pages: the timeline of an item (revisions and workflow), diffs, and restore."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kb.core.models import Content
from kb.core.permissions import can_publish
from kb.core.views import content_model_or_404
from kb.revisions.diff import compare
from kb.revisions.models import Revision
from kb.revisions.services import revision_restore
from kb.workflow.models import Transition

TIMELINE_LIMIT = 200


def _item_for_history(request: HttpRequest, kind: str, slug: str) -> Content:
    """The item, for its owner and editors; others get a 404 (drafts) or a 403."""
    item = get_object_or_404(content_model_or_404(kind).objects.all(), slug=slug)
    if item.can_edit(request.user) or can_publish(request.user, item):
        return item
    if item.can_view(request.user):
        raise PermissionDenied("Only the author and editors see an item's history.")
    raise Http404("No such item.")


def history(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    item = _item_for_history(request, kind, slug)
    revisions = list(
        Revision.objects.for_item(item).select_related("author").defer("data")[:TIMELINE_LIMIT]
    )
    transitions = list(Transition.objects.for_item(item).select_related("actor")[:TIMELINE_LIMIT])
    timeline = sorted(
        [("revision", r.created_at, r) for r in revisions]
        + [("transition", t.created_at, t) for t in transitions],
        key=lambda entry: entry[1],
        reverse=True,
    )
    context = {
        "item": item,
        "timeline": timeline,
        "revisions": revisions,
        "can_restore": item.can_edit(request.user),
    }
    return render(request, "revisions/history.html", context)


def _number(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


def revision_compare(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """Compare two revisions, ?from=N&to=M (either order; the older is shown first)."""
    item = _item_for_history(request, kind, slug)
    numbers = [_number(request.GET.get("from")), _number(request.GET.get("to"))]
    if None in numbers:
        messages.error(request, "Choose two revisions to compare.")
        return redirect("revisions:history", kind=kind, slug=slug)
    old_number, new_number = sorted(numbers)
    found = {
        r.number: r
        for r in Revision.objects.for_item(item)
        .filter(number__in=[old_number, new_number])
        .select_related("author")
    }
    if old_number not in found or new_number not in found:
        raise Http404("No such revision.")
    old, new = found[old_number], found[new_number]
    context = {
        "item": item,
        "old": old,
        "new": new,
        "changes": compare(type(item), old.data, new.data),
        "can_restore": item.can_edit(request.user),
    }
    return render(request, "revisions/compare.html", context)


@require_POST
def revision_restore_view(request: HttpRequest, kind: str, slug: str, number: int) -> HttpResponse:
    item = _item_for_history(request, kind, slug)
    revision = get_object_or_404(Revision.objects.for_item(item), number=number)
    if not item.can_edit(request.user):
        raise PermissionDenied("You may not edit this item.")
    try:
        restored = revision_restore(item=item, revision=revision, user=request.user)
    except ValidationError as exc:
        problems = " ".join(exc.messages)
        messages.error(request, f"Revision {number} cannot be restored: {problems}")
        return redirect("revisions:history", kind=kind, slug=slug)
    messages.success(request, f"Revision {number} restored; it is now revision {restored.number}.")
    return redirect("revisions:history", kind=kind, slug=slug)
