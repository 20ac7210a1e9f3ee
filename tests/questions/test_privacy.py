"""Private questions: seen by their asker and the advocates asked, by nobody else, and
once answered found in search by those two only; other questions become searchable by
everyone once answered. The index follows answering, routing, making public or private,
hiding and deleting."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kb.questions.models import Routing
from kb.questions.services import moderate, question_delete, question_mark_answered
from kb.search.index import rebuild
from kb.search.models import IndexAudience
from kb.search.service import search as search_service
from tests.factories import DepartmentFactory, UserFactory
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


# --- search shows a private question to exactly those who may see it ------------------


def finds(user, words: str, question) -> bool:
    """Whether ``user``'s search for ``words`` lists ``question`` (the service, as the
    results page and the suggestions use it)."""
    results = search_service(words, user=user)
    return any(hit.url == question.get_absolute_url() for hit in results.hits)


@pytest.fixture
def another_reader(db):
    return UserFactory(username="rob", first_name="Rob", last_name="Reader")


def test_an_answered_private_question_is_found_by_its_asker_and_the_advocate_asked_only(
    private_question, reader, advocate, other_advocate, editor, admin_user, another_reader
) -> None:
    assert finds(reader, "zeppelins", private_question)
    assert finds(advocate, "zeppelins", private_question)
    for outsider in (other_advocate, another_reader, editor, admin_user):
        assert not finds(outsider, "zeppelins", private_question), outsider.username


def test_the_asked_advocate_sees_it_marked_private_not_draft(
    private_question, advocate_client: Client
) -> None:
    html = search(advocate_client, "zeppelins")
    assert f'href="{private_question.get_absolute_url()}"' in html
    assert ">Private</span>" in html and ">Draft</span>" not in html


def test_its_words_are_offered_to_the_advocate_asked_and_to_nobody_else(
    private_question, advocate_client: Client, other_advocate_client: Client
) -> None:
    def completions(client: Client) -> list[str]:
        url = reverse("search:suggest")
        return client.get(url, {"q": "zeppe"}).json()["completions"]

    assert "zeppelins" in completions(advocate_client)
    assert "zeppelins" not in completions(other_advocate_client)


def test_an_open_private_question_is_found_by_the_advocate_asked_once_answered(
    reader, advocate, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        question = QuestionFactory(asker=reader, private=True, title="Asking about airships")
        Routing.objects.create(question=question, advocate=advocate)
    assert finds(reader, "airships", question)  # the asker finds their own, as a draft
    assert not finds(advocate, "airships", question)
    with django_capture_on_commit_callbacks(execute=True):
        question_mark_answered(question=question, user=reader)
    assert finds(advocate, "airships", question)
    with django_capture_on_commit_callbacks(execute=True):
        question_mark_answered(question=question, user=reader, answered=False)
    assert not finds(advocate, "airships", question)


def test_an_advocate_asked_after_the_answer_finds_it_and_one_no_longer_asked_does_not(
    private_question, advocate, other_advocate, django_capture_on_commit_callbacks
) -> None:
    assert not finds(other_advocate, "zeppelins", private_question)
    with django_capture_on_commit_callbacks(execute=True):
        Routing.objects.create(question=private_question, advocate=other_advocate)
    assert finds(other_advocate, "zeppelins", private_question)
    with django_capture_on_commit_callbacks(execute=True):
        Routing.objects.filter(question=private_question, advocate=advocate).get().delete()
    assert not finds(advocate, "zeppelins", private_question)


def test_routing_through_the_asking_page_updates_who_finds_it(
    reader, reader_client: Client, other_advocate, django_capture_on_commit_callbacks
) -> None:
    hr = DepartmentFactory(name="HR", slug="hr")
    other_advocate.advocate_profile.department = hr
    other_advocate.advocate_profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        question = QuestionFactory(
            asker=reader, private=True, department=hr, title="Blimps for the fair?"
        )
        question_mark_answered(question=question, user=reader)
    assert not finds(other_advocate, "blimps", question)
    with django_capture_on_commit_callbacks(execute=True):
        response = reader_client.post(
            reverse("questions:route", args=[question.pk]), {"advocates": [other_advocate.pk]}
        )
    assert response.status_code == 302
    assert finds(other_advocate, "blimps", question)


def test_a_private_question_made_public_is_found_by_everyone(
    private_question, other_advocate, another_reader, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        private_question.private = False
        private_question.save()
    assert finds(other_advocate, "zeppelins", private_question)
    assert finds(another_reader, "zeppelins", private_question)
    assert not IndexAudience.objects.exists()


def test_a_public_question_made_private_is_found_by_its_audience_only(
    private_question, advocate, other_advocate, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        private_question.private = False
        private_question.save()
    with django_capture_on_commit_callbacks(execute=True):
        private_question.private = True
        private_question.save()
    assert finds(advocate, "zeppelins", private_question)
    assert not finds(other_advocate, "zeppelins", private_question)


def test_a_deleted_private_question_is_found_by_nobody(
    private_question, reader, advocate, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        question_delete(question=private_question, user=reader)
    assert not finds(reader, "zeppelins", private_question)
    assert not finds(advocate, "zeppelins", private_question)
    assert not IndexAudience.objects.exists()


def test_a_hidden_private_question_is_no_longer_found_by_the_advocate_asked(
    private_question, advocate, editor, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        moderate(item=private_question, editor=editor, reason="Off topic")
    assert not finds(advocate, "zeppelins", private_question)


def test_a_purged_question_leaves_no_audience_behind(
    private_question, django_capture_on_commit_callbacks
) -> None:
    assert IndexAudience.objects.count() == 2  # the asker and the advocate asked
    with django_capture_on_commit_callbacks(execute=True):
        private_question.delete()
    assert not IndexAudience.objects.exists()


def test_a_rebuild_keeps_the_audience(private_question, advocate, other_advocate) -> None:
    rebuild()
    assert finds(advocate, "zeppelins", private_question)
    assert not finds(other_advocate, "zeppelins", private_question)
