"""The article form's related-item pickers: what they list and what they accept.

The pickers list the chosen items and the newest others, not every published item: the
editor's autocomplete finds any published item by title, and an edit page carrying one
option per item took seconds to render at 100,000 items.
"""

import re
from datetime import timedelta

from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from kb.casestudies.models import CaseStudy
from kb.core.forms import ChosenAndRecentSelectMultiple
from kb.core.models import Status
from tests.factories import ArticleFactory, CaseStudyFactory


def options_of(html: str, field: str) -> str:
    start = html.index(f'name="{field}"')
    return html[start : html.index("</select>", start)]


def test_the_picker_lists_the_chosen_item_and_the_newest_but_not_every_item(
    advocate_client: Client, advocate, monkeypatch
) -> None:
    monkeypatch.setattr(ChosenAndRecentSelectMultiple, "recent", 2)
    now = timezone.now()
    oldest = CaseStudyFactory(title="Oldest story", published_at=now - timedelta(days=30))
    CaseStudyFactory(title="Older story", published_at=now - timedelta(days=20))
    CaseStudyFactory(title="Newer story", published_at=now - timedelta(days=2))
    CaseStudyFactory(title="Newest story", published_at=now - timedelta(days=1))
    CaseStudyFactory(title="A draft story", status=Status.DRAFT, published_at=None)
    article = ArticleFactory(author=advocate)
    article.related_case_studies.add(oldest)

    page = advocate_client.get(reverse("articles:edit", args=[article.slug]))

    listed = options_of(page.content.decode(), "related_case_studies")
    assert "Oldest story" in listed  # chosen
    assert "Newest story" in listed and "Newer story" in listed
    assert "Older story" not in listed
    assert "A draft story" not in listed


def test_an_item_the_picker_does_not_list_can_still_be_chosen(
    advocate_client: Client, advocate, monkeypatch
) -> None:
    monkeypatch.setattr(ChosenAndRecentSelectMultiple, "recent", 1)
    now = timezone.now()
    old = CaseStudyFactory(title="Old story", published_at=now - timedelta(days=400))
    CaseStudyFactory(title="New story", published_at=now)
    article = ArticleFactory(author=advocate, status=Status.DRAFT, published_at=None)

    response = advocate_client.post(
        reverse("articles:edit", args=[article.slug]),
        {
            "title": article.title,
            "summary": "Why it matters.",
            "body": "Text.",
            "tags": "linkedin",
            "related_case_studies": [old.pk],
            "base_version": article.version,
        },
    )

    assert response.status_code == 302
    assert list(article.related_case_studies.all()) == [old]


def test_a_rejected_edit_keeps_the_items_the_author_chose(
    advocate_client: Client, advocate, monkeypatch
) -> None:
    monkeypatch.setattr(ChosenAndRecentSelectMultiple, "recent", 1)
    now = timezone.now()
    old = CaseStudyFactory(title="Old story", published_at=now - timedelta(days=400))
    CaseStudyFactory(title="New story", published_at=now)
    article = ArticleFactory(author=advocate, status=Status.DRAFT, published_at=None)

    response = advocate_client.post(
        reverse("articles:edit", args=[article.slug]),
        {"title": "", "body": "Text.", "related_case_studies": [old.pk, "not-a-number"]},
    )

    assert response.status_code == 200
    listed = options_of(response.content.decode(), "related_case_studies")
    assert "Old story" in listed


def test_the_edit_page_renders_its_options_without_a_template_each(
    advocate_client: Client, advocate
) -> None:
    for n in range(30):
        CaseStudyFactory(title=f"Story {n}")
    article = ArticleFactory(author=advocate)
    article.related_case_studies.add(CaseStudy.objects.get(title="Story 7"))
    rendered: list[str] = []

    def record(sender, template, **kwargs) -> None:
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        page = advocate_client.get(reverse("articles:edit", args=[article.slug]))
    finally:
        template_rendered.disconnect(record)

    listed = options_of(page.content.decode(), "related_case_studies")
    assert listed.count("<option") == 30
    assert re.search(r'<option value="\d+" selected>Story 7</option>', listed)
    # Django's template engine rendered each option through two templates of its own.
    assert "django/forms/widgets/select_option.html" not in rendered
    assert "django/forms/widgets/select.html" not in rendered
