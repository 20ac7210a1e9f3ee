"""The experiment list costs the same queries for 1 item as for 50, filtered or not, and
its success rate is one aggregate query."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb.experiments.models import Experiment, Outcome
from tests.experiments.factories import ExperimentFactory
from tests.factories import CommentFactory, DepartmentFactory, PlatformFactory

MANY = 50


def make_experiments(n: int, outcome: str = Outcome.SUCCEEDED) -> None:
    """Each with its own department, two platforms (one shared), tags and a comment."""
    shared = PlatformFactory(name="LinkedIn", slug="linkedin")
    for _ in range(n):
        experiment = ExperimentFactory(
            department=DepartmentFactory(),
            platforms=[shared, PlatformFactory()],
            tags=["video", "recruitment"],
            outcome=outcome,
        )
        CommentFactory(target=experiment)


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warms per-process caches (content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["", "?tag=video&platform=linkedin&outcome=succeeded"])
def test_the_list_costs_the_same_queries_for_one_experiment_as_for_fifty(
    reader_client: Client, settings, django_assert_num_queries, query: str
) -> None:
    settings.KB_PAGE_SIZE = MANY
    url = reverse("experiments:list") + query
    make_experiments(1)
    for_one = count_queries(reader_client, url)
    make_experiments(MANY - 1)
    reader_client.get(url)  # counts the list afresh once, as the first visit did
    with django_assert_num_queries(for_one):
        response = reader_client.get(url)
    assert response.content.decode().count('class="card card-experiment"') == MANY
    assert f"{MANY} of {MANY} finished experiments succeeded (100%)" in response.content.decode()


def test_the_success_rate_is_one_query(db, django_assert_num_queries) -> None:
    make_experiments(3)
    make_experiments(2, outcome=Outcome.FAILED)
    with django_assert_num_queries(1):
        rate = Experiment.objects.published().filter(tags__slug="video").success_rate()
    assert (rate.succeeded, rate.finished, rate.percent) == (3, 5, 60)
