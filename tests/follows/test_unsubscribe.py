"""Unsubscribing from digests by the signed link in each e-mail, without signing in: a
confirm page, a button (or a mail program's one-click POST), and forged links refused."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from kb.follows.digests import unsubscribe_token
from kb.follows.models import DigestPreference, Frequency
from kb.home.feeds import feed_token
from tests.factories import UserFactory


def unsubscribe_path(token: str) -> str:
    return reverse("follows:unsubscribe", args=[token])


def frequency_of(user) -> str:
    found = DigestPreference.objects.filter(user=user).first()
    return found.frequency if found else DigestPreference.DEFAULT


def test_the_link_asks_to_confirm_without_signing_in_and_changes_nothing(reader) -> None:
    response = Client().get(unsubscribe_path(unsubscribe_token(reader)))
    assertContains(response, "Unsubscribe from digest e-mails?")
    assertContains(response, '<button type="submit" class="button button-primary">Unsubscribe')
    assertContains(response, reader.email)
    assert frequency_of(reader) == Frequency.WEEKLY


def test_the_button_unsubscribes_without_signing_in(reader) -> None:
    DigestPreference.objects.create(user=reader, frequency=Frequency.DAILY)
    response = Client(enforce_csrf_checks=True).post(unsubscribe_path(unsubscribe_token(reader)))
    assertContains(response, "You are unsubscribed")
    assert frequency_of(reader) == Frequency.OFF


def test_a_mail_programs_one_click_post_unsubscribes(reader) -> None:
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path(unsubscribe_token(reader)),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert frequency_of(reader) == Frequency.OFF


def test_unsubscribing_keeps_what_one_follows(reader) -> None:
    from kb.follows.services import follow_add
    from tests.factories import DepartmentFactory

    follow_add(user=reader, target=DepartmentFactory())
    Client().post(unsubscribe_path(unsubscribe_token(reader)))
    assert reader.follows.count() == 1


def test_a_link_only_unsubscribes_the_user_it_was_made_for(reader, advocate) -> None:
    Client().post(unsubscribe_path(unsubscribe_token(reader)))
    assert frequency_of(reader) == Frequency.OFF
    assert frequency_of(advocate) == Frequency.WEEKLY


@pytest.mark.parametrize(
    "forge",
    [
        lambda user: (
            unsubscribe_token(user)[:-1] + ("A" if unsubscribe_token(user)[-1] != "A" else "B")
        ),
        lambda user: str(user.pk),
        lambda user: f"{user.pk + 1}:{unsubscribe_token(user).split(':')[1]}",
        lambda user: feed_token(user),  # signed by the KB, for another purpose
        lambda user: signing.Signer(salt="kb.follows.unsubscribe").sign("admin"),
        lambda user: "x" * 2000,
    ],
    ids=["tampered", "bare id", "another user's id", "feed token", "not an id", "long"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_or_foreign_link_is_refused_clearly(reader, forge, method: str) -> None:
    DigestPreference.objects.create(user=reader, frequency=Frequency.DAILY)
    response = getattr(Client(), method)(unsubscribe_path(forge(reader)))
    assertContains(response, "This link does not work", status_code=400)
    assertContains(response, "not one the KB made", status_code=400)
    assert frequency_of(reader) == Frequency.DAILY


def test_a_link_for_an_account_that_is_gone_is_not_found(db) -> None:
    user = UserFactory()
    token = unsubscribe_token(user)
    user.delete()
    response = Client().post(unsubscribe_path(token))
    assertContains(response, "no longer exists", status_code=404)


def test_other_methods_are_refused(reader) -> None:
    response = Client().put(unsubscribe_path(unsubscribe_token(reader)))
    assert response.status_code == 405
