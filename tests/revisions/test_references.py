"""Related items in a diff read as what they are, never as ids: a foreign key (a
collection's audience, an experiment's department) and what a child row's generic key
points at (a collection's items), in new revisions and in those stored before labels were
kept, and old revisions of either shape still restore."""

from django.contrib.contenttypes.models import ContentType
from django.test import Client

from kb.collections.models import Collection
from kb.experiments.models import Experiment
from kb.revisions.diff import FieldChange, compare
from kb.revisions.models import Revision
from kb.revisions.services import revision_record, revision_restore
from tests.collections.factories import AudienceFactory, CollectionFactory
from tests.experiments.factories import ExperimentFactory
from tests.factories import ArticleFactory, CaseStudyFactory, DepartmentFactory
from tests.revisions.helpers import compare_url


def read(change: FieldChange) -> list[tuple[str, str]]:
    return [(chunk.op, chunk.text) for chunk in change.chunks]


def test_a_revision_keeps_the_labels_of_foreign_keys_and_collection_items(editor) -> None:
    story = CaseStudyFactory(title="First study")
    collection = CollectionFactory(items=[(story, "It doubled hires.")])
    data = revision_record(item=collection, user=editor).data
    assert data["audience"] == [collection.audience.pk, "Board and executives"]
    (row,) = data["items"]
    assert row["item"] == "Case study: First study"
    assert (row["object_id"], row["note"], row["position"]) == (story.pk, "It doubled hires.", 1)


def test_an_older_revisions_ids_are_looked_up_and_read_as_labels(db) -> None:
    board, managers = AudienceFactory(), AudienceFactory(name="Managers", slug="managers")
    story = CaseStudyFactory(title="First study")
    story_type = ContentType.objects.get_for_model(story).pk
    row = {"content_type": story_type, "object_id": story.pk, "position": 1, "note": "Old"}
    older = {"audience": board.pk, "items": [row]}  # as stored before labels were kept
    newer = {
        "audience": [managers.pk, "Managers"],
        "items": [{**row, "note": "New", "item": "Case study: First study"}],
    }
    audience, items = compare(Collection, older, newer)
    assert read(audience) == [("del", "Board and executives"), ("ins", "Managers")]
    assert read(items) == [
        ("del", "item: Case study: First study, position: 1, why this matters: Old\n"),
        ("ins", "item: Case study: First study, position: 1, why this matters: New\n"),
    ]


def test_an_older_id_and_a_newer_label_of_the_same_thing_are_no_change(db) -> None:
    board = AudienceFactory()
    older, newer = {"audience": board.pk}, {"audience": [board.pk, board.name]}
    assert compare(Collection, older, newer) == []


def test_an_item_gone_from_the_kb_is_named_so(db) -> None:
    story_type = ContentType.objects.get_for_model(CaseStudyFactory()).pk
    row = {"content_type": story_type, "object_id": 10**9, "position": 1, "note": "Gone"}
    (items,) = compare(Collection, {"items": []}, {"items": [row]})
    assert read(items) == [
        ("ins", "item: an item no longer in the KB, position: 1, why this matters: Gone\n")
    ]


def test_an_experiments_department_change_reads_as_names(advocate, advocate_client: Client) -> None:
    experiment = ExperimentFactory(created_by=advocate, department__name="Marketing")
    revision_record(item=experiment, user=advocate)
    experiment.department = DepartmentFactory(name="Finance")
    experiment.version += 1
    experiment.save()
    revision_record(item=experiment, user=advocate)
    page = advocate_client.get(compare_url(experiment, "from=1&to=2")).content.decode()
    assert "<del>Marketing</del><ins>Finance</ins>" in page


def test_revisions_of_either_shape_restore_their_foreign_keys(editor) -> None:
    marketing = DepartmentFactory(name="Marketing")
    experiment = ExperimentFactory(department=marketing)
    first = revision_record(item=experiment, user=editor)
    older = Revision.objects.create(
        item=experiment, number=50, data={**first.data, "department": marketing.pk}
    )
    for revision in (first, older):
        experiment.refresh_from_db()
        experiment.department = DepartmentFactory()
        experiment.save()
        revision_restore(item=experiment, revision=revision, user=editor)
        assert Experiment.objects.get(pk=experiment.pk).department == marketing


def test_restoring_keeps_collection_items_whatever_their_labels_say(editor) -> None:
    story, guide = CaseStudyFactory(), ArticleFactory()
    collection = CollectionFactory(items=[(story, "First"), (guide, "Second")])
    first = revision_record(item=collection, user=editor)
    collection.items.all().delete()
    revision_restore(item=collection, revision=first, user=editor)
    assert [(row.item, row.note) for row in collection.items.all()] == [
        (story, "First"),
        (guide, "Second"),
    ]
