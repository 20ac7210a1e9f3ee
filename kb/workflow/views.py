"""Workflow pages: take an action on an item, an author's own work, the editors' review
queue, and the trash."""

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from kb.core.lists import paginate
from kb.core.models import Content, Status, content_models
from kb.core.permissions import can_add, can_publish
from kb.core.registry import kinds
from kb.core.views import content_model_or_404
from kb.workflow.forms import ActionForm
from kb.workflow.models import Action, Transition
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


# How many of an author's published items "My work" lists, newest first.
MY_PUBLISHED_LIMIT = 20


def my_work(request: HttpRequest) -> HttpResponse:
    """An author's home: their items of every kind by where they stand in the workflow,
    the editor's comment on what came back, and, for editors, what waits for review.

    One query per kind of content for the author's items, one for the editors' comments
    and, for editors, one count per kind they review: the page costs the same however
    much an author has written.
    """
    user = request.user
    sections: dict[str, list[Content]] = {
        "drafts": [],
        "in_review": [],
        "changes_requested": [],
        "scheduled": [],
        "published": [],
    }
    now = timezone.now()
    for model, _kind in kinds():
        for item in model.objects.filter(**{model.OWNER_FIELD: user}).order_by("-updated_at"):
            if item.status == Status.PUBLISHED:
                due = item.published_at is None or item.published_at <= now
                sections["published" if due else "scheduled"].append(item)
            elif item.status == Status.IN_REVIEW:
                sections["in_review"].append(item)
            elif item.status == Status.CHANGES_REQUESTED:
                sections["changes_requested"].append(item)
            else:  # a draft, or taken down again: both are the author's to work on
                sections["drafts"].append(item)
    sections["published"].sort(key=lambda item: item.published_at, reverse=True)
    sections["scheduled"].sort(key=lambda item: item.published_at)
    _attach_change_requests(sections["changes_requested"])
    reviewable = [model for model, _ in kinds() if can_publish(user, model)]
    context = {
        **{name: items for name, items in sections.items() if name != "published"},
        "published": sections["published"][:MY_PUBLISHED_LIMIT],
        "published_total": len(sections["published"]),
        # Their published items whose review date has come, longest overdue first.
        "due_for_review": sorted(
            (item for item in sections["published"] if item.is_due_for_review),
            key=lambda item: item.review_by,
        ),
        "writable": [kind for model, kind in kinds() if can_add(user, model)],
        "is_editor": bool(reviewable),
        "waiting_for_review": sum(
            model.objects.filter(status=Status.IN_REVIEW).count() for model in reviewable
        ),
    }
    return render(request, "workflow/my_work.html", context)


def _attach_change_requests(items: list[Content]) -> None:
    """Give each item sent back to its author the editor's latest "request changes"
    transition (as ``change_request``), all in one query."""
    if not items:
        return
    types = ContentType.objects.get_for_models(*{type(item) for item in items})
    keys = {(types[type(item)].pk, item.pk): item for item in items}
    requests = Transition.objects.filter(
        action=Action.REQUEST_CHANGES,
        content_type__in=[ct.pk for ct in types.values()],
        object_id__in=[item.pk for item in items],
    ).select_related("actor")
    for transition in requests:  # newest first: the first one seen per item is the latest
        item = keys.get((transition.content_type_id, transition.object_id))
        if item is not None and not hasattr(item, "change_request"):
            item.change_request = transition
    for item in items:
        if not hasattr(item, "change_request"):
            item.change_request = None


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
