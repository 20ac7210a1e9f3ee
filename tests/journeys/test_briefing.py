"""An advocate assembles a brief for the board from a case study and a research link,
each with why it matters, and downloads it as a PDF for the board pack."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AbstractUser
from pypdf import PdfReader

from kb.core.evidence import EvidenceLevel
from tests.factories import CaseStudyFactory, MetricFactory, ResearchLinkFactory
from tests.journeys.conftest import Journey, artifacts_dir

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized_rollback restores the role groups.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BRIEF = "Why advocacy pays"


@pytest.fixture
def evidence() -> dict[str, str]:
    """The addresses of a measured case study and a research link, as the advocate would
    copy them from the address bar."""
    study = CaseStudyFactory(
        title="Recruiting nurses on LinkedIn", evidence_level=EvidenceLevel.PEER_REVIEWED
    )
    MetricFactory(
        case_study=study, name="Cost per hire", value_before=Decimal("900"),
        value_after=Decimal("700"), unit="£", lower_is_better=True,
    )  # fmt: skip
    research = ResearchLinkFactory(
        title="Trust barometer", key_finding="People trust employees more than CEOs."
    )
    return {"study": study.get_absolute_url(), "research": research.get_absolute_url()}


def test_advocate_builds_a_board_brief_and_downloads_its_pdf(
    journey: Journey, advocate: AbstractUser, evidence: dict[str, str]
) -> None:
    from playwright.sync_api import expect

    page = journey.sign_in(advocate)
    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="Assemble a brief or path").click()
    expect(page.get_by_role("heading", name="Assemble a brief or path", level=1)).to_be_visible()

    page.get_by_label("Title:", exact=True).fill(BRIEF)
    page.get_by_role("radio", name="Evidence brief").check()
    page.get_by_label("Audience").select_option(label="Board and executives")
    page.get_by_label("Purpose").fill("Fund two advocates per department next year.")
    rows = page.locator(".formset-row")
    for number, (address, note) in enumerate(
        [
            (evidence["study"], "A hospital trust cut its cost per hire."),
            (evidence["research"], "Staff are trusted more than the brand."),
        ]
    ):
        rows.nth(number).get_by_label("Item address").fill(address)
        rows.nth(number).get_by_label("Why this matters").fill(note)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("heading", name=BRIEF, level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(f"“{BRIEF}” created.")
    expect(page.locator(".card-kicker").first).to_contain_text("for Board and executives")
    items = page.locator(".brief-title")
    expect(items).to_have_text(
        [re.compile("^Recruiting nurses on LinkedIn"), re.compile("^Trust barometer")]
    )
    expect(page.locator(".brief-note").first).to_have_text(
        "Why this matters: A hospital trust cut its cost per hire."
    )

    with page.expect_download(timeout=30_000) as download:  # WeasyPrint takes a moment
        page.get_by_role("link", name="Download PDF").click()
    pdf = artifacts_dir() / "journeys" / f"{journey.name}-{journey.width}.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    download.value.save_as(pdf)
    assert download.value.suggested_filename == "why-advocacy-pays.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(pdf)
    text = " ".join(page_.extract_text() for page_ in reader.pages)
    assert BRIEF in text
    assert "Recruiting nurses on LinkedIn" in text
    assert "Staff are trusted more than the brand." in text
    journey.screenshot(page)
