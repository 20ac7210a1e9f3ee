"""The mail server down: what the user did still happens, and the mail is logged or retried.

The KB sends mail in two places (``grep send_mail EmailMessage EmailMultiAlternatives
mail_admins``): notifications (``kb.notifications.services.send_notification_email``,
after the commit of whatever caused them — a review, a question routed, a comment) and
digests (``send_digests``). A notification's e-mail that fails is logged and not retried:
the notification itself is in the site, where its recipient sees it. A digest that fails
is not recorded as sent, so the next run of ``send_digests`` sends it.

These tests use Django's real SMTP backend against a port where nothing listens (the
server is down) and against one that accepts connections and never answers (hung), which
``EMAIL_TIMEOUT`` cuts short.
"""

import io
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from kb.comments.models import Comment
from kb.core.models import Status
from kb.follows.models import Digest
from kb.follows.services import follow_add
from kb.notifications.models import Notification
from kb.questions.models import Routing
from tests.factories import ArticleFactory, UserFactory
from tests.questions.factories import QuestionFactory

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def mail_server_down(settings) -> Iterator[int]:
    """The SMTP backend, pointed at a loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP, "127.0.0.1", port
    settings.EMAIL_TIMEOUT = 2
    yield port


@pytest.fixture
def mail_server_hung(settings) -> Iterator[None]:
    """A server that accepts the connection and never says a word."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshakes; nothing ever answers
        settings.EMAIL_BACKEND, settings.EMAIL_HOST = SMTP, "127.0.0.1"
        settings.EMAIL_PORT = silent.getsockname()[1]
        settings.EMAIL_TIMEOUT = 0.3
        yield


def _mail_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "kb.notifications.services"]


def _email_timeout(**env: str) -> str:
    """EMAIL_TIMEOUT as a fresh interpreter reads it from ``env``."""
    clean = {k: v for k, v in os.environ.items() if k != "EMAIL_TIMEOUT"}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.EMAIL_TIMEOUT)"],
        cwd=settings.BASE_DIR,
        env={**clean, "DEBUG": "true", "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()


def test_the_timeout_is_read_from_the_environment_with_a_short_default() -> None:
    assert _email_timeout() == "5"
    assert _email_timeout(EMAIL_TIMEOUT="12") == "12"


def test_publishing_succeeds_and_the_authors_mail_is_logged_as_failed(
    editor_client: Client, advocate: AbstractUser, mail_server_down, caplog,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    article = ArticleFactory(author=advocate, status=Status.IN_REVIEW, published_at=None)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("workflow:action", args=["article", article.slug, "publish"])
        )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    note = Notification.objects.get(recipient=advocate, verb="published")
    assert _mail_errors(caplog) == [
        f"Could not e-mail notification {note.pk} to user {advocate.pk}"
    ]


def test_asking_an_advocate_succeeds_and_each_mail_is_logged_as_failed(
    reader_client: Client, reader: AbstractUser, advocate: AbstractUser,
    other_advocate: AbstractUser, mail_server_down, caplog, django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    question = QuestionFactory(asker=reader, department=advocate.advocate_profile.department)
    other_advocate.advocate_profile.department = advocate.advocate_profile.department
    other_advocate.advocate_profile.save()

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = reader_client.post(
            reverse("questions:route", args=[question.pk]),
            {"advocates": [advocate.pk, other_advocate.pk]},
        )

    assert response.status_code == 302
    assert set(Routing.objects.values_list("advocate", flat=True)) == {
        advocate.pk,
        other_advocate.pk,
    }
    assert Notification.objects.filter(verb="asked").count() == 2
    assert len(_mail_errors(caplog)) == 2


def test_commenting_succeeds_when_the_owner_cannot_be_mailed(
    reader_client: Client, advocate: AbstractUser, mail_server_down, caplog,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    article = ArticleFactory(author=advocate, status=Status.PUBLISHED, published_at=timezone.now())

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = reader_client.post(
            reverse("comments:post", args=["article", article.slug]), {"body": "Useful, thanks."}
        )

    assert response.status_code == 302
    assert Comment.objects.filter(body="Useful, thanks.").exists()
    assert Notification.objects.filter(recipient=advocate, verb="commented").exists()
    assert len(_mail_errors(caplog)) == 1


def test_a_hung_mail_server_holds_the_request_no_longer_than_the_timeout(
    editor_client: Client, advocate: AbstractUser, mail_server_hung, caplog,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    article = ArticleFactory(author=advocate, status=Status.IN_REVIEW, published_at=None)

    began = time.monotonic()
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("workflow:action", args=["article", article.slug, "publish"])
        )
    waited = time.monotonic() - began

    assert response.status_code == 302
    assert waited < 5, "EMAIL_TIMEOUT, not the operating system's minutes, bounds the wait"
    assert len(_mail_errors(caplog)) == 1


def _local(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=timezone.get_current_timezone())


def test_a_digest_that_could_not_be_sent_is_sent_by_the_next_run(
    settings, mail_server_down, caplog, monkeypatch
) -> None:
    settings.KB_DIGEST_HOUR = 7
    reader = UserFactory(username="dee")
    follow_add(user=reader, target=Tag.objects.get_or_create(name="Video", slug="video")[0])
    item = ArticleFactory(tags=["Video"], status=Status.PUBLISHED)
    type(item).objects.filter(pk=item.pk).update(published_at=_local(5, 12))
    monkeypatch.setattr(timezone, "now", lambda: _local(11, 9))  # the weekly digest is due

    with caplog.at_level(logging.ERROR), pytest.raises(SystemExit) as failed:
        call_command("send_digests", stdout=io.StringIO(), stderr=io.StringIO())
    assert failed.value.code == 1  # cron reports it
    assert f"Could not send the weekly digest to user {reader.pk}" in caplog.text
    assert not Digest.objects.exists(), "a digest that failed is not recorded as sent"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    call_command("send_digests", stdout=io.StringIO())
    assert [message.to for message in mail.outbox] == [[reader.email]]
    assert Digest.objects.filter(user=reader).count() == 1
