"""Password spraying: one address trying a password against many names never trips the
lock-out of a name at an address (test_lockout), so each address's wrong passwords are
counted whatever the names, and past the limit its sign-ins answer 429 until the window
ends, on the site's sign-in and the admin's. Right passwords never count, and other
addresses are unaffected."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from kb.core.markdown import render_markdown
from tests.factories import UserFactory

PASSWORD = "secret-pass-123"  # what UserFactory sets
SPRAYER = "10.6.6.6"
OFFICE = "10.7.7.7"
LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
LIMIT = 4


@pytest.fixture(autouse=True)
def _small_limit(settings) -> None:
    settings.KB_RATE_LIMITS = {**settings.KB_RATE_LIMITS, "sign-in failures": f"{LIMIT}/15m"}


def sign_in(username: str, password: str, address: str, url: str = LOGIN, **extra):
    client = Client()
    response = client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )
    return response, SESSION_KEY in client.session


def spray(address: str, url: str = LOGIN, **extra) -> list[int]:
    """A wrong password for as many different names as the limit allows."""
    return [
        sign_in(f"name{n}", "Summer2026!", address, url, **extra)[0].status_code
        for n in range(LIMIT)
    ]


def assert_paused(response) -> None:
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    text = response.content.decode()
    assert "Too many requests" in text
    assert "Try again in" in text


@pytest.mark.django_db
def test_an_address_spraying_names_is_paused_even_for_a_right_password() -> None:
    UserFactory(username="wendy")
    # Each name failed once: far below the lock-out of a name at an address.
    assert spray(SPRAYER) == [200] * LIMIT
    assert sign_in("name-next", "Summer2026!", SPRAYER)[0].status_code == 200  # one more counts
    response, signed_in = sign_in("wendy", PASSWORD, SPRAYER)
    assert_paused(response)
    assert not signed_in


@pytest.mark.django_db
def test_other_addresses_sign_in_as_usual() -> None:
    UserFactory(username="wendy")
    spray(SPRAYER)
    sign_in("name-next", "Summer2026!", SPRAYER)
    response, signed_in = sign_in("wendy", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert signed_in


@pytest.mark.django_db
def test_right_passwords_are_never_counted() -> None:
    people = [UserFactory(username=f"colleague{n}") for n in range(LIMIT + 3)]
    for person in people:
        response, signed_in = sign_in(person.username, PASSWORD, OFFICE)
        assert response.status_code == 302 and signed_in


@pytest.mark.django_db
def test_the_admin_sign_in_counts_and_is_paused_too(admin_user) -> None:
    assert spray(SPRAYER, ADMIN_LOGIN) == [200] * LIMIT
    sign_in("name-next", "Summer2026!", SPRAYER, ADMIN_LOGIN)
    assert_paused(sign_in(admin_user.username, "password", SPRAYER, ADMIN_LOGIN)[0])
    # One count for the address, whichever sign-in page was used.
    assert_paused(sign_in(admin_user.username, "password", SPRAYER)[0])


@pytest.mark.django_db
def test_the_sign_in_page_itself_still_opens(client: Client) -> None:
    spray(SPRAYER)
    sign_in("name-next", "Summer2026!", SPRAYER)
    assert client.get(LOGIN, REMOTE_ADDR=SPRAYER).status_code == 200


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_address_counts_alone(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"HTTP_X_FORWARDED_FOR": SPRAYER}
    spray("10.9.9.9", **proxy)
    sign_in("name-next", "Summer2026!", "10.9.9.9", **proxy)
    assert_paused(sign_in("wendy", PASSWORD, "10.9.9.9", **proxy)[0])
    # Another client behind the same proxy.
    UserFactory(username="wendy")
    response, signed_in = sign_in("wendy", PASSWORD, "10.9.9.9", HTTP_X_FORWARDED_FOR=OFFICE)
    assert response.status_code == 302 and signed_in


@pytest.mark.django_db
def test_a_burst_of_rendering_does_not_push_an_addresss_count_out_of_the_cache() -> None:
    """Pages cache thousands of rendered pieces (card summaries, shared parts); the counts
    live apart from them, so no amount of reading wipes an address's wrong passwords."""
    assert spray(SPRAYER) == [200] * LIMIT
    for n in range(6000):  # more than the local cache keeps
        render_markdown(f"A card's summary, number {n}.")
    assert sign_in("name-next", "Summer2026!", SPRAYER)[0].status_code == 200  # one more
    assert_paused(sign_in("name-last", "Summer2026!", SPRAYER)[0])
