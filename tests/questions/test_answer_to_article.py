"""A good answer becomes a draft article by its writer in one step, the thread prefilled
and everyone in it credited."""

import pytest
from django.test import Client
from django.urls import reverse

from kb.articles.models import Article
from kb.core.models import Status
from kb.revisions.models import Revision
from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_the_writer_of_an_answer_turns_it_into_a_credited_draft_article(
    reader, advocate, other_advocate, advocate_client: Client
) -> None:
    question = QuestionFactory(
        asker=reader, title="How do we film vacancies?", body="On a budget.", topics=["video"]
    )
    mine = AnswerFactory(question=question, author=advocate, body="Use a **phone**.")
    AnswerFactory(question=question, author=other_advocate, body="Add subtitles.")
    response = advocate_client.post(reverse("questions:answer_article", args=[mine.pk]))
    article = Article.objects.get()
    assert response["Location"] == reverse("articles:edit", args=[article.slug])
    assert (article.title, article.author, article.status) == (
        "How do we film vacancies?",
        advocate,
        Status.DRAFT,
    )
    body = article.body
    assert "Asked by Rita Reader" in body and "> On a budget." in body
    assert body.index("Adam Advocate answered") < body.index("Use a **phone**.")
    assert "Olga Other also answered" in body and "Add subtitles." in body
    assert list(article.tags.names()) == ["video"]
    assert Revision.objects.filter(object_id=article.pk).count() == 1


def test_nobody_else_turns_an_answer_into_an_article(
    reader, advocate, reader_client: Client, other_advocate_client: Client
) -> None:
    answer = AnswerFactory(question=QuestionFactory(asker=reader), author=advocate)
    url = reverse("questions:answer_article", args=[answer.pk])
    assert other_advocate_client.post(url).status_code == 403
    assert reader_client.post(url).status_code == 403
    assert not Article.objects.exists()


def test_a_reader_who_answered_may_not_write_articles(reader, reader_client: Client) -> None:
    answer = AnswerFactory(author=reader)
    assert (
        reader_client.post(reverse("questions:answer_article", args=[answer.pk])).status_code == 403
    )
