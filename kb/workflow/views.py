"""Workflow pages: take an action on an item, the editors' review queue, and the trash."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from kb.core.lists import paginate
from kb.core.models import Content, Status, content_models
from kb.core.permissions import can_publish
from kb.core.views import content_model_or_404
from kb.workflow.forms import ActionForm
from kb.workflow.models import Action
from kb.workflow.services import RULES, TransitionError, content_transition, may_take


def content_action(request: HttpRequest, kind: str, slug: str, action: str) -> HttpResponse:
    """GET: a page to confirm the action (with a comment box); POST: take it."""
    if action not in RULES:
        raise Http404("No such action.")
    model = content_model_or_404(kind)
    manager = model.all_objects if action == Action.RESTORE else model.objects
    item = get_object_or_404(manager, slug=slug)
    if not (item.can_edit(request.user) or can_publish(request.user, item)):
        raise Http404("No such item.")  # someone else's draft stays invisible
    form = ActionForm(request.POST if request.method == "POST" else None, action=action)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            content_transition(
                item=item,
                action=action,
                user=request.user,
                comment=form.cleaned_data.get("comment", ""),
                publish_at=form.cleaned_data.get("publish_at"),
            )
        except TransitionError as exc:
            error = exc.message
        else:
            messages.success(request, _done_message(item, action))
            if action == Action.TRASH:
                return redirect("workflow:trash")
            return redirect(item)
    elif request.method == "GET" and not may_take(item, action, request.user):
        if not any(may_take(item, other, request.user) for other in RULES):
            raise PermissionDenied("You may not change this item's state.")
        error = f"“{Action(action).label}” does not apply to “{item}” as it is now."
    context = {
        "item": item,
        "action": Action(action),
        "form": form,
        "error": error,
        "trash_days": settings.KB_TRASH_DAYS,
    }
    return render(request, "workflow/action_form.html", context, status=400 if error else 200)


def _done_message(item: Content, action: str) -> str:
    if action == Action.PUBLISH and item.is_scheduled:
        return f"“{item}” is scheduled for {item.published_at:%d %B %Y %H:%M}."
    past = {
        Action.SUBMIT: "submitted for review",
        Action.WITHDRAW: "withdrawn from review",
        Action.PUBLISH: "published",
        Action.REQUEST_CHANGES: "sent back to its author with your comment",
        Action.UNPUBLISH: "unpublished",
        Action.TRASH: "moved to the trash; it can be restored from here",
        Action.RESTORE: "restored from the trash",
    }
    return f"“{item}” {past[action]}."


def review_queue(request: HttpRequest) -> HttpResponse:
    """What editors have to decide on, oldest submission first, and what is scheduled."""
    models = [model for model in content_models().values() if can_publish(request.user, model)]
    if not models:
        raise PermissionDenied("Only editors review submissions.")
    waiting, scheduled, returned = [], [], []
    for model in models:
        owner = model.OWNER_FIELD
        base = model.objects.select_related(f"{owner}__advocate_profile")
        waiting += base.filter(status=Status.IN_REVIEW)
        returned += base.filter(status=Status.CHANGES_REQUESTED)
        scheduled += base.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())
    context = {
        "waiting": sorted(waiting, key=lambda item: item.updated_at),
        "returned": sorted(returned, key=lambda item: item.updated_at),
        "scheduled": sorted(scheduled, key=lambda item: item.published_at),
    }
    return render(request, "workflow/review_queue.html", context)


def trash(request: HttpRequest) -> HttpResponse:
    """Trashed items the user may restore: editors see all, authors their own."""
    items = []
    for model in content_models().values():
        queryset = model.all_objects.restorable().select_related("deleted_by")
        if not can_publish(request.user, model) and not request.user.has_perm(
            f"{model._meta.app_label}.change_{model._meta.model_name}"
        ):
            queryset = queryset.filter(**{model.OWNER_FIELD: request.user.pk})
        items += queryset
    items.sort(key=lambda item: item.deleted_at, reverse=True)
    page = paginate(request, items)
    context = {
        "page": page,
        "object_list": page.object_list,
        "trash_days": settings.KB_TRASH_DAYS,
    }
    return render(request, "workflow/trash.html", context)
