"""An experiment's evidence level: our own figures are self-reported unless someone
outside the team checked them, and a promoted experiment's case study keeps the level."""

import pytest
from django.test import Client
from django.urls import reverse

from kb.casestudies.models import CaseStudy
from kb.core.evidence import EvidenceLevel
from kb.experiments.models import Experiment
from kb.experiments.services import experiment_promote
from tests.experiments.factories import ExperimentFactory
from tests.experiments.test_pages import form_data


def test_a_new_experiment_is_self_reported(db) -> None:
    assert Experiment().evidence_level == EvidenceLevel.SELF_REPORTED


def test_the_log_form_preselects_self_reported(advocate_client: Client) -> None:
    form = advocate_client.get(reverse("experiments:create")).context["form"]
    assert form["evidence_level"].value() == EvidenceLevel.SELF_REPORTED


def test_an_experiment_whose_figures_were_audited_says_so(advocate_client: Client) -> None:
    advocate_client.post(reverse("experiments:create"), form_data(evidence_level="4"))
    assert Experiment.all_objects.get().evidence_level == EvidenceLevel.PEER_REVIEWED


@pytest.mark.parametrize("value", ["", "0", "6", "audited"])
def test_a_missing_or_unknown_level_is_a_form_error_that_keeps_the_text(
    advocate_client: Client, value: str
) -> None:
    response = advocate_client.post(
        reverse("experiments:create"), form_data(evidence_level=value, title="My trial")
    )
    assert response.status_code == 200
    assert "evidence_level" in response.context["form"].errors
    assert response.context["form"]["title"].value() == "My trial"


@pytest.mark.parametrize("level", [EvidenceLevel.SELF_REPORTED, EvidenceLevel.PEER_REVIEWED])
def test_the_case_study_a_promotion_makes_keeps_the_experiments_level(
    advocate, level: EvidenceLevel
) -> None:
    experiment = ExperimentFactory(created_by=advocate, evidence_level=level)
    experiment_promote(experiment=experiment, user=advocate)
    assert CaseStudy.all_objects.get().evidence_level == level
