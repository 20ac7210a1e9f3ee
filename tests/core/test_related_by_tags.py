"""Items related by shared tags: the most shared tags first, then the newest."""

from datetime import timedelta

from django.utils import timezone

from kb.casestudies.models import CaseStudy
from kb.core.lists import related_by_tags
from kb.core.models import Status
from tests.factories import CaseStudyFactory, ResearchLinkFactory


def titles(items) -> list[str]:
    return [item.title for item in items]


def test_items_sharing_more_tags_come_first_then_the_newest() -> None:
    now = timezone.now()
    story = CaseStudyFactory(tags=["recruitment", "linkedin", "video"])
    CaseStudyFactory(title="Shares one, newest", tags=["video"], published_at=now)
    CaseStudyFactory(
        title="Shares three",
        tags=["recruitment", "linkedin", "video"],
        published_at=now - timedelta(days=9),
    )
    CaseStudyFactory(
        title="Shares two, older",
        tags=["recruitment", "linkedin"],
        published_at=now - timedelta(days=5),
    )
    CaseStudyFactory(
        title="Shares two, newer", tags=["linkedin", "video"], published_at=now - timedelta(days=1)
    )
    CaseStudyFactory(
        title="Shares one, older", tags=["linkedin"], published_at=now - timedelta(days=3)
    )
    CaseStudyFactory(title="Shares none", tags=["gardening"])

    related = related_by_tags(story, limit=5)

    assert titles(related) == [
        "Shares three",
        "Shares two, newer",
        "Shares two, older",
        "Shares one, newest",
        "Shares one, older",
    ]


def test_only_the_given_items_of_the_same_kind_are_related_never_the_item_itself() -> None:
    story = CaseStudyFactory(tags=["linkedin", "video"])
    CaseStudyFactory(
        title="Draft", tags=["linkedin", "video"], status=Status.DRAFT, published_at=None
    )
    ResearchLinkFactory(title="Research sharing both", tags=["linkedin", "video"])
    same_id_elsewhere = CaseStudyFactory(title="Published", tags=["linkedin"])

    related = related_by_tags(story)

    assert titles(related) == [same_id_elsewhere.title]


def test_the_limit_holds_whichever_tier_fills_it() -> None:
    story = CaseStudyFactory(tags=["linkedin", "video"])
    for n in range(3):
        CaseStudyFactory(title=f"Two {n}", tags=["linkedin", "video"])
        CaseStudyFactory(title=f"One {n}", tags=["video"])

    assert len(related_by_tags(story, limit=2)) == 2
    assert titles(related_by_tags(story, limit=4))[3].startswith("One")


def test_an_untagged_item_has_nothing_related(django_assert_num_queries) -> None:
    story = CaseStudyFactory()
    CaseStudyFactory(tags=["linkedin"])
    with django_assert_num_queries(1):
        assert related_by_tags(story) == []


def test_which_items_are_related_is_kept_and_the_items_read_afresh(
    django_assert_num_queries,
) -> None:
    story = CaseStudyFactory(tags=["linkedin", "video"])
    other = CaseStudyFactory(title="Before", tags=["linkedin", "video"])
    assert titles(related_by_tags(story)) == ["Before"]
    story = CaseStudy.objects.get(pk=story.pk)
    # The item's tags and the related items: nothing counted again.
    with django_assert_num_queries(2):
        related_by_tags(story)
    other.title = "After"
    other.save()
    assert titles(related_by_tags(story)) == ["After"]


def test_an_item_published_unpublished_or_retagged_changes_what_is_related() -> None:
    story = CaseStudyFactory(tags=["linkedin", "video"])
    first = CaseStudyFactory(title="First", tags=["linkedin"])
    assert titles(related_by_tags(story)) == ["First"]

    second = CaseStudyFactory(title="Second", tags=["linkedin", "video"])
    assert titles(related_by_tags(story)) == ["Second", "First"]

    second.status = Status.DRAFT
    second.save()
    assert titles(related_by_tags(story)) == ["First"]

    first.tags.set(["gardening"])
    assert titles(related_by_tags(story)) == []

    story.tags.set(["gardening"])
    story = CaseStudy.objects.get(pk=story.pk)
    assert titles(related_by_tags(story)) == ["First"]
