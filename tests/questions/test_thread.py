"""The answer thread: answering (and who hears of it), answered and most useful, the
sanitiser, moderation, the trash, and the lists of open, answered and stale questions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kb.notifications.models import Notification
from kb.questions.models import Answer, Question, Routing
from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_an_answer_joins_the_thread_and_tells_the_asker_and_the_advocates_asked(
    reader, advocate, other_advocate, advocate_client: Client, django_capture_on_commit_callbacks
) -> None:
    question = QuestionFactory(asker=reader, title="Where to start?")
    Routing.objects.create(question=question, advocate=advocate)
    Routing.objects.create(question=question, advocate=other_advocate)
    with django_capture_on_commit_callbacks(execute=True):
        response = advocate_client.post(
            reverse("questions:answer", args=[question.pk]), {"body": "Start **small**."}
        )
    answer = Answer.objects.get()
    assert response["Location"] == f"/questions/{question.pk}/#answer-{answer.pk}"
    assert {n.recipient for n in Notification.objects.filter(verb="answered")} == {
        reader,
        other_advocate,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([reader.email, other_advocate.email])


def test_answers_go_through_the_comment_sanitiser(reader, advocate_client: Client) -> None:
    question = QuestionFactory(asker=reader)
    advocate_client.post(
        reverse("questions:answer", args=[question.pk]),
        {"body": "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>"},
    )
    page = advocate_client.get(question.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page


def test_an_empty_or_oversized_answer_is_a_form_error_that_keeps_the_text(
    reader, advocate_client: Client
) -> None:
    question = QuestionFactory(asker=reader)
    url = reverse("questions:answer", args=[question.pk])
    assert advocate_client.post(url, {"body": "  "}).status_code == 400
    response = advocate_client.post(url, {"body": "kept words " + "x" * 6000})
    assert response.status_code == 400 and "kept words" in response.content.decode()
    assert not Answer.objects.exists()


def test_the_asker_marks_the_most_useful_answer_which_marks_it_answered(
    reader, reader_client: Client, advocate_client: Client
) -> None:
    question = QuestionFactory(asker=reader)
    answer = AnswerFactory(question=question)
    assert (
        advocate_client.post(reverse("questions:most_useful", args=[answer.pk])).status_code == 403
    )
    reader_client.post(reverse("questions:most_useful", args=[answer.pk]))
    question.refresh_from_db()
    assert question.most_useful == answer and question.is_answered
    reader_client.post(reverse("questions:answered", args=[question.pk]), {"answered": "0"})
    question.refresh_from_db()
    assert question.answered_at is None and question.most_useful is None


def test_only_the_asker_marks_a_question_answered(
    reader, reader_client: Client, advocate_client: Client
) -> None:
    question = QuestionFactory(asker=reader)
    url = reverse("questions:answered", args=[question.pk])
    assert advocate_client.post(url).status_code == 403
    reader_client.post(url)
    question.refresh_from_db()
    assert question.is_answered


def test_the_lists_show_open_answered_and_week_old_unanswered_questions(
    reader_client: Client,
) -> None:
    QuestionFactory(title="Fresh open one")
    old = QuestionFactory(title="Old open one")
    Question.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    QuestionFactory(title="Done one", answered_at=timezone.now())

    def titles(show: str) -> set[str]:
        response = reader_client.get(reverse("questions:list"), {"show": show})
        return {q.title for q in response.context["object_list"]}

    assert titles("open") == {"Fresh open one", "Old open one"}
    assert titles("answered") == {"Done one"}
    assert titles("stale") == {"Old open one"}
    assert titles("nonsense") == titles("open")


def test_editors_hide_an_answer_with_a_reason_and_readers_see_only_the_reason(
    reader, editor_client: Client, reader_client: Client
) -> None:
    answer = AnswerFactory(question=QuestionFactory(asker=reader), body="Rude words")
    url = reverse("questions:answer_moderate", args=[answer.pk])
    assert reader_client.post(url, {"reason": "x"}).status_code == 403
    editor_client.post(url, {"reason": ""})
    answer.refresh_from_db()
    assert answer.hidden_at is None
    editor_client.post(url, {"reason": "Off topic"})
    page = reader_client.get(answer.question.get_absolute_url()).content.decode()
    assert "Hidden by an editor: Off topic" in page and "Rude words" not in page
    editor_client.post(url, {"action": "unhide"})
    assert "Rude words" in reader_client.get(answer.question.get_absolute_url()).content.decode()


def test_an_author_deletes_their_answer_to_the_trash_only_for_a_short_while(
    reader, advocate, advocate_client: Client, other_advocate_client: Client
) -> None:
    answer = AnswerFactory(question=QuestionFactory(asker=reader), author=advocate)
    url = reverse("questions:answer_delete", args=[answer.pk])
    assert other_advocate_client.post(url).status_code == 403
    advocate_client.post(url)
    answer.refresh_from_db()
    assert answer.deleted_at is not None  # kept in the trash, out of the thread
    late = AnswerFactory(author=advocate, created_at=timezone.now() - timedelta(days=1))
    assert (
        advocate_client.post(reverse("questions:answer_delete", args=[late.pk])).status_code == 403
    )


def test_a_deleted_question_goes_to_the_trash_and_out_of_every_page(
    reader, reader_client: Client, advocate_client: Client
) -> None:
    question = QuestionFactory(asker=reader, title="Regretted")
    assert advocate_client.post(reverse("questions:delete", args=[question.pk])).status_code == 403
    reader_client.post(reverse("questions:delete", args=[question.pk]))
    assert Question.objects.filter(pk=question.pk, deleted_at__isnull=False).exists()
    assert reader_client.get(question.get_absolute_url()).status_code == 404
    assert "Regretted" not in reader_client.get(reverse("questions:list")).content.decode()


def test_unknown_and_malformed_ids_are_404(reader_client: Client) -> None:
    assert reader_client.get("/questions/999999/").status_code == 404
    assert reader_client.get("/questions/abc/").status_code == 404
    assert reader_client.post("/questions/99999999999999999999/answer/").status_code == 404


def test_the_list_costs_the_same_queries_for_one_and_many_questions(
    reader_client: Client, django_assert_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    AnswerFactory(question=QuestionFactory(topics=["video"]))
    with CaptureQueriesContext(connection) as one:
        reader_client.get(reverse("questions:list"))
    for n in range(6):
        AnswerFactory(question=QuestionFactory(topics=[f"topic {n}", "video"]))
    with django_assert_num_queries(len(one)):
        reader_client.get(reverse("questions:list"))
