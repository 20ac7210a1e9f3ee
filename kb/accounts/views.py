"""The page someone sees when django-axes has paused sign-ins for their name and address."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """429 with when to try again and whom to ask (``AXES_LOCKOUT_CALLABLE``); it answers
    the site's sign-in and the admin's alike."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "username": (credentials or {}).get("username") or request.POST.get("username", ""),
        "minutes": int(cool_off.total_seconds() // 60),
        "retry_at": timezone.localtime() + cool_off,
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
