"""An experiment goes through what every kind of content does: the workflow, the trash,
notifications, revisions, edit conflicts and search, through the shared URLs."""

import types
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from kb.core.models import Status
from kb.experiments.models import Experiment, Outcome
from kb.notifications.models import Notification
from kb.search import service, signals
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.experiments.factories import ExperimentFactory
from tests.experiments.test_pages import form_data
from tests.revisions.helpers import compare_url, history_url, restore_url, revision_numbers


def action_url(item: Experiment, action: str) -> str:
    return reverse("workflow:action", args=[item._meta.model_name, item.slug, action])


def edit_url(item: Experiment) -> str:
    return reverse("experiments:edit", args=[item.slug])


def log_experiment(client: Client, **fields) -> Experiment:
    response = client.post(reverse("experiments:create"), form_data(**fields))
    assert response.status_code == 302, response.content
    return Experiment.objects.latest("pk")


def edit_form(experiment: Experiment, **changes) -> dict:
    """The edit form as opened now (at the experiment's version), with ``changes`` typed."""
    return form_data(
        base_version=experiment.version,
        title=experiment.title,
        department=experiment.department_id,
        **changes,
    )


# Workflow and trash -------------------------------------------------------------------


def test_an_experiment_goes_from_draft_to_published_to_unpublished(
    advocate_client: Client, editor_client: Client, reader_client: Client
) -> None:
    experiment = log_experiment(advocate_client, submit_for_review="1")
    assert experiment.status == Status.IN_REVIEW
    assertContains(
        editor_client.get(experiment.get_absolute_url()), action_url(experiment, "publish")
    )
    editor_client.post(action_url(experiment, "publish"), {"comment": "", "publish_at": ""})
    experiment.refresh_from_db()
    assert experiment.status == Status.PUBLISHED
    assertContains(reader_client.get(reverse("experiments:list")), experiment.title)
    editor_client.post(action_url(experiment, "unpublish"), {"comment": "Out of date"})
    experiment.refresh_from_db()
    assert experiment.status == Status.UNPUBLISHED
    assert reader_client.get(experiment.get_absolute_url()).status_code == 404


