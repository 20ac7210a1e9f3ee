"""Per-person rate limits on views that are cheap to ask and expensive to answer.

django-ratelimit counts in the cache; the rates are ``KB_RATE_LIMITS`` (settings, read on
each request). Past a limit the view raises ``RateLimitExceeded``, which
RatelimitMiddleware hands to ``RATELIMIT_VIEW`` for the 429 page.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited


class RateLimitExceeded(Ratelimited):
    """Ratelimited that knows when its window ends, for the Retry-After header."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many requests")
        self.retry_after = retry_after


def configured_rate(group: str, request: HttpRequest) -> str:
    """The group's rate in ``KB_RATE_LIMITS``, read on each request (django-ratelimit's
    callable ``rate``)."""
    return settings.KB_RATE_LIMITS[group]


def rate_limited(group: str) -> Callable:
    """Limit a view to ``KB_RATE_LIMITS[group]`` requests per signed-in person (per address
    for anyone else), every view of a group sharing one count."""
    if group not in settings.KB_RATE_LIMITS:
        raise KeyError(f"KB_RATE_LIMITS has no rate for {group!r}")

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            usage = get_usage(
                request, group=group, key="user_or_ip", rate=configured_rate, increment=True
            )
            if usage is not None and usage["should_limit"]:
                raise RateLimitExceeded(retry_after=max(usage["time_left"], 1))
            return view(request, *args, **kwargs)

        return limited

    return decorator
