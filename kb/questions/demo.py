"""Demo questions: answered ones (with a most useful answer), open ones, one waiting for
more than a week and one private, spread over the year so the dashboard shows them."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kb.advocates.models import Department
from kb.platforms.models import Platform
from kb.questions.matching import suggest_advocates
from kb.questions.models import Answer, Question, Routing

# (asker, days ago, title, topics, platform, department, private,
#  [(answerer, days after the question, body)], index of the most useful answer or None)
QUESTIONS = [
    ("reader", 300, "How do we start a LinkedIn page for our team?", ["recruitment"],
     "LinkedIn", "human-resources", False,
     [("jamie", 1, "Start with a **showcase page** under the organisation's page, not a new one."),
      ("advocate", 2, "Post twice a week for a month before you promote it.")], 0),
    ("reader", 240, "Is Mastodon worth it for a council?", ["community"], "Mastodon",
     "communications", False,
     [("advocate", 3, "Yes for *technical* audiences; start with a verified account.")], 0),
    ("jamie", 170, "Who approves an Instagram post about a campaign?", ["campaigns"],
     "Instagram", "marketing", False,
     [("grace", 1, "The campaign lead; brand guidelines are on the intranet.")], None),
    ("reader", 120, "Can we answer complaints on Facebook?", ["customer service"], "Facebook",
     "customer-service", False,
     [("fatima", 2, "Yes, with a reply within a working day and a route to private messages.")],
     0),
    ("owen", 75, "How do we share release notes publicly?", [], "Mastodon", "digital-it", False,
     [("daniel", 4, "A short post per release linking to the notes works well.")], 0),
    ("reader", 40, "Can I ask about my team's morale privately?", ["culture"], "",
     "human-resources", True,
     [("jamie", 1, "Of course: let us talk it through before anything is posted.")], 0),
    ("reader", 12, "What should our first YouTube video be?", ["video"], "YouTube",
     "communications", False, [], None),
    ("sophie", 3, "How long should a LinkedIn video be?", ["video", "recruitment"], "LinkedIn",
     "human-resources", False, [], None),
]  # fmt: skip


@transaction.atomic
def load() -> None:
    if Question.objects.exists():
        return
    users = get_user_model().objects.in_bulk(field_name="username")
    platforms = {platform.name: platform for platform in Platform.objects.all()}
    departments = Department.objects.in_bulk(field_name="slug")
    now = timezone.now()
    for asker, days, title, topics, platform, dept, private, answers, useful in QUESTIONS:
        if asker not in users:
            continue
        asked_at = now - timedelta(days=days)
        question = Question.objects.create(
            asker=users[asker],
            title=title,
            platform=platforms.get(platform),
            department=departments.get(dept),
            private=private,
            created_at=asked_at,
        )
        question.topics.add(*topics)
        for suggestion in suggest_advocates(question, limit=2):
            Routing.objects.create(
                question=question,
                advocate=suggestion.profile.user,
                reason=suggestion.explanation,
                routed_at=asked_at,
            )
        written = [
            Answer.objects.create(
                question=question,
                author=users[author],
                body=body,
                created_at=asked_at + timedelta(days=after),
            )
            for author, after, body in answers
            if author in users
        ]
        if written and useful is not None:
            question.most_useful = written[useful]
            question.answered_at = written[-1].created_at
            question.save(update_fields=["most_useful", "answered_at"])
