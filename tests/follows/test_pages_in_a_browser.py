"""Following's pages in a real browser at a phone and a desktop, light and dark: no axe
violation and nothing scrolls sideways (the layout suite crawls them too, with every other
page; this checks them as they look when one follows things)."""

import pytest
from django.contrib.auth.models import AbstractUser
from django.urls import reverse
from taggit.models import Tag

from kb.follows.digests import unsubscribe_token
from kb.follows.services import follow_add
from tests.collections.factories import CollectionFactory
from tests.factories import ArticleFactory, CaseStudyFactory, DepartmentFactory, PlatformFactory
from tests.test_accessibility import _problems, page, problems_on  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def followed(advocate: AbstractUser, other_advocate: AbstractUser) -> dict[str, str]:
    platform = PlatformFactory(name="LinkedIn", slug="linkedin")
    department = DepartmentFactory(name="Human resources", slug="human-resources")
    CaseStudyFactory(title="A LinkedIn story with a rather long title", platforms=[platform])
    ArticleFactory(title="Video guide", tags=["Video"], author=other_advocate)
    brief = CollectionFactory(title="The case for video")
    tag = Tag.objects.get(name="Video")
    for target in (platform, department, tag, other_advocate.advocate_profile, brief):
        follow_add(user=advocate, target=target)
    return {
        "platform": reverse("platforms:detail", args=["linkedin"]),
        "department": reverse("departments:detail", args=["human-resources"]),
        "topic": reverse("tag_detail", args=[tag.slug]),
        "advocate": other_advocate.advocate_profile.get_absolute_url(),
        "brief": brief.get_absolute_url(),
        "unsubscribe": reverse("follows:unsubscribe", args=[unsubscribe_token(advocate)]),
    }


def test_following_pages_have_no_accessibility_violations(page, followed: dict) -> None:  # noqa: F811
    paths = [reverse("home"), reverse("follows:following"), reverse("platforms:list")]
    problems = problems_on(page, paths + list(followed.values()))

    response = page.goto(reverse("follows:unsubscribe", args=["forged"]))
    assert response is not None and response.status == 400
    if found := _problems(page):
        problems["refused unsubscribe link"] = found

    page.goto(followed["unsubscribe"])
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You are unsubscribed").wait_for()
    if found := _problems(page):
        problems["unsubscribed"] = found
    assert not problems, "\n".join(f"{path}: {'; '.join(f)}" for path, f in problems.items())
