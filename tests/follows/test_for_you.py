""" "For you" on the home page: new and updated published items from what the reader follows,
newest first, then the rest; an invitation to follow for someone who follows nothing."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains
from taggit.models import Tag

from kb.core.models import Status
from kb.core.registry import kinds_where
from kb.follows.services import follow_add, for_you
from tests.collections.factories import CollectionFactory
from tests.experiments.factories import ExperimentFactory
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    CaseStudyFactory,
    DepartmentFactory,
    PlatformFactory,
    ResearchLinkFactory,
)


def ago(**delta) -> timezone.datetime:
    return timezone.now() - timedelta(**delta)


def dated(item, when):
    """The item as if published and last saved at ``when`` (a factory saves it now)."""
    type(item).objects.filter(pk=item.pk).update(published_at=when, updated_at=when)
    return item


def titles(user, limit: int = 10) -> list[str]:
    return [entry.item.title for entry in for_you(user, limit).items]


def test_followed_items_come_first_newest_first_then_the_rest(reader) -> None:
    dated(ArticleFactory(title="Old video guide", tags=["Video"]), ago(days=5))
    dated(CaseStudyFactory(title="New video story", tags=["Video"]), ago(hours=2))
    dated(ResearchLinkFactory(title="Newest elsewhere", tags=["Budgets"]), ago(hours=1))
    dated(ArticleFactory(title="Older elsewhere"), ago(days=2))
    follow_add(user=reader, target=Tag.objects.get(name="Video"))
    assert titles(reader) == [
        "New video story",
        "Old video guide",
        "Newest elsewhere",
        "Older elsewhere",
    ]
    assert [entry.followed for entry in for_you(reader, 10).items] == [True, True, False, False]


def test_an_item_updated_since_publication_ranks_by_its_update_and_says_so(reader) -> None:
    tagged = dated(ArticleFactory(title="Revised guide", tags=["Video"]), ago(days=10))
    dated(ArticleFactory(title="Fresh guide", tags=["Video"]), ago(days=1))
    type(tagged).objects.filter(pk=tagged.pk).update(updated_at=ago(hours=1))
    follow_add(user=reader, target=Tag.objects.get(name="Video"))
    entries = for_you(reader, 10).items
    assert [(entry.item.title, entry.updated) for entry in entries] == [
        ("Revised guide", True),
        ("Fresh guide", False),
    ]


def test_each_followable_brings_its_items(reader) -> None:
    platform = PlatformFactory(name="TikTok", slug="tiktok")
    department = DepartmentFactory(slug="hr")
    profile = AdvocateProfileFactory(department=DepartmentFactory(slug="elsewhere"))
    colleague = AdvocateProfileFactory(department=department)
    in_brief = dated(ResearchLinkFactory(title="In the brief"), ago(days=30))
    brief = CollectionFactory(items=[(in_brief, "Why")], published_at=ago(days=40))
    dated(CaseStudyFactory(title="On TikTok", platforms=[platform]), ago(days=31))
    dated(ExperimentFactory(title="HR's experiment", department=department), ago(days=32))
    dated(ArticleFactory(title="By a colleague in HR", author=colleague.user), ago(days=33))
    dated(ArticleFactory(title="By the advocate", author=profile.user), ago(days=34))
    dated(ArticleFactory(title="Unrelated"), ago(hours=1))
    for target in (platform, department, profile, brief):
        follow_add(user=reader, target=target)
    followed = [entry.item.title for entry in for_you(reader, 20).items if entry.followed]
    assert followed == [
        "In the brief",
        "On TikTok",
        "HR's experiment",
        "By a colleague in HR",
        "By the advocate",
    ]


def test_drafts_and_scheduled_items_are_never_for_anyone(reader) -> None:
    ArticleFactory(title="Draft", tags=["Video"], status=Status.DRAFT, published_at=None)
    ArticleFactory(
        title="Tomorrow", tags=["Video"], published_at=timezone.now() + timedelta(days=1)
    )
    ArticleFactory(title="Published", tags=["Video"])
    follow_add(user=reader, target=Tag.objects.get(name="Video"))
    assert titles(reader) == ["Published"]


def test_the_home_page_shows_for_you_near_the_top(reader, reader_client: Client) -> None:
    ArticleFactory(title="A followed guide", tags=["Video"])
    follow_add(user=reader, target=Tag.objects.get(name="Video"))
    response = reader_client.get(reverse("home"))
    page = response.content.decode()
    assert page.index('id="for-you-heading"') < page.index('id="topics-heading"')
    assertContains(response, "new in what you follow")
    assertContains(response, "A followed guide")
    assertNotContains(response, "Find topics to follow")


def test_someone_who_follows_nothing_is_invited_to_follow_topics(reader_client: Client) -> None:
    ArticleFactory(title="Anything")
    response = reader_client.get(reverse("home"))
    assertContains(response, "Find topics to follow")
    assertContains(response, f'href="{reverse("tag_list")}"')


def test_for_you_costs_one_query_for_the_follows_and_one_or_two_per_kind_however_many(
    reader, reader_client: Client, django_assert_num_queries
) -> None:
    kinds_on_home = len(kinds_where("on_home"))
    ArticleFactory(tags=["Video"])
    ArticleFactory(title="Not followed")
    follow_add(user=reader, target=Tag.objects.get(name="Video"))
    for_you(reader, 8)  # warm the content type cache
    # Fewer followed items than asked for: the rest of each kind is asked for too.
    with django_assert_num_queries(1 + 2 * kinds_on_home):
        entries = for_you(reader, 8).items
    assert [entry.followed for entry in entries] == [True, False]
    queries = 1 + kinds_on_home
    for n in range(6):
        ArticleFactory(tags=[f"Topic {n}"])
        CaseStudyFactory(platforms=[PlatformFactory()], tags=["Video"])
        follow_add(user=reader, target=Tag.objects.get(name=f"Topic {n}"))
        follow_add(user=reader, target=DepartmentFactory())
        follow_add(user=reader, target=AdvocateProfileFactory())
    follow_add(user=reader, target=CollectionFactory())
    with django_assert_num_queries(queries):
        assert sum(entry.followed for entry in for_you(reader, 8).items) == 8
    response = reader_client.get(reverse("home"))
    assert response.content.decode().count("in what you follow</span>") == 8
