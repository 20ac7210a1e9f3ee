"""Asking and routing: the asker picks among the suggested advocates, who each get an
in-site notification and an e-mail."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kb.notifications.models import Notification
from kb.questions.models import Question, Routing
from tests.factories import AdvocateProfileFactory, DepartmentFactory, PlatformFactory
from tests.questions.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def test_asking_leads_to_the_suggestions_with_their_reasons(
    reader_client: Client, reader, advocate
) -> None:
    linkedin = PlatformFactory(name="LinkedIn", slug="linkedin")
    advocate.advocate_profile.platforms.set([linkedin])
    response = reader_client.post(
        reverse("questions:ask"),
        {"title": "How do we start a LinkedIn page?", "body": "For *our* team", "topics": "pages",
         "platform": linkedin.pk},
    )  # fmt: skip
    question = Question.objects.get()
    assert question.asker == reader
    assert list(question.topics.names()) == ["pages"]
    assert response["Location"] == reverse("questions:route", args=[question.pk])
    page = reader_client.get(response["Location"]).content.decode()
    assert "Adam Advocate" in page and "knows LinkedIn" in page


def test_routing_notifies_each_picked_advocate_in_site_and_by_email(
    reader_client: Client, reader, advocate, other_advocate, django_capture_on_commit_callbacks
) -> None:
    hr = DepartmentFactory(name="HR", slug="hr")
    for user in (advocate, other_advocate):
        user.advocate_profile.department = hr
        user.advocate_profile.save()
    question = QuestionFactory(asker=reader, department=hr, title="Filming vacancies?")
    with django_capture_on_commit_callbacks(execute=True):
        response = reader_client.post(
            reverse("questions:route", args=[question.pk]),
            {"advocates": [advocate.pk, other_advocate.pk]},
        )
    assert response.status_code == 302
    assert set(Routing.objects.values_list("advocate__username", "reason")) == {
        ("adam", "in HR"),
        ("olga", "in HR"),
    }
    notes = Notification.objects.filter(verb="asked")
    assert {n.recipient for n in notes} == {advocate, other_advocate}
    assert {m.to[0] for m in mail.outbox} == {advocate.email, other_advocate.email}
    assert all("Rita Reader asked you “Filming vacancies?”" in m.subject for m in mail.outbox)


def test_an_advocate_sees_the_questions_waiting_for_them(
    reader, advocate, advocate_client: Client, other_advocate
) -> None:
    mine = QuestionFactory(asker=reader, title="For Adam")
    Routing.objects.create(question=mine, advocate=advocate)
    other = QuestionFactory(asker=reader, title="For Olga")
    Routing.objects.create(question=other, advocate=other_advocate)
    page = advocate_client.get(reverse("questions:list") + "?show=waiting").content.decode()
    assert "For Adam" in page and "For Olga" not in page


@pytest.mark.parametrize("picked", [[], ["abc"], ["999999"], ["OTHER"], ["9" * 30]])
def test_only_suggested_advocates_can_be_picked(
    reader_client: Client, reader, advocate, picked
) -> None:
    question = QuestionFactory(asker=reader, department=advocate.advocate_profile.department)
    stranger = AdvocateProfileFactory(open_to_help=False).user
    picked = [str(stranger.pk) if p == "OTHER" else p for p in picked]
    response = reader_client.post(
        reverse("questions:route", args=[question.pk]), {"advocates": picked}
    )
    assert response.status_code == 400
    assert not Routing.objects.exists() and not Notification.objects.exists()


def test_only_the_asker_routes_a_question(advocate_client: Client, reader, advocate) -> None:
    question = QuestionFactory(asker=reader, department=advocate.advocate_profile.department)
    url = reverse("questions:route", args=[question.pk])
    assert advocate_client.get(url).status_code == 403
    assert advocate_client.post(url, {"advocates": [advocate.pk]}).status_code == 403


def test_a_bad_question_is_a_form_error_that_keeps_what_was_typed(reader_client: Client) -> None:
    response = reader_client.post(
        reverse("questions:ask"),
        {"title": "", "body": "kept body " + "x" * 6000, "topics": "a" * 80, "platform": "zz"},
    )
    assert response.status_code == 400
    assert "kept body" in response.content.decode()
    assert not Question.objects.exists()
