"""Posting tells the item's owner ("commented") and the author replied to ("replied")."""

from django.core import mail
from django.test import Client

from kb.notifications.models import Notification
from tests.comments.conftest import post_comment
from tests.factories import CaseStudyFactory, CommentFactory


def notifications_of(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user).values_list("verb", "url"))


def test_a_comment_notifies_the_owner_by_site_and_email(
    reader_client: Client, advocate, article, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(reader_client, article, "Great *guide*, thanks.")
    comment = article.comments.get()
    notification = Notification.objects.get(recipient=advocate)
    assert notification.verb == "commented"
    assert notification.url == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert "Great *guide*, thanks." in notification.message
    assert [message.to for message in mail.outbox] == [[advocate.email]]
    assert "commented on" in mail.outbox[0].subject


def test_a_comment_on_a_case_study_notifies_whoever_added_it(
    reader_client: Client, other_advocate, django_capture_on_commit_callbacks
) -> None:
    case_study = CaseStudyFactory(created_by=other_advocate)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(reader_client, case_study, "Useful.")
    assert [verb for verb, _ in notifications_of(other_advocate)] == ["commented"]
    assert len(mail.outbox) == 1


def test_a_reply_notifies_the_parent_author_and_the_owner(
    other_advocate_client: Client, reader, advocate, article, django_capture_on_commit_callbacks
) -> None:
    parent = CommentFactory(target=article, author=reader)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(other_advocate_client, article, "Seconded", parent=parent.pk)
    assert [verb for verb, _ in notifications_of(reader)] == ["replied"]
    assert [verb for verb, _ in notifications_of(advocate)] == ["commented"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([reader.email, advocate.email])
    assert any("replied to your comment" in m.subject for m in mail.outbox)


def test_a_reply_to_the_owners_comment_notifies_them_once(
    reader_client: Client, advocate, article, django_capture_on_commit_callbacks
) -> None:
    parent = CommentFactory(target=article, author=advocate)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(reader_client, article, "Thanks!", parent=parent.pk)
    assert [verb for verb, _ in notifications_of(advocate)] == ["replied"]
    assert len(mail.outbox) == 1


def test_nobody_is_notified_of_their_own_comment(
    advocate_client: Client, article, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(advocate_client, article, "Author's note: updated figures.")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_rejected_comment_notifies_nobody(
    reader_client: Client, article, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(reader_client, article, "")
    assert not Notification.objects.exists()
    assert mail.outbox == []
