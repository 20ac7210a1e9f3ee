"""notify_reviews tells each owner once when their item falls due, safe to run from cron."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kb.core.models import Status
from kb.freshness.services import add_months, reviews_notify
from kb.notifications.models import Notification, Verb
from tests.factories import ArticleFactory, CaseStudyFactory


def _reminders_for(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, verb=Verb.REVIEW_DUE))


def _run(django_capture_on_commit_callbacks) -> str:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_reviews", stdout=out)
    return out.getvalue()


def test_the_owner_is_reminded_once_when_an_item_falls_due(
    advocate, django_capture_on_commit_callbacks
) -> None:
    today = timezone.localdate()
    due = CaseStudyFactory(created_by=advocate, title="Council pilot", review_by=today)
    ArticleFactory(author=advocate, review_by=today + timedelta(days=1))  # not yet
    output = _run(django_capture_on_commit_callbacks)
    (reminder,) = _reminders_for(advocate)
    assert reminder.target == due
    assert reminder.sentence == "“Council pilot” is due for review"
    assert "Reminded adam" in output and "Council pilot" in output
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [advocate.email]
    assert "is due for review" in mail.outbox[0].subject
    assert "Confirm it is still accurate" in mail.outbox[0].body

    second = _run(django_capture_on_commit_callbacks)
    assert len(_reminders_for(advocate)) == 1
    assert len(mail.outbox) == 1
    assert "Reminded 0 owner(s)" in second


def test_a_new_review_date_that_falls_due_is_a_new_reminder(advocate) -> None:
    today = timezone.localdate()
    article = ArticleFactory(author=advocate, review_by=today - timedelta(days=1))
    reviews_notify()
    type(article).objects.filter(pk=article.pk).update(review_by=today)
    reviews_notify()
    reviews_notify()
    assert len(_reminders_for(advocate)) == 2


def test_drafts_unpublished_and_trashed_items_are_not_reminded(advocate) -> None:
    past = timezone.localdate() - timedelta(days=10)
    ArticleFactory(author=advocate, status=Status.DRAFT, published_at=None, review_by=past)
    ArticleFactory(author=advocate, status=Status.UNPUBLISHED, review_by=past)
    ArticleFactory(author=advocate, review_by=past, deleted_at=timezone.now())
    assert reviews_notify() == []
    assert _reminders_for(advocate) == []


def test_an_inactive_owner_is_not_told_and_the_date_still_counts_as_done(advocate) -> None:
    article = ArticleFactory(author=advocate, review_by=timezone.localdate())
    advocate.is_active = False
    advocate.save()
    (reminder,) = reviews_notify()
    assert not reminder.notified
    assert _reminders_for(advocate) == []
    assert reviews_notify() == []
    article.refresh_from_db()
    assert article.review_notified_for == article.review_by


def test_a_dry_run_changes_nothing(advocate) -> None:
    ArticleFactory(author=advocate, review_by=timezone.localdate())
    out = StringIO()
    call_command("notify_reviews", "--dry-run", stdout=out)
    assert "Would remind adam" in out.getvalue()
    assert _reminders_for(advocate) == []
    assert len(reviews_notify()) == 1


def test_items_published_before_review_dates_get_one_from_their_publication(advocate) -> None:
    long_ago = timezone.now() - timedelta(days=400)
    old = ArticleFactory(author=advocate, published_at=long_ago, review_by=None)
    recent = ArticleFactory(author=advocate, review_by=None)
    reviews_notify()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.review_by == add_months(timezone.localdate(long_ago), 12)
    assert recent.review_by == add_months(timezone.localdate(), 12)
    assert [n.target for n in _reminders_for(advocate)] == [old]
