"""Private questions: seen by their asker and the advocates asked, by nobody else, and
never in the public search; other questions become searchable once answered."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kb.questions.models import Routing
from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_question(reader, advocate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = QuestionFactory(
            asker=reader, private=True, title="Quietly asking about zeppelins"
        )
        Routing.objects.create(question=question, advocate=advocate)
        AnswerFactory(question=question, author=advocate, body="Zeppelins answer")
        question.answered_at = timezone.now()
        question.save()
    return question


def search(client: Client, words: str) -> str:
    return client.get(reverse("search:results"), {"q": words}).content.decode()


def test_a_private_question_is_seen_by_its_asker_and_the_advocates_asked_only(
    private_question, reader_client: Client, advocate_client: Client,
    other_advocate_client: Client, editor_client: Client,
) -> None:  # fmt: skip
    url = private_question.get_absolute_url()
    assert reader_client.get(url).status_code == 200
    assert advocate_client.get(url).status_code == 200
    assert other_advocate_client.get(url).status_code == 404
    assert editor_client.get(url).status_code == 404
    answered = reverse("questions:list") + "?show=answered"
    assert "zeppelins" in advocate_client.get(answered).content.decode()
    assert "zeppelins" not in other_advocate_client.get(answered).content.decode()
    answer_url = reverse("questions:answer", args=[private_question.pk])
    assert other_advocate_client.post(answer_url, {"body": "sneaky"}).status_code == 404


def test_a_private_question_is_never_in_search_for_others(
    private_question, reader_client: Client, other_advocate_client: Client
) -> None:
    link = f'href="{private_question.get_absolute_url()}"'
    assert link not in search(other_advocate_client, "zeppelins")
    assert link in search(reader_client, "zeppelins")


def test_a_public_question_is_searchable_by_everyone_once_answered(
    reader, other_advocate_client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        question = QuestionFactory(asker=reader, title="Posting about gondolas")
    link = f'href="{question.get_absolute_url()}"'
    assert link not in search(other_advocate_client, "gondolas")
    with django_capture_on_commit_callbacks(execute=True):
        AnswerFactory(question=question, body="Try carousels of gondolas")
        question.answered_at = timezone.now()
        question.save()
    assert link in search(other_advocate_client, "carousels")
