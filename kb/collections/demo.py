"""A board brief and a learning path for new advocates, made from the demo content, with
the demo reader part-way along the path (and sharing their name with its owner)."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from kb.collections.models import Audience, Collection, CollectionItem, Kind
from kb.collections.services import progress_share, step_mark
from kb.core.models import Content, Status
from kb.core.registry import kinds
from kb.revisions.services import revision_record

DEMO_OWNER = "advocate"
DEMO_READER = "reader"

COLLECTIONS = [
    {
        "title": "The case for employee advocacy",
        "kind": Kind.BRIEF,
        "audience": "board-and-executives",
        "purpose": (
            "Colleagues sharing our work reach more people, more cheaply, than our own "
            "accounts: fund a voluntary programme for a year and measure it."
        ),
        "introduction": (
            "Four results, **strongest first**: an independent field study, two "
            "organisations like ours, and a trial we ran ourselves. Each says how far its "
            "evidence can be trusted."
        ),
        "tags": ["employee advocacy", "board"],
        "items": [
            (
                "Employee advocacy and organisational reach: a field study of shared posts",
                "Independent evidence that posts shared by staff travel further.",
            ),
            (
                "A voluntary employee advocacy programme on LinkedIn",
                "An organisation like ours did it, on a budget like ours.",
            ),
            (
                "Vacancy videos on LinkedIn",
                "Our own trial: staff-made videos cut the cost of a hire.",
            ),
            (
                "Recruiting social workers with staff-made short videos",
                "The hardest vacancies filled by the people who do the job.",
            ),
        ],
    },
    {
        "title": "Your first month as an advocate",
        "kind": Kind.PATH,
        "audience": "staff",
        "purpose": "Five short steps from signing up to your first measured post.",
        "introduction": "Take one step a week. Mark each step done as you go.",
        "tags": ["employee advocacy", "getting started"],
        "items": [
            (
                "What the evidence says about employee advocacy reach",
                "Why your posts matter more than the brand's.",
            ),
            (
                "How to start a team LinkedIn page without a comms budget",
                "Set up where your colleagues already are.",
            ),
            (
                "Accessible posts in five minutes: alt text, captions and hashtags",
                "Every post, readable by everyone.",
            ),
            ("Staff stories on Instagram", "What a colleague's own story did for engagement."),
            (
                "Five numbers to report instead of follower counts",
                "Measure what the board will ask about.",
            ),
        ],
    },
]


def _item(title: str) -> Content | None:
    for model, _ in kinds():
        if model is not Collection:
            item = model.objects.published().filter(title=title).first()
            if item is not None:
                return item
    return None


@transaction.atomic
def load() -> list[Collection]:
    """Add the demo brief and path not yet in the KB (by title), published, with a revision."""
    users = get_user_model().objects
    owner, reader = (users.filter(username=name).first() for name in (DEMO_OWNER, DEMO_READER))
    existing = set(Collection.all_objects.values_list("title", flat=True))
    loaded = []
    for spec in COLLECTIONS:
        if spec["title"] in existing:
            continue
        collection = Collection.objects.create(
            title=spec["title"],
            kind=spec["kind"],
            audience=Audience.objects.get(slug=spec["audience"]),
            purpose=spec["purpose"],
            introduction=spec["introduction"],
            created_by=owner,
            status=Status.PUBLISHED,
            published_at=timezone.now(),
        )
        collection.tags.set(spec["tags"])
        items = [(_item(title), note) for title, note in spec["items"]]
        CollectionItem.objects.bulk_create(
            CollectionItem(
                collection=collection,
                content_type=ContentType.objects.get_for_model(item),
                object_id=item.pk,
                position=position,
                note=note,
            )
            for position, (item, note) in enumerate(
                [(item, note) for item, note in items if item is not None], start=1
            )
        )
        revision_record(item=collection, user=owner, message="Demo data")
        if collection.is_path and reader is not None:
            for row in collection.items.all()[:2]:
                step_mark(collection=collection, row=row, reader=reader, done=True)
            progress_share(collection=collection, reader=reader, share=True)
        loaded.append(collection)
    return loaded
