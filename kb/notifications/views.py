"""Notification pages: the signed-in user's list, opening one, marking all read."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kb.core.lists import paginate
from kb.notifications.models import Notification


def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, request.user.notifications.select_related("actor"))
    context = {"page": page, "object_list": page.object_list}
    return render(request, "notifications/notification_list.html", context)


def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's notification is a 404, not a 403: its existence is nobody's business.
    notification = get_object_or_404(Notification, pk=pk, recipient_id=request.user.pk)
    notification.mark_read()
    return redirect(notification.safe_url)


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = request.user.notifications.mark_read()
    if count:
        noun = "notification" if count == 1 else "notifications"
        messages.success(request, f"Marked {count} {noun} as read.")
    else:
        messages.info(request, "You had no unread notifications.")
    return redirect("notifications:list")
