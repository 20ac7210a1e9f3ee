"""Confirming an item is still accurate, and the editors' list of what needs review."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kb.core.lists import paginate
from kb.core.permissions import can_publish
from kb.core.registry import kinds
from kb.core.views import content_model_or_404, get_viewable_or_404
from kb.freshness.forms import OverdueFilterForm
from kb.freshness.overdue import needing_review
from kb.freshness.services import content_verify


@require_POST
def verify(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """The owner or an editor confirms the item is still accurate."""
    model = content_model_or_404(kind)
    item = get_viewable_or_404(model.objects.all(), request, slug=slug)
    try:
        content_verify(item=item, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            f"Thank you: “{item}” is confirmed as still accurate. "
            f"Next review by {item.review_by:%-d %B %Y}.",
        )
    return redirect(item)


@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """Published items due for review or with a broken source link, for editors, the
    longest overdue first; filterable by owner, department and reason."""
    if not any(can_publish(request.user, model) for model, _ in kinds()):
        raise PermissionDenied("Only editors see every item due for review.")
    entries = needing_review(timezone.localdate())
    form = OverdueFilterForm(request.GET or None, entries=entries)
    errors = {}
    if form.is_bound:
        form.is_valid()
        errors = {
            form.fields[name].label or name.capitalize(): e for name, e in form.errors.items()
        }
        entries = form.apply(entries)
    page = paginate(request, entries)
    context = {
        "filter": SimpleNamespace(form=form),
        "filter_errors": errors,
        "page": page,
        "object_list": page.object_list,
        "today": timezone.localdate(),
    }
    return render(request, "freshness/overdue_list.html", context)
