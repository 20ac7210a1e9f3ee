"""The demo experiments: every outcome, valid, and loaded once."""

from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from kb.experiments import demo
from kb.experiments.models import Experiment, Outcome
from kb.revisions.models import Revision
from kb.search import service
from tests.factories import UserFactory


def test_the_demo_has_every_outcome_across_departments(reader_client: Client) -> None:
    owner = UserFactory(username=demo.DEMO_OWNER)
    loaded = demo.load()
    assert {e.outcome for e in loaded} == set(Outcome.values)
    assert len({e.department_id for e in loaded}) == len(loaded)
    assert all(e.created_by == owner and e.is_published for e in loaded)
    assert Revision.objects.count() == len(loaded)
    response = reader_client.get(reverse("experiments:list"))
    assertContains(response, "2 of 4 finished experiments succeeded (50%)")


def test_loading_the_demo_again_adds_nothing(db) -> None:
    first = demo.load()
    assert first
    assert demo.load() == []
    assert Experiment.objects.count() == len(first)


def test_the_demo_loader_of_make_run_brings_the_experiments_searchable(reader) -> None:
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    outcomes = set(Experiment.objects.published().values_list("outcome", flat=True))
    assert {Outcome.FAILED, Outcome.INCONCLUSIVE} <= outcomes
    assert all(e.created_by.username == demo.DEMO_OWNER for e in Experiment.objects.all())
    hits = service.search("vacancy videos", user=reader).hits
    assert Experiment.objects.get(title="Vacancy videos on LinkedIn").get_absolute_url() in [
        hit.url for hit in hits
    ]