def test_the_author_submits_with_the_shared_action_and_editors_hear_of_it(
    advocate_client: Client, advocate, editor, django_capture_on_commit_callbacks
) -> None:
    experiment = ExperimentFactory(created_by=advocate, status=Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        advocate_client.post(action_url(experiment, "submit"))
    experiment.refresh_from_db()
    assert experiment.status == Status.IN_REVIEW
    assert Notification.objects.filter(recipient=editor, verb="submitted").exists()


def test_an_author_may_not_publish_their_own_experiment(advocate_client: Client, advocate) -> None:
    experiment = ExperimentFactory(created_by=advocate, status=Status.IN_REVIEW)
    advocate_client.post(action_url(experiment, "publish"), {"comment": "", "publish_at": ""})
    experiment.refresh_from_db()
    assert experiment.status == Status.IN_REVIEW


def test_a_trashed_experiment_vanishes_and_an_editor_restores_it(
    advocate_client: Client, editor_client: Client, reader_client: Client, advocate
) -> None:
    experiment = ExperimentFactory(created_by=advocate, title="Trashed trial")
    advocate_client.post(action_url(experiment, "trash"))
    assert not Experiment.objects.filter(pk=experiment.pk).exists()
    assertNotContains(reader_client.get(reverse("experiments:list")), "Trashed trial")
    assert reader_client.get(experiment.get_absolute_url()).status_code == 404
    assertContains(editor_client.get(reverse("workflow:trash")), "Trashed trial")
    editor_client.post(action_url(experiment, "restore"))
    assertContains(reader_client.get(reverse("experiments:list")), "Trashed trial")


# Revisions and conflicts --------------------------------------------------------------


@pytest.fixture
def edited_experiment(advocate_client: Client) -> Experiment:
    """Revision 1 as logged (running, no result); revision 2 failed with a result."""
    experiment = log_experiment(
        advocate_client, title="Weekly polls", outcome=Outcome.RUNNING, result=""
    )
    response = advocate_client.post(
        edit_url(experiment), edit_form(experiment, outcome=Outcome.FAILED, result="1300")
    )
    assert response.status_code == 302
    experiment.refresh_from_db()
    return experiment


def test_each_save_is_a_revision_shown_in_the_history(
    advocate_client: Client, edited_experiment: Experiment
) -> None:
    assert revision_numbers(edited_experiment) == [1, 2]
    response = advocate_client.get(history_url(edited_experiment))
    assertContains(response, "Created")
    assertContains(response, "Edited")


def test_two_revisions_compare_field_by_field(
    advocate_client: Client, edited_experiment: Experiment
) -> None:
    response = advocate_client.get(compare_url(edited_experiment, "from=1&to=2"))
    assert response.status_code == 200
    assertContains(response, "Result value")
    assertContains(response, "1300")
    assertContains(response, "Failed")


def test_restoring_a_revision_brings_its_content_back(
    advocate_client: Client, edited_experiment: Experiment
) -> None:
    advocate_client.post(restore_url(edited_experiment, 1))
    edited_experiment.refresh_from_db()
    assert edited_experiment.outcome == Outcome.RUNNING
    assert edited_experiment.result is None
    assert edited_experiment.department is not None
    assert revision_numbers(edited_experiment) == [1, 2, 3]


def test_a_save_from_a_stale_version_is_a_conflict_not_an_overwrite(
    advocate_client: Client, editor_client: Client, advocate
) -> None:
    experiment = ExperimentFactory(created_by=advocate, result=Decimal("21"))
    stale = edit_form(experiment, result="30")
    assert (
        advocate_client.post(edit_url(experiment), edit_form(experiment, result="25")).status_code
        == 302
    )
    response = editor_client.post(edit_url(experiment), stale)
    assert response.status_code == 409
    assertTemplateUsed(response, "revisions/conflict.html")
    assertContains(response, 'value="30"', status_code=409, html=False)
    experiment.refresh_from_db()
    assert experiment.result == Decimal("25")


# Search ---------------------------------------------------------------------------------


@pytest.fixture
def index_immediately(monkeypatch) -> None:
    """Tests never commit; run the search index's on-commit sync at once."""
    monkeypatch.setattr(
        signals, "transaction", types.SimpleNamespace(on_commit=lambda func, *a, **k: func())
    )


def found(text: str, user) -> list[str]:
    return [hit.url for hit in service.search(text, user=user).hits]


def test_a_published_experiment_is_found_and_a_draft_is_not(
    index_immediately: None, reader, advocate
) -> None:
    published = ExperimentFactory(title="Subtitled vacancy videos", learnings="Captions won.")
    ExperimentFactory(
        title="Subtitled draft trial", created_by=advocate, status=Status.DRAFT, published_at=None
    )
    assert found("subtitled", reader) == [published.get_absolute_url()]
    assert found("captions", reader) == [published.get_absolute_url()]


def test_publishing_an_experiment_makes_it_searchable(
    index_immediately: None, reader, editor, advocate
) -> None:
    experiment = ExperimentFactory(
        title="Carousel posts", created_by=advocate, status=Status.IN_REVIEW, published_at=None
    )
    assert found("carousel", reader) == []
    content_transition(item=experiment, action=Action.PUBLISH, user=editor)
    assert found("carousel", reader) == [experiment.get_absolute_url()]


def test_search_offers_experiments_as_a_type_with_their_department(
    index_immediately: None, reader
) -> None:
    experiment = ExperimentFactory(title="Lunchtime livestreams")
    results = service.search("livestreams", user=reader)
    facets = {(f.name, f.value) for f in results.all_facet_values()}
    assert ("type", "experiment") in facets
    assert ("department", experiment.department.slug) in facets
