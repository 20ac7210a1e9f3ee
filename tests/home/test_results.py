"""The home page leads with what the evidence says: the strongest measured results, how
much of the evidence is measured or stronger, and what is new; featured cards fill rows."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kb.casestudies.models import CaseStudy
from kb.core import fragments
from kb.core import published_cache as home_cache
from kb.core.models import Status
from kb.home.views import FEATURED, RESULTS
from tests.experiments.factories import ExperimentFactory
from tests.factories import ArticleFactory, CaseStudyFactory, MetricFactory, ResearchLinkFactory

D = Decimal
URL = reverse("home")
PP = '<abbr title="percentage points">pp</abbr>'


def section(html: str, heading_id: str) -> str:
    """The HTML from one heading to the end of its section."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def case_study(title: str, level: int, *metrics: dict, **fields) -> CaseStudy:
    item = CaseStudyFactory(title=title, evidence_level=level, **fields)
    for position, metric in enumerate(metrics):
        MetricFactory(case_study=item, position=position, **metric)
    return item


def response_time(before: str = "26", after: str = "2") -> dict:
    return {"name": "First response time", "value_before": D(before), "value_after": D(after),
            "unit": "h", "lower_is_better": True}  # fmt: skip


def linkedin(before: str = "12", after: str = "27") -> dict:
    return {"name": "Applications via LinkedIn", "value_before": D(before),
            "value_after": D(after), "unit": "%"}  # fmt: skip


def test_the_strongest_results_lead_stronger_evidence_first_then_the_bigger_gain(
    reader_client: Client,
) -> None:
    # Level 5 beats level 4 whatever the size; within a level, 13× better beats 2.25×.
    case_study("Cheaper hiring", 5, {"name": "Cost per hire", "value_before": D("1200"),
               "value_after": D("900"), "unit": "£", "lower_is_better": True})  # fmt: skip
    case_study("Faster replies", 4, response_time())
    case_study("LinkedIn jobs", 4, linkedin())
    ExperimentFactory(title="Video posts", evidence_level=3, metric_name="Clicks",
                      baseline=D("100"), result=D("1000"), unit="clicks")  # fmt: skip
    # Left out: a fifth result (only four lead), one that got worse, a draft, and a
    # case study whose marked headline did not improve although its first metric did.
    case_study("Anecdotal boom", 1, linkedin("1", "90"))
    case_study("Costlier hiring", 5, {"name": "Cost per hire", "value_before": D("900"),
               "value_after": D("1200"), "unit": "£", "lower_is_better": True})  # fmt: skip
    case_study("Draft boom", 5, linkedin("1", "99"), status=Status.DRAFT, published_at=None)
    case_study("Headline fell", 5, linkedin("1", "80"), {**response_time("2", "26"),
               "is_headline": True})  # fmt: skip
    results = section(reader_client.get(URL).content.decode(), "results-heading")
    titles = ["Cheaper hiring", "Faster replies", "LinkedIn jobs", "Video posts"]
    positions = [results.index(title) for title in titles]
    assert positions == sorted(positions)
    for absent in ("Anecdotal boom", "Costlier hiring", "Draft boom", "Headline fell"):
        assert absent not in results
    assert results.count('class="result"') == RESULTS


def test_a_result_reads_as_its_table_does_with_the_better_direction_said(
    reader_client: Client,
) -> None:
    case_study("Faster replies", 4, response_time())
    case_study("LinkedIn jobs", 3, linkedin())
    results = section(reader_client.get(URL).content.decode(), "results-heading")
    assert "26 h → 2 h" in results
    assert "First response time" in results
    assert "−92.3%, an improvement — lower is better" in results
    assert "12% → 27%" in results
    assert f"+15 {PP}, an improvement" in results
    assert f"{reverse('evidence_levels')}#level-4" in results


def test_the_marked_headline_is_the_result_that_is_ranked(reader_client: Client) -> None:
    case_study("Two results", 4, linkedin("10", "11"), {**response_time(), "is_headline": True})
    results = section(reader_client.get(URL).content.decode(), "results-heading")
    assert "26 h → 2 h" in results
    assert "10% → 11%" not in results


