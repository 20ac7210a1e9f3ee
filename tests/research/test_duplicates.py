"""A URL already in the KB: whoever may open the existing entry (or restore it from the
trash) is shown it; to anyone else the message says only that the address is taken."""

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.core.models import Status
from kb.research.models import ResearchLink
from tests.factories import ResearchLinkFactory
from tests.research.test_pages import KEY_FINDING, form_data

URL = "https://example.org/secret-report"
HIDDEN = "This address is already in the KB; an editor can help you find it."
STATES = {
    "draft": {"status": Status.DRAFT, "published_at": None},
    "in-review": {"status": Status.IN_REVIEW, "published_at": None},
    "unpublished": {"status": Status.UNPUBLISHED},
    "trashed-draft": {"status": Status.DRAFT, "published_at": None, "deleted_at": timezone.now()},
    "trashed-published": {"deleted_at": timezone.now()},
}


def existing(owner: AbstractUser, state: str) -> ResearchLink:
    return ResearchLinkFactory(
        title="Confidential merger memo", url=URL, added_by=owner, **STATES[state]
    )


def post_duplicate(client: Client):
    return client.post(reverse("research:create"), form_data(url=f"{URL}/?utm_source=mail"))


def assert_refused_without_naming_it(response, item: ResearchLink) -> None:
    assertContains(response, HIDDEN)
    assertNotContains(response, "Confidential merger memo")
    assertNotContains(response, item.slug)
    assertContains(response, KEY_FINDING)
    assertContains(response, "The employee voice report")
    assert ResearchLink.all_objects.count() == 1


@pytest.mark.parametrize("state", STATES)
def test_another_advocate_is_told_only_that_the_address_is_taken(
    advocate: AbstractUser, other_advocate_client: Client, state: str
) -> None:
    item = existing(advocate, state)

    assert_refused_without_naming_it(post_duplicate(other_advocate_client), item)


def test_changing_a_links_url_to_a_hidden_one_is_refused_the_same_way(
    advocate: AbstractUser, other_advocate: AbstractUser, other_advocate_client: Client
) -> None:
    item = existing(advocate, "draft")
    mine = ResearchLinkFactory(title="My link", added_by=other_advocate)
    data = form_data(url=URL, base_version=mine.version)

    response = other_advocate_client.post(reverse("research:edit", args=[mine.slug]), data)

    assertContains(response, HIDDEN)
    assertNotContains(response, "Confidential merger memo")
    assertNotContains(response, item.slug)


@pytest.mark.parametrize("state", ["draft", "in-review", "unpublished"])
def test_the_owner_is_shown_their_own_entry(
    advocate: AbstractUser, advocate_client: Client, state: str
) -> None:
    item = existing(advocate, state)

    response = post_duplicate(advocate_client)

    assertContains(response, "This link is already in the KB as “Confidential merger memo”")
    assertContains(response, f'href="{item.get_absolute_url()}">Confidential merger memo</a>')
    assertNotContains(response, HIDDEN)


@pytest.mark.parametrize("state", ["trashed-draft", "trashed-published"])
def test_the_owner_is_shown_their_own_entry_in_the_trash_to_restore(
    advocate: AbstractUser, advocate_client: Client, state: str
) -> None:
    existing(advocate, state)

    response = post_duplicate(advocate_client)

    assertContains(response, "This link is in the trash as “Confidential merger memo”")
    assertContains(response, f'href="{reverse("workflow:trash")}">Confidential merger memo</a>')


def test_an_editor_is_shown_someone_elses_draft(
    advocate: AbstractUser, editor_client: Client
) -> None:
    item = existing(advocate, "draft")

    response = post_duplicate(editor_client)

    assertContains(response, "This link is already in the KB as “Confidential merger memo”")
    assertContains(response, f'href="{item.get_absolute_url()}">Confidential merger memo</a>')


def test_an_editor_is_shown_an_entry_in_the_trash_with_the_way_to_restore_it(
    advocate: AbstractUser, editor_client: Client
) -> None:
    existing(advocate, "trashed-published")

    response = post_duplicate(editor_client)

    assertContains(response, "This link is in the trash as “Confidential merger memo”")
    assertContains(response, f'href="{reverse("workflow:trash")}">Confidential merger memo</a>')


def test_anyone_is_shown_a_published_entry(
    advocate: AbstractUser, other_advocate_client: Client
) -> None:
    item = existing(advocate, "draft")
    ResearchLink.objects.filter(pk=item.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now()
    )

    response = post_duplicate(other_advocate_client)

    assertContains(response, "This link is already in the KB as “Confidential merger memo”")
    assertContains(response, f'href="{item.get_absolute_url()}">Confidential merger memo</a>')
