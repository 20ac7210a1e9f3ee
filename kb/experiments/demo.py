"""Demo experiments across the demo departments: successes, a failure, an inconclusive
one, one running and one planned, so the list's success rate and every display show.
Our own figures are self-reported; one whose figures Finance audited is graded so."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kb.advocates.models import Department
from kb.core.evidence import EvidenceLevel
from kb.core.models import Status
from kb.experiments.models import Experiment, Outcome
from kb.platforms.models import Platform
from kb.revisions.services import revision_record

DEMO_OWNER = "advocate"  # the demo fixture's advocate sign-in

D = Decimal
EXPERIMENTS = [
    {
        "title": "Vacancy videos on LinkedIn",
        "department": ("human-resources", "Human Resources"),
        "platforms": [("linkedin", "LinkedIn")],
        "hypothesis": "Thirty-second videos of the team make vacancies cheaper to fill.",
        "change": "Every vacancy went out as a short video with subtitles, not a text post.",
        "metric_name": "Cost per hire",
        "baseline": D("1200"),
        "target": D("1000"),
        "result": D("900"),
        "unit": "£",
        "lower_is_better": True,
        "period": "8 weeks",
        "start_date": datetime.date(2025, 2, 3),
        "end_date": datetime.date(2025, 3, 31),
        "outcome": Outcome.SUCCEEDED,
        "evidence_level": EvidenceLevel.PEER_REVIEWED,
        "learnings": "Subtitles mattered most: **most views were muted**. Finance audited "
        "the cost-per-hire figures before the results went to the board.",
        "tags": ["recruitment", "video"],
    },
    {
        "title": "Staff stories on Instagram",
        "department": ("communications", "Communications"),
        "platforms": [("instagram", "Instagram")],
        "hypothesis": "Colleagues telling their own stories engage more than announcements.",
        "change": "Two staff stories a week replaced one corporate announcement.",
        "metric_name": "Engagement rate",
        "baseline": D("2.1"),
        "target": D("3"),
        "result": D("3.4"),
        "unit": "%",
        "period": "6 weeks",
        "start_date": datetime.date(2025, 4, 7),
        "end_date": datetime.date(2025, 5, 16),
        "outcome": Outcome.SUCCEEDED,
        "learnings": "Ask people in person; a form brought no volunteers.",
        "tags": ["storytelling"],
    },
    {
        "title": "Long threads on X",
        "department": ("marketing", "Marketing"),
        "platforms": [("x-twitter", "X (Twitter)")],
        "hypothesis": "Ten-post threads explaining a product bring more clicks than one post.",
        "change": "Launch posts were written as threads with the link in the last post.",
        "metric_name": "Link clicks per launch",
        "baseline": D("420"),
        "target": D("600"),
        "result": D("310"),
        "unit": "clicks",
        "period": "4 launches",
        "start_date": datetime.date(2025, 1, 13),
        "end_date": datetime.date(2025, 3, 7),
        "outcome": Outcome.FAILED,
        "learnings": "Few readers reached the last post. Put the link first next time.",
        "tags": ["launches"],
    },
    {
        "title": "Saved replies for the customer inbox",
        "department": ("customer-service", "Customer Service"),
        "platforms": [("facebook", "Facebook")],
        "hypothesis": "Saved replies for the ten commonest questions cut the first reply time.",
        "change": "The team wrote and used ten saved replies in Facebook messages.",
        "metric_name": "Average first reply time",
        "baseline": D("45"),
        "target": D("30"),
        "result": D("41"),
        "unit": "minutes",
        "lower_is_better": True,
        "period": "4 weeks",
        "start_date": datetime.date(2025, 5, 5),
        "end_date": datetime.date(2025, 5, 30),
        "outcome": Outcome.INCONCLUSIVE,
        "learnings": "A staff shortage in week two muddied the numbers; worth running again.",
        "tags": ["customer-service"],
    },
    {
        "title": "Monthly ask-me-anything on Viva Engage",
        "department": ("digital-it", "Digital & IT"),
        "platforms": [("viva-engage", "Viva Engage (Yammer)")],
        "hypothesis": "An open hour with the IT director draws more questions than a survey.",
        "change": "A monthly live hour replaced the quarterly IT survey.",
        "metric_name": "Questions per session",
        "baseline": D("12"),
        "target": D("25"),
        "unit": "questions",
        "period": "3 months",
        "start_date": datetime.date(2025, 9, 1),
        "outcome": Outcome.RUNNING,
        "tags": ["internal-comms"],
    },
    {
        "title": "Research explainers on YouTube",
        "department": ("research-innovation", "Research & Innovation"),
        "platforms": [("youtube", "YouTube")],
        "hypothesis": "Three-minute explainers reach more people than the research summaries.",
        "change": "Each new paper gets a three-minute explainer video.",
        "metric_name": "Views per paper",
        "baseline": D("150"),
        "target": D("500"),
        "unit": "views",
        "period": "6 months",
        "outcome": Outcome.PLANNED,
        "tags": ["video", "research"],
    },
]


@transaction.atomic
def load() -> list[Experiment]:
    """Add the demo experiments not yet in the KB (by title), published, with a revision."""
    owner = get_user_model().objects.filter(username=DEMO_OWNER).first()
    existing = set(Experiment.all_objects.values_list("title", flat=True))
    loaded = []
    for spec in EXPERIMENTS:
        if spec["title"] in existing:
            continue
        fields = {k: v for k, v in spec.items() if k not in ("department", "platforms", "tags")}
        slug, name = spec["department"]
        department, _ = Department.objects.get_or_create(slug=slug, defaults={"name": name})
        experiment = Experiment(
            **fields,
            department=department,
            created_by=owner,
            status=Status.PUBLISHED,
            published_at=timezone.now(),
        )
        experiment.full_clean()
        experiment.save()
        experiment.platforms.set(
            Platform.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in spec["platforms"]
        )
        experiment.tags.set(spec["tags"])
        revision_record(item=experiment, user=owner, message="Demo data")
        loaded.append(experiment)
    return loaded
