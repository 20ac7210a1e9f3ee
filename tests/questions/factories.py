"""Factories of questions and answers: public, open, asked by a new user unless told."""

import factory

from kb.questions.models import Answer, Question
from tests.factories import UserFactory


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    asker = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"How do we start question {n}?")
    body = "We would like to *try* it this spring."

    @factory.post_generation
    def topics(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create and extracted:
            self.topics.add(*extracted)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(UserFactory)
    body = "Start with a **page** for the team."
