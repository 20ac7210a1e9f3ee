"""The adoption dashboard: its numbers against a hand-counted fixture, its charts (well-formed
SVG with title, description and labels), CSV equal to the charts, filters, who may see it,
and a bounded number of queries."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from kb.core.models import Status
from kb.core.registry import kinds
from kb.departments.contributions import department_path
from kb.departments.dashboard import Filters, build
from kb.departments.models import AdoptionStage
from kb.experiments.models import Outcome
from kb.platforms.models import Platform
from kb.questions.models import Question
from tests.departments.factories import StageChangeFactory
from tests.experiments.factories import ExperimentFactory
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    DepartmentFactory,
    PlatformFactory,
    ResearchLinkFactory,
)
from tests.questions.factories import QuestionFactory

pytestmark = pytest.mark.django_db

YEAR_2025 = {"start": "2025-01", "end": "2025-12"}
SVG = "{http://www.w3.org/2000/svg}"


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def advocate_since(when: datetime, department, **kwargs):
    profile = AdvocateProfileFactory(department=department, **kwargs)
    type(profile).objects.filter(pk=profile.pk).update(created_at=when)
    return profile.user


@pytest.fixture
def fixture_2025():
    """Sales (renamed Revenue in the summer) and Legal (with nothing at all)."""
    sales = DepartmentFactory(name="Sales", slug="sales")
    DepartmentFactory(name="Legal", slug="legal")
    linkedin = PlatformFactory(name="LinkedIn", slug="linkedin")
    anna = advocate_since(at(2024, 11, 15), sales)
    ben = advocate_since(at(2025, 3, 10), sales)
    gone = advocate_since(at(2025, 1, 5), sales)
    gone.is_active = False
    gone.save()

    ArticleFactory(author=anna, published_at=at(2024, 6, 1))  # before: all time only
    ArticleFactory(author=anna, published_at=at(2025, 2, 5), tags=["video"])
    ArticleFactory(author=anna, published_at=at(2025, 2, 20))
    ArticleFactory(author=anna, status=Status.DRAFT, published_at=None)  # a draft
    trashed = ArticleFactory(author=anna, published_at=at(2025, 2, 10))
    trashed.deleted_at = timezone.now()
    trashed.save()
    ResearchLinkFactory(added_by=ben, published_at=at(2025, 7, 1))

    won = ExperimentFactory(
        department=sales, created_by=anna, published_at=at(2025, 4, 12),
        end_date=date(2025, 4, 10), outcome=Outcome.SUCCEEDED,
    )  # fmt: skip
    won.platforms.add(linkedin)
    ExperimentFactory(
        department=sales, created_by=anna, published_at=at(2025, 4, 25),
        end_date=date(2025, 4, 20), outcome=Outcome.FAILED,
    )  # fmt: skip
    ExperimentFactory(
        department=sales, created_by=ben, published_at=at(2025, 9, 1),
        outcome=Outcome.RUNNING, end_date=None, result=None,
    )  # fmt: skip
    ExperimentFactory(
        department=sales, created_by=ben, status=Status.DRAFT, published_at=None,
        end_date=date(2025, 4, 1), outcome=Outcome.SUCCEEDED,
    )  # fmt: skip

    answered = QuestionFactory(department=sales, answered_at=at(2025, 6, 1), platform=linkedin)
    QuestionFactory(department=sales)
    QuestionFactory(department=sales, private=True)
    deleted = QuestionFactory(department=sales, deleted_at=timezone.now())
    for question, when in [(answered, at(2025, 5, 3)), (deleted, at(2025, 5, 10))]:
        Question.objects.filter(pk=question.pk).update(created_at=when)
    Question.objects.filter(department=sales, answered_at=None, private=False).update(
        created_at=at(2025, 5, 20)
    )
    Question.objects.filter(private=True).update(created_at=at(2025, 8, 1))

    curious, experimenting = (
        AdoptionStage.objects.get(name=n) for n in ("Curious", "Experimenting")
    )
    StageChangeFactory(department=sales, stage=curious, changed_on=date(2024, 12, 1))
    StageChangeFactory(department=sales, stage=experimenting, changed_on=date(2025, 4, 15))
    sales.name = "Revenue"  # renamed mid-period: its history stays with it
    sales.save()
    return sales


def charts_of(response) -> dict:
    return {chart.slug: chart for chart in response.context["dashboard"].charts}


def series(chart, name: str) -> list[float]:
    return next(s for s in chart.series if s.name == name).values


def test_the_numbers_match_the_hand_count(editor_client: Client, fixture_2025) -> None:
    response = editor_client.get(reverse("departments:dashboard"), YEAR_2025)
    assert response.status_code == 200
    charts = charts_of(response)
    assert charts["advocates"].columns[0] == "Jan 2025" and len(charts["advocates"].columns) == 12
    assert series(charts["advocates"], "Advocates") == [1, 1] + [2] * 10

    contributions = charts["contributions"]
    assert series(contributions, "Articles") == [0, 2] + [0] * 10
    assert series(contributions, "Research") == [0] * 6 + [1] + [0] * 5
    assert series(contributions, "Experiments") == [0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0]
    assert series(contributions, "Case studies") == [0] * 12
    totals = {s.name: s.total for s in contributions.series}
    assert (totals["Articles"], totals["Research"], totals["Experiments"]) == (3, 1, 3)

    assert series(charts["experiments"], "Finished") == [0, 0, 0, 2] + [0] * 8
    assert series(charts["experiments"], "Succeeded") == [0, 0, 0, 1] + [0] * 8
    assert series(charts["success-rate"], "Success rate") == [0, 0, 0, 50] + [0] * 8

    assert series(charts["questions"], "Asked") == [0] * 4 + [2, 0, 0, 1] + [0] * 4
    assert series(charts["questions"], "Answered") == [0] * 5 + [1] + [0] * 6

    assert series(charts["stages"], "Curious") == [1, 1, 1] + [0] * 9
    assert series(charts["stages"], "Experimenting") == [0, 0, 0] + [1] * 9
    assert series(charts["stages"], "Embedded") == [0] * 12


def test_the_department_table_names_the_renamed_department_once_with_all_its_numbers(
    editor_client: Client, fixture_2025
) -> None:
    response = editor_client.get(reverse("departments:dashboard"), YEAR_2025)
    rows = {row.department.name: row for row in response.context["rows"]}
    assert set(rows) == {"Revenue", "Legal"}
    revenue, legal = rows["Revenue"], rows["Legal"]
    assert (revenue.advocates, revenue.contributions, revenue.contributions_all_time) == (2, 6, 7)
    assert (revenue.experiments, revenue.asked, revenue.answered) == ("1 of 2", 3, 1)
    assert revenue.stage.name == "Experimenting"
    assert (legal.advocates, legal.contributions, legal.asked, legal.stage) == (0, 0, 0, None)


def test_filters_narrow_every_measure(editor_client: Client, fixture_2025) -> None:
    by_platform = charts_of(
        editor_client.get(reverse("departments:dashboard"), {**YEAR_2025, "platform": "linkedin"})
    )
    assert series(by_platform["experiments"], "Finished") == [0, 0, 0, 1] + [0] * 8
    assert series(by_platform["questions"], "Asked") == [0] * 4 + [1] + [0] * 7
    assert "Articles" not in {s.name for s in by_platform["contributions"].series}
    by_topic = charts_of(
        editor_client.get(reverse("departments:dashboard"), {**YEAR_2025, "topic": "video"})
    )
    assert series(by_topic["contributions"], "Articles") == [0, 1] + [0] * 10
    legal = charts_of(
        editor_client.get(reverse("departments:dashboard"), {**YEAR_2025, "department": "legal"})
    )
    assert all(not any(s.values) for chart in legal.values() for s in chart.series)


def test_each_csv_parses_to_the_numbers_of_its_chart(editor_client: Client, fixture_2025) -> None:
    charts = charts_of(editor_client.get(reverse("departments:dashboard"), YEAR_2025))
    for slug, chart in charts.items():
        response = editor_client.get(reverse("departments:dashboard_csv", args=[slug]), YEAR_2025)
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == ["Month", *[s.name for s in chart.series]]
        body = [(row[0], [float(cell) for cell in row[1:]]) for row in rows[1:13]]
        assert body == [(column, [float(v) for v in values]) for column, values in chart.rows]
        if chart.has_totals:
            assert rows[13] == ["All time", *[str(s.total) for s in chart.series]]


def test_every_chart_is_well_formed_svg_with_title_description_and_labels(
    editor_client: Client, fixture_2025
) -> None:
    html = editor_client.get(reverse("departments:dashboard"), YEAR_2025).content.decode()
    svgs = []
    while '<svg class="chart-svg"' in html:  # the charts, not the header's icons
        start = html.index('<svg class="chart-svg"')
        end = html.index("</svg>", start) + len("</svg>")
        svgs.append(ET.fromstring(html[start:end]))
        html = html[end:]
    assert len(svgs) == 6
    for svg in svgs:
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title.text and desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        texts = [t.text for t in svg.iter(f"{SVG}text")]
        assert "Month" in texts and "Jan 2025" in texts
    bars = [rect.find(f"{SVG}title").text for rect in svgs[1].iter(f"{SVG}rect")]
    assert "Articles, Feb 2025: 2" in bars


def test_bad_filters_are_reported_and_the_default_period_shown(editor_client: Client) -> None:
    for bad in [
        {"start": "2025-13"},
        {"start": "2026-05", "end": "2025-01"},
        {"start": "1900-01", "end": "2025-01"},
        {"department": "no-such"},
        {"topic": "x" * 500},
        {"topic": "never-used"},
    ]:
        response = editor_client.get(reverse("departments:dashboard"), bad)
        assert response.status_code == 400, bad
        assert len(response.context["dashboard"].charts[0].columns) == 12
    assert editor_client.get("/departments/dashboard/nope.csv").status_code == 404


def test_only_editors_and_staff_see_the_dashboard(
    reader_client: Client, advocate_client: Client, admin_client: Client
) -> None:
    assert reader_client.get(reverse("departments:dashboard")).status_code == 403
    assert advocate_client.get(reverse("departments:dashboard")).status_code == 403
    csv_url = reverse("departments:dashboard_csv", args=["advocates"])
    assert reader_client.get(csv_url).status_code == 403
    assert admin_client.get(reverse("departments:dashboard")).status_code == 200


def test_the_dashboard_costs_the_same_queries_for_one_and_many_departments(
    editor_client: Client, django_assert_num_queries
) -> None:
    sales = DepartmentFactory()
    user = advocate_since(at(2025, 1, 2), sales)
    ArticleFactory(author=user, published_at=at(2025, 3, 1))
    with CaptureQueriesContext(connection) as one:
        editor_client.get(reverse("departments:dashboard"), YEAR_2025)
    for month in range(1, 13):
        department = DepartmentFactory()
        user = advocate_since(at(2025, month, 2), department)
        ArticleFactory(author=user, published_at=at(2025, month, 3))
        ExperimentFactory(
            department=department, start_date=date(2025, month, 1), end_date=date(2025, month, 4)
        )
        QuestionFactory(department=department, answered_at=at(2025, month, 5))
        StageChangeFactory(department=department, changed_on=date(2025, month, 6))
    with django_assert_num_queries(len(one)):
        editor_client.get(reverse("departments:dashboard"), YEAR_2025)


def test_an_item_falls_in_the_month_of_its_local_date_at_either_side_of_summer_time(
    editor_client: Client, settings
) -> None:
    settings.TIME_ZONE = "Europe/London"
    sales = DepartmentFactory()
    author = advocate_since(at(2024, 1, 1), sales)
    for when in [
        datetime(2025, 1, 31, 23, 59, tzinfo=UTC),  # GMT: still January
        datetime(2025, 2, 1, 0, 0, tzinfo=UTC),  # February's first moment
        datetime(2025, 3, 31, 22, 59, tzinfo=UTC),  # BST: 23:59 on 31 March
        datetime(2025, 3, 31, 23, 0, tzinfo=UTC),  # BST: midnight, 1 April
        datetime(2025, 12, 31, 23, 59, tzinfo=UTC),  # the period's last minute
        datetime(2026, 1, 1, 0, 0, tzinfo=UTC),  # after the period: left out
        datetime(2024, 12, 31, 23, 59, tzinfo=UTC),  # before it: all time only
    ]:
        ArticleFactory(author=author, published_at=when)
    charts = charts_of(editor_client.get(reverse("departments:dashboard"), YEAR_2025))
    articles = next(s for s in charts["contributions"].series if s.name == "Articles")
    assert articles.values == [1, 1, 1, 1] + [0] * 7 + [1]
    assert articles.total == 6


def test_a_question_answered_after_the_period_counts_as_asked_only(
    editor_client: Client,
) -> None:
    sales = DepartmentFactory()
    late = QuestionFactory(department=sales, answered_at=at(2026, 2, 1))
    Question.objects.filter(pk=late.pk).update(created_at=at(2025, 11, 3))
    charts = charts_of(editor_client.get(reverse("departments:dashboard"), YEAR_2025))
    assert series(charts["questions"], "Asked") == [0] * 10 + [1, 0]
    assert series(charts["questions"], "Answered") == [0] * 12
    totals = {s.name: s.total for s in charts["questions"].series}
    assert totals == {"Asked": 1, "Answered": 0}


def test_the_dashboards_numbers_cost_eight_queries_whatever_the_period_and_filters(
    django_assert_num_queries, fixture_2025
) -> None:
    # Departments, advocates, the contributions of every kind (one UNION ALL) and their
    # owners' departments, experiments, questions asked and answered (one), stages and
    # their changes: whatever the kinds, months and departments.
    filters = [
        Filters(start=(2025, 1), end=(2025, 12)),
        Filters(start=(2016, 1), end=(2025, 12)),
        Filters(start=(2025, 1), end=(2025, 12), department=fixture_2025),
        Filters(
            start=(2025, 1), end=(2025, 12), topic=Tag.objects.get(name="video"),
            platform=Platform.objects.get(slug="linkedin"),
        ),
    ]  # fmt: skip
    for each in filters:
        with django_assert_num_queries(8):
            build(each)


def _count_key(model) -> str:
    """The field the dashboard counts a kind's items by: its department, else its owner."""
    return "department" if department_path(model) == "department_id" else model.OWNER_FIELD


@pytest.mark.parametrize("model", [model for model, _ in kinds()], ids=lambda m: m.__name__)
def test_every_kind_has_the_index_its_contributions_are_counted_from(model) -> None:
    # A new kind of content that forgot it would make the dashboard read every row of
    # its table, body and all.
    indexed = [index.fields for index in model._meta.indexes]
    assert ["status", "published_at", _count_key(model), "deleted_at"] in indexed


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's plan is fixed; PostgreSQL's depends on its statistics",
)
def test_the_contributions_are_counted_from_the_index_alone(fixture_2025) -> None:
    with CaptureQueriesContext(connection) as queries:
        build(Filters(start=(2025, 1), end=(2025, 12)))
    union = next(q["sql"] for q in queries.captured_queries if "UNION ALL" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {union}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    for model, _ in kinds():
        assert f"USING COVERING INDEX {model._meta.db_table}_dash" in plan
