"""An advocate logs a finished experiment through its form and promotes it to a draft case
study of our own organisation, measure and all."""

import pytest
from django.contrib.auth.models import AbstractUser

from tests.factories import DepartmentFactory, PlatformFactory
from tests.journeys.conftest import Journey

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized_rollback restores the role groups.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_advocate_logs_an_experiment_and_promotes_it(
    journey: Journey, advocate: AbstractUser
) -> None:
    from playwright.sync_api import expect

    DepartmentFactory(name="Human resources", slug="human-resources")
    PlatformFactory(name="LinkedIn", slug="linkedin")
    page = journey.sign_in(advocate)

    page.get_by_role("navigation", name="Your tools").get_by_role("link", name="Write").click()
    page.get_by_role("link", name="Log an experiment").click()
    expect(page.get_by_role("heading", name="Log an experiment", level=1)).to_be_visible()

    page.get_by_label("Title:", exact=True).fill("Vacancy videos")
    page.get_by_label("Department").select_option(label="Human resources")
    page.get_by_role("checkbox", name="LinkedIn").check()
    page.get_by_label("Hypothesis:", exact=True).fill(
        "A short video of the team brings cheaper hires."
    )
    page.get_by_label("What was changed:", exact=True).fill(
        "Each vacancy post got a 30-second video."
    )
    page.get_by_label("Measure").fill("Cost per hire")
    page.get_by_label("Baseline value").fill("1200")
    page.get_by_label("Target value").fill("1000")
    page.get_by_label("Unit").fill("£")
    page.get_by_label("Lower is better").check()
    page.get_by_label("Period").fill("3 months")
    page.get_by_label("Start date").fill("2026-01-05")
    page.get_by_label("Outcome").select_option(label="Succeeded")
    page.get_by_role("button", name="Save", exact=True).click()

    # Finished without a result: the form says what is missing and keeps the rest.
    expect(page.get_by_role("alert")).to_have_text(
        "Please correct the errors below; nothing you typed has been lost."
    )
    expect(page.get_by_text("A succeeded experiment needs its result value.")).to_be_visible()
    expect(page.get_by_text("A succeeded experiment needs its end date.")).to_be_visible()
    expect(page.get_by_label("Measure")).to_have_value("Cost per hire")
    page.get_by_label("Result value").fill("900")
    page.get_by_label("End date").fill("2026-03-31")
    page.get_by_label("Learnings:", exact=True).fill("Film on a phone; polish does not matter.")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("heading", name="Vacancy videos", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("“Vacancy videos” created.")
    expect(page.get_by_role("cell", name="£1,200")).to_be_visible()
    page.get_by_role("button", name="Promote to case study").click()

    expect(page.get_by_role("status")).to_have_text(
        "“Vacancy videos” is now a draft case study: check it, then submit it for review."
    )
    heading = page.get_by_role("heading", name="Vacancy videos", level=1)
    expect(heading).to_contain_text("Draft")
    expect(page.locator(".workflow-state")).to_contain_text("Status: Draft")
    expect(page.get_by_role("rowheader", name="Cost per hire")).to_be_visible()
    expect(page.get_by_role("button", name="Submit for review")).to_be_visible()
    journey.screenshot(page)
