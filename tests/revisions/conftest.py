"""Fixtures shared by the revision tests: platforms, evidence an article may cite, and a
case study whose two revisions differ in text, platforms and metric rows."""

import pytest
from django.test import Client

from kb.casestudies.models import CaseStudy
from kb.platforms.models import Platform
from kb.research.models import ResearchLink
from tests.factories import CaseStudyFactory, PlatformFactory, ResearchLinkFactory
from tests.revisions.helpers import case_study_form, save_edit, write_case_study


@pytest.fixture
def linkedin(db) -> Platform:
    return PlatformFactory(name="LinkedIn", slug="linkedin")


@pytest.fixture
def instagram(db) -> Platform:
    return PlatformFactory(name="Instagram", slug="instagram")


@pytest.fixture
def council_story(db) -> CaseStudy:
    return CaseStudyFactory(title="Council hiring drive")


@pytest.fixture
def trust_survey(db) -> ResearchLink:
    return ResearchLinkFactory(title="Trust survey")


@pytest.fixture
def reworked_case_study(
    advocate_client: Client, linkedin: Platform, instagram: Platform
) -> CaseStudy:
    """Revision 1: written on the site, on LinkedIn, one metric (14 → 31 applications).
    Revision 2: renamed, moved to Instagram, that metric now 14 → 40, a cost-per-hire row added.
    """
    case_study = write_case_study(advocate_client, platforms=[linkedin.pk])
    save_edit(
        advocate_client,
        case_study,
        case_study_form(
            case_study,
            new_metrics=[{"name": "Cost per hire", "value_after": "900", "unit": "£"}],
            platforms=[instagram.pk],
            title="Hiring, revisited",
            **{"metrics-0-value_after": "40"},
        ),
    )
    return case_study
