"""A collection goes through what every kind of content does, through the registry: the
workflow, the trash, revisions (its items included), comments and search."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from kb.collections.models import Collection, CollectionItem, StepDone
from kb.comments.models import Comment
from kb.core.models import Status
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.collections.factories import CollectionFactory
from tests.collections.test_forms import form_data
from tests.experiments.test_lifecycle import found, index_immediately  # noqa: F401 (a fixture)
from tests.factories import ArticleFactory, CaseStudyFactory
from tests.revisions.helpers import compare_url, history_url, restore_url, revision_numbers


def action_url(item: Collection, action: str) -> str:
    return reverse("workflow:action", args=[item._meta.model_name, item.slug, action])


def test_a_collection_goes_from_draft_to_published_to_unpublished(
    advocate_client: Client, editor_client: Client, reader_client: Client
) -> None:
    study = CaseStudyFactory()
    response = advocate_client.post(
        reverse("collections:create"),
        form_data([(study.get_absolute_url(), "Read it", "1")], submit_for_review="1"),
    )
    assert response.status_code == 302
    collection = Collection.objects.get()
    assert collection.status == Status.IN_REVIEW
    assert reader_client.get(collection.get_absolute_url()).status_code == 404
    editor_client.post(action_url(collection, "publish"), {"comment": "", "publish_at": ""})
    assertContains(reader_client.get(reverse("collections:list")), collection.title)
    editor_client.post(action_url(collection, "unpublish"), {"comment": "Out of date"})
    assert reader_client.get(collection.get_absolute_url()).status_code == 404


def test_an_author_may_not_publish_their_own_collection(advocate_client, advocate) -> None:
    collection = CollectionFactory(created_by=advocate, status=Status.IN_REVIEW)
    advocate_client.post(action_url(collection, "publish"), {"comment": "", "publish_at": ""})
    collection.refresh_from_db()
    assert collection.status == Status.IN_REVIEW


def test_a_trashed_collection_vanishes_and_its_owner_restores_it(
    advocate_client: Client, reader_client: Client, advocate
) -> None:
    collection = CollectionFactory(created_by=advocate, title="Trashed brief")
    advocate_client.post(action_url(collection, "trash"))
    assertNotContains(reader_client.get(reverse("collections:list")), "Trashed brief")
    assert reader_client.get(collection.get_absolute_url()).status_code == 404
    assertContains(advocate_client.get(reverse("workflow:trash")), "Trashed brief")
    advocate_client.post(action_url(collection, "restore"))
    assertContains(reader_client.get(reverse("collections:list")), "Trashed brief")


def test_purging_an_item_takes_it_out_of_collections_and_progress(
    reader, advocate, path: Collection
) -> None:
    from kb.collections.services import step_mark

    row = path.items.get(position=1)
    step_mark(collection=path, row=row, reader=reader, done=True)
    item = row.item
    type(item).all_objects.filter(pk=item.pk).first().delete()
    assert not CollectionItem.objects.filter(pk=row.pk).exists()
    assert not StepDone.objects.exists()
    assert path.items.count() == 2


def test_purging_a_collection_takes_its_rows_and_progress(reader, path: Collection) -> None:
    from kb.collections.services import step_mark

    step_mark(collection=path, row=path.items.first(), reader=reader, done=True)
    path.delete()
    assert not CollectionItem.objects.exists()
    assert not StepDone.objects.exists()


# Revisions ------------------------------------------------------------------------------


@pytest.fixture
def edited(advocate_client: Client) -> Collection:
    """Revision 1 with one item; revision 2 with another item and a new note."""
    first, second = CaseStudyFactory(title="First study"), ArticleFactory(title="A guide")
    advocate_client.post(
        reverse("collections:create"), form_data([(first.get_absolute_url(), "Old note", "1")])
    )
    collection = Collection.objects.get()
    row = collection.items.get()
    response = advocate_client.post(
        reverse("collections:edit", args=[collection.slug]),
        form_data(
            [(second.get_absolute_url(), "New note", "1", row.pk)],
            initial=1,
            base_version=collection.version,
        ),
    )
    assert response.status_code == 302, response.content
    collection.refresh_from_db()
    return collection


def test_each_save_is_a_revision_and_the_items_are_compared(
    advocate_client: Client, edited: Collection
) -> None:
    assert revision_numbers(edited) == [1, 2]
    response = advocate_client.get(compare_url(edited, "from=1&to=2"))
    assert response.status_code == 200
    assertContains(response, "Old note")
    assertContains(response, "New note")


def test_the_items_compare_by_title_note_and_place_never_by_id(
    advocate_client: Client, edited: Collection
) -> None:
    page = advocate_client.get(compare_url(edited, "from=1&to=2")).content.decode()
    assert (
        "<del>item: Case study: First study, position: 1, why this matters: Old note\n</del>"
        in page
    )
    assert "<ins>item: Article: A guide, position: 1, why this matters: New note\n</ins>" in page
    assert "content type" not in page and "object id" not in page


def test_restoring_a_revision_brings_its_items_back(
    advocate_client: Client, edited: Collection
) -> None:
    advocate_client.post(restore_url(edited, 1))
    assert [(row.item.title, row.note) for row in edited.items.all()] == [
        ("First study", "Old note")
    ]
    assert revision_numbers(edited) == [1, 2, 3]
    assertContains(advocate_client.get(history_url(edited)), "Restored revision 1")


# Comments and search -----------------------------------------------------------------


def test_readers_comment_on_a_published_collection(reader_client: Client, brief) -> None:
    url = reverse("comments:post", args=["collection", brief.slug])
    response = reader_client.post(url, {"body": "Which one should I *start* with?"})
    assert response.status_code == 302
    assert Comment.objects.filter(object_id=brief.pk).count() == 1
    assertContains(reader_client.get(brief.get_absolute_url()), "should I")


@pytest.mark.usefixtures("index_immediately")
def test_a_published_collection_is_found_by_title_purpose_and_notes_and_a_draft_is_not(
    reader, advocate
) -> None:
    study = CaseStudyFactory()
    published = CollectionFactory(
        title="Onboarding path", purpose="Teach newcomers the ropes.",
        items=[(study, "Shows the quarterly uplift")],
    )  # fmt: skip
    CollectionFactory(
        title="Onboarding draft", created_by=advocate, status=Status.DRAFT, published_at=None
    )
    url = published.get_absolute_url()
    published.save()  # the items were added after the first index write
    assert found("onboarding", reader) == [url]
    assert found("newcomers", reader) == [url]
    assert found("uplift", reader) == [url]


@pytest.mark.usefixtures("index_immediately")
def test_publishing_a_collection_makes_it_searchable(reader, editor, advocate) -> None:
    collection = CollectionFactory(
        title="Boardroom brief", created_by=advocate, status=Status.IN_REVIEW, published_at=None
    )
    assert found("boardroom", reader) == []
    content_transition(item=collection, action=Action.PUBLISH, user=editor)
    assert found("boardroom", reader) == [collection.get_absolute_url()]
