"""Following and unfollowing topics, platforms, departments, advocates and collections:
the buttons on their pages, the Following page, and what is refused."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from taggit.models import Tag

from kb.core.models import Status
from kb.follows.models import DigestPreference, Follow, Frequency
from kb.follows.registry import FOLLOWABLES, followable_for
from kb.follows.services import follow_add
from tests.collections.factories import CollectionFactory
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    DepartmentFactory,
    PlatformFactory,
    UserFactory,
)


def topic(name: str = "Recruitment") -> Tag:
    ArticleFactory(tags=[name])
    return Tag.objects.get(name=name)


TARGETS = {
    "topic": (topic, lambda tag: reverse("tag_detail", args=[tag.slug])),
    "platform": (
        lambda: PlatformFactory(name="LinkedIn", slug="linkedin"),
        lambda platform: reverse("platforms:detail", args=[platform.slug]),
    ),
    "department": (
        lambda: DepartmentFactory(name="Human resources", slug="hr"),
        lambda department: reverse("departments:detail", args=[department.slug]),
    ),
    "advocate": (
        lambda: AdvocateProfileFactory(user=UserFactory(first_name="Sam", last_name="Lee")),
        lambda profile: profile.get_absolute_url(),
    ),
    "collection": (CollectionFactory, lambda collection: collection.get_absolute_url()),
}


def follows_of(user: User) -> list:
    return [follow.target for follow in Follow.objects.filter(user=user)]


def test_every_followable_is_declared_once_with_a_page_to_find_more() -> None:
    assert sorted(followable.key for followable in FOLLOWABLES) == sorted(TARGETS)
    for followable in FOLLOWABLES:
        reverse(followable.find_url)


@pytest.mark.parametrize("key", TARGETS)
def test_a_reader_follows_and_unfollows_from_the_things_page(
    reader, reader_client: Client, key: str
) -> None:
    make, page_of = TARGETS[key]
    target = make()
    page = page_of(target)
    label = followable_for(target).label
    response = reader_client.get(page)
    assertContains(response, f'Follow<span class="visually-hidden"> the {label} {target}</span>')
    assertContains(response, "0 followers")

    response = reader_client.post(
        reverse("follows:follow", args=[key, target.pk]), {"next": page}, follow=True
    )
    assertRedirects(response, page)
    assertContains(response, f"You now follow the {label}")
    assertContains(response, f'Unfollow<span class="visually-hidden"> the {label} {target}</span>')
    assertContains(response, f"You follow this {label}.")
    assert follows_of(reader) == [target]

    # Following again changes nothing.
    reader_client.post(reverse("follows:follow", args=[key, target.pk]))
    assert Follow.objects.filter(user=reader).count() == 1

    response = reader_client.post(
        reverse("follows:unfollow", args=[key, target.pk]), {"next": page}, follow=True
    )
    assertRedirects(response, page)
    assertContains(response, "You no longer follow")
    assert follows_of(reader) == []


def test_the_button_counts_the_other_followers(reader, reader_client: Client, advocate) -> None:
    department = DepartmentFactory(name="Marketing", slug="marketing")
    follow_add(user=advocate, target=department)
    page = reverse("departments:detail", args=["marketing"])
    assertContains(reader_client.get(page), "1 follower")
    follow_add(user=reader, target=department)
    assertContains(reader_client.get(page), "You follow this department, with 1 other.")


def test_an_advocate_has_no_button_to_follow_themselves(advocate, advocate_client: Client) -> None:
    page = advocate.advocate_profile.get_absolute_url()
    assertNotContains(advocate_client.get(page), "follow-form")


def test_a_draft_collection_can_neither_be_followed_nor_shows_the_button(
    advocate, advocate_client: Client, reader_client: Client
) -> None:
    draft = CollectionFactory(created_by=advocate, status=Status.DRAFT, published_at=None)
    assertNotContains(advocate_client.get(draft.get_absolute_url()), "follow-form")
    url = reverse("follows:follow", args=["collection", draft.pk])
    assert reader_client.post(url).status_code == 404
    assert advocate_client.post(url).status_code == 404
    assert not Follow.objects.exists()


def test_an_advocate_who_left_cannot_be_followed_but_can_be_unfollowed(
    reader, reader_client: Client
) -> None:
    profile = AdvocateProfileFactory()
    follow_add(user=reader, target=profile)
    User.objects.filter(pk=profile.user_id).update(is_active=False)
    assert (
        reader_client.post(reverse("follows:follow", args=["advocate", profile.pk])).status_code
        == 404
    )
    response = reader_client.post(reverse("follows:unfollow", args=["advocate", profile.pk]))
    assertRedirects(response, reverse("follows:following"))
    assert not Follow.objects.exists()


def test_signing_in_is_required_to_follow(db) -> None:
    department = DepartmentFactory()
    url = reverse("follows:follow", args=["department", department.pk])
    response = Client().post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Follow.objects.exists()
    response = Client().get(reverse("follows:following"))
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["follows:follow", "follows:unfollow"])
def test_following_and_unfollowing_take_posts_only(reader_client: Client, name: str) -> None:
    department = DepartmentFactory()
    assert reader_client.get(reverse(name, args=["department", department.pk])).status_code == 405
    assert not Follow.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/following/nonsense/1/follow/",
        "/following/department/999999/follow/",
        "/following/department/99999999999999999999999/follow/",
        "/following/department/-1/follow/",
        "/following/department/abc/follow/",
        "/following/topic/1/unfollow/",
        "/following/department/99999999999999999999999/unfollow/",
        "/following/content-type/1/follow/",
    ],
)
def test_unknown_or_malformed_targets_are_not_found(reader_client: Client, path: str) -> None:
    assert reader_client.post(path).status_code == 404
    assert not Follow.objects.exists()


def test_a_next_address_off_the_site_is_ignored(reader_client: Client) -> None:
    department = DepartmentFactory(slug="sales")
    response = reader_client.post(
        reverse("follows:follow", args=["department", department.pk]),
        {"next": "https://evil.example/steal"},
    )
    assertRedirects(response, reverse("departments:detail", args=["sales"]))
    response = reader_client.post(
        reverse("follows:unfollow", args=["department", department.pk]),
        {"next": "//evil.example/"},
    )
    assertRedirects(response, reverse("follows:following"))


def test_the_following_page_lists_what_i_follow_with_unfollow_buttons(
    reader, reader_client: Client, other_advocate
) -> None:
    tag = topic("Video")
    follow_add(user=reader, target=tag)
    follow_add(user=reader, target=other_advocate.advocate_profile)
    follow_add(user=other_advocate, target=DepartmentFactory(name="Not mine"))
    response = reader_client.get(reverse("follows:following"))
    assertContains(response, f'href="{reverse("tag_detail", args=[tag.slug])}">Video</a>')
    assertContains(response, "Olga Other")
    assertContains(response, 'Unfollow<span class="visually-hidden"> the topic Video</span>')
    assertNotContains(response, "Not mine")
    # The account menu leads here.
    assertContains(response, f'<a href="{reverse("follows:following")}">Following</a>')


def test_the_following_page_invites_following_when_empty(reader_client: Client) -> None:
    response = reader_client.get(reverse("follows:following"))
    assertContains(response, "You follow nothing yet")
    for followable in FOLLOWABLES:
        assertContains(response, f'href="{reverse(followable.find_url)}"')


def test_the_digest_is_weekly_until_the_reader_chooses(reader, reader_client: Client) -> None:
    response = reader_client.get(reverse("follows:following"))
    assert re.search(r'value="weekly"[^>]* checked', response.content.decode())
    response = reader_client.post(reverse("follows:digest"), {"frequency": "daily"}, follow=True)
    assertContains(response, "Digest e-mails: daily.")
    assert DigestPreference.objects.get(user=reader).frequency == Frequency.DAILY
    reader_client.post(reverse("follows:digest"), {"frequency": "off"})
    assert DigestPreference.objects.get(user=reader).frequency == Frequency.OFF


@pytest.mark.parametrize("data", [{}, {"frequency": "hourly"}, {"frequency": "x" * 5000}])
def test_a_bad_digest_choice_is_refused_and_changes_nothing(
    reader, reader_client: Client, data: dict
) -> None:
    response = reader_client.post(reverse("follows:digest"), data)
    assert response.status_code == 400
    assertContains(response, "Please choose one of the options below.", status_code=400)
    assert not DigestPreference.objects.filter(user=reader).exists()


def test_the_digest_setting_takes_posts_only(reader_client: Client) -> None:
    assert reader_client.get(reverse("follows:digest")).status_code == 405


def test_deleting_what_is_followed_deletes_its_follows(reader) -> None:
    department = DepartmentFactory()
    follow_add(user=reader, target=department)
    department.delete()
    assert not Follow.objects.exists()


def test_the_following_page_costs_the_same_queries_for_one_follow_or_many(
    reader, reader_client: Client, django_assert_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for key, (make, _) in TARGETS.items():
        follow_add(user=reader, target=make() if key != "topic" else topic("First"))
    reader_client.get(reverse("follows:following"))
    with CaptureQueriesContext(connection) as queries:
        reader_client.get(reverse("follows:following"))
    expected = len(queries)  # before the next request clears Django's record of them
    follow_add(user=reader, target=topic("Second"))
    follow_add(user=reader, target=PlatformFactory())
    follow_add(user=reader, target=DepartmentFactory())
    follow_add(user=reader, target=AdvocateProfileFactory())
    follow_add(user=reader, target=CollectionFactory())
    reader_client.get(reverse("follows:following"))  # new people: permissions read again
    with django_assert_num_queries(expected):
        response = reader_client.get(reverse("follows:following"))
    assert response.content.decode().count("Unfollow<span") == 10
