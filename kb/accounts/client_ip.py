"""The address a request came from, as far as the KB can trust it."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The connection's address, or with ``TRUSTED_PROXY_COUNT`` proxies of ours in front,
    the address the outermost of them saw (read from X-Forwarded-For).

    Each proxy appends the address it was reached from, so with n proxies the client is the
    n-th entry from the right; anything further left was written by the client and could
    be anything. A header shorter than that, or not an address, did not come through our
    proxies: the connection's address is used then.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote_addr
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote_addr
