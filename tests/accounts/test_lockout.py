"""Sign-in lock-out (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one name
from one address even the right password is refused for a while, with a page saying when
to try again; other names and other addresses are unaffected; the admin's sign-in counts
too; an administrator unlocks in the admin or with `manage.py axes_reset`."""

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kb.accounts.client_ip import client_ip
from tests.factories import UserFactory

PASSWORD = "secret-pass-123"  # what UserFactory sets
HOME_ADDRESS = "10.1.1.1"
OTHER_ADDRESS = "10.2.2.2"
LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture
def wendy(db):
    return UserFactory(username="wendy")


def sign_in(client: Client, username: str, password: str, *, url: str = LOGIN, **extra):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=HOME_ADDRESS, **extra
    )


def fail_until_locked(client: Client, username: str, *, url: str = LOGIN, **extra):
    """The wrong password as often as the limit allows; the last answer is the lock-out."""
    responses = [
        sign_in(client, username, "wrong-password", url=url, **extra)
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert [r.status_code for r in responses[:-1]] == [200] * (len(responses) - 1)
    return responses[-1]


def assert_locked_out(response) -> None:
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    text = response.content.decode()
    assert "Sign-in paused" in text
    assert "Try again after" in text
    assert "ask an administrator" in text


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_the_defaults_lock_a_name_and_address_together_for_15_minutes() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_after_too_many_wrong_passwords_the_right_one_is_refused(client: Client, wendy) -> None:
    assert_locked_out(fail_until_locked(client, "wendy"))
    response = sign_in(client, "wendy", PASSWORD)
    assert_locked_out(response)
    assert "wendy" in response.content.decode()
    assert not signed_in(client)


def test_fewer_wrong_passwords_than_the_limit_still_let_the_right_one_in(
    client: Client, wendy
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wendy", "wrong-password").status_code == 200
    assert sign_in(client, "wendy", PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_lock_holds_only_that_name_from_that_address(client: Client, wendy) -> None:
    UserFactory(username="xavier")
    fail_until_locked(client, "wendy")
    # Someone else at the same desk signs in.
    assert sign_in(Client(), "xavier", PASSWORD).status_code == 302
    # Wendy herself, from another machine.
    other = Client()
    response = other.post(
        LOGIN, {"username": "wendy", "password": PASSWORD}, REMOTE_ADDR=OTHER_ADDRESS
    )
    assert response.status_code == 302
    assert signed_in(other)


def test_the_admin_sign_in_is_covered_too(client: Client, admin_user) -> None:
    assert_locked_out(fail_until_locked(client, "ada", url=ADMIN_LOGIN))
    assert_locked_out(sign_in(Client(), "ada", PASSWORD, url=ADMIN_LOGIN))
    # One count for the name and address, whichever sign-in page was used.
    assert_locked_out(sign_in(Client(), "ada", PASSWORD))


def test_an_administrator_unlocks_from_the_admin(client: Client, wendy, admin_client) -> None:
    fail_until_locked(client, "wendy")
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200
    assert "wendy" in page.content.decode()
    attempt = AccessAttempt.objects.get(username="wendy")
    response = admin_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "wendy", PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_reader_cannot_see_or_clear_the_attempts(client: Client, wendy, reader_client) -> None:
    fail_until_locked(client, "wendy")
    response = reader_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302  # to the admin's sign-in
    assert AccessAttempt.objects.filter(username="wendy").exists()


def test_axes_reset_unlocks_everyone(client: Client, wendy) -> None:
    fail_until_locked(client, "wendy")
    call_command("axes_reset", stdout=StringIO())
    assert sign_in(client, "wendy", PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_the_address_is_read_from_x_forwarded_for(
    settings, client: Client, wendy
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.9.9.9"}
    # The proxy appends the address it saw; whatever the client wrote before is ignored.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        last = client.post(
            LOGIN,
            {"username": "wendy", "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.10",
            **proxy,
        )
    assert_locked_out(last)
    assert AccessAttempt.objects.get().ip_address == "192.0.2.10"
    # Wendy at another desk behind the same proxy is not locked out.
    response = Client().post(
        LOGIN,
        {"username": "wendy", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.11",
        **proxy,
    )
    assert response.status_code == 302


def test_the_client_address_trusts_x_forwarded_for_only_as_far_as_configured(settings, rf) -> None:
    def address(forwarded: str | None, proxies: int) -> str:
        settings.TRUSTED_PROXY_COUNT = proxies
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return client_ip(rf.get("/", REMOTE_ADDR="10.9.9.9", **extra))

    assert address("192.0.2.10", 0) == "10.9.9.9", "no proxy configured: the header is anyone's"
    assert address("192.0.2.10", 1) == "192.0.2.10"
    assert address("6.6.6.6, 192.0.2.10", 1) == "192.0.2.10"
    assert address("6.6.6.6, 192.0.2.10, 10.8.8.8", 2) == "192.0.2.10"
    assert address("192.0.2.10", 2) == "10.9.9.9", "shorter than the proxies: not through them"
    assert address("not-an-address", 1) == "10.9.9.9"
    assert address(None, 1) == "10.9.9.9"
    assert address("2001:db8::1", 1) == "2001:db8::1"
