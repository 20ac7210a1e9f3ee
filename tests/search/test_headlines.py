"""Search hits of case studies and experiments show their headline result and evidence
level (the case study's marked metric, else its first; the experiment's measure)."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from kb.search import service
from tests.experiments.factories import ExperimentFactory
from tests.factories import CaseStudyFactory, MetricFactory


def test_a_case_study_hit_shows_the_headline_and_the_evidence_level(reader_client: Client) -> None:
    case_study = CaseStudyFactory(title="Hiring on LinkedIn", evidence_level=4)
    MetricFactory(case_study=case_study, name="Cost per hire", position=0)
    MetricFactory(
        case_study=case_study,
        name="Applications via LinkedIn",
        value_before=Decimal("12"),
        value_after=Decimal("27"),
        unit="%",
        is_headline=True,
        position=1,
    )
    case_study.save()  # index it with its metrics (the factory indexes before they exist)
    response = reader_client.get(reverse("search:results"), {"q": "hiring"})
    (hit,) = response.context["results"].hits
    assert hit.subtitle.endswith("Applications via LinkedIn: 12% → 27%, +15 percentage points")
    assert hit.evidence_level == 4
    assert f"{reverse('evidence_levels')}#level-4" in response.content.decode()


def test_an_experiment_hit_shows_its_measure_and_evidence_level(reader) -> None:
    ExperimentFactory(title="Vacancy videos", evidence_level=2)
    (hit,) = service.search("vacancy", user=reader).hits
    assert "Applications per vacancy: 14 applications → 21 applications, +50%" in hit.subtitle
    assert hit.evidence_level == 2
