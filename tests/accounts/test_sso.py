"""Single sign-on through a trusted reverse proxy: off by default; when on, the username
header is believed only from the configured proxies; new people become Readers, never
staff; existing people are themselves; a password sign-in still works for admins."""

import logging

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from kb.core.permissions import READER
from tests.factories import UserFactory

User = get_user_model()
PROXY = "10.0.0.5"
PASSWORD = "secret-pass-123"  # what UserFactory sets


@pytest.fixture
def sso(settings) -> None:
    settings.SSO_HEADER = "X-Remote-User"
    settings.SSO_TRUSTED_PROXIES = [PROXY, "192.168.7.0/24"]


def get_home(client: Client, username: str, address: str = PROXY):
    return client.get(reverse("home"), HTTP_X_REMOTE_USER=username, REMOTE_ADDR=address)


def signed_in_as(client: Client) -> str | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk).username if pk else None


def test_it_is_off_by_default(settings, client: Client) -> None:
    assert settings.SSO_HEADER == ""
    response = get_home(client, "newcomer")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not User.objects.filter(username="newcomer").exists()


def test_the_header_from_a_trusted_proxy_signs_in_a_new_reader(sso, client: Client) -> None:
    response = get_home(client, "newcomer")
    assert response.status_code == 200
    user = User.objects.get(username="newcomer")
    assert signed_in_as(client) == "newcomer"
    assert list(user.groups.values_list("name", flat=True)) == [READER]
    assert not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    # The session carries on without asking the proxy again.
    assert client.get(reverse("home"), REMOTE_ADDR=PROXY).status_code == 200


def test_a_proxy_inside_a_trusted_range_is_believed(sso, client: Client) -> None:
    assert get_home(client, "newcomer", address="192.168.7.23").status_code == 200
    assert signed_in_as(client) == "newcomer"


def test_the_header_from_anywhere_else_is_ignored_and_logged(
    sso, client: Client, reader, caplog
) -> None:
    with caplog.at_level(logging.WARNING, logger="kb.accounts.sso"):
        response = get_home(client, "rita", address="10.0.0.99")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert signed_in_as(client) is None
    assert "10.0.0.99" in caplog.text and "not a trusted proxy" in caplog.text


def test_an_existing_user_is_signed_in_as_themselves(sso, client: Client, reader) -> None:
    users_before = User.objects.count()
    assert get_home(client, "rita").status_code == 200
    assert signed_in_as(client) == "rita"
    assert User.objects.count() == users_before


def test_sso_never_makes_anyone_staff(sso, client: Client, reader) -> None:
    for name in ("rita", "admin", "root", "newcomer"):
        get_home(Client(), name)
    assert not User.objects.filter(
        username__in=["rita", "admin", "root", "newcomer"], is_staff=True
    ).exists()
    assert (
        not User.objects.filter(username__in=["admin", "root", "newcomer"])
        .exclude(groups=Group.objects.get(name=READER))
        .exists()
    )


def test_a_deactivated_account_is_not_signed_in(sso, client: Client) -> None:
    UserFactory(username="leaver", is_active=False)
    assert get_home(client, "leaver").status_code == 302
    assert signed_in_as(client) is None


def test_a_username_that_cannot_be_one_is_ignored(sso, client: Client) -> None:
    for name in ("", "   ", "a" * 151, "two words", "semi;colon", "x\x00y"):
        assert get_home(Client(), name).status_code == 302, repr(name)
    assert User.objects.count() == 0


def test_failed_proxy_sign_ins_never_lock_the_proxy_out(sso, client: Client, reader) -> None:
    """Axes guards passwords; a header naming a deactivated or malformed account, however
    often, must not pause everyone else who comes through the same proxy."""
    UserFactory(username="leaver", is_active=False)
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert get_home(Client(), "leaver").status_code == 302
        assert get_home(Client(), "no good").status_code == 302
    assert get_home(client, "rita").status_code == 200
    assert signed_in_as(client) == "rita"


def test_an_admin_still_signs_in_with_a_password(sso, client: Client, admin_user) -> None:
    response = client.post(
        reverse("login"), {"username": "ada", "password": PASSWORD}, REMOTE_ADDR=PROXY
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index"), REMOTE_ADDR=PROXY).status_code == 200
    assert signed_in_as(client) == "ada"
