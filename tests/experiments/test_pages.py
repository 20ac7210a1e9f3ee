"""Experiment pages: the filtered list with its success rate, the detail with its measure,
and who may log or edit an experiment (with what a bad form says)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.advocates.models import Department
from kb.core.models import Status
from kb.experiments.models import Experiment, Outcome
from kb.platforms.models import Platform
from tests.experiments.factories import ExperimentFactory
from tests.factories import DepartmentFactory, PlatformFactory

IGNORED_NOTICE = "Some filters were ignored"
FORM_ERROR_NOTICE = "Please correct the errors below"
DRAFT = {"status": Status.DRAFT, "published_at": None}


@pytest.fixture
def hr(db) -> Department:
    return DepartmentFactory(name="People & HR", slug="hr")


@pytest.fixture
def linkedin(db) -> Platform:
    return PlatformFactory(name="LinkedIn", slug="linkedin")


@pytest.fixture
def five_experiments(hr: Department, linkedin: Platform) -> dict[str, Experiment]:
    """Two succeeded, one failed, one inconclusive, one still running."""
    comms = DepartmentFactory(name="Communications", slug="comms")
    return {
        "videos": ExperimentFactory(
            title="Vacancy videos", department=hr, platforms=[linkedin], tags=["recruitment"]
        ),
        "alumni": ExperimentFactory(title="Alumni posts", department=comms, tags=["alumni"]),
        "threads": ExperimentFactory(
            title="Long threads", department=comms, outcome=Outcome.FAILED, result=Decimal("9")
        ),
        "polls": ExperimentFactory(
            title="Weekly polls", department=hr, outcome=Outcome.INCONCLUSIVE, tags=["recruitment"]
        ),
        "stories": ExperimentFactory(
            title="Daily stories",
            department=hr,
            platforms=[linkedin],
            outcome=Outcome.RUNNING,
            result=None,
            end_date=None,
        ),
    }


def list_page(client: Client, query: str = ""):
    return client.get(f"{reverse('experiments:list')}?{query}")


def form_data(**overrides) -> dict:
    """A valid new experiment, finished and successful, as a browser posts it."""
    data = {
        "title": "Vacancy videos",
        "department": str(DepartmentFactory(slug="hr").pk),
        "hypothesis": "Short videos bring more applications.",
        "change": "Vacancies posted as 30-second videos.",
        "metric_name": "Cost per hire",
        "baseline": "1200",
        "target": "1000",
        "result": "900",
        "unit": "£",
        "lower_is_better": "on",
        "period": "6 weeks",
        "start_date": "2025-03-01",
        "end_date": "2025-04-12",
        "outcome": Outcome.SUCCEEDED,
        "evidence_level": "2",
        "learnings": "Subtitles mattered most.",
        "tags": "recruitment, video",
    }
    data.update(overrides)
    return data


# The list ------------------------------------------------------------------------------


def test_the_list_shows_published_experiments_only(reader_client: Client) -> None:
    ExperimentFactory(title="Published trial")
    ExperimentFactory(title="Draft trial", **DRAFT)
    ExperimentFactory(title="Scheduled trial", published_at=timezone.now() + timedelta(days=1))
    response = list_page(reader_client)
    assertContains(response, "Published trial")
    assertContains(response, "1 result")
    assertNotContains(response, "Draft trial")
    assertNotContains(response, "Scheduled trial")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("outcome=failed", ["threads"]),
        ("outcome=running", ["stories"]),
        ("department=hr", ["videos", "polls", "stories"]),
        ("department=comms", ["alumni", "threads"]),
        ("platform=linkedin", ["videos", "stories"]),
        ("tag=recruitment", ["videos", "polls"]),
        ("department=hr&tag=recruitment&outcome=succeeded", ["videos"]),
    ],
)
def test_the_list_filters_by_outcome_department_platform_and_tag(
    reader_client: Client, five_experiments: dict, query: str, expected: list[str]
) -> None:
    response = list_page(reader_client, query)
    assertNotContains(response, IGNORED_NOTICE)
    for key, experiment in five_experiments.items():
        if key in expected:
            assertContains(response, experiment.title)
        else:
            assertNotContains(response, experiment.title)


@pytest.mark.parametrize(
    ("query", "rate"),
    [
        ("", "2 of 4 finished experiments succeeded (50%)"),
        ("department=hr", "1 of 2 finished experiments succeeded (50%)"),
        ("department=comms", "1 of 2 finished experiments succeeded (50%)"),
        ("tag=alumni", "1 of 1 finished experiment succeeded (100%)"),
        ("outcome=failed", "0 of 1 finished experiment succeeded (0%)"),
        ("outcome=running", "None of these experiments has finished yet."),
    ],
)
def test_the_list_shows_the_success_rate_of_what_is_filtered(
    reader_client: Client, five_experiments: dict, query: str, rate: str
) -> None:
    assertContains(list_page(reader_client, query), rate)


def test_the_success_rate_counts_every_page_not_only_the_first(
    reader_client: Client, settings
) -> None:
    settings.KB_PAGE_SIZE = 2
    ExperimentFactory.create_batch(3)
    ExperimentFactory.create_batch(2, outcome=Outcome.FAILED)
    assertContains(list_page(reader_client), "3 of 5 finished experiments succeeded (60%)")


def test_the_success_rate_counts_an_experiment_once_whatever_the_filters_join(
    reader_client: Client, linkedin: Platform
) -> None:
    ExperimentFactory(tags=["video", "recruitment"], platforms=[linkedin, PlatformFactory()])
    response = list_page(reader_client, "platform=linkedin&tag=video")
    assertContains(response, "1 of 1 finished experiment succeeded (100%)")


@pytest.mark.parametrize("query", ["outcome=won", "department=nowhere", "platform=%3Cscript%3E"])
def test_invalid_filters_are_ignored_and_reported(
    reader_client: Client, five_experiments: dict, query: str
) -> None:
    response = list_page(reader_client, query)
    assert response.status_code == 200
    assertContains(response, IGNORED_NOTICE)
    assertContains(response, "5 results")


def test_the_list_offers_to_log_an_experiment_to_advocates_only(
    reader_client: Client, advocate_client: Client
) -> None:
    create_url = reverse("experiments:create")
    assertNotContains(list_page(reader_client), create_url)
    assertContains(list_page(advocate_client), create_url)


def test_a_card_shows_the_change_against_baseline_and_target(reader_client: Client) -> None:
    ExperimentFactory(
        metric_name="Cost per hire",
        baseline=Decimal("1200"),
        target=Decimal("1000"),
        result=Decimal("900"),
        unit="£",
        lower_is_better=True,
    )
    response = list_page(reader_client)
    assertContains(
        response, "£1,200 → £900, −25% (an improvement — lower is better) · target £1,000, met"
    )


# The detail ------------------------------------------------------------------------------


def test_the_detail_shows_the_measure_against_baseline_and_target(reader_client: Client) -> None:
    experiment = ExperimentFactory(
        baseline=Decimal("1200"),
        target=Decimal("1000"),
        result=Decimal("1100"),
        unit="£",
        lower_is_better=True,
        learnings="We learnt **this**.<script>alert(1)</script>",
    )
    response = reader_client.get(experiment.get_absolute_url())
    assertContains(response, "£1,200 → £1,100, −8.3%")
    assertContains(response, "+10% (target not met)")
    assertContains(response, "<strong>this</strong>", html=False)
    assertNotContains(response, "<script>alert(1)</script>", html=False)


def test_a_percentage_changes_in_points(reader_client: Client) -> None:
    experiment = ExperimentFactory(
        baseline=Decimal("2.5"), target=Decimal("4"), result=Decimal("3.75"), unit="%"
    )
    response = reader_client.get(experiment.get_absolute_url())
    assertContains(
        response, '2.5% → 3.75%, +1.25 <abbr title="percentage points">pp</abbr>', html=False
    )
    assertContains(
        response, '−0.25 <abbr title="percentage points">pp</abbr> (target not met)', html=False
    )


def test_a_missing_baseline_or_result_shows_a_dash(reader_client: Client) -> None:
    running = ExperimentFactory(
        baseline=None, result=None, end_date=None, outcome=Outcome.RUNNING, unit="£"
    )
    response = reader_client.get(running.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, "— → —")


def test_a_zero_baseline_shows_the_amount(reader_client: Client) -> None:
    experiment = ExperimentFactory(baseline=Decimal("0"), result=Decimal("40"), unit="clicks")
    response = reader_client.get(experiment.get_absolute_url())
    assertContains(response, "0 clicks → 40 clicks, +40 clicks")


def test_a_draft_is_a_404_to_others_but_visible_to_its_owner_and_editors(
    reader_client: Client,
    other_advocate_client: Client,
    advocate_client: Client,
    editor_client: Client,
    advocate,
) -> None:
    draft = ExperimentFactory(created_by=advocate, **DRAFT)
    for client in (reader_client, other_advocate_client):
        assert client.get(draft.get_absolute_url()).status_code == 404
    for client in (advocate_client, editor_client):
        assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_signed_out_visitor_is_sent_to_sign_in(db, client: Client) -> None:
    response = client.get(ExperimentFactory().get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Logging and editing ------------------------------------------------------------------


def test_an_advocate_logs_an_experiment_as_a_draft_they_own(
    advocate_client: Client, advocate
) -> None:
    response = advocate_client.post(reverse("experiments:create"), form_data())
    experiment = Experiment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == experiment.get_absolute_url()
    assert experiment.created_by == advocate
    assert experiment.status == Status.DRAFT
    assert experiment.result == Decimal("900")
    assert experiment.lower_is_better is True
    assert sorted(tag.name for tag in experiment.tags.all()) == ["recruitment", "video"]


def test_a_reader_may_not_log_an_experiment(reader_client: Client) -> None:
    assert reader_client.get(reverse("experiments:create")).status_code == 403
    assert reader_client.post(reverse("experiments:create"), form_data()).status_code == 403
    assert not Experiment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2025-02-01"}, "end_date", "The end date cannot be before the start date."),
        ({"result": ""}, "result", "A succeeded experiment needs its result value."),
        (
            {"end_date": "", "outcome": Outcome.FAILED},
            "end_date",
            "A failed experiment needs its end date.",
        ),
        ({"baseline": "1" * 20}, "baseline", "Ensure that there are no more than 14 digits"),
        ({"target": "NaN"}, "target", "Enter a number."),
        ({"result": "1e999999"}, "result", "Ensure that there are no more than"),
        ({"start_date": "2025-02-30"}, "start_date", "Enter a valid date."),
        ({"outcome": "won"}, "outcome", "Select a valid choice."),
        ({"department": ""}, "department", "This field is required."),
        ({"hypothesis": "x" * 2_001}, "hypothesis", "at most 2000 characters"),
    ],
)
def test_bad_input_is_a_form_error_that_keeps_what_was_typed(
    advocate_client: Client, changes: dict, field: str, message: str
) -> None:
    data = form_data(title="My typed title", **changes)
    response = advocate_client.post(reverse("experiments:create"), data)
    assert response.status_code == 200
    assertContains(response, FORM_ERROR_NOTICE)
    assert message in " ".join(response.context["form"].errors[field])
    assertContains(response, 'value="My typed title"', html=False)
    assert not Experiment.objects.exists()


def test_a_planned_experiment_needs_no_result_or_end_date(advocate_client: Client) -> None:
    data = form_data(outcome=Outcome.PLANNED, result="", end_date="", target="")
    response = advocate_client.post(reverse("experiments:create"), data)
    assert response.status_code == 302
    experiment = Experiment.objects.get()
    assert experiment.result is None
    assert experiment.end_date is None


def test_the_owner_edits_their_experiment(advocate_client: Client, advocate) -> None:
    experiment = ExperimentFactory(created_by=advocate, outcome=Outcome.RUNNING, **DRAFT)
    edit_url = reverse("experiments:edit", args=[experiment.slug])
    assert advocate_client.get(edit_url).status_code == 200
    data = form_data(
        base_version=experiment.version,
        department=experiment.department_id,
        outcome=Outcome.FAILED,
        result="1300",
    )
    assert advocate_client.post(edit_url, data).status_code == 302
    experiment.refresh_from_db()
    assert experiment.outcome == Outcome.FAILED
    assert experiment.result == Decimal("1300")
    assert experiment.end_date == date(2025, 4, 12)


def test_an_editor_edits_anyones_experiment(editor_client: Client, advocate) -> None:
    experiment = ExperimentFactory(created_by=advocate)
    data = form_data(base_version=experiment.version, title="Renamed by the editor")
    response = editor_client.post(reverse("experiments:edit", args=[experiment.slug]), data)
    assert response.status_code == 302
    experiment.refresh_from_db()
    assert experiment.title == "Renamed by the editor"


def test_others_may_not_edit_an_experiment(
    other_advocate_client: Client, reader_client: Client, advocate
) -> None:
    published = ExperimentFactory(created_by=advocate)
    draft = ExperimentFactory(created_by=advocate, **DRAFT)
    for client in (other_advocate_client, reader_client):
        assert client.get(reverse("experiments:edit", args=[published.slug])).status_code == 403
        assert client.get(reverse("experiments:edit", args=[draft.slug])).status_code == 404
        response = client.post(
            reverse("experiments:edit", args=[published.slug]),
            form_data(base_version=published.version, title="Hijacked"),
        )
        assert response.status_code == 403
    published.refresh_from_db()
    assert published.title != "Hijacked"
