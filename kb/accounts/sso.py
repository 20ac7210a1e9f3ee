"""Single sign-on through a reverse proxy that authenticates people and passes on who
they are in a header (oauth2-proxy, Keycloak's gatekeeper, Apache's mod_auth_openidc…).

Off unless ``SSO_HEADER`` is set. The header is believed only on connections from
``SSO_TRUSTED_PROXIES``: from anywhere else it is ignored and logged, since anyone can
send any header. Built on Django's RemoteUserMiddleware and RemoteUserBackend.
"""

import ipaddress
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import RemoteUserBackend
from django.contrib.auth.middleware import RemoteUserMiddleware
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed, ValidationError
from django.http import HttpRequest

from kb.accounts.backends import KeptPermissions

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(entries: list[str]) -> list[Network]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"SSO_TRUSTED_PROXIES holds {entry!r}, which is not an address or CIDR range"
            ) from None
    return networks


def meta_key(header: str) -> str:
    """Where Django puts a request header: X-Remote-User → HTTP_X_REMOTE_USER."""
    return "HTTP_" + header.upper().replace("-", "_")


class TrustedProxyRemoteUserMiddleware(RemoteUserMiddleware):
    """Signs in the user the trusted proxy names, creating them if new.

    Someone signed in with a password (an administrator using the local sign-in) stays
    signed in on requests without the header.
    """

    force_logout_if_no_header = False

    def __init__(self, get_response) -> None:
        if not settings.SSO_HEADER:
            raise MiddlewareNotUsed
        self.header = meta_key(settings.SSO_HEADER)
        self.networks = trusted_networks(settings.SSO_TRUSTED_PROXIES)
        super().__init__(get_response)

    def from_trusted_proxy(self, request: HttpRequest) -> bool:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def process_request(self, request: HttpRequest) -> None:
        if self.header in request.META and not self.from_trusted_proxy(request):
            logger.warning(
                "Ignored the single sign-on header %s from %s, which is not a trusted proxy",
                settings.SSO_HEADER,
                request.META.get("REMOTE_ADDR", "an unknown address"),
            )
            return
        super().process_request(request)


def is_proxy_sign_in(request: HttpRequest, credentials: dict | None) -> bool:
    """Whether django-axes should leave a sign-in alone (``AXES_WHITELIST_CALLABLE``): one
    the proxy vouched for has no password to guess, and counting its failures (a header
    naming a deactivated account, say) would lock the proxy's address out for everyone
    who signs in through it."""
    return bool(credentials and "remote_user" in credentials)


class ReaderRemoteUserBackend(KeptPermissions, RemoteUserBackend):
    """Maps the proxy's username to the account of that name, or creates one.

    A new account joins the Reader group (kb.accounts.signals, as every new account does)
    and is never staff: roles above Reader are given in the admin, never by a header.
    """

    create_unknown_user = True

    def clean_username(self, username: str) -> str:
        return username.strip()

    def authenticate(self, request: HttpRequest, remote_user: str):
        username = self.clean_username(remote_user or "")
        User = get_user_model()
        try:
            User.username_validator(username)
            if not username or len(username) > User._meta.get_field("username").max_length:
                raise ValidationError("empty or too long")
        except ValidationError:
            logger.warning("Ignored the single sign-on username %r: not a valid username", username)
            return None
        return super().authenticate(request, remote_user)

    def configure_user(self, request: HttpRequest, user, created: bool = True):
        if created:
            # Signs in through the proxy only; no password to guess or to leak.
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user
