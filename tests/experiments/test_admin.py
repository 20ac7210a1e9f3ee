"""Experiments in the admin: its pages load, filter and search, bulk publishing reports,
and an edit there keeps the experiment's rules and records a revision."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from kb.core.models import Status
from kb.experiments.models import Experiment, Outcome
from kb.experiments.services import experiment_promote
from kb.revisions.models import Revision
from tests.experiments.factories import ExperimentFactory

DRAFT = {"status": Status.DRAFT, "published_at": None}


def admin_url(page: str, *args) -> str:
    return reverse(f"admin:experiments_experiment_{page}", args=args)


def test_the_changelist_filters_by_outcome_and_department(admin_client: Client) -> None:
    failed = ExperimentFactory(title="Failed trial", outcome=Outcome.FAILED)
    ExperimentFactory(title="Succeeded trial")
    response = admin_client.get(
        f"{admin_url('changelist')}?outcome__exact=failed"
        f"&department__id__exact={failed.department_id}"
    )
    assert response.status_code == 200, "an unknown filter redirects with ?e=1"
    assertContains(response, "Failed trial")
    assertNotContains(response, "Succeeded trial")
    assert admin_client.get(f"{admin_url('changelist')}?q=trial").status_code == 200


def test_the_add_page_loads(admin_client: Client) -> None:
    assert admin_client.get(admin_url("add")).status_code == 200


def test_the_change_page_shows_the_case_study_it_became(admin_client: Client, admin_user) -> None:
    experiment = ExperimentFactory(title="Promoted trial")
    case_study = experiment_promote(experiment=experiment, user=admin_user)
    response = admin_client.get(admin_url("change", experiment.pk))
    assertContains(response, "Promoted trial")
    assertContains(response, str(case_study))


def test_publishing_in_bulk_reports_how_many(admin_client: Client) -> None:
    drafts = ExperimentFactory.create_batch(2, **DRAFT)
    response = admin_client.post(
        admin_url("changelist"),
        {"action": "publish", "_selected_action": [item.pk for item in drafts]},
        follow=True,
    )
    assertContains(response, "2 experiments published.")
    assert set(Experiment.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def change_form(experiment: Experiment, **changes) -> dict:
    data = {
        "title": experiment.title,
        "slug": experiment.slug,
        "department": experiment.department_id,
        "outcome": experiment.outcome,
        "evidence_level": experiment.evidence_level,
        "hypothesis": experiment.hypothesis,
        "change": experiment.change,
        "learnings": experiment.learnings,
        "metric_name": experiment.metric_name,
        "unit": experiment.unit,
        "baseline": experiment.baseline,
        "target": experiment.target,
        "result": experiment.result,
        "period": experiment.period,
        "start_date": experiment.start_date.isoformat(),
        "end_date": experiment.end_date.isoformat(),
        "published_at_0": "",
        "published_at_1": "",
        "tags": "",
        "created_by": experiment.created_by_id,
        "base_version": experiment.version,
    }
    data.update(changes)
    return data


def test_an_admin_edit_keeps_the_rules_and_records_a_revision(admin_client: Client) -> None:
    experiment = ExperimentFactory(**DRAFT)
    response = admin_client.post(
        admin_url("change", experiment.pk), change_form(experiment, end_date="2025-01-01")
    )
    assert response.status_code == 200
    assertContains(response, "The end date cannot be before the start date.")
    response = admin_client.post(
        admin_url("change", experiment.pk), change_form(experiment, result="30")
    )
    assert response.status_code == 302
    experiment.refresh_from_db()
    assert experiment.result == Decimal("30")
    assert Revision.objects.for_item(experiment).latest("number").message == "Edited in the admin"
