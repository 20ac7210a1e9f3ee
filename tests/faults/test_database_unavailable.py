"""PostgreSQL going away answers a clean 503 page, and the next request works again.

When the database cannot be reached (restarting, failing over, out of connection slots),
every request answers "The KB is briefly unavailable, try again in a minute" with
Retry-After, logs one line without a traceback, and the app reconnects on its own. Other
database errors stay 500s with their traceback: they need a fix, not a wait.

The PostgreSQL tests go through Django's WSGI handler itself, as gunicorn calls it, so
the connection is checked and closed at request boundaries as in production (the test
client skips that), and they break only the test's own connection: the server is shared.
"""

import io
import socket
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection
from django.test import Client

from kb.core.unavailable import database_unavailable

BRIEFLY = "The KB is briefly unavailable, try again in a minute"


def _django_error(cause: Exception) -> OperationalError:
    """``cause`` as Django re-raises a driver's error: its own class, the driver's as cause."""
    try:
        try:
            raise cause
        except Exception as driver_error:
            raise OperationalError(*driver_error.args) from driver_error
    except OperationalError as error:
        return error


@pytest.fixture
def production_client(settings) -> Client:
    """DEBUG off, as deployed; the client sees the error page, not the exception."""
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def _fail_the_session_lookup(monkeypatch, error: Exception) -> None:
    """The first query of a signed-in request, which runs in LoginRequiredMiddleware
    before any view, meets ``error``."""

    def load(self):
        raise error

    monkeypatch.setattr(SessionStore, "load", load)


def _request_log(caplog: pytest.LogCaptureFixture) -> list:
    return [record for record in caplog.records if record.name == "django.request"]


def test_a_lost_database_answers_the_503_page_before_any_view_runs(
    reader: User, production_client: Client, monkeypatch, caplog
) -> None:
    production_client.force_login(reader)
    lost = psycopg.OperationalError("server closed the connection unexpectedly")
    _fail_the_session_lookup(monkeypatch, _django_error(lost))

    response = production_client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert BRIEFLY in html and "kb.css" in html  # the site's own look
    assert "Traceback" not in html and "OperationalError" not in html
    [record] = _request_log(caplog)
    assert record.levelname == "ERROR" and record.exc_info is None
    assert record.getMessage() == (
        "Service Unavailable: / (the database is unreachable: "
        "server closed the connection unexpectedly)"
    )


@pytest.mark.parametrize(
    "cause",
    [
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.errors.CannotConnectNow("the database system is starting up"),
        psycopg.errors.TooManyConnections("sorry, too many clients already"),
        psycopg.errors.ConnectionFailure("connection failure"),
    ],
    ids=type,
)
def test_postgresql_going_away_starting_or_full_is_an_outage(cause: Exception) -> None:
    assert database_unavailable(_django_error(cause))


@pytest.mark.parametrize(
    "cause",
    [
        # Each needs a fix, not a wait, and its traceback says where.
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
        psycopg.errors.DeadlockDetected("deadlock detected"),
        sqlite3.OperationalError("database is locked"),
        sqlite3.OperationalError("unable to open database file"),
    ],
    ids=str,
)
def test_other_database_errors_stay_server_errors(
    cause: Exception, reader: User, production_client: Client, monkeypatch, caplog
) -> None:
    assert not database_unavailable(_django_error(cause))
    production_client.force_login(reader)
    _fail_the_session_lookup(monkeypatch, _django_error(cause))

    response = production_client.get("/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    [record] = _request_log(caplog)
    assert record.exc_info is not None  # the traceback is kept for whoever fixes it


# --- a real PostgreSQL connection lost mid-request --------------------------------------


def _wsgi_get(path: str, cookie: str) -> tuple[int, dict[str, str], str]:
    """One GET through Django's WSGI handler as gunicorn makes it, closing the response
    (which is when Django closes a connection that failed)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    started = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        started["status"], started["headers"] = int(status.split()[0]), dict(headers)

    response = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(response).decode()
    finally:
        response.close()
    return started["status"], started["headers"], body


def _terminate(pid: int) -> None:
    """End one backend of the test database from a second connection, as a server
    restart does to every backend (only ours: the server is shared)."""
    params = connection.settings_dict
    with psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        dbname=params["NAME"],
        autocommit=True,
    ) as other:
        # The second argument waits, up to 5 s, until the backend has gone.
        (ended,) = other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()
    assert ended


@contextmanager
def _terminated_before_query(number: int) -> Iterator[list[int]]:
    """Terminate the app's own connection just before its ``number``th query, after the
    health check that opens each request has passed: the restart lands mid-request."""
    seen: list[int] = []

    def wrapper(execute: Callable, sql, params, many, context):
        seen.append(1)
        if len(seen) == number:
            _terminate(connection.connection.info.backend_pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


@pytest.fixture
def reader_cookie(reader: User) -> str:
    client = Client()
    client.force_login(reader)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.mark.parametrize("query", [1, 3], ids=["before the view", "inside the view"])
@pytest.mark.postgres
# The app's connection must see committed rows; serialized_rollback restores the roles.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_terminated_mid_request_answers_503_and_the_next_request_reconnects(
    query: int, reader_cookie: str, caplog
) -> None:
    assert _wsgi_get("/", reader_cookie)[0] == 200
    pid = connection.connection.info.backend_pid

    with _terminated_before_query(query) as seen:
        status, headers, html = _wsgi_get("/", reader_cookie)

    assert len(seen) >= query, "the request reached the query that met the restart"
    assert status == 503 and headers["Retry-After"] == "60"
    assert BRIEFLY in html and "Traceback" not in html
    [record] = [r for r in _request_log(caplog) if r.levelname == "ERROR"]
    assert record.exc_info is None and "the database is unreachable" in record.getMessage()
    # No restart of the app: the very next request opens a new connection and succeeds.
    status, _, html = _wsgi_get("/", reader_cookie)
    assert status == 200 and "Rita" in html
    assert connection.connection.info.backend_pid != pid


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_server_refusing_connections_answers_503_until_it_is_back(
    reader_cookie: str, caplog
) -> None:
    params = connection.settings_dict
    host, port = params["HOST"], params["PORT"]
    connection.close()
    # While the server restarts nothing listens on its port: connecting is refused.
    params["HOST"], params["PORT"] = "127.0.0.1", str(_closed_port())
    try:
        first = _wsgi_get("/", reader_cookie)
        second = _wsgi_get("/articles/", reader_cookie)
    finally:
        connection.close()
        params["HOST"], params["PORT"] = host, port

    assert [first[0], second[0]] == [503, 503]
    assert BRIEFLY in first[2] and "Traceback" not in first[2]
    errors = [r for r in _request_log(caplog) if r.levelname == "ERROR"]
    assert len(errors) == 2 and all(r.exc_info is None for r in errors)
    assert _wsgi_get("/", reader_cookie)[0] == 200
