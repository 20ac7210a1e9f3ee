"""Wrong passwords from one address, whatever the names: a ceiling on password spraying.

django-axes locks a name at an address after a few wrong passwords, and only that pair,
so nobody can lock a colleague (or an office behind one address) out. One address trying
a common password against many names never trips it. So the wrong passwords each address
sends are counted too, whatever the names (django-ratelimit, in the cache), and once they
pass ``KB_RATE_LIMITS["sign-in failures"]`` the address's sign-ins, the site's and the
admin's, answer the 429 page until the window ends. The default is far above what people
mistyping behind one address reach, and far below a spraying run.
"""

from collections.abc import Callable

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django_ratelimit.core import get_usage

from kb.accounts.client_ip import client_ip
from kb.core.ratelimits import RateLimitExceeded, configured_rate
from kb.core.views import too_many_requests

GROUP = "sign-in failures"


def _address(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def _usage(request: HttpRequest, *, increment: bool) -> dict | None:
    return get_usage(request, group=GROUP, key=_address, rate=configured_rate, increment=increment)


@receiver(user_login_failed, dispatch_uid="accounts_count_sign_in_failures")
def count_failure(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    if request is not None:
        _usage(request, increment=True)


def throttle_sign_in(get_response: Callable[[HttpRequest], HttpResponse]):
    """Refuse a sign-in from an address past its wrong passwords, before any is checked."""
    sign_in_paths: set[str] = set()

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            if not sign_in_paths:
                sign_in_paths.update({reverse("login"), reverse("admin:login")})
            if request.path_info in sign_in_paths:
                usage = _usage(request, increment=False)
                if usage is not None and usage["should_limit"]:
                    return too_many_requests(
                        request, RateLimitExceeded(retry_after=max(usage["time_left"], 1))
                    )
        return get_response(request)

    return middleware
