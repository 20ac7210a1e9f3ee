"""Errors answer with the site's own friendly pages, never a stack trace."""

import pytest
from django.test import Client
from django.urls import path

from kb.core.views import healthz


def boom(request):
    raise RuntimeError("unexpected")


urlpatterns = [path("boom/", boom), path("healthz", healthz)]


def test_an_unknown_address_shows_the_friendly_404(reader_client):
    response = reader_client.get("/no/such/page/")
    assert response.status_code == 404
    assert "There is nothing at this address" in response.content.decode()


def test_a_forbidden_action_shows_the_friendly_403(reader_client):
    response = reader_client.get("/articles/new/")
    assert response.status_code == 403
    assert "Your role does not let you do that" in response.content.decode()


@pytest.mark.urls(__name__)
def test_an_unexpected_error_shows_the_friendly_500(reader, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(reader)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "RuntimeError" not in html


def test_the_health_check_answers_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.fixture
def production_client(settings) -> Client:
    """A client against DEBUG-off settings that sees responses, not raised exceptions."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", ["/", "/healthz", "/accounts/login/", "/feeds/x/latest.atom"])
def test_an_unknown_host_is_a_bad_request_not_a_server_error(
    db, production_client: Client, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    # CommonMiddleware rejects the host before AuthenticationMiddleware sets request.user,
    # so the 400 page renders for a request that has no user at all.
    response = production_client.get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert [record.name for record in caplog.records] == ["django.security.DisallowedHost"]
