"""Writes on questions and answers: ask, route, answer, mark answered and most useful,
hide, trash, and turn an answer into a draft article.

Each is one transaction: besides its own rows, every write on a question or an answer
queues the question for the search index (kb.search.signals), and the two must be kept
or lost together, even when the process is killed between them.

The rules are checked here, not only in the views, so no caller can skip them: breaking
one raises PermissionDenied, invalid input ValidationError. Notifications go through
kb.notifications (an in-site notification and an e-mail once the transaction commits).
"""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from kb.advocates.models import AdvocateProfile
from kb.articles.models import Article
from kb.core.models import Status
from kb.core.permissions import can_add
from kb.notifications.services import notify_many
from kb.questions.matching import suggest_advocates
from kb.questions.models import Answer, Question, Routing, can_moderate
from kb.revisions.services import revision_record
from kb.search.signals import schedule


@transaction.atomic
def question_route(*, question: Question, asker: User, advocates: Iterable[int]) -> list[Routing]:
    """Send the question to the picked advocates, among those suggested for it, and tell
    each of them (the reason they matched goes with it)."""
    if not question.is_asker(asker):
        raise PermissionDenied("Only the asker routes a question.")
    suggested = {s.profile.user_id: s for s in suggest_advocates(question, limit=None)}
    picked = list(dict.fromkeys(advocates))
    if not picked:
        raise ValidationError({"advocates": "Pick at least one advocate."})
    if any(pk not in suggested for pk in picked):
        raise ValidationError({"advocates": "Pick from the advocates suggested."})
    already = set(question.routings.values_list("advocate_id", flat=True))
    routings = Routing.objects.bulk_create(
        Routing(
            question=question, advocate=suggested[pk].profile.user, reason=suggested[pk].explanation
        )
        for pk in picked
        if pk not in already
    )
    if routings:
        # bulk_create sends no signals: those asked are a private question's audience.
        schedule(Question, question.pk)
    notify_many(
        recipients=[routing.advocate for routing in routings],
        actor=asker,
        verb="asked",
        target=question,
        message=Truncator(question.body).chars(200),
    )
    return routings


@transaction.atomic
def answer_post(*, question: Question, author: User, body: str) -> Answer:
    """Add an answer to the thread; tell the asker and the advocates asked."""
    if not question.can_answer(author):
        raise PermissionDenied("You may not answer this question.")
    answer = Answer(question=question, author=author, body=body.strip())
    answer.full_clean()
    answer.save()
    notify_many(
        recipients=[question.asker, *question.asked.all()],
        actor=author,
        verb="answered",
        target=question,
        message=Truncator(answer.body).chars(200),
        url=answer.get_absolute_url(),
    )
    return answer


@transaction.atomic
def question_mark_answered(*, question: Question, user: User, answered: bool = True) -> Question:
    if not question.is_asker(user):
        raise PermissionDenied("Only the asker marks a question answered.")
    if answered:
        question.answered_at = question.answered_at or timezone.now()
    else:
        question.answered_at = None
        question.most_useful = None
    question.save(update_fields=["answered_at", "most_useful"])
    return question


@transaction.atomic
def answer_mark_most_useful(*, answer: Answer, user: User) -> Question:
    """The asker's pick of the thread; picking one also marks the question answered."""
    question = answer.question
    if not question.is_asker(user):
        raise PermissionDenied("Only the asker picks the most useful answer.")
    if not answer.is_visible:
        raise ValidationError("That answer can no longer be picked.")
    question.most_useful = answer
    question.answered_at = question.answered_at or timezone.now()
    question.save(update_fields=["answered_at", "most_useful"])
    return question


@transaction.atomic
def answer_delete(*, answer: Answer, user: User) -> None:
    """Move one's own answer to the trash, within the comments' edit window."""
    if not answer.can_delete(user):
        raise PermissionDenied("Answers can be deleted only by their author, for a short while.")
    answer.deleted_at = timezone.now()
    answer.save(update_fields=["deleted_at"])
    Question.objects.filter(pk=answer.question_id, most_useful=answer).update(most_useful=None)


@transaction.atomic
def question_delete(*, question: Question, user: User) -> None:
    """The asker (or an editor) moves a question to the trash; the admin restores it."""
    if not (question.is_asker(user) or can_moderate(user)):
        raise PermissionDenied("Only the asker or an editor may delete a question.")
    question.deleted_at = timezone.now()
    question.save(update_fields=["deleted_at"])


@transaction.atomic
def moderate(*, item: Question | Answer, editor: User, reason: str, hide: bool = True):
    """Hide a question or an answer from readers with the reason shown in its place, or
    show it again."""
    if not can_moderate(editor):
        raise PermissionDenied("Only editors may hide questions and answers.")
    if hide:
        reason = reason.strip()
        if not reason:
            raise ValidationError({"hidden_reason": "Give the reason readers will see."})
        item.hidden_at = item.hidden_at or timezone.now()
        item.hidden_by, item.hidden_reason = editor, reason
        item.full_clean()
    else:
        item.hidden_at, item.hidden_by, item.hidden_reason = None, None, ""
    item.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return item


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


@transaction.atomic
def answer_to_article(*, answer: Answer, user: User) -> Article:
    """A draft article by the answer's writer, prefilled with the thread and crediting
    everyone in it: the question, then each visible answer (this one first)."""
    question = answer.question
    if answer.author_id != user.pk or not answer.is_visible:
        raise PermissionDenied("Only the writer of an answer turns it into an article.")
    if not can_add(user, Article):
        raise PermissionDenied("You may not write articles.")
    others = [a for a in question.answers.select_related("author") if a.is_visible and a != answer]
    parts = [
        f"*Asked by {_name(question.asker)}:* **{question.title}**",
        _quoted(question.body) if question.body else "",
        f"*{_name(user)} answered:*",
        answer.body,
        *[f"*{_name(other.author)} also answered:*\n\n{other.body}" for other in others],
    ]
    article = Article(
        title=question.title[:200],
        summary=Truncator(f"{_name(user)} answers a colleague's question.").chars(1000),
        body="\n\n".join(part for part in parts if part),
        author=user,
        status=Status.DRAFT,
    )
    article.full_clean()
    article.save()
    article.tags.set([tag.name for tag in question.topics.all()])
    revision_record(item=article, user=user, message="Written from an answer")
    return article


def asker_department(user: User):
    """The department a question defaults to: the asker's, when they have a profile."""
    profile = AdvocateProfile.objects.filter(user=user).select_related("department").first()
    return profile.department if profile else None
