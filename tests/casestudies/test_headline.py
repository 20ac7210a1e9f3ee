"""A case study's headline result is its first metric, as its results table reads."""

from decimal import Decimal

from kb.casestudies.models import Metric
from tests.factories import CaseStudyFactory, MetricFactory


def metric(**fields) -> Metric:
    return Metric(name="Cost per hire", **fields)


def test_a_metric_reads_as_its_row_of_the_results_table() -> None:
    assert (
        metric(value_before=Decimal("900"), value_after=Decimal("700"), unit="£").summary
        == "£900 → £700, −200 (−22.2%)"
    )
    assert (
        metric(value_before=Decimal("2.5"), value_after=Decimal("3.75"), unit="%").summary
        == "2.5 % → 3.75 %, +1.2 (+50%)"
    )


def test_a_metric_without_a_before_value_reads_as_its_result_alone() -> None:
    assert metric(value_after=Decimal("140"), unit="people").summary == "140 people"


def test_a_change_from_zero_has_no_percentage() -> None:
    assert metric(value_before=Decimal("0"), value_after=Decimal("140")).summary == "0 → 140, +140"


def test_the_headline_is_the_first_metric_with_the_source(db) -> None:
    study = CaseStudyFactory()
    MetricFactory(case_study=study, name="Second", position=2)
    MetricFactory(case_study=study, name="First", position=1, lower_is_better=True)
    headline = study.headline()
    assert headline.label == "First"
    assert headline.text == "14 applications → 31 applications, +17 (+121.4%)"
    assert headline.improved is False
    assert headline.source is None


def test_a_case_study_without_metrics_has_no_headline(db) -> None:
    assert CaseStudyFactory().headline() is None
