"""When the database cannot be reached: a 503 page that says so, not a 500.

PostgreSQL restarting, failing over or refusing more connections is an outage the site
lives through, not a bug: every request in that window answers "The KB is briefly
unavailable, try again in a minute" with ``Retry-After``, logs one line without a
traceback, and the next request reconnects by itself (``CONN_HEALTH_CHECKS`` and Django
closing a connection that failed at the end of its request), with no restart of the app.

The page comes from the project's ``handler500`` rather than a middleware's
``process_exception``, because that hook sees only errors raised by views, and the first
query of most requests runs before the view: the session and user that
LoginRequiredMiddleware reads.

What counts as the database being unreachable is narrow on purpose. Only PostgreSQL
errors about the connection itself: it could not be made or was lost (no SQLSTATE, or
class 08), the server is shutting down or starting up (57P01-57P03) or has no connection
slot left (53300). Anything else stays a 500 with its traceback, since it needs a fix
rather than a wait: a statement timeout or a deadlock (OperationalErrors too), and every
SQLite error. SQLite has no server to restart; its "database is locked" means a write
waited longer than its timeout, a sign the site has outgrown SQLite, and "unable to open
database file" a missing or unreadable file, neither of which goes away in a minute.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

# SQLSTATEs of a server that is going away, not up yet, or full.
UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300"}
RETRY_AFTER_SECONDS = 60


def _psycopg_error(error: BaseException) -> BaseException | None:
    """The psycopg error behind ``error`` (Django re-raises it as its own class)."""
    try:
        import psycopg
    except ImportError:  # SQLite only: PostgreSQL's driver need not be installed
        return None
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, psycopg.Error):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` means the database server cannot be reached right now."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = _psycopg_error(error)
    if cause is None:
        return False
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in UNAVAILABLE_STATES


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The project's handler500: the 503 page for an outage, Django's 500 page otherwise.

    Rendered without the request's context processors, which would ask the database
    (who is signed in, their unread notifications) that just failed.
    """
    if not database_unavailable(sys.exception()):
        return django_server_error(request)
    html = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
