"""Notify people of what happened to their work: an in-site notification and an e-mail.

The interface other apps (workflow, comments) call; they never create ``Notification``
rows themselves. The wording of each verb lives in ``kb.notifications.models.SENTENCES``,
shared by the notification list and the e-mail subject.

The e-mail is sent once the surrounding transaction commits, so a rolled-back review
never mails anyone, and a mail outage is logged instead of failing the request.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.urls import reverse

from kb.notifications.models import Notification, Verb

logger = logging.getLogger(__name__)

TITLE_LENGTH = Notification._meta.get_field("target_title").max_length


def notify(
    *,
    recipient: AbstractBaseUser | None,
    actor: AbstractBaseUser | None,
    verb: str,
    target: models.Model,
    message: str = "",
    url: str | None = None,
) -> Notification | None:
    """Tell ``recipient`` that ``actor`` did ``verb`` to ``target``; None if nobody is told.

    Nobody is told of their own action, and accounts that are gone or inactive are skipped.
    ``url`` defaults to the target's page; ``message`` is plain text (an editor's comment,
    a comment excerpt).
    """
    verb = Verb(verb)  # a misspelt verb is a programming error: fail loudly
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    notification = Notification.objects.create(
        recipient=recipient,
        actor=actor,
        verb=verb,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        # One line: the title also goes into an e-mail subject, which allows no newlines.
        target_title=" ".join(str(target).split())[:TITLE_LENGTH],
        url=target.get_absolute_url() if url is None else url,
        message=message.strip(),
    )
    if recipient.email:
        transaction.on_commit(lambda: send_notification_email(notification))
    return notification


@transaction.atomic
def notify_many(
    *,
    recipients: Iterable[AbstractBaseUser | None],
    actor: AbstractBaseUser | None,
    verb: str,
    target: models.Model,
    message: str = "",
    url: str | None = None,
) -> list[Notification]:
    """``notify`` each of ``recipients`` once; the notifications actually created."""
    notifications = []
    seen: set[int] = set()
    for recipient in recipients:
        if recipient is None or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        notification = notify(
            recipient=recipient, actor=actor, verb=verb, target=target, message=message, url=url
        )
        if notification is not None:
            notifications.append(notification)
    return notifications


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def email_body(notification: Notification) -> str:
    paragraphs = [f"{notification.sentence}."]
    if notification.message:
        paragraphs.append(notification.message)
    paragraphs += [
        f"Open it: {absolute_url(notification.safe_url)}",
        f"See all your notifications: {absolute_url(reverse('notifications:list'))}",
    ]
    return "\n\n".join(paragraphs) + "\n"


def send_notification_email(notification: Notification) -> None:
    """Mail one notification to its recipient; log, never raise, if the mail server fails."""
    try:
        send_mail(
            subject=f"[{settings.SITE_NAME}] {notification.sentence}",
            message=email_body(notification),
            from_email=None,  # DEFAULT_FROM_EMAIL
            recipient_list=[notification.recipient.email],
            fail_silently=False,
        )
    except Exception:
        logger.exception(
            "Could not e-mail notification %s to user %s",
            notification.pk,
            notification.recipient_id,
        )
