"""The case study page draws each metric as a before/after chart above the results table,
named and described for screen readers, with the better direction said."""

import re
from decimal import Decimal

from django.test import Client

from tests.factories import CaseStudyFactory, MetricFactory


def test_each_metric_is_a_chart_above_the_table_with_its_title_labels_and_direction(
    reader_client: Client,
) -> None:
    case_study = CaseStudyFactory()
    fast = MetricFactory(case_study=case_study, name="First response time",
                         value_before=Decimal("26"), value_after=Decimal("2"), unit="h",
                         lower_is_better=True)  # fmt: skip
    MetricFactory(case_study=case_study, name="Applications via LinkedIn", unit="%",
                  value_before=Decimal("12"), value_after=Decimal("27"), position=1)  # fmt: skip
    html = reader_client.get(case_study.get_absolute_url()).content.decode()
    assert html.count('<svg class="chart-svg"') == 2
    assert html.index('class="change-charts"') < html.index('<table class="metrics')
    slug = f"change-{fast.pk}"
    assert f'role="img" aria-labelledby="{slug}-title {slug}-desc"' in html
    assert f'<title id="{slug}-title">First response time</title>' in html
    assert (
        f'<desc id="{slug}-desc">Before 26 h, after 2 h: −92.3%, an improvement — lower is '
        "better.</desc>"
    ) in html
    # Visible labels on the bars, and the direction in the caption.
    assert '<text x="0" y="12">Before: 26 h</text>' in html
    assert '<text x="0" y="46">After: 2 h</text>' in html
    assert re.search(
        r'class="change-chart-verdict">−92.3%, an improvement — lower is better<', html
    )
    assert '+15 <abbr title="percentage points">pp</abbr>, an improvement<' in html
    # The numbers stay in the table.
    assert '<td data-label="Before">26 h</td>' in html


def test_a_case_study_without_metrics_has_no_chart(reader_client: Client) -> None:
    html = reader_client.get(CaseStudyFactory().get_absolute_url()).content.decode()
    assert "chart-svg" not in html


def test_a_metric_name_cannot_inject_markup_into_the_chart(reader_client: Client) -> None:
    case_study = CaseStudyFactory()
    MetricFactory(case_study=case_study, name="<script>alert(1)</script>", unit="<b>x</b>")
    html = reader_client.get(case_study.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>x</b>" not in html
