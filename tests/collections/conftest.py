"""A board brief with one item of each kind that has a headline, and items that readers
must not see (someone else's draft, an item in the trash)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from kb.collections.models import Collection, Kind
from kb.core.evidence import EvidenceLevel
from kb.core.models import Status
from kb.sources.models import Rating
from tests.collections.factories import CollectionFactory
from tests.experiments.factories import ExperimentFactory
from tests.factories import (
    CaseStudyFactory,
    MetricFactory,
    ResearchLinkFactory,
    SourceFactory,
)


@pytest.fixture
def case_study(db):
    study = CaseStudyFactory(
        title="Recruiting on LinkedIn", evidence_level=EvidenceLevel.PEER_REVIEWED
    )
    MetricFactory(case_study=study, name="Applications per vacancy", position=0)
    MetricFactory(
        case_study=study, name="Cost per hire", value_before=Decimal("900"),
        value_after=Decimal("700"), unit="£", lower_is_better=True, position=1,
    )  # fmt: skip
    return study


@pytest.fixture
def experiment(db):
    return ExperimentFactory(
        title="Vacancy videos",
        metric_name="Cost per hire",
        baseline=Decimal("1200"),
        target=Decimal("1000"),
        result=Decimal("900"),
        unit="£",
        lower_is_better=True,
    )


@pytest.fixture
def research(db):
    source = SourceFactory(
        name="Edelman", rating=Rating.HIGH, rationale="Long-running survey.",
        domain="edelman.example",
    )  # fmt: skip
    return ResearchLinkFactory(
        title="Trust barometer",
        url="https://edelman.example/trust",
        key_finding="People trust *employees* more than CEOs.",
        source=source,
    )


@pytest.fixture
def hidden_items(other_advocate):
    draft = CaseStudyFactory(
        title="Someone else's draft", created_by=other_advocate, status=Status.DRAFT,
        published_at=None,
    )  # fmt: skip
    trashed = ResearchLinkFactory(title="Trashed research", deleted_at=timezone.now())
    return [draft, trashed]


@pytest.fixture
def brief(advocate, case_study, experiment, research, hidden_items) -> Collection:
    draft, trashed = hidden_items
    return CollectionFactory(
        title="Why advocacy pays",
        created_by=advocate,
        items=[
            (case_study, "A council doubled its applications."),
            (draft, "Not ready yet."),
            (experiment, "Our own trial cut the cost of hiring."),
            (trashed, "Withdrawn."),
            (research, "Colleagues are trusted more than the brand."),
        ],
    )


@pytest.fixture
def path(advocate, case_study, experiment, research) -> Collection:
    return CollectionFactory(
        title="New advocates start here",
        kind=Kind.PATH,
        created_by=advocate,
        items=[
            (research, "Why colleagues are trusted."),
            (case_study, "What a council achieved."),
            (experiment, "How we measured our own trial."),
        ],
    )
