"""The advocate directory, profile pages, and advocates keeping their own profile up to date."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kb.advocates.models import AdvocateProfile, Handle
from kb.core.models import Status
from kb.core.permissions import ADVOCATE
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    CaseStudyFactory,
    DepartmentFactory,
    HandleFactory,
    PlatformFactory,
    ResearchLinkFactory,
    UserFactory,
)

IGNORED_NOTICE = "Some filters were ignored"


@pytest.fixture
def mastodon(db):
    return PlatformFactory(name="Mastodon", slug="mastodon")


@pytest.fixture
def directory(db, mastodon) -> dict[str, AdvocateProfile]:
    """Three advocates; each sort order lists them differently."""
    linkedin = PlatformFactory(name="LinkedIn", slug="linkedin")
    people = DepartmentFactory(name="People & HR", slug="people")
    comms = DepartmentFactory(name="Communications", slug="comms")
    profiles = {
        "bea": AdvocateProfileFactory(
            user=UserFactory(username="bea", first_name="Bea", last_name="Brown"),
            department=people,
            expertise=["recruitment"],
            open_to_help=True,
        ),
        "cal": AdvocateProfileFactory(
            user=UserFactory(username="cal", first_name="Cal", last_name="Cole"),
            department=comms,
            expertise=["video", "recruitment"],
            open_to_help=False,
        ),
        "abe": AdvocateProfileFactory(
            user=UserFactory(username="abe", first_name="Abe", last_name="Ames"),
            department=people,
            expertise=["video"],
            open_to_help=True,
        ),
    }
    profiles["bea"].platforms.add(linkedin)
    profiles["cal"].platforms.add(mastodon, linkedin)
    profiles["abe"].platforms.add(mastodon)
    # Oldest first, so "newest" sorts abe, cal, bea.
    for days_ago, key in ((3, "bea"), (2, "cal"), (1, "abe")):
        AdvocateProfile.objects.filter(pk=profiles[key].pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    return profiles


def directory_page(client: Client, query: str = ""):
    return client.get(f"{reverse('advocates:list')}?{query}")


def names_in_order(response, names: list[str]) -> list[str]:
    content = response.content.decode()
    return sorted((n for n in names if n in content), key=content.index)


def profile_form_data(**overrides) -> dict:
    data = {
        "first_name": "Adam",
        "last_name": "Advocate-Smith",
        "job_title": "Head of internal comms",
        "department": "",
        "bio": "I run the **weekly** LinkedIn clinic.",
        "expertise": "linkedin, coaching",
        "open_to_help": "on",
        "handles-TOTAL_FORMS": "1",
        "handles-INITIAL_FORMS": "0",
        "handles-MIN_NUM_FORMS": "0",
        "handles-MAX_NUM_FORMS": "15",
        "handles-0-platform": "",
        "handles-0-handle": "",
        "handles-0-url": "",
    }
    data.update(overrides)
    return data


# The directory -------------------------------------------------------------------------


def test_the_directory_lists_advocates_with_active_accounts(
    reader_client: Client, directory: dict
) -> None:
    gone = AdvocateProfileFactory(user=UserFactory(first_name="Gone", last_name="Away"))
    gone.user.is_active = False
    gone.user.save()
    response = directory_page(reader_client)
    for name in ("Bea Brown", "Cal Cole", "Abe Ames"):
        assertContains(response, name)
    assertNotContains(response, "Gone Away")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("department=people", ["bea", "abe"]),
        ("department=comms", ["cal"]),
        ("platform=mastodon", ["cal", "abe"]),
        ("tag=video", ["cal", "abe"]),
        ("tag=recruitment", ["bea", "cal"]),
        ("open_to_help=true", ["bea", "abe"]),
        ("open_to_help=false", ["cal"]),
        ("department=people&tag=video", ["abe"]),
    ],
)
def test_the_directory_filters_by_department_platform_expertise_and_helpfulness(
    reader_client: Client, directory: dict, query: str, expected: list[str]
) -> None:
    response = directory_page(reader_client, query)
    assertNotContains(response, IGNORED_NOTICE)
    for key, profile in directory.items():
        if key in expected:
            assertContains(response, profile.display_name)
        else:
            assertNotContains(response, profile.display_name)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Abe Ames", "Bea Brown", "Cal Cole"]),
        ("name", ["Abe Ames", "Bea Brown", "Cal Cole"]),
        ("department", ["Cal Cole", "Abe Ames", "Bea Brown"]),
        ("newest", ["Abe Ames", "Cal Cole", "Bea Brown"]),
    ],
)
def test_the_directory_sorts_in_each_named_order(
    reader_client: Client, directory: dict, sort: str, expected: list[str]
) -> None:
    response = directory_page(reader_client, f"sort={sort}")
    assert names_in_order(response, expected) == expected


@pytest.mark.parametrize(
    "query",
    ["department=nope", "platform=unknown", "sort=bad"],
)
def test_an_invalid_filter_value_is_ignored_with_a_notice(
    reader_client: Client, directory: dict, query: str
) -> None:
    response = directory_page(reader_client, query)
    assertContains(response, IGNORED_NOTICE)
    assertContains(response, "3 results")
    assertNotContains(response, "<script>", html=False)


@pytest.mark.parametrize("query", ["open_to_help=maybe", "page=abc", "page=999999"])
def test_a_meaningless_value_lists_everyone(
    reader_client: Client, directory: dict, query: str
) -> None:
    response = directory_page(reader_client, query)
    assertContains(response, "3 results")


def test_the_directory_is_paginated_by_the_page_size_setting(
    reader_client: Client, settings, directory: dict
) -> None:
    settings.KB_PAGE_SIZE = 2
    first = directory_page(reader_client)
    assertContains(first, "Page 1 of 2")
    assertContains(first, 'class="card card-advocate"', count=2)
    second = directory_page(reader_client, "page=2")
    assertContains(second, "Page 2 of 2")
    assertContains(second, 'class="card card-advocate"', count=1)


# A profile -----------------------------------------------------------------------------


def test_a_profile_shows_the_sanitised_bio_and_handles(reader_client: Client, mastodon) -> None:
    profile = AdvocateProfileFactory(
        user=UserFactory(username="sam", first_name="Sam", last_name="Lee"),
        job_title="Digital lead",
        bio="I coach **teams**.<script>alert('x')</script><a href='javascript:alert(1)'>x</a>",
        expertise=["coaching"],
    )
    HandleFactory(
        profile=profile,
        platform=mastodon,
        handle="@sam@social.example",
        url="https://social.example/@sam",
    )
    response = reader_client.get(reverse("advocates:detail", args=["sam"]))
    assertContains(response, "Sam Lee")
    assertContains(response, "Digital lead")
    assertContains(response, "<strong>teams</strong>", html=False)
    assertNotContains(response, "<script>alert", html=False)
    assertNotContains(response, "javascript:", html=False)
    assertContains(response, "Mastodon")
    assertContains(response, 'href="https://social.example/@sam"')
    assertContains(response, "@sam@social.example")
    assertContains(response, reverse("tag_detail", args=["coaching"]))


def test_a_profile_lists_published_contributions(reader_client: Client, advocate) -> None:
    ArticleFactory(author=advocate, title="Adam's published guide")
    CaseStudyFactory(created_by=advocate, title="Adam's case study")
    ResearchLinkFactory(added_by=advocate, title="Adam's research")
    CaseStudyFactory(
        created_by=advocate, title="Adam's draft case", status=Status.DRAFT, published_at=None
    )
    ResearchLinkFactory(
        added_by=advocate, title="Adam's draft research", status=Status.DRAFT, published_at=None
    )
    ArticleFactory(title="Someone else's guide")
    response = reader_client.get(reverse("advocates:detail", args=["adam"]))
    assertContains(response, "Adam&#x27;s published guide")
    assertContains(response, "Case studies contributed")
    assertContains(response, "Adam&#x27;s case study")
    assertContains(response, "Research contributed")
    assertContains(response, "Adam&#x27;s research")
    for hidden in ("Adam&#x27;s draft case", "Adam&#x27;s draft research", "Someone else"):
        assertNotContains(response, hidden)


def test_a_profile_shows_draft_articles_to_their_author_only(
    advocate_client: Client, reader_client: Client, other_advocate_client: Client, advocate
) -> None:
    ArticleFactory(author=advocate, title="Unfinished thoughts", status=Status.DRAFT)
    url = reverse("advocates:detail", args=["adam"])
    assertContains(advocate_client.get(url), "Unfinished thoughts")
    assertNotContains(reader_client.get(url), "Unfinished thoughts")
    assertNotContains(other_advocate_client.get(url), "Unfinished thoughts")


def test_an_unknown_advocate_is_not_found(reader_client: Client) -> None:
    response = reader_client.get(reverse("advocates:detail", args=["nobody"]))
    assertContains(response, "Not found", status_code=404)


def test_the_profile_of_a_deactivated_account_is_not_found(reader_client: Client, advocate) -> None:
    advocate.is_active = False
    advocate.save()
    assert reader_client.get(reverse("advocates:detail", args=["adam"])).status_code == 404


def test_only_the_owner_sees_the_edit_link_on_their_profile(
    advocate_client: Client, other_advocate_client: Client, reader_client: Client
) -> None:
    url = reverse("advocates:detail", args=["adam"])
    edit_own = reverse("advocates:edit_own")
    assertContains(advocate_client.get(url), edit_own)
    assertNotContains(other_advocate_client.get(url), "Edit profile")
    assertNotContains(reader_client.get(url), "Edit profile")


# Editing one's own profile -------------------------------------------------------------


def test_an_advocate_edits_their_profile_names_and_a_handle(
    advocate_client: Client, advocate, mastodon
) -> None:
    data = profile_form_data(
        **{
            "handles-0-platform": str(mastodon.pk),
            "handles-0-handle": "@adam@social.example",
            "handles-0-url": "https://social.example/@adam",
        }
    )
    response = advocate_client.post(reverse("advocates:edit_own"), data)
    assertRedirects(response, reverse("advocates:detail", args=["adam"]))
    advocate.refresh_from_db()
    profile = advocate.advocate_profile
    assert (advocate.first_name, advocate.last_name) == ("Adam", "Advocate-Smith")
    assert profile.job_title == "Head of internal comms"
    assert sorted(profile.expertise.names()) == ["coaching", "linkedin"]
    handle = profile.handles.get()
    assert (handle.platform, handle.handle) == (mastodon, "@adam@social.example")
    page = advocate_client.get(profile.get_absolute_url())
    assertContains(page, "Adam Advocate-Smith")
    assertContains(page, "<strong>weekly</strong>", html=False)


def test_the_profile_form_is_filled_in_with_the_current_profile(
    advocate_client: Client, advocate
) -> None:
    response = advocate_client.get(reverse("advocates:edit_own"))
    assertContains(response, 'value="Adam"')
    assertContains(response, 'value="Advocate"')
    assertContains(response, 'name="handles-TOTAL_FORMS"')


def test_an_advocate_removes_a_handle(advocate_client: Client, advocate, mastodon) -> None:
    handle = HandleFactory(profile=advocate.advocate_profile, platform=mastodon, handle="@old")
    data = profile_form_data(
        **{
            "handles-INITIAL_FORMS": "1",
            "handles-0-id": str(handle.pk),
            "handles-0-profile": str(advocate.advocate_profile.pk),
            "handles-0-platform": str(mastodon.pk),
            "handles-0-handle": "@old",
            "handles-0-DELETE": "on",
        }
    )
    response = advocate_client.post(reverse("advocates:edit_own"), data)
    assert response.status_code == 302
    assert not Handle.objects.exists()


@pytest.mark.parametrize(
    ("bad_input", "error"),
    [
        ({"first_name": ""}, "This field is required"),
        ({"expertise": "x" * 51}, "Use at most 20 topics"),
        ({"expertise": ", ".join(f"topic{n}" for n in range(21))}, "Use at most 20 topics"),
        ({"handles-0-platform": "", "handles-0-handle": "@nowhere"}, "This field is required"),
        ({"handles-0-url": "not a url", "handles-0-handle": "@x"}, "Enter a valid URL"),
    ],
    ids=["no-first-name", "topic-51-chars", "21-topics", "handle-without-platform", "bad-url"],
)
def test_bad_profile_input_is_refused_and_kept(
    advocate_client: Client, advocate, bad_input: dict, error: str
) -> None:
    response = advocate_client.post(reverse("advocates:edit_own"), profile_form_data(**bad_input))
    assertContains(response, "Please correct the errors below")
    assertContains(response, error)
    assertContains(response, "Head of internal comms")
    advocate.refresh_from_db()
    assert advocate.last_name == "Advocate"
    assert advocate.advocate_profile.job_title == "Communications officer"


def test_a_reader_without_a_profile_may_not_open_the_profile_form(
    reader_client: Client, reader
) -> None:
    assertContains(reader_client.get(reverse("advocates:edit_own")), "Not allowed", status_code=403)
    response = reader_client.post(reverse("advocates:edit_own"), profile_form_data())
    assert response.status_code == 403
    assert not AdvocateProfile.objects.filter(user=reader).exists()
    reader.refresh_from_db()
    assert reader.last_name == "Reader"


def test_an_advocate_without_a_profile_creates_one(mastodon) -> None:
    newcomer = UserFactory(username="newt", first_name="", last_name="")
    newcomer.groups.add(Group.objects.get(name=ADVOCATE))
    client = Client()
    client.force_login(newcomer)
    assert client.get(reverse("advocates:edit_own")).status_code == 200
    data = profile_form_data(
        first_name="Newt",
        last_name="Newman",
        **{"handles-0-platform": str(mastodon.pk), "handles-0-handle": "@newt"},
    )
    response = client.post(reverse("advocates:edit_own"), data)
    assertRedirects(response, reverse("advocates:detail", args=["newt"]))
    profile = AdvocateProfile.objects.get(user=newcomer)
    assert profile.display_name == "Newt Newman"
    assert profile.handles.get().handle == "@newt"
