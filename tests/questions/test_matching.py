"""Which advocates a question suggests, in which order, and how each match is explained."""

import pytest

from kb.questions.matching import suggest_advocates
from tests.factories import AdvocateProfileFactory, DepartmentFactory, PlatformFactory, UserFactory
from tests.questions.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    linkedin = PlatformFactory(name="LinkedIn", slug="linkedin")
    hr = DepartmentFactory(name="Human Resources", slug="hr")
    it = DepartmentFactory(name="IT", slug="it")
    asker = UserFactory(username="asker")
    AdvocateProfileFactory(user=asker, department=hr)
    return linkedin, hr, it, asker


def advocate(name: str, department, platforms=(), expertise=(), open_to_help=True):
    profile = AdvocateProfileFactory(
        user__username=name.lower(),
        user__first_name=name,
        user__last_name="",
        department=department,
        expertise=list(expertise),
        open_to_help=open_to_help,
    )
    profile.platforms.set(platforms)
    return profile


def test_topic_outweighs_platform_which_outweighs_department_and_each_is_explained(
    setting,
) -> None:
    linkedin, hr, it, asker = setting
    advocate("Dora", hr)
    advocate("Carl", it, platforms=[linkedin])
    advocate("Bea", it, expertise=["recruitment"])
    advocate("Abe", hr, platforms=[linkedin], expertise=["recruitment"])
    advocate("Nobody", it)
    question = QuestionFactory(
        asker=asker, platform=linkedin, department=hr, topics=["Recruitment"]
    )
    suggestions = suggest_advocates(question)
    assert [(s.profile.display_name, s.explanation) for s in suggestions] == [
        ("Abe", "knows recruitment, knows LinkedIn, in your department"),
        ("Bea", "knows recruitment"),
        ("Carl", "knows LinkedIn"),
        ("Dora", "in your department"),
    ]


def test_a_department_other_than_the_askers_is_named(setting) -> None:
    linkedin, hr, it, asker = setting
    advocate("Ivo", it)
    question = QuestionFactory(asker=asker, department=it)
    assert [s.explanation for s in suggest_advocates(question)] == ["in IT"]


def test_advocates_not_open_to_help_inactive_or_the_asker_are_never_suggested(setting) -> None:
    linkedin, hr, it, asker = setting
    advocate("Closed", hr, platforms=[linkedin], open_to_help=False)
    gone = advocate("Gone", hr, platforms=[linkedin])
    gone.user.is_active = False
    gone.user.save()
    asker.advocate_profile.platforms.set([linkedin])
    question = QuestionFactory(asker=asker, platform=linkedin, department=hr)
    assert suggest_advocates(question) == []


def test_ties_go_by_name(setting) -> None:
    linkedin, hr, it, asker = setting
    for name in ["Zoe", "amy", "Mia"]:
        advocate(name, hr)
    question = QuestionFactory(asker=asker, department=hr)
    assert [s.profile.display_name for s in suggest_advocates(question)] == ["amy", "Mia", "Zoe"]