def test_without_measured_results_the_home_page_has_no_results_list(
    reader_client: Client,
) -> None:
    CaseStudyFactory(title="No metrics")
    assert 'id="results-heading"' not in reader_client.get(URL).content.decode()


def test_it_says_how_much_of_the_evidence_is_measured_or_stronger(
    reader_client: Client,
) -> None:
    CaseStudyFactory(evidence_level=3)
    CaseStudyFactory(evidence_level=5)
    ResearchLinkFactory(evidence_level=2)
    ExperimentFactory(evidence_level=2)
    CaseStudyFactory(evidence_level=5, status=Status.DRAFT, published_at=None)
    ArticleFactory()  # articles are not graded
    html = reader_client.get(URL).content.decode()
    assert "<strong>50%</strong> of the graded evidence is measured or stronger" in html
    assert "(2 of 4 items)" in html


def test_it_says_what_is_new_this_month(reader_client: Client) -> None:
    CaseStudyFactory()
    ArticleFactory()
    ResearchLinkFactory(published_at=timezone.now() - timedelta(days=45))
    ArticleFactory(published_at=timezone.now() + timedelta(days=1))  # scheduled
    html = reader_client.get(URL).content.decode()
    assert "<strong>2</strong> new in the last 30 days" in html


def build(n: int) -> None:
    for i in range(n):
        item = case_study(f"Study {i}", 3 + i % 3, linkedin(), response_time(), featured=True)
        ExperimentFactory(evidence_level=3, featured=True, tags=["video"])
        ResearchLinkFactory(featured=True, tags=["video"])
        item.tags.add("recruitment")


def test_the_home_page_costs_the_same_queries_for_one_item_as_for_many(
    reader_client: Client, django_assert_num_queries
) -> None:
    # Two of each: the six featured cards then span every kind, as they do for many items
    # (with fewer, a kind may have none among them and its cards' prefetches are skipped).
    build(2)
    reader_client.get(URL)  # warm per-process caches (content types)
    home_cache.invalidate()  # count both the way build() leaves them: counted afresh
    fragments.changed()  # and the page's shared part rendered afresh
    with CaptureQueriesContext(connection) as for_one:
        reader_client.get(URL)
    build(12)
    with django_assert_num_queries(len(for_one)):
        response = reader_client.get(URL)
    assert len(response.context["results"]) == RESULTS


# Featured ------------------------------------------------------------------------------


def test_featured_cards_are_not_badged_featured_but_lists_still_say_it(
    reader_client: Client,
) -> None:
    CaseStudyFactory.create_batch(2, featured=True)
    featured = section(reader_client.get(URL).content.decode(), "featured-heading")
    assert featured.count('class="card card-casestudy"') == 2
    assert "badge-featured" not in featured
    listed = reader_client.get(reverse("casestudies:list")).content.decode()
    assert listed.count('<span class="badge badge-featured">Featured</span>') == 2


def test_featured_cards_come_in_an_even_number_up_to_six_so_rows_are_full(
    reader_client: Client,
) -> None:
    def shown() -> int:
        html = reader_client.get(URL).content.decode()
        if 'id="featured-heading"' not in html:
            return 0
        return section(html, "featured-heading").count('<article class="card')

    assert shown() == 0
    CaseStudyFactory(featured=True)
    assert shown() == 1  # a lone card spans its row
    ArticleFactory(featured=True)
    ResearchLinkFactory(featured=True)
    assert shown() == 2  # not three: at two columns the third would be alone
    ExperimentFactory.create_batch(5, featured=True)
    CaseStudyFactory.create_batch(3, featured=True)
    assert shown() == FEATURED == 6


def test_the_newest_featured_items_are_shown(reader_client: Client) -> None:
    now = timezone.now()
    for days in range(7):
        CaseStudyFactory(title=f"Featured {days} days ago", featured=True,
                         published_at=now - timedelta(days=days))  # fmt: skip
    featured = section(reader_client.get(URL).content.decode(), "featured-heading")
    assert "Featured 5 days ago" in featured
    assert "Featured 6 days ago" not in featured
