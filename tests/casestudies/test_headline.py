"""A case study's headline result — the metric its author marks, else the first — on every
card, with its evidence level; one headline at most, said on the form. Search hits:
tests/search/test_headlines.py."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from kb.casestudies.models import CaseStudy, Metric, headline_of
from tests.casestudies.test_pages import form_data
from tests.factories import CaseStudyFactory, MetricFactory

D = Decimal


@pytest.fixture
def case_study(db) -> CaseStudy:
    """Three results; the author marked the second, a percentage, as the headline."""
    case_study = CaseStudyFactory(title="Hiring on LinkedIn", evidence_level=4)
    MetricFactory(case_study=case_study, name="Cost per hire", value_before=D("1200"),
                  value_after=D("900"), unit="£", lower_is_better=True, position=0)  # fmt: skip
    MetricFactory(case_study=case_study, name="Applications via LinkedIn", value_before=D("12"),
                  value_after=D("27"), unit="%", is_headline=True, position=1)  # fmt: skip
    MetricFactory(case_study=case_study, name="Followers", position=2)
    return case_study


def test_the_marked_metric_is_the_headline(case_study: CaseStudy) -> None:
    assert case_study.headline_metric.name == "Applications via LinkedIn"


def test_without_a_marked_metric_the_first_is_the_headline(case_study: CaseStudy) -> None:
    case_study.metrics.update(is_headline=False)
    assert CaseStudy.objects.get().headline_metric.name == "Cost per hire"


def test_a_case_study_without_metrics_has_no_headline() -> None:
    assert headline_of([]) is None


def test_the_card_shows_the_headline_in_points_and_the_evidence_level(
    reader_client: Client, case_study: CaseStudy
) -> None:
    html = reader_client.get(reverse("casestudies:list")).content.decode()
    card = html[html.index('class="card card-casestudy"') :]
    card = card[: card.index("</article>")]
    pp = '<abbr title="percentage points">pp</abbr>'
    assert (
        f"<strong>Applications via LinkedIn:</strong> 12% → 27%, +15 {pp} (an improvement)" in card
    )
    assert "Cost per hire" not in card
    assert f'href="{reverse("evidence_levels")}#level-4"' in card


def test_a_fall_that_is_an_improvement_says_so_and_keeps_its_currency(
    reader_client: Client, case_study: CaseStudy
) -> None:
    case_study.metrics.update(is_headline=False)
    html = reader_client.get(reverse("casestudies:list")).content.decode()
    assert (
        "<strong>Cost per hire:</strong> £1,200 → £900, −25% (an improvement — lower is better)"
        in html
    )


def test_the_form_refuses_two_headlines_and_keeps_what_was_typed(
    advocate_client: Client,
) -> None:
    data = form_data(
        **{
            "metrics-0-is_headline": "on",
            "metrics-1-name": "Cost per hire",
            "metrics-1-value_after": "900",
            "metrics-1-is_headline": "on",
            "title": "My typed title",
        }
    )
    response = advocate_client.post(reverse("casestudies:create"), data)
    assert response.status_code == 200
    assert "Mark one result as the headline, not several." in response.content.decode()
    assert response.context["form"]["title"].value() == "My typed title"
    assert not CaseStudy.all_objects.exists()


def test_the_form_saves_the_marked_headline(advocate_client: Client) -> None:
    data = form_data(
        **{
            "metrics-1-name": "Cost per hire",
            "metrics-1-value_after": "900",
            "metrics-1-is_headline": "on",
            "metrics-1-position": "1",
        }
    )
    assert advocate_client.post(reverse("casestudies:create"), data).status_code == 302
    assert CaseStudy.all_objects.get().headline_metric.name == "Cost per hire"


def test_the_database_keeps_one_headline_per_case_study(case_study: CaseStudy) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Metric.objects.filter(name="Followers").update(is_headline=True)


def test_the_admin_refuses_two_headlines_with_a_message(admin_client: Client, db) -> None:
    case_study = CaseStudyFactory()
    url = reverse("admin:casestudies_casestudy_change", args=[case_study.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("platforms", "tags", "created_by", "source")
    }
    data.update(
        {
            "tags": "",
            "base_version": case_study.version,
            "metrics-TOTAL_FORMS": "2",
            "metrics-INITIAL_FORMS": "0",
            "metrics-MIN_NUM_FORMS": "0",
            "metrics-MAX_NUM_FORMS": "1000",
            "metrics-0-name": "One",
            "metrics-0-value_after": "1",
            "metrics-0-position": "0",
            "metrics-0-is_headline": "on",
            "metrics-1-name": "Two",
            "metrics-1-value_after": "2",
            "metrics-1-position": "1",
            "metrics-1-is_headline": "on",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Mark one result as the headline, not several." in response.content.decode()
    assert not Metric.objects.exists()


def test_the_headline_result_carries_the_change_and_the_source(case_study: CaseStudy) -> None:
    headline = case_study.headline()
    change = case_study.headline_metric.as_change
    assert (headline.label, headline.text) == ("Applications via LinkedIn", change.summary)
    assert headline.improved is True
    assert headline.source is None
