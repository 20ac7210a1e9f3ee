"""notify() and notify_many(): who is told, what the notification says, and the e-mail."""

import logging
from smtplib import SMTPServerDisconnected

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from kb.notifications.models import SENTENCES, Notification, Verb
from kb.notifications.services import notify, notify_many
from tests.factories import ArticleFactory, NotificationFactory

EDDIE = User(username="eddie", first_name="Eddie", last_name="Editor")


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def article(advocate):
    return ArticleFactory(title="Video without a studio", author=advocate)


def test_notify_saves_a_notification_and_sends_one_email(
    advocate, editor, article, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=advocate,
            actor=editor,
            verb=Verb.CHANGES_REQUESTED,
            target=article,
            message="Please add the view counts.",
        )
    assert notification == Notification.objects.get()
    assert notification.recipient == advocate
    assert notification.actor == editor
    assert notification.target == article
    assert notification.target_title == "Video without a studio"
    assert notification.url == article.get_absolute_url()
    assert notification.is_unread
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [advocate.email]


def test_the_email_names_the_site_the_actor_and_the_title_and_links_back(
    advocate, editor, article, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SITE_NAME = "Comms KB"
    settings.SITE_URL = "https://kb.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=advocate,
            actor=editor,
            verb="published",
            target=article,
            message="Lovely piece.",
        )
    email = mail.outbox[0]
    assert email.subject == "[Comms KB] Eddie Editor published “Video without a studio”"
    assert "Lovely piece." in email.body
    assert f"https://kb.example.org{article.get_absolute_url()}" in email.body
    assert "https://kb.example.org/notifications/" in email.body


def test_the_email_waits_until_the_transaction_commits(
    advocate, editor, article, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        notify(recipient=advocate, actor=editor, verb="published", target=article)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_no_email_is_sent_to_a_recipient_without_an_address(
    advocate, editor, article, django_capture_on_commit_callbacks
) -> None:
    advocate.email = ""
    advocate.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(recipient=advocate, actor=editor, verb="published", target=article)
    assert notification is not None
    assert callbacks == []
    assert mail.outbox == []


def test_nobody_is_notified_of_their_own_action(
    advocate, article, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=advocate, actor=advocate, verb="submitted", target=article)
    assert notification is None
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_an_inactive_recipient_is_skipped(
    advocate, editor, article, django_capture_on_commit_callbacks
) -> None:
    advocate.is_active = False
    advocate.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=advocate, actor=editor, verb="published", target=article)
    assert notification is None
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_missing_recipient_is_skipped(editor, article) -> None:
    assert notify(recipient=None, actor=editor, verb="published", target=article) is None
    assert not Notification.objects.exists()


def test_a_notification_without_an_actor_says_someone(advocate, article) -> None:
    notification = notify(recipient=advocate, actor=None, verb="published", target=article)
    assert notification.sentence == "Someone published “Video without a studio”"


def test_an_unknown_verb_is_refused(advocate, editor, article) -> None:
    with pytest.raises(ValueError):
        notify(recipient=advocate, actor=editor, verb="liked", target=article)
    assert not Notification.objects.exists()


def test_an_explicit_url_is_kept(advocate, editor, article) -> None:
    url = f"{article.get_absolute_url()}#comment-7"
    notification = notify(
        recipient=advocate, actor=editor, verb="commented", target=article, url=url
    )
    assert notification.url == url


def test_the_title_is_kept_on_one_line_and_survives_the_targets_deletion(advocate, editor) -> None:
    article = ArticleFactory(title="Line one\nline two", author=advocate)
    notification = notify(recipient=advocate, actor=editor, verb="published", target=article)
    article.delete()
    notification.refresh_from_db()
    assert notification.target is None
    assert notification.sentence == "Eddie Editor published “Line one line two”"


def test_a_title_longer_than_the_snapshot_is_cut_short(advocate, editor, article) -> None:
    article.title = "x" * 300  # a target whose str() outgrows the column
    notification = notify(recipient=advocate, actor=editor, verb="published", target=article)
    assert notification.target_title == "x" * 200


def test_a_mail_server_error_does_not_break_notify(
    advocate, editor, article, settings, caplog, django_capture_on_commit_callbacks
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    with caplog.at_level(logging.ERROR, logger="kb.notifications.services"):
        with django_capture_on_commit_callbacks(execute=True):
            notification = notify(
                recipient=advocate, actor=editor, verb="published", target=article
            )
    assert Notification.objects.get() == notification
    assert "Could not e-mail notification" in caplog.text


def test_notify_many_tells_each_recipient_once_and_never_the_actor(
    advocate, other_advocate, editor, reader, article, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notifications = notify_many(
            recipients=[advocate, other_advocate, advocate, editor, None],
            actor=editor,
            verb="commented",
            target=article,
            message="Nice.",
        )
    assert {n.recipient for n in notifications} == {advocate, other_advocate}
    assert Notification.objects.count() == 2
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [advocate.email, other_advocate.email]
    )


# What the nightly jobs find: nobody did it, so nobody is named.
FOUND_BY_A_JOB = {Verb.LINK_BROKEN, Verb.REVIEW_DUE}


@pytest.mark.parametrize("verb", sorted(set(Verb.values) - FOUND_BY_A_JOB))
def test_every_verb_reads_as_a_sentence_naming_the_actor_and_the_title(verb: str) -> None:
    notification = Notification(verb=verb, actor=EDDIE, target_title="Title")
    assert notification.sentence.startswith("Eddie Editor ")
    assert "“Title”" in notification.sentence
    assert set(SENTENCES) == set(Verb.values)


@pytest.mark.parametrize("verb", sorted(FOUND_BY_A_JOB))
def test_what_a_job_found_reads_as_a_sentence_naming_the_title(verb: str) -> None:
    notification = Notification(verb=verb, actor=None, target_title="Title")
    assert "“Title”" in notification.sentence
    assert "Someone" not in notification.sentence


def test_changes_requested_reads_naturally() -> None:
    notification = Notification(verb=Verb.CHANGES_REQUESTED, actor=EDDIE, target_title="Title")
    assert str(notification) == "Eddie Editor requested changes to “Title”"


def test_unread_leaves_out_what_has_been_read(advocate) -> None:
    unread = NotificationFactory(recipient=advocate)
    NotificationFactory(recipient=advocate).mark_read()
    assert list(Notification.objects.unread()) == [unread]
