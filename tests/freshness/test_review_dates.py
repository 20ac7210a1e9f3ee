"""When an item is next reviewed: its kind's interval (editors change it in the admin) or
its own, from publication, a verification or a published edit."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kb.articles.models import Article
from kb.core.models import Status
from kb.core.registry import kinds
from kb.freshness.models import ReviewPolicy
from kb.freshness.services import add_months, policy_months
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.factories import ArticleFactory, content_factory

# The intervals the data migration seeds, in months.
SEEDED = {"article": 12, "casestudy": 12, "researchlink": 12, "experiment": 6, "collection": 6}


def test_each_kind_has_its_usual_interval_seeded() -> None:
    seeded = {model._meta.model_name: policy_months(model) for model, _ in kinds()}
    assert {name: months for name, months in seeded.items() if name in SEEDED} == SEEDED


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 12, 1), 12, date(2027, 12, 1)),
        (date(2026, 8, 15), 6, date(2027, 2, 15)),
    ],
)
def test_months_are_added_by_the_calendar(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize("model", [model for model, _ in kinds()], ids=lambda m: m.__name__)
def test_publishing_sets_the_review_date_one_interval_after_publication(
    model, advocate, editor, settings
):
    item = content_factory(model)(
        status=Status.IN_REVIEW, published_at=None, **{model.OWNER_FIELD: advocate}
    )
    assert item.review_by is None
    content_transition(item=item, action=Action.PUBLISH, user=editor)
    item.refresh_from_db()
    months = SEEDED.get(model._meta.model_name, settings.KB_REVIEW_DEFAULT_MONTHS)
    assert item.review_by == add_months(timezone.localdate(), months)


def test_a_scheduled_publication_counts_from_the_day_it_goes_live(advocate, editor) -> None:
    article = ArticleFactory(status=Status.IN_REVIEW, published_at=None, author=advocate)
    live = timezone.now() + timedelta(days=10)
    content_transition(item=article, action=Action.PUBLISH, user=editor, publish_at=live)
    article.refresh_from_db()
    assert article.review_by == add_months(timezone.localdate(live), 12)


def test_an_editor_changes_a_kinds_interval_for_what_is_published_next(advocate, editor):
    policy = ReviewPolicy.objects.get(content_type=ContentType.objects.get_for_model(Article))
    policy.interval_months = 3
    policy.save()
    article = ArticleFactory(status=Status.IN_REVIEW, published_at=None, author=advocate)
    content_transition(item=article, action=Action.PUBLISH, user=editor)
    article.refresh_from_db()
    assert article.review_by == add_months(timezone.localdate(), 3)


def test_a_kind_without_a_policy_uses_the_setting(settings) -> None:
    settings.KB_REVIEW_DEFAULT_MONTHS = 9
    ReviewPolicy.objects.filter(content_type=ContentType.objects.get_for_model(Article)).delete()
    assert policy_months(Article) == 9


def test_an_item_may_ask_for_its_own_interval(advocate, editor) -> None:
    article = ArticleFactory(
        status=Status.IN_REVIEW, published_at=None, author=advocate, review_interval_months=2
    )
    content_transition(item=article, action=Action.PUBLISH, user=editor)
    article.refresh_from_db()
    assert article.review_by == add_months(timezone.localdate(), 2)


def _edit(client: Client, article, **changes):
    data = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "tags": "",
        "base_version": article.version,
        "review_interval_months": article.review_interval_months or "",
        **changes,
    }
    return client.post(f"/articles/{article.slug}/edit/", data)


def test_the_owner_sets_the_items_interval_on_its_edit_form(advocate, advocate_client) -> None:
    article = ArticleFactory(author=advocate, review_by=timezone.localdate() + timedelta(days=5))
    page = advocate_client.get(f"/articles/{article.slug}/edit/")
    assert 'name="review_interval_months"' in page.content.decode()
    response = _edit(advocate_client, article, review_interval_months="3")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.review_interval_months == 3
    assert article.review_by == add_months(timezone.localdate(), 3)


@pytest.mark.parametrize("months", ["0", "61", "-1", "often", "9" * 30])
def test_an_interval_out_of_range_is_refused_on_the_form(advocate, advocate_client, months):
    article = ArticleFactory(author=advocate)
    response = _edit(advocate_client, article, review_interval_months=months)
    assert response.status_code == 200
    assert "review_interval_months" in response.context["form"].errors
    article.refresh_from_db()
    assert article.review_interval_months is None


def test_a_published_edit_starts_a_new_interval(advocate, advocate_client) -> None:
    article = ArticleFactory(author=advocate, review_by=timezone.localdate() - timedelta(days=3))
    assert _edit(advocate_client, article, body="New figures for 2026.").status_code == 302
    article.refresh_from_db()
    assert article.review_by == add_months(timezone.localdate(), 12)
    assert not article.is_due_for_review


def test_saving_without_a_change_keeps_the_review_date(advocate, advocate_client) -> None:
    due = timezone.localdate() - timedelta(days=3)
    article = ArticleFactory(author=advocate, review_by=due)
    assert _edit(advocate_client, article).status_code == 302
    article.refresh_from_db()
    assert article.review_by == due


def test_editing_a_draft_sets_no_review_date(advocate, advocate_client) -> None:
    article = ArticleFactory(author=advocate, status=Status.DRAFT, published_at=None)
    assert _edit(advocate_client, article, body="More.").status_code == 302
    article.refresh_from_db()
    assert article.review_by is None


def _admin_data(article, **changes) -> dict:
    published_at = timezone.localtime(article.published_at)
    return {
        "title": article.title,
        "slug": article.slug,
        "author": article.author_id,
        "summary": article.summary,
        "body": article.body,
        "tags": "",
        "published_at_0": published_at.strftime("%Y-%m-%d"),
        "published_at_1": published_at.strftime("%H:%M:%S"),
        "initial-published_at_0": published_at.strftime("%Y-%m-%d"),
        "initial-published_at_1": published_at.strftime("%H:%M:%S"),
        "review_by": article.review_by.isoformat() if article.review_by else "",
        "review_interval_months": "",
        "base_version": article.version,
        "_save": "Save",
        **changes,
    }


def test_an_editor_sets_a_review_date_in_the_admin(admin_client: Client) -> None:
    article = ArticleFactory(review_by=timezone.localdate() + timedelta(days=30))
    url = reverse("admin:articles_article_change", args=[article.pk])
    html = admin_client.get(url).content.decode()
    assert 'name="review_by"' in html and 'name="review_interval_months"' in html
    response = admin_client.post(url, _admin_data(article, review_by="2030-01-15"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.review_by == date(2030, 1, 15)


def test_an_admin_edit_of_the_content_starts_a_new_interval(admin_client: Client) -> None:
    article = ArticleFactory(review_by=timezone.localdate() - timedelta(days=1))
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client.post(url, _admin_data(article, body="Rewritten."))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.review_by == add_months(timezone.localdate(), 12)


def test_editors_change_a_kinds_interval_in_the_admin(editor, editor_client: Client) -> None:
    policy = ReviewPolicy.objects.get(content_type=ContentType.objects.get_for_model(Article))
    listing = editor_client.get(reverse("admin:freshness_reviewpolicy_changelist"))
    assert listing.status_code == 200
    url = reverse("admin:freshness_reviewpolicy_change", args=[policy.pk])
    assert editor_client.post(url, {"interval_months": "18"}).status_code == 302
    policy.refresh_from_db()
    assert policy.interval_months == 18
    refused = editor_client.post(url, {"interval_months": "0"})
    assert refused.status_code == 200
    policy.refresh_from_db()
    assert policy.interval_months == 18
