"""Department pages: the stage and its timeline, advocates and contributions, and editors
recording a new stage."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kb.core.models import Status
from kb.departments.models import AdoptionStage, StageChange
from tests.departments.factories import StageChangeFactory
from tests.experiments.factories import ExperimentFactory
from tests.factories import AdvocateProfileFactory, ArticleFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def stage(name: str) -> AdoptionStage:
    return AdoptionStage.objects.get(name=name)


def test_the_stages_of_day_one_are_data_in_their_order() -> None:
    names = list(AdoptionStage.objects.values_list("name", flat=True))
    assert names == ["Not started", "Curious", "Experimenting", "Adopting", "Embedded"]


def test_the_page_shows_the_history_as_a_timeline_oldest_first_and_the_latest_as_current(
    reader_client: Client,
) -> None:
    department = DepartmentFactory(name="Marketing", slug="marketing")
    StageChangeFactory(
        department=department,
        stage=stage("Experimenting"),
        changed_on=datetime.date(2025, 6, 1),
        note="Instagram trial",
    )
    StageChangeFactory(
        department=department,
        stage=stage("Curious"),
        changed_on=datetime.date(2025, 1, 10),
        note="First questions",
    )
    html = reverse("departments:detail", args=["marketing"])
    page = reader_client.get(html).content.decode()
    assert page.index("First questions") < page.index("Instagram trial")
    assert "Adoption stage: <span" in page and "since 1 June 2025" in page
    assert 'datetime="2025-01-10"' in page


def test_a_stage_renamed_by_an_editor_reads_with_its_new_wording(reader_client: Client) -> None:
    department = DepartmentFactory(slug="hr")
    StageChangeFactory(department=department, stage=stage("Curious"))
    AdoptionStage.objects.filter(name="Curious").update(name="Asking around")
    page = reader_client.get(reverse("departments:detail", args=["hr"])).content.decode()
    assert "Asking around" in page


def test_the_page_lists_the_departments_advocates_and_published_contributions_only(
    reader_client: Client,
) -> None:
    department = DepartmentFactory(slug="comms")
    profile = AdvocateProfileFactory(department=department, user__first_name="Zed")
    ArticleFactory(author=profile.user, title="Our first posts", status=Status.PUBLISHED)
    ArticleFactory(author=profile.user, title="Secret draft", status=Status.DRAFT)
    trashed = ArticleFactory(author=profile.user, title="Thrown away", status=Status.PUBLISHED)
    trashed.deleted_at = timezone.now()
    trashed.save()
    ExperimentFactory(department=department, title="Own experiment")
    page = reader_client.get(reverse("departments:detail", args=["comms"])).content.decode()
    assert "Zed" in page
    assert "Our first posts" in page and "Own experiment" in page
    assert "Secret draft" not in page and "Thrown away" not in page
    assert "1 of 1 finished experiment succeeded (100%)" in page


def test_an_editor_records_a_new_stage_with_date_and_note(editor_client: Client, editor) -> None:
    department = DepartmentFactory(slug="it")
    response = editor_client.post(
        reverse("departments:record_stage", args=["it"]),
        {"stage": stage("Adopting").pk, "changed_on": "2025-05-02", "note": "Weekly posts"},
    )
    assert response.status_code == 302
    change = StageChange.objects.get(department=department)
    assert (change.stage.name, change.changed_on, change.note, change.recorded_by) == (
        "Adopting",
        datetime.date(2025, 5, 2),
        "Weekly posts",
        editor,
    )


def test_readers_and_advocates_may_not_record_a_stage(
    reader_client: Client, advocate_client: Client
) -> None:
    DepartmentFactory(slug="it")
    data = {"stage": stage("Adopting").pk, "changed_on": "2025-05-02"}
    url = reverse("departments:record_stage", args=["it"])
    assert reader_client.post(url, data).status_code == 403
    assert advocate_client.post(url, data).status_code == 403
    assert (
        "Record a new stage"
        not in reader_client.get(reverse("departments:detail", args=["it"])).content.decode()
    )
    assert not StageChange.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"stage": "999999", "changed_on": "2025-05-02", "note": "kept text"},
        {"stage": "not-a-number", "changed_on": "2025-05-02", "note": "kept text"},
        {"stage": "STAGE", "changed_on": "31/31/2025", "note": "kept text"},
        {"stage": "STAGE", "changed_on": "2999-01-01", "note": "kept text"},
        {"stage": "STAGE", "changed_on": "2025-05-02", "note": "kept text" + "x" * 400},
    ],
)
def test_bad_stage_input_is_a_form_error_that_keeps_what_was_typed(
    editor_client: Client, data: dict
) -> None:
    DepartmentFactory(slug="it")
    data = {**data, "stage": data["stage"].replace("STAGE", str(stage("Curious").pk))}
    response = editor_client.post(reverse("departments:record_stage", args=["it"]), data)
    assert response.status_code == 400
    assert "kept text" in response.content.decode()
    assert not StageChange.objects.exists()


def test_a_second_stage_on_the_same_day_is_refused(editor_client: Client) -> None:
    department = DepartmentFactory(slug="it")
    StageChangeFactory(department=department, changed_on=datetime.date(2025, 5, 2))
    response = editor_client.post(
        reverse("departments:record_stage", args=["it"]),
        {"stage": stage("Curious").pk, "changed_on": "2025-05-02"},
    )
    assert response.status_code == 400
    assert "already has a stage on that day" in response.content.decode()


def test_an_unknown_department_is_a_404(reader_client: Client, editor_client: Client) -> None:
    assert reader_client.get(reverse("departments:detail", args=["nope"])).status_code == 404
    assert editor_client.post(reverse("departments:record_stage", args=["nope"])).status_code == 404


def test_the_list_costs_the_same_queries_for_one_and_many_departments(
    reader_client: Client, django_assert_num_queries
) -> None:
    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert reader_client.get(reverse("departments:list")).status_code == 200
        return len(captured)

    StageChangeFactory(department=DepartmentFactory())
    one = count_queries()
    for _ in range(5):
        StageChangeFactory(department=AdvocateProfileFactory().department)
    with django_assert_num_queries(one):
        reader_client.get(reverse("departments:list"))


def test_the_department_list_shows_each_current_stage(reader_client: Client) -> None:
    department = DepartmentFactory(name="Marketing")
    StageChangeFactory(department=department, stage=stage("Curious"))
    StageChangeFactory(department=department, stage=stage("Embedded"))
    page = reader_client.get(reverse("departments:list")).content.decode()
    assert "Embedded" in page and "Marketing" in page
