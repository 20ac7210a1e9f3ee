"""Promoting a finished experiment to a draft case study of our own organisation."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from kb.casestudies.models import CaseStudy
from kb.core.evidence import EvidenceLevel
from kb.core.models import Status
from kb.experiments.models import Experiment, Outcome
from kb.experiments.services import PromotionRefused, experiment_promote
from kb.revisions.models import Revision
from tests.experiments.factories import ExperimentFactory
from tests.factories import PlatformFactory


def promote_url(experiment: Experiment) -> str:
    return reverse("experiments:promote", args=[experiment.slug])


@pytest.fixture
def failed_experiment(advocate) -> Experiment:
    return ExperimentFactory(
        title="Cheaper hiring through videos",
        created_by=advocate,
        outcome=Outcome.FAILED,
        metric_name="Cost per hire",
        baseline=Decimal("1200"),
        target=Decimal("1000"),
        result=Decimal("1300"),
        unit="£",
        lower_is_better=True,
        period="6 weeks",
        hypothesis="Videos make hiring cheaper.",
        change="Vacancies went out as videos.",
        learnings="Videos cost more to make than they saved.",
        platforms=[PlatformFactory(name="LinkedIn", slug="linkedin")],
        tags=["recruitment", "video"],
    )


def test_the_owner_promotes_a_finished_experiment_to_a_prefilled_draft_case_study(
    advocate_client: Client, advocate, failed_experiment: Experiment, settings
) -> None:
    settings.KB_ORGANISATION_NAME = "Northshire County Council"
    settings.ALLOWED_HOSTS = ["kb.example.org"]
    response = advocate_client.post(promote_url(failed_experiment), HTTP_HOST="kb.example.org")
    case_study = CaseStudy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case_study.get_absolute_url()
    assert case_study.status == Status.DRAFT
    assert case_study.title == "Cheaper hiring through videos"
    assert case_study.organisation == "Northshire County Council"
    assert case_study.year == 2025
    assert case_study.evidence_level == EvidenceLevel.SELF_REPORTED
    assert case_study.created_by == advocate
    assert case_study.challenge == "Videos make hiring cheaper."
    assert case_study.approach == "Vacancies went out as videos."
    assert case_study.outcome == "Videos cost more to make than they saved."
    assert "£1,200 → £1,300, +8.3%" in case_study.summary
    assert case_study.source_url == (f"http://kb.example.org{failed_experiment.get_absolute_url()}")
    assert [p.slug for p in case_study.platforms.all()] == ["linkedin"]
    assert sorted(t.name for t in case_study.tags.all()) == ["recruitment", "video"]
    metric = case_study.metrics.get()
    assert (metric.name, metric.value_before, metric.value_after) == (
        "Cost per hire",
        Decimal("1200"),
        Decimal("1300"),
    )
    assert (metric.unit, metric.lower_is_better, metric.period) == ("£", True, "6 weeks")
    revision = Revision.objects.for_item(case_study).get()
    assert revision.author == advocate
    assert "Promoted from the experiment" in revision.message


def test_a_host_that_makes_no_valid_url_leaves_the_source_empty(
    advocate_client: Client, failed_experiment: Experiment
) -> None:
    # "testserver", like an intranet host without a domain, fails the URL validator.
    assert advocate_client.post(promote_url(failed_experiment)).status_code == 302
    assert CaseStudy.objects.get().source_url == ""


def test_the_organisation_defaults_when_no_setting_names_it(
    editor, failed_experiment: Experiment, settings
) -> None:
    del settings.KB_ORGANISATION_NAME
    case_study = experiment_promote(experiment=failed_experiment, user=editor)
    assert case_study.organisation == "Our organisation"


def test_the_experiment_links_to_the_case_study_it_became(
    advocate_client: Client, editor_client: Client, failed_experiment: Experiment
) -> None:
    advocate_client.post(promote_url(failed_experiment))
    case_study = CaseStudy.objects.get()
    failed_experiment.refresh_from_db()
    assert failed_experiment.promoted_to == case_study
    assert list(case_study.experiments.all()) == [failed_experiment]
    response = editor_client.get(failed_experiment.get_absolute_url())
    assertContains(response, "Promoted to the case study")
    assertContains(response, case_study.get_absolute_url())
    assertNotContains(response, promote_url(failed_experiment))


def test_an_editor_promotes_and_the_experiments_owner_owns_the_draft(
    editor_client: Client, advocate, failed_experiment: Experiment
) -> None:
    assert editor_client.post(promote_url(failed_experiment)).status_code == 302
    assert CaseStudy.objects.get().created_by == advocate


def test_the_button_is_offered_to_the_owner_and_editors_only(
    advocate_client: Client,
    editor_client: Client,
    other_advocate_client: Client,
    reader_client: Client,
    failed_experiment: Experiment,
) -> None:
    url = failed_experiment.get_absolute_url()
    for client in (advocate_client, editor_client):
        assertContains(client.get(url), promote_url(failed_experiment))
    for client in (other_advocate_client, reader_client):
        assertNotContains(client.get(url), promote_url(failed_experiment))


def test_others_may_not_promote(
    other_advocate_client: Client, reader_client: Client, failed_experiment: Experiment
) -> None:
    for client in (other_advocate_client, reader_client):
        assert client.post(promote_url(failed_experiment)).status_code == 403
    assert not CaseStudy.objects.exists()


def test_who_may_not_see_a_draft_experiment_gets_a_404(
    other_advocate_client: Client, advocate
) -> None:
    draft = ExperimentFactory(created_by=advocate, status=Status.DRAFT, published_at=None)
    assert other_advocate_client.post(promote_url(draft)).status_code == 404
    assert not CaseStudy.objects.exists()


def test_promoting_is_post_only(advocate_client: Client, failed_experiment: Experiment) -> None:
    assert advocate_client.get(promote_url(failed_experiment)).status_code == 405
    assert not CaseStudy.objects.exists()


def test_promoting_needs_the_csrf_token(advocate, failed_experiment: Experiment) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(advocate)
    assert client.post(promote_url(failed_experiment)).status_code == 403
    assert not CaseStudy.objects.exists()


@pytest.mark.parametrize("outcome", [Outcome.PLANNED, Outcome.RUNNING])
def test_an_unfinished_experiment_cannot_be_promoted(
    advocate_client: Client, advocate, outcome: str
) -> None:
    experiment = ExperimentFactory(created_by=advocate, outcome=outcome, result=None)
    response = advocate_client.post(promote_url(experiment), follow=True)
    assertContains(response, "Only a finished experiment")
    assertNotContains(response, promote_url(experiment))
    assert not CaseStudy.objects.exists()


def test_an_experiment_is_promoted_only_once(
    advocate_client: Client, failed_experiment: Experiment
) -> None:
    advocate_client.post(promote_url(failed_experiment))
    response = advocate_client.post(promote_url(failed_experiment), follow=True)
    assertContains(response, "is already a case study")
    assert CaseStudy.objects.count() == 1


def test_the_service_refuses_what_the_view_refuses(
    other_advocate, advocate, failed_experiment: Experiment
) -> None:
    with pytest.raises(PermissionDenied):
        experiment_promote(experiment=failed_experiment, user=other_advocate)
    experiment_promote(experiment=failed_experiment, user=advocate)
    with pytest.raises(PromotionRefused):
        experiment_promote(experiment=failed_experiment, user=advocate)
    assert CaseStudy.objects.count() == 1


def test_deleting_the_case_study_leaves_the_experiment_unpromoted(
    advocate, failed_experiment: Experiment
) -> None:
    experiment_promote(experiment=failed_experiment, user=advocate).delete()
    failed_experiment.refresh_from_db()
    assert failed_experiment.promoted_to is None
