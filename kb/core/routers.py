"""Read replicas: a request reads from a replica and writes to the primary, and whoever
has just written reads from the primary until the replicas have caught up.

With ``DATABASE_REPLICA_URL`` set (settings.KB_READ_REPLICAS names the aliases) a GET or
HEAD request reads from one replica, picked at random per request. The primary answers

- every read of a request that has written (the router saw a write), and of the
  requests after it from the same browser for ``KB_REPLICA_PIN_SECONDS``: a cookie
  records the pin, so a user sees their own change at once however far a replica lags;
- every read of a POST, PUT, PATCH or DELETE, which may decide what it writes on what it
  read;
- every read inside a transaction, for the same reason;
- sessions, which a sign-in writes and the very next request reads;
- everything outside a request (management commands, cron jobs): ``send_digests`` and
  ``purge_trash`` must not act on a lagging copy.

Migrations run on the primary only; replicas receive the schema by replication.
Without replicas the router decides nothing and every query goes to the one database.
"""

import random
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "kb_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Read right after another request wrote them, so never from a replica.
PRIMARY_ONLY_APPS = {"sessions"}


@dataclass
class _RequestReads:
    replica: str | None  # where the request's reads go until it writes; None: the primary
    wrote: bool = False


_request: ContextVar[_RequestReads | None] = ContextVar("kb_request_reads", default=None)


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[Model], **hints) -> str | None:
        if not settings.KB_READ_REPLICAS:
            return None
        reads = _request.get()
        if (
            reads is None
            or reads.replica is None
            or reads.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return reads.replica

    def db_for_write(self, model: type[Model], **hints) -> str | None:
        if not settings.KB_READ_REPLICAS:
            return None
        reads = _request.get()
        if reads is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints) -> bool | None:
        # Replicas are copies of the primary: an object read from one may point to another.
        copies = {DEFAULT_DB_ALIAS, *settings.KB_READ_REPLICAS}
        if obj1._state.db in copies and obj2._state.db in copies:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool | None:
        return False if db in settings.KB_READ_REPLICAS else None


def read_your_writes(get_response: Callable[[HttpRequest], HttpResponse]):
    """Middleware: give the request its replica, and pin a browser that wrote to the
    primary for a while."""

    def middleware(request: HttpRequest) -> HttpResponse:
        replicas = settings.KB_READ_REPLICAS
        if not replicas:
            return get_response(request)
        on_primary = request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES
        reads = _RequestReads(replica=None if on_primary else random.choice(replicas))
        token = _request.set(reads)
        try:
            response = get_response(request)
        finally:
            _request.reset(token)
        if reads.wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.KB_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    return middleware
