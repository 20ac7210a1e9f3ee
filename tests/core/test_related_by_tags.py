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

    related = related_by_tags(story, CaseStudy.objects.published(), limit=5)

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

    related = related_by_tags(story, CaseStudy.objects.published())

    assert titles(related) == [same_id_elsewhere.title]


def test_the_limit_holds_whichever_tier_fills_it() -> None:
    story = CaseStudyFactory(tags=["linkedin", "video"])
    for n in range(3):
        CaseStudyFactory(title=f"Two {n}", tags=["linkedin", "video"])
        CaseStudyFactory(title=f"One {n}", tags=["video"])

    assert len(related_by_tags(story, CaseStudy.objects.published(), limit=2)) == 2
    assert titles(related_by_tags(story, CaseStudy.objects.published(), limit=4))[3].startswith(
        "One"
    )


def test_an_untagged_item_has_nothing_related(django_assert_num_queries) -> None:
    story = CaseStudyFactory()
    CaseStudyFactory(tags=["linkedin"])
    with django_assert_num_queries(1):
        assert related_by_tags(story, CaseStudy.objects.published()) == []
