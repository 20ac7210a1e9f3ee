"""The KB's scripts, charts and the admin work in Chromium under the Content-Security-Policy.

Every browser test already fails on a violation (the ``browser`` fixture collects them);
these exercise what scripts do on the pages most likely to need an exception: the Markdown
editor, search-as-you-type, tag suggestions, the SVG charts, the adoption dashboard and
the admin's changelist and change form with inlines and autocompletes. The first tests
show that the policy is enforced and that the collector sees a violation.
"""

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kb.casestudies.models import CaseStudy
from tests.departments.test_accessibility import adoption  # noqa: F401
from tests.factories import ArticleFactory, CaseStudyFactory, MetricFactory, PlatformFactory
from tests.test_layout import _problems
from tests.uploads.images import image_bytes

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def tab_for(browser: "Browser", live_server) -> Iterator[Callable[..., "Page"]]:
    """Open a tab signed in as a user (one context each, closed after the test)."""
    contexts = []

    def open_tab(user) -> "Page":
        client = Client()
        client.force_login(user)
        context = browser.new_context(base_url=live_server.url)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def test_inline_script_and_style_are_blocked_and_reported(tab_for, reader, csp_violations) -> None:
    page = tab_for(reader)
    page.goto(reverse("home"))
    # As if markup had slipped past the sanitiser: an inline script, a handler, a style.
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.ran = true";
        document.body.append(script);
        document.body.insertAdjacentHTML("beforeend",
            '<img src="/static/favicon.svg" onload="window.handled = true">');
        document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: red">x</p>');
    }"""
    )
    page.locator("#styled").wait_for()
    page.wait_for_function("document.querySelector('img[onload]').complete")

    assert page.evaluate("[window.ran, window.handled]") == [None, None]
    colour = page.locator("#styled").evaluate("p => getComputedStyle(p).color")
    assert colour != "rgb(255, 0, 0)"
    page.wait_for_function("true")  # a round trip, so the console lines have arrived
    found = " ".join(csp_violations.found())
    for directive in ("script-src-elem", "script-src-attr", "style-src-attr"):
        assert f'"directive":"{directive}"' in found, found
    csp_violations.clear()


def test_a_script_may_still_style_an_element_through_the_cssom(
    tab_for, reader, csp_violations
) -> None:
    page = tab_for(reader)
    page.goto(reverse("home"))
    colour = page.evaluate(
        "() => { document.body.style.color = 'rgb(1, 2, 3)';"
        " return getComputedStyle(document.body).color; }"
    )
    assert colour == "rgb(1, 2, 3)"
    assert csp_violations.found() == []


def test_the_markdown_editor_previews_uploads_and_links_related_items(
    tab_for, advocate, media_root
) -> None:
    from playwright.sync_api import expect

    CaseStudyFactory(title="Recruiting on LinkedIn")
    ArticleFactory(tags=["recruitment"])
    page = tab_for(advocate)
    page.goto(reverse("articles:create"))
    body = page.locator("#id_body")

    body.fill("## Start small\n\nPost **weekly**.")
    preview = page.get_by_role("region", name="Preview of Body")
    expect(preview.locator("h2")).to_have_text("Start small")

    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Insert image into Body").click()
    chooser.value.set_files(
        files=[{"name": "c.png", "mimeType": "image/png", "buffer": image_bytes("PNG", (60, 40))}]
    )
    expect(page.locator(".md-preview img")).to_have_js_property("naturalWidth", 60)

    related = page.get_by_role("combobox", name="Related case studies")
    related.press_sequentially("linked")
    page.get_by_role("option", name="Recruiting on LinkedIn").click()
    expect(page.get_by_role("button", name="Remove Recruiting on LinkedIn")).to_be_visible()

    tags = page.get_by_label("Tags")
    tags.press_sequentially("recr")
    expect(page.locator("datalist option")).to_have_count(1)
    assert page.locator("datalist option").get_attribute("value") == "recruitment"


def test_search_suggestions_appear_as_one_types(tab_for, reader) -> None:
    from playwright.sync_api import expect

    ArticleFactory(title="Recruitment on LinkedIn")
    page = tab_for(reader)
    page.goto(reverse("home"))

    page.locator("#header-q").press_sequentially("recru")

    expect(page.locator("#header-suggestions")).to_be_visible()
    expect(page.get_by_role("option", name=re.compile("Recruitment on LinkedIn"))).to_be_visible()


def test_case_study_charts_are_drawn_in_the_theme_colours(tab_for, reader) -> None:
    study = CaseStudyFactory()
    MetricFactory(case_study=study)
    page = tab_for(reader)
    page.goto(study.get_absolute_url())

    bars = page.locator("figure.change-chart svg rect")
    assert bars.count() == 2
    fills = bars.evaluate_all("rects => rects.map(r => getComputedStyle(r).fill)")
    # The colours come from the stylesheet (chart-sN classes), not SVG's default black.
    assert all(fill.startswith("rgb(") and fill != "rgb(0, 0, 0)" for fill in fills), fills


def test_a_markdown_tables_alignment_shows_without_a_style_attribute(tab_for, reader) -> None:
    article = ArticleFactory(
        body="| Metric | Before | After |\n|:--|:-:|--:|\n| Reach | 1,200 | 4,800 |\n"
    )
    page = tab_for(reader)
    page.goto(article.get_absolute_url())
    cells = page.locator(".prose tbody td")
    aligned = cells.evaluate_all("cells => cells.map(c => getComputedStyle(c).textAlign)")
    assert aligned == ["left", "center", "right"]


def test_the_adoption_dashboard_draws_its_charts(
    tab_for,
    editor,
    adoption,  # noqa: F811
) -> None:
    page = tab_for(editor)
    page.goto(reverse("departments:dashboard"))

    charts = page.locator("figure.chart svg")
    assert charts.count() >= 1
    fills = page.locator("figure.chart svg rect").evaluate_all(
        "rects => rects.map(r => getComputedStyle(r).fill)"
    )
    assert fills and "rgb(0, 0, 0)" not in fills, fills
    page.locator("details.chart-data summary").first.click()
    assert page.locator("details.chart-data table").first.is_visible()


def test_the_admin_changelist_and_a_change_form_with_inlines_work(tab_for, admin_user) -> None:
    from playwright.sync_api import expect

    PlatformFactory(name="LinkedIn", slug="linkedin")
    study = CaseStudyFactory(title="Recruiting on LinkedIn")
    MetricFactory(case_study=study)
    page = tab_for(admin_user)

    page.goto(reverse("admin:casestudies_casestudy_changelist"))
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("1 of 1 selected")

    page.goto(reverse("admin:casestudies_casestudy_change", args=[study.pk]))
    # axe-core as the layout test runs it on admin pages (forms.css has an @import).
    assert _problems(page) == []
    # The saved metric and one blank row; "Add another" adds a second blank one.
    metrics = page.locator("#metrics-group tbody tr.form-row:not(.empty-form)")
    before = metrics.count()
    page.locator("#metrics-group .add-row a").click()
    expect(metrics).to_have_count(before + 1)
    # An autocomplete (select2 over the admin's JSON view).
    page.locator(".field-platforms .select2-selection").click()
    page.locator(".select2-search__field").fill("Link")
    page.get_by_role("option", name="LinkedIn").click()
    metrics.nth(before).locator("input[name$='-name']").fill("Followers")
    metrics.nth(before).locator("input[name$='-value_before']").fill("100")
    metrics.nth(before).locator("input[name$='-value_after']").fill("150")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    study = CaseStudy.objects.get(pk=study.pk)
    assert [platform.name for platform in study.platforms.all()] == ["LinkedIn"]
    assert sorted(metric.name for metric in study.metrics.all()) == [
        "Applications per vacancy",
        "Followers",
    ]


RIS = b"TY  - JOUR\nTI  - Social media at work\nUR  - https://example.org/a\nER  - \n"


def test_the_admin_citation_import_page_works(tab_for, admin_user) -> None:
    from playwright.sync_api import expect

    page = tab_for(admin_user)
    page.goto(reverse("admin:research_researchlink_import"))
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "refs.ris",
                "mimeType": "text/plain",
                "buffer": RIS,
            }
        ]
    )
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name=re.compile("Dry run"))).to_be_visible()
