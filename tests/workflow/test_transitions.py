"""The workflow rules: who may move an item between states, what is recorded, who is told."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kb.core.models import Status
from kb.notifications.models import Notification
from kb.workflow.models import Action, Transition
from kb.workflow.services import TransitionError, allowed_actions, content_transition
from tests.factories import ArticleFactory, CaseStudyFactory, ResearchLinkFactory

FACTORIES = [ArticleFactory, CaseStudyFactory, ResearchLinkFactory]
DRAFT = {"status": Status.DRAFT, "published_at": None}


def owned_by(factory, user, **fields):
    owner_field = factory._meta.model.OWNER_FIELD
    return factory(**{owner_field: user, **DRAFT, **fields})


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_the_whole_journey_from_draft_to_unpublished_is_recorded(factory, advocate, editor):
    item = owned_by(factory, advocate)
    content_transition(item=item, action=Action.SUBMIT, user=advocate)
    content_transition(
        item=item, action=Action.REQUEST_CHANGES, user=editor, comment="Add the source."
    )
    content_transition(item=item, action=Action.SUBMIT, user=advocate)
    content_transition(item=item, action=Action.PUBLISH, user=editor)
    assert item.is_published
    content_transition(item=item, action=Action.UNPUBLISH, user=editor, comment="Outdated")
    item.refresh_from_db()
    assert item.status == Status.UNPUBLISHED
    log = list(Transition.objects.for_item(item).order_by("created_at", "pk"))
    assert [(t.action, t.from_status, t.to_status, t.actor) for t in log] == [
        (Action.SUBMIT, Status.DRAFT, Status.IN_REVIEW, advocate),
        (Action.REQUEST_CHANGES, Status.IN_REVIEW, Status.CHANGES_REQUESTED, editor),
        (Action.SUBMIT, Status.CHANGES_REQUESTED, Status.IN_REVIEW, advocate),
        (Action.PUBLISH, Status.IN_REVIEW, Status.PUBLISHED, editor),
        (Action.UNPUBLISH, Status.PUBLISHED, Status.UNPUBLISHED, editor),
    ]
    assert log[1].comment == "Add the source."


def test_an_author_submits_and_withdraws_but_cannot_publish(advocate):
    article = owned_by(ArticleFactory, advocate)
    assert allowed_actions(article, advocate) == [Action.SUBMIT, Action.TRASH]
    content_transition(item=article, action=Action.SUBMIT, user=advocate)
    assert allowed_actions(article, advocate) == [Action.WITHDRAW, Action.TRASH]
    with pytest.raises(PermissionDenied):
        content_transition(item=article, action=Action.PUBLISH, user=advocate)
    content_transition(item=article, action=Action.WITHDRAW, user=advocate)
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_an_author_may_take_their_own_item_offline_but_not_put_it_back(advocate):
    article = ArticleFactory(author=advocate)
    content_transition(item=article, action=Action.UNPUBLISH, user=advocate)
    assert not article.is_published
    with pytest.raises(PermissionDenied):
        content_transition(item=article, action=Action.PUBLISH, user=advocate)
    assert Action.SUBMIT in allowed_actions(article, advocate)


@pytest.mark.parametrize("persona", ["reader", "other_advocate"])
def test_others_may_not_move_someone_elses_item(request, persona, advocate):
    user = request.getfixturevalue(persona)
    article = owned_by(ArticleFactory, advocate)
    assert allowed_actions(article, user) == []
    for action in (Action.SUBMIT, Action.TRASH, Action.PUBLISH):
        with pytest.raises(PermissionDenied):
            content_transition(item=article, action=action, user=user)
    article.refresh_from_db()
    assert (article.status, article.in_trash) == (Status.DRAFT, False)


def test_an_editor_may_publish_a_draft_directly(editor, advocate):
    article = owned_by(ArticleFactory, advocate)
    content_transition(item=article, action=Action.PUBLISH, user=editor)
    assert article.is_published


def test_requesting_changes_needs_a_comment(editor, advocate):
    article = owned_by(ArticleFactory, advocate, status=Status.IN_REVIEW)
    with pytest.raises(TransitionError, match="Say what needs to change"):
        content_transition(item=article, action=Action.REQUEST_CHANGES, user=editor, comment=" ")
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_an_action_that_does_not_fit_the_state_is_refused(editor):
    article = ArticleFactory()  # published
    with pytest.raises(TransitionError, match="published"):
        content_transition(item=article, action=Action.PUBLISH, user=editor)
    with pytest.raises(TransitionError):
        content_transition(item=article, action=Action.REQUEST_CHANGES, user=editor, comment="x")
    with pytest.raises(TransitionError):
        content_transition(item=article, action="explode", user=editor)
    assert not Transition.objects.exists()


# Scheduling -----------------------------------------------------------------------------


def test_a_scheduled_item_appears_when_due_without_any_job(editor, advocate):
    article = owned_by(ArticleFactory, advocate, status=Status.IN_REVIEW)
    later = timezone.now() + timedelta(hours=2)
    record = content_transition(item=article, action=Action.PUBLISH, user=editor, publish_at=later)
    assert record.is_scheduled
    assert article.is_scheduled and not article.is_published
    assert not type(article).objects.published().filter(pk=article.pk).exists()
    # Time passes: the same row is now due, and every published() query shows it.
    type(article).objects.filter(pk=article.pk).update(published_at=timezone.now())
    assert type(article).objects.published().filter(pk=article.pk).exists()


# Trash ----------------------------------------------------------------------------------


def test_trashing_hides_an_item_everywhere_and_restoring_brings_it_back(advocate, editor):
    article = ArticleFactory(author=advocate)
    content_transition(item=article, action=Action.TRASH, user=advocate)
    assert not type(article).objects.filter(pk=article.pk).exists()
    assert type(article).all_objects.get(pk=article.pk).deleted_by == advocate
    assert not article.can_view(editor)
    content_transition(item=article, action=Action.RESTORE, user=editor)
    article.refresh_from_db()
    assert article.is_published and not article.in_trash


def test_nothing_can_be_done_to_a_trashed_item_but_restore(advocate):
    article = owned_by(ArticleFactory, advocate)
    content_transition(item=article, action=Action.TRASH, user=advocate)
    assert allowed_actions(article, advocate) == [Action.RESTORE]
    with pytest.raises(TransitionError):
        content_transition(item=article, action=Action.SUBMIT, user=advocate)


def test_an_item_cannot_be_restored_after_the_trash_window(advocate, settings):
    article = owned_by(ArticleFactory, advocate)
    content_transition(item=article, action=Action.TRASH, user=advocate)
    type(article).all_objects.filter(pk=article.pk).update(
        deleted_at=timezone.now() - timedelta(days=settings.KB_TRASH_DAYS + 1)
    )
    article.refresh_from_db()
    assert allowed_actions(article, advocate) == []
    with pytest.raises(TransitionError):
        content_transition(item=article, action=Action.RESTORE, user=advocate)


# Notifications --------------------------------------------------------------------------


def test_submitting_tells_the_editors(
    advocate, editor, admin_user, django_capture_on_commit_callbacks
):
    article = owned_by(ArticleFactory, advocate, title="Our first reel")
    with django_capture_on_commit_callbacks(execute=True):
        content_transition(item=article, action=Action.SUBMIT, user=advocate)
    recipients = set(Notification.objects.values_list("recipient__username", "verb"))
    assert recipients == {(editor.username, "submitted"), (admin_user.username, "submitted")}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([editor.email, admin_user.email])


@pytest.mark.parametrize(
    ("action", "comment", "verb"),
    [
        (Action.PUBLISH, "", "published"),
        (Action.REQUEST_CHANGES, "Please cite the survey.", "changes_requested"),
    ],
)
def test_the_author_hears_the_review_outcome_in_the_site_and_by_email(
    action, comment, verb, advocate, editor, django_capture_on_commit_callbacks
):
    article = owned_by(ArticleFactory, advocate, status=Status.IN_REVIEW, title="Our first reel")
    with django_capture_on_commit_callbacks(execute=True):
        content_transition(item=article, action=action, user=editor, comment=comment)
    notification = Notification.objects.get(recipient=advocate)
    assert (notification.verb, notification.actor, notification.message) == (verb, editor, comment)
    [email] = mail.outbox
    assert email.to == [advocate.email]
    assert "Our first reel" in email.subject
    assert comment in email.body


def test_a_scheduled_publication_is_announced_as_scheduled(advocate, editor):
    article = owned_by(ArticleFactory, advocate, status=Status.IN_REVIEW)
    later = timezone.now() + timedelta(days=1)
    content_transition(item=article, action=Action.PUBLISH, user=editor, publish_at=later)
    assert Notification.objects.get(recipient=advocate).verb == "scheduled"


def test_nobody_is_told_about_what_they_did_themselves(editor, django_capture_on_commit_callbacks):
    article = owned_by(ArticleFactory, editor)
    with django_capture_on_commit_callbacks(execute=True):
        content_transition(item=article, action=Action.PUBLISH, user=editor)
        content_transition(item=article, action=Action.UNPUBLISH, user=editor)
    assert not Notification.objects.exists()
    assert mail.outbox == []
