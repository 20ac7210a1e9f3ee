"""Case study pages: the filtered list, the detail with its metrics, and who may submit or edit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kb.casestudies.models import CaseStudy, Metric, Sector
from kb.core.evidence import EvidenceLevel
from kb.core.models import Status
from tests.factories import CaseStudyFactory, MetricFactory, PlatformFactory

IGNORED_NOTICE = "Some filters were ignored"
FORM_ERROR_NOTICE = "Please correct the errors below"
SUMMARY = "Recruitment posts on LinkedIn doubled applications within six months."


@pytest.fixture
def linkedin(db):
    return PlatformFactory(name="LinkedIn", slug="linkedin")


@pytest.fixture
def three_case_studies(linkedin) -> dict[str, CaseStudy]:
    """Each sort order puts these three in a different order."""
    instagram = PlatformFactory(name="Instagram", slug="instagram")
    now = timezone.now()
    return {
        "council": CaseStudyFactory(
            title="Council hiring drive",
            sector=Sector.PUBLIC,
            platforms=[linkedin],
            tags=["recruitment"],
            evidence_level=EvidenceLevel.ANECDOTE,
            year=2024,
            published_at=now - timedelta(days=3),
        ),
        "hospital": CaseStudyFactory(
            title="Hospital ward videos",
            sector=Sector.HEALTH,
            platforms=[instagram],
            tags=["video"],
            evidence_level=EvidenceLevel.INDEPENDENTLY_VERIFIED,
            year=2019,
            published_at=now - timedelta(days=2),
        ),
        "university": CaseStudyFactory(
            title="University alumni network",
            sector=Sector.EDUCATION,
            platforms=[linkedin],
            tags=["alumni"],
            evidence_level=EvidenceLevel.MEASURED,
            year=2022,
            published_at=now - timedelta(days=1),
        ),
    }


def list_page(client: Client, query: str = ""):
    return client.get(f"{reverse('casestudies:list')}?{query}")


def titles_in_order(response, titles: list[str]) -> list[str]:
    content = response.content.decode()
    return sorted((t for t in titles if t in content), key=content.index)


def form_data(**overrides) -> dict:
    """A valid submission with one metric row and one blank extra row, as a browser posts it."""
    data = {
        "title": "Hiring on LinkedIn",
        "organisation": "Northshire County Council",
        "sector": Sector.PUBLIC,
        "year": "2024",
        "evidence_level": str(EvidenceLevel.MEASURED),
        "summary": SUMMARY,
        "challenge": "",
        "approach": "",
        "outcome": "",
        "source_url": "",
        "publisher": "",
        "tags": "recruitment, linkedin",
        "submit_for_review": "1",
        "metrics-TOTAL_FORMS": "2",
        "metrics-INITIAL_FORMS": "0",
        "metrics-MIN_NUM_FORMS": "0",
        "metrics-MAX_NUM_FORMS": "20",
        "metrics-0-name": "Applications per vacancy",
        "metrics-0-value_before": "14",
        "metrics-0-value_after": "31",
        "metrics-0-unit": "applications",
        "metrics-0-period": "6 months",
        "metrics-0-position": "0",
        "metrics-1-position": "0",
    }
    data.update(overrides)
    return data


# The list ------------------------------------------------------------------------------


def test_the_list_shows_published_case_studies_only(reader_client: Client) -> None:
    CaseStudyFactory(title="Published story")
    CaseStudyFactory(title="Draft story", status=Status.DRAFT, published_at=None)
    CaseStudyFactory(title="Story in review", status=Status.IN_REVIEW, published_at=None)
    CaseStudyFactory(title="Scheduled story", published_at=timezone.now() + timedelta(days=1))
    response = list_page(reader_client)
    assertContains(response, "Published story")
    assertContains(response, "1 result")
    for hidden in ("Draft story", "Story in review", "Scheduled story"):
        assertNotContains(response, hidden)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag=recruitment", ["council"]),
        ("platform=instagram", ["hospital"]),
        ("platform=linkedin", ["council", "university"]),
        ("sector=education", ["university"]),
        ("evidence=3", ["hospital", "university"]),
        ("evidence=5", ["hospital"]),
        ("year=2019", ["hospital"]),
        ("platform=linkedin&evidence=3", ["university"]),
    ],
)
def test_the_list_filters_by_tag_platform_sector_evidence_and_year(
    reader_client: Client, three_case_studies: dict, query: str, expected: list[str]
) -> None:
    response = list_page(reader_client, query)
    assertNotContains(response, IGNORED_NOTICE)
    for key, case_study in three_case_studies.items():
        if key in expected:
            assertContains(response, case_study.title)
        else:
            assertNotContains(response, case_study.title)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["university", "hospital", "council"]),
        ("newest", ["university", "hospital", "council"]),
        ("evidence", ["hospital", "university", "council"]),
        ("year", ["council", "university", "hospital"]),
        ("title", ["council", "hospital", "university"]),
    ],
)
def test_the_list_sorts_in_each_named_order(
    reader_client: Client, three_case_studies: dict, sort: str, expected: list[str]
) -> None:
    response = list_page(reader_client, f"sort={sort}")
    titles = [case_study.title for case_study in three_case_studies.values()]
    assert titles_in_order(response, titles) == [three_case_studies[k].title for k in expected]


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=99999",
        "year=1800",
        "sector=nope",
        "platform=unknown",
        "evidence=9",
        "sort=bad",
    ],
)
def test_an_invalid_filter_value_is_ignored_with_a_notice(
    reader_client: Client, three_case_studies: dict, query: str
) -> None:
    response = list_page(reader_client, query)
    assertContains(response, IGNORED_NOTICE)
    assertContains(response, "3 results")
    assertNotContains(response, "<script>", html=False)


def test_a_valid_filter_still_applies_next_to_an_ignored_one(
    reader_client: Client, three_case_studies: dict
) -> None:
    response = list_page(reader_client, "sector=health&year=abc")
    assertContains(response, IGNORED_NOTICE)
    assertContains(response, "Hospital ward videos")
    assertNotContains(response, "Council hiring drive")


@pytest.mark.parametrize(
    ("page", "shown"), [("1", "Page 1 of 3"), ("3", "Page 3 of 3"), ("abc", "Page 1 of 3")]
)
def test_the_list_is_paginated_by_the_page_size_setting(
    reader_client: Client, settings, page: str, shown: str
) -> None:
    settings.KB_PAGE_SIZE = 2
    for n in range(5):
        CaseStudyFactory(title=f"Paged story {n}")
    response = list_page(reader_client, f"page={page}")
    assertContains(response, shown)
    expected_cards = 1 if page == "3" else 2
    assertContains(response, 'class="card card-casestudy"', count=expected_cards)


@pytest.mark.parametrize("page", ["999999", "0", "-1"])
def test_an_out_of_range_page_shows_the_last_page(
    reader_client: Client, settings, page: str
) -> None:
    settings.KB_PAGE_SIZE = 2
    for n in range(3):
        CaseStudyFactory(title=f"Paged story {n}")
    response = list_page(reader_client, f"page={page}")
    assertContains(response, "Page 2 of 2")


def test_the_page_links_keep_the_filters(
    reader_client: Client, settings, three_case_studies: dict
) -> None:
    settings.KB_PAGE_SIZE = 1
    response = list_page(reader_client, "platform=linkedin")
    assertContains(response, "Page 1 of 2")
    assertContains(response, "?platform=linkedin&amp;page=2")


# The detail ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "client_fixture", ["reader_client", "advocate_client", "editor_client", "admin_client"]
)
def test_a_published_case_study_is_open_to_every_role(request, db, client_fixture: str) -> None:
    case_study = CaseStudyFactory(title="Open to all", organisation="Harbour Trust")
    response = request.getfixturevalue(client_fixture).get(case_study.get_absolute_url())
    assertContains(response, "Open to all")
    assertContains(response, "Harbour Trust")


def test_the_detail_shows_each_metric_with_its_change(reader_client: Client) -> None:
    case_study = CaseStudyFactory()
    MetricFactory(case_study=case_study, name="Applications per vacancy")
    MetricFactory(
        case_study=case_study,
        name="Cost per hire",
        value_before=Decimal("31"),
        value_after=Decimal("14"),
        unit="£",
        lower_is_better=True,
        position=1,
    )
    MetricFactory(case_study=case_study, name="Followers", value_before=None, position=2)
    MetricFactory(
        case_study=case_study,
        name="Applications via LinkedIn",
        value_before=Decimal("12"),
        value_after=Decimal("27"),
        unit="%",
        position=3,
    )
    response = reader_client.get(case_study.get_absolute_url())
    assertContains(response, "Applications per vacancy")
    # The amount in its unit, then the relative change; a currency keeps its symbol; a
    # percentage changes by percentage points, not per cent.
    assertContains(response, "+17 applications (+121.4%)")
    assertContains(response, "−£17 (−54.8%)")
    assertContains(response, '+15 <abbr title="percentage points">pp</abbr>', html=False)
    assertContains(response, '<td data-label="Before">—</td>', html=False)
    # Currencies lead, other units follow; a fall in a cost is shown as an improvement.
    assertContains(response, '<td data-label="Before">£31</td>', html=False)
    assertContains(response, '<td data-label="After">31 applications</td>', html=False)
    assert response.content.decode().count(">an improvement<") == 2
    assert response.content.decode().count(">an improvement — lower is better<") == 1


def test_the_detail_shows_related_case_studies_sharing_tags(reader_client: Client) -> None:
    case_study = CaseStudyFactory(tags=["recruitment", "linkedin"])
    CaseStudyFactory(title="Sharing two tags", tags=["recruitment", "linkedin"])
    CaseStudyFactory(title="Sharing one tag", tags=["linkedin"])
    CaseStudyFactory(title="Unrelated story", tags=["gardening"])
    CaseStudyFactory(
        title="Related draft", tags=["linkedin"], status=Status.DRAFT, published_at=None
    )
    response = reader_client.get(case_study.get_absolute_url())
    assertContains(response, "Related case studies")
    assert titles_in_order(response, ["Sharing one tag", "Sharing two tags"]) == [
        "Sharing two tags",
        "Sharing one tag",
    ]
    assertNotContains(response, "Unrelated story")
    assertNotContains(response, "Related draft")


def test_only_those_who_may_edit_see_the_edit_button(
    reader_client: Client, advocate_client: Client, advocate
) -> None:
    case_study = CaseStudyFactory(created_by=advocate)
    edit_url = reverse("casestudies:edit", args=[case_study.slug])
    assertNotContains(reader_client.get(case_study.get_absolute_url()), edit_url)
    assertContains(advocate_client.get(case_study.get_absolute_url()), edit_url)


# Submitting and editing ----------------------------------------------------------------


def test_a_reader_may_not_open_the_submission_form(reader_client: Client) -> None:
    response = reader_client.get(reverse("casestudies:create"))
    assertContains(response, "Not allowed", status_code=403)


def test_a_reader_may_not_submit_a_case_study(reader_client: Client) -> None:
    response = reader_client.post(reverse("casestudies:create"), form_data())
    assert response.status_code == 403
    assert not CaseStudy.objects.exists()


@pytest.mark.parametrize("client_fixture", ["reader_client", "other_advocate_client"])
def test_only_owners_and_editors_may_edit_a_case_study(
    request, advocate, client_fixture: str
) -> None:
    case_study = CaseStudyFactory(title="Original title", created_by=advocate)
    client = request.getfixturevalue(client_fixture)
    url = reverse("casestudies:edit", args=[case_study.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(title="Defaced")).status_code == 403
    case_study.refresh_from_db()
    assert case_study.title == "Original title"


def test_an_advocate_submits_a_case_study_with_metrics(
    advocate_client: Client, advocate, linkedin
) -> None:
    response = advocate_client.post(
        reverse("casestudies:create"), form_data(platforms=[linkedin.pk])
    )
    case_study = CaseStudy.objects.get()
    assertRedirects(response, case_study.get_absolute_url())
    assert case_study.created_by == advocate
    assert case_study.status == Status.IN_REVIEW
    assert not case_study.featured
    assert list(case_study.platforms.all()) == [linkedin]
    assert sorted(case_study.tags.names()) == ["linkedin", "recruitment"]
    metric = case_study.metrics.get()
    assert (metric.name, metric.value_before, metric.value_after) == (
        "Applications per vacancy",
        Decimal("14"),
        Decimal("31"),
    )


def test_an_advocate_is_offered_draft_and_review_but_not_publishing(
    advocate_client: Client,
) -> None:
    response = advocate_client.get(reverse("casestudies:create"))
    assertContains(response, ">Save</button>")
    assertContains(response, "Save and submit for review")
    assertNotContains(response, 'name="status"')
    assertNotContains(response, 'name="featured"')
    assertNotContains(response, 'name="published_at"')


def test_an_advocate_cannot_publish_their_own_submission(advocate_client: Client) -> None:
    advocate_client.post(reverse("casestudies:create"), form_data(status=Status.PUBLISHED))
    assert CaseStudy.objects.get().status == Status.IN_REVIEW


def test_an_advocate_cannot_feature_their_own_submission(advocate_client: Client) -> None:
    advocate_client.post(reverse("casestudies:create"), form_data(featured="on"))
    assert CaseStudy.objects.get().featured is False


def test_an_advocate_edits_their_own_case_study_and_its_metrics(
    advocate_client: Client, advocate
) -> None:
    case_study = CaseStudyFactory(created_by=advocate, status=Status.DRAFT, published_at=None)
    metric = MetricFactory(case_study=case_study)
    data = form_data(
        title="Hiring, revisited",
        base_version=case_study.version,
        **{
            "metrics-TOTAL_FORMS": "1",
            "metrics-INITIAL_FORMS": "1",
            "metrics-0-id": str(metric.pk),
            "metrics-0-case_study": str(case_study.pk),
            "metrics-0-value_after": "40",
        },
    )
    response = advocate_client.post(reverse("casestudies:edit", args=[case_study.slug]), data)
    assertRedirects(response, case_study.get_absolute_url())
    case_study.refresh_from_db()
    metric.refresh_from_db()
    assert case_study.title == "Hiring, revisited"
    assert metric.value_after == Decimal("40")


def test_an_editor_features_an_advocates_case_study_and_publishes_it(
    editor_client: Client, advocate
) -> None:
    case_study = CaseStudyFactory(created_by=advocate, status=Status.IN_REVIEW, published_at=None)
    data = form_data(
        featured="on",
        base_version=case_study.version,
        **{"metrics-TOTAL_FORMS": "0", "published_at": ""},
    )
    response = editor_client.post(reverse("casestudies:edit", args=[case_study.slug]), data)
    assertRedirects(response, case_study.get_absolute_url())
    publish = reverse("workflow:action", args=["casestudy", case_study.slug, "publish"])
    assertRedirects(editor_client.post(publish), case_study.get_absolute_url())
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED
    assert case_study.featured
    assert case_study.is_published
    assert case_study.created_by == advocate


@pytest.mark.parametrize(
    ("bad_input", "error"),
    [
        ({"title": "x" * 10_000}, "Ensure this value has at most 200 characters"),
        ({"organisation": ""}, "This field is required"),
        ({"summary": "y" * 2_001}, "Ensure this value has at most 2000 characters"),
        ({"tags": "z" * 51}, "Keep each tag under 50 characters"),
        ({"tags": ", ".join(f"tag{n}" for n in range(21))}, "Use at most 20 tags"),
        ({"year": "1800"}, "Ensure this value is greater than or equal to 1990"),
        ({"source_url": "not a url"}, "Enter a valid URL"),
        ({"sector": "nope"}, "Select a valid choice"),
        ({"metrics-0-value_after": ""}, "This field is required"),
        ({"metrics-0-value_after": "lots"}, "Enter a number"),
    ],
    ids=[
        "title-10000-chars",
        "empty-organisation",
        "summary-too-long",
        "tag-51-chars",
        "21-tags",
        "year-1800",
        "invalid-url",
        "unknown-sector",
        "metric-without-value",
        "metric-not-a-number",
    ],
)
def test_bad_input_is_refused_and_what_was_typed_is_kept(
    advocate_client: Client, bad_input: dict, error: str
) -> None:
    response = advocate_client.post(reverse("casestudies:create"), form_data(**bad_input))
    assertContains(response, FORM_ERROR_NOTICE)
    assertContains(response, error)
    kept = "Northshire County Council" if "summary" in bad_input else SUMMARY
    assertContains(response, kept)
    assert not CaseStudy.objects.exists()
    assert not Metric.objects.exists()


def test_more_than_twenty_metrics_are_refused(advocate_client: Client) -> None:
    rows = {
        field: value
        for n in range(21)
        for field, value in {
            f"metrics-{n}-name": f"Measure {n}",
            f"metrics-{n}-value_after": "1",
            f"metrics-{n}-position": str(n),
        }.items()
    }
    data = form_data(**{"metrics-TOTAL_FORMS": "21", **rows})
    response = advocate_client.post(reverse("casestudies:create"), data)
    assertContains(response, "Please submit at most 20 forms")
    assert not CaseStudy.objects.exists()
