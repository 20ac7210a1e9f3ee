"""The demo's review dates: two items have fallen due, so a reader sees the "may be out of
date" note and an editor the list at once; one article shows its owner's verification."""

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.core.registry import kinds
from kb.freshness.models import Verification
from kb.research.models import ResearchLink

NOTE = "This may be out of date."


def _signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_demo_has_two_items_due_for_review_and_one_verified_article() -> None:
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    today = timezone.localdate()
    due = [item for model, _ in kinds() for item in model.objects.published().due_for_review()]
    assert sorted(type(item).__name__ for item in due) == ["CaseStudy", "ResearchLink"]
    assert all(item.review_by < today for item in due)
    fresh = Article.objects.published().exclude(review_by=None)
    assert fresh.exists() and not fresh.filter(review_by__lte=today).exists()

    reader = _signed_in("reader")
    case_study = CaseStudy.objects.published().order_by("pk").first()
    assertContains(reader.get(case_study.get_absolute_url()), NOTE)
    assertNotContains(reader.get(fresh.order_by("pk").last().get_absolute_url()), NOTE)

    overdue = _signed_in("editor").get("/reviews/")
    assertContains(overdue, case_study.title)
    assertContains(overdue, ResearchLink.objects.published().order_by("pk").first().title)

    verification = Verification.objects.get()
    article = verification.item
    assert isinstance(article, Article) and verification.verified_by == article.owner
    assertContains(reader.get(article.get_absolute_url()), "Verified by")
