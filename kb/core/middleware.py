"""Requests no page can answer, refused before any view reads them, and the headers every
response carries."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


class NullCharacterInRequest(SuspiciousOperation):
    """An address or query parameter holds a NUL character."""


def reject_null_characters(get_response: Callable[[HttpRequest], HttpResponse]):
    """A NUL character in the path or the query string answers 400 (Bad request).

    No text the KB stores or looks up may hold one, and PostgreSQL refuses it in any
    statement: a view passing such a value to the database (a username in the address,
    a typed tag) would otherwise fail with a 500. Forms refuse it in what they post.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise NullCharacterInRequest("NUL character in the request's address")
        return get_response(request)

    return middleware


def announced_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def refuse_oversized_bodies(get_response: Callable[[HttpRequest], HttpResponse]):
    """A request announcing a body larger than ``KB_REQUEST_MAX_BYTES`` answers 413 before
    a byte of it is read.

    Django checks ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only for form fields: a multipart file is
    streamed to a temporary file whole, and the form's own size check comes after, so a
    60 MB upload was read to the end and only then refused. A body without a length (and
    Django reads none) costs nothing; the server in front should cap bodies too.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        limit = settings.KB_REQUEST_MAX_BYTES
        if (size := announced_length(request)) <= limit:
            return get_response(request)
        message = (
            f"That is too large to send: at most {filesizeformat(limit)} at once, "
            f"and this was {filesizeformat(size)}."
        )
        # The editor's upload asks for JSON and shows its "error".
        if "application/json" in request.headers.get("Accept", ""):
            response = JsonResponse({"error": message}, status=413)
        else:
            response = render(request, "413.html", {"message": message}, status=413)
        return response

    return middleware


def permissions_policy(get_response: Callable[[HttpRequest], HttpResponse]):
    """Every response denies the browser features in ``KB_PERMISSIONS_POLICY`` to the page
    and anything it embeds: no page of the KB needs a camera or a location, so a script
    that slipped past the sanitiser could not ask for one either."""
    header = ", ".join(f"{feature}=()" for feature in settings.KB_PERMISSIONS_POLICY)

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", header)
        return response

    return middleware
