"""Demo adoption histories: the demo departments at different stages, each with a year of
dated changes, so the department pages' timelines and the dashboard have a story to show."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kb.advocates.models import Department
from kb.departments.models import AdoptionStage, StageChange

DEMO_EDITOR = "editor"

# Per department: (days ago, index of the stage in order, note), oldest first.
HISTORIES = {
    "communications": [
        (360, 1, "The press office asked how other councils use Mastodon."),
        (300, 2, "First LinkedIn experiment on job adverts."),
        (180, 3, "Every team posts weekly; a shared calendar exists."),
        (40, 4, "Social media is in the communications strategy and every role profile."),
    ],
    "marketing": [
        (350, 1, "Two campaign managers joined the advocates."),
        (250, 2, "Instagram stories trial for the spring campaign."),
        (90, 3, "Campaigns plan social first."),
    ],
    "human-resources": [
        (340, 0, "Recruitment still runs on job boards only."),
        (220, 1, "Asked the advocates how to film vacancy videos."),
        (120, 2, "Vacancy videos on LinkedIn, measured against cost per hire."),
    ],
    "customer-service": [
        (330, 0, "Complaints arrive by phone and e-mail only."),
        (150, 1, "Looking at answering questions on Facebook."),
    ],
    "digital-it": [
        (365, 0, "No work accounts on any platform."),
        (200, 1, "A developer blog is being discussed."),
        (60, 2, "Trying release notes on Mastodon."),
    ],
    "research-innovation": [
        (320, 0, "Research is shared through journals only."),
    ],
}


@transaction.atomic
def load() -> None:
    if StageChange.objects.exists():
        return
    stages = list(AdoptionStage.objects.order_by("position"))
    editor = get_user_model().objects.filter(username=DEMO_EDITOR).first()
    today = timezone.localdate()
    departments = Department.objects.in_bulk(list(HISTORIES), field_name="slug")
    StageChange.objects.bulk_create(
        StageChange(
            department=departments[slug],
            stage=stages[min(index, len(stages) - 1)],
            changed_on=today - timedelta(days=days_ago),
            note=note,
            recorded_by=editor,
        )
        for slug, history in HISTORIES.items()
        if slug in departments
        for days_ago, index, note in history
    )
