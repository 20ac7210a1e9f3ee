"""Requests no page can answer, refused before any view reads them."""

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse


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
