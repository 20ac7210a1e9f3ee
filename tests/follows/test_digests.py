"""Digest e-mails: who gets one when (daily, weekly or off), what it says in HTML and plain
text, and that running ``send_digests`` again — or after a crash — sends each digest once."""

import logging
import re
from datetime import datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag

from kb.follows.digests import due_period, send_due_digests
from kb.follows.models import Digest, DigestPreference, Frequency, ItemRead
from kb.follows.services import follow_add
from kb.sources.models import Rating
from tests.factories import (
    ArticleFactory,
    CaseStudyFactory,
    MetricFactory,
    ResearchLinkFactory,
    SourceFactory,
    UserFactory,
)


def local(day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A time in November 2026 (local time): the 9th is a Monday."""
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.get_current_timezone())


WEDNESDAY_MORNING = local(11, 9)  # the daily digest of Tuesday 10th and the weekly of 2–8th are due


@pytest.fixture(autouse=True)
def _digest_hour(settings) -> None:
    settings.KB_DIGEST_HOUR = 7
    settings.SITE_URL = "https://kb.example.org"


def follower(username: str, frequency: str | None = None, topic: str = "Video"):
    user = UserFactory(username=username)
    follow_add(user=user, target=Tag.objects.get_or_create(name=topic, slug=topic.lower())[0])
    if frequency:
        DigestPreference.objects.create(user=user, frequency=frequency)
    return user


def published(factory, when: datetime, **kwargs):
    item = factory(**kwargs)
    type(item).objects.filter(pk=item.pk).update(published_at=when, updated_at=when)
    item.refresh_from_db()
    return item


def sent_to(address: str) -> list[EmailMultiAlternatives]:
    return [message for message in mail.outbox if message.to == [address]]


def test_a_daily_digest_covers_yesterday_from_the_sending_hour() -> None:
    before = due_period(Frequency.DAILY, local(11, 6, 59))
    assert (before.start, before.end) == (local(9), local(10))
    after = due_period(Frequency.DAILY, local(11, 7))
    assert (after.start, after.end) == (local(10), local(11))


def test_a_weekly_digest_covers_monday_to_sunday_from_monday_at_the_sending_hour() -> None:
    early_monday = due_period(Frequency.WEEKLY, local(9, 6))
    assert (early_monday.start, early_monday.end) == (local(2) - timedelta(days=7), local(2))
    monday = due_period(Frequency.WEEKLY, local(9, 7))
    assert (monday.start, monday.end) == (local(2), local(9))
    assert due_period(Frequency.WEEKLY, WEDNESDAY_MORNING) == monday


def test_each_reader_gets_what_is_new_in_their_own_period_and_off_gets_nothing() -> None:
    daily = follower("dee", Frequency.DAILY)
    weekly = follower("wes")  # weekly by default
    off = follower("otto", Frequency.OFF)
    published(ArticleFactory, local(8, 12), title="Sunday's video guide", tags=["Video"])
    published(ArticleFactory, local(10, 12), title="Tuesday's video guide", tags=["Video"])
    published(ArticleFactory, local(10, 13), title="Not followed", tags=["Budgets"])

    report = send_due_digests(WEDNESDAY_MORNING)

    assert (report.sent, report.failed) == (2, 0)
    [for_daily] = sent_to(daily.email)
    assert "Tuesday's video guide" in for_daily.body
    assert "Sunday's video guide" not in for_daily.body
    assert "Not followed" not in for_daily.body
    assert for_daily.subject.endswith("1 new item in what you follow on Tuesday 10 November")
    [for_weekly] = sent_to(weekly.email)
    assert "Sunday's video guide" in for_weekly.body
    assert "Tuesday's video guide" not in for_weekly.body
    assert for_weekly.subject.endswith("in the week from Monday 2 November")
    assert sent_to(off.email) == []


def test_running_twice_sends_nothing_twice() -> None:
    reader = follower("rita")
    published(ArticleFactory, local(5, 12), tags=["Video"])
    send_due_digests(WEDNESDAY_MORNING)
    send_due_digests(WEDNESDAY_MORNING)
    send_due_digests(WEDNESDAY_MORNING + timedelta(hours=1))
    assert len(sent_to(reader.email)) == 1
    assert Digest.objects.filter(user=reader).count() == 1


def test_nothing_new_sends_no_email_and_is_not_looked_at_again() -> None:
    reader = follower("rita")
    published(ArticleFactory, local(5, 12), tags=["Budgets"])
    report = send_due_digests(WEDNESDAY_MORNING)
    assert (report.sent, report.nothing_new) == (0, 1)
    assert mail.outbox == []
    assert Digest.objects.get(user=reader).item_count == 0
    assert send_due_digests(WEDNESDAY_MORNING).nothing_new == 0


def test_the_next_day_brings_only_what_is_new_since() -> None:
    reader = follower("dee", Frequency.DAILY)
    published(ArticleFactory, local(10, 12), title="Tuesday's", tags=["Video"])
    published(ArticleFactory, local(11, 12), title="Wednesday's", tags=["Video"])
    send_due_digests(WEDNESDAY_MORNING)
    send_due_digests(local(12, 7, 30))
    tuesday, wednesday = sent_to(reader.email)
    assert "Tuesday's" in tuesday.body and "Wednesday's" not in tuesday.body
    assert "Wednesday's" in wednesday.body and "Tuesday's" not in wednesday.body


def test_switching_from_weekly_to_daily_repeats_nothing_already_sent() -> None:
    reader = follower("wes")
    published(ArticleFactory, local(8, 12), title="In last week's digest", tags=["Video"])
    send_due_digests(local(9, 8))
    DigestPreference.objects.create(user=reader, frequency=Frequency.DAILY)
    published(ArticleFactory, local(9, 9), title="Monday's", tags=["Video"])
    send_due_digests(local(10, 8))
    weekly, daily = sent_to(reader.email)
    assert "In last week's digest" in weekly.body
    assert "Monday's" in daily.body and "In last week's digest" not in daily.body


def test_accounts_without_an_address_or_inactive_or_following_nothing_get_none() -> None:
    follower("nomail").__class__.objects.filter(username="nomail").update(email="")
    gone = follower("gone")
    gone.is_active = False
    gone.save()
    UserFactory(username="follows-nothing")
    published(ArticleFactory, local(5, 12), tags=["Video"])
    assert send_due_digests(WEDNESDAY_MORNING).sent == 0
    assert mail.outbox == []


def test_a_failure_for_one_reader_is_logged_and_retried_next_run_without_resending_to_the_others(
    monkeypatch, caplog
) -> None:
    first, second = follower("first"), follower("second")
    published(ArticleFactory, local(5, 12), title="Worth knowing", tags=["Video"])
    real_send = EmailMultiAlternatives.send

    def crash_for_first(message, *args, **kwargs):
        if message.to == [first.email]:
            raise ConnectionRefusedError("The mail server went away.")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", crash_for_first)
    with caplog.at_level(logging.ERROR, logger="kb.follows.digests"):
        report = send_due_digests(WEDNESDAY_MORNING)
    assert (report.sent, report.failed) == (1, 1)
    assert f"Could not send the weekly digest to user {first.pk}" in caplog.text
    assert not Digest.objects.filter(user=first).exists()  # not recorded: still due
    assert len(sent_to(second.email)) == 1

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    report = send_due_digests(WEDNESDAY_MORNING + timedelta(hours=1))
    assert (report.sent, report.failed) == (1, 0)
    assert len(sent_to(first.email)) == 1
    assert len(sent_to(second.email)) == 1


def test_a_crash_in_the_middle_of_a_run_leaves_the_rest_for_the_next_run(monkeypatch) -> None:
    readers = [follower(f"reader{n}") for n in range(3)]
    published(ArticleFactory, local(5, 12), tags=["Video"])
    real_send = EmailMultiAlternatives.send
    calls = []

    def die_on_second(message, *args, **kwargs):
        calls.append(message.to)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is killed: nothing below runs
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", die_on_second)
    with pytest.raises(KeyboardInterrupt):
        send_due_digests(WEDNESDAY_MORNING)
    assert Digest.objects.count() == 1

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    assert send_due_digests(WEDNESDAY_MORNING).sent == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(r.email for r in readers)


def test_the_email_has_both_bodies_with_headlines_evidence_and_an_unsubscribe_link() -> None:
    reader = follower("rita")
    story = published(
        CaseStudyFactory, local(6, 12), title="Videos that hired nurses", tags=["Video"]
    )
    MetricFactory(case_study=story, name="Applications per vacancy")
    source = SourceFactory(name="Health Comms Quarterly", rating=Rating.HIGH)
    study = published(
        ResearchLinkFactory,
        local(7, 12),
        title="What staff videos do",
        tags=["Video"],
        key_finding="Staff videos double reach.",
        evidence_level=3,
    )
    type(study).objects.filter(pk=study.pk).update(source=source)
    story.refresh_from_db()
    change = story.headline().text

    send_due_digests(WEDNESDAY_MORNING)

    [message] = sent_to(reader.email)
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    text = message.body
    unsubscribe = re.search(r"Unsubscribe from digests: (\S+)", text).group(1)
    assert unsubscribe.startswith("https://kb.example.org/following/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for body in (text, html):
        assert "Videos that hired nurses" in body
        assert "Applications per vacancy" in body
        assert "What staff videos do" in body
        assert "Staff videos double reach." in body
        assert "Health Comms Quarterly (rated high)" in body
        assert "Evidence: Self-reported figures" in body
        assert "Evidence: Measured with published data" in body
        assert unsubscribe in body
        assert f"https://kb.example.org{story.get_absolute_url()}" in body
    assert change in text
    assert change in html
    # The newest first.
    assert text.index("What staff videos do") < text.index("Videos that hired nurses")


def test_the_digest_names_the_most_read_item_of_the_period() -> None:
    reader = follower("rita")
    published(ArticleFactory, local(5, 12), title="Followed news", tags=["Video"])
    popular = published(ArticleFactory, local(1, 12), title="Everyone's favourite")
    quiet = published(ArticleFactory, local(1, 12), title="Hardly read")
    for item, reads in ((popular, 9), (quiet, 2)):
        ItemRead.objects.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            day=local(4).date(),
            reads=reads,
        )
    # Reads outside the week do not count.
    ItemRead.objects.create(
        content_type=ContentType.objects.get_for_model(quiet),
        object_id=quiet.pk,
        day=local(10).date(),
        reads=100,
    )
    send_due_digests(WEDNESDAY_MORNING)
    [message] = sent_to(reader.email)
    assert "Most read in the week from Monday 2 November (9 reads):" in message.body
    assert "Article: Everyone's favourite" in message.body
    assert "Most read in the week from Monday 2 November" in message.alternatives[0][0]


def test_send_digests_runs_from_the_command_line(capsys) -> None:
    reader = follower("rita")
    period = due_period(Frequency.WEEKLY)
    published(ArticleFactory, period.start + timedelta(hours=12), title="Fresh", tags=["Video"])
    call_command("send_digests")
    assert "Digests sent: 1; nothing new for: 0; failed: 0." in capsys.readouterr().out
    call_command("send_digests")
    assert "Digests sent: 0; nothing new for: 0; failed: 0." in capsys.readouterr().out
    assert len(sent_to(reader.email)) == 1
