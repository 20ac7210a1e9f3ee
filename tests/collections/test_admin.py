"""Collections in the admin: items inline, ordered by position, checked to exist; the
audiences are data editors keep."""

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from kb.collections.models import Audience, Collection
from tests.collections.factories import CollectionFactory
from tests.factories import CaseStudyFactory


def change_data(collection: Collection, rows: list[tuple]) -> dict:
    """The change form as the admin sends it: ``rows`` are (content type, id, position, note)."""
    data = {
        "title": collection.title,
        "slug": collection.slug,
        "kind": collection.kind,
        "audience": str(collection.audience_id),
        "purpose": collection.purpose,
        "introduction": collection.introduction,
        "tags": "",
        "base_version": str(collection.version),
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
    }
    for index, (content_type, object_id, position, note) in enumerate(rows):
        data[f"items-{index}-content_type"] = str(content_type)
        data[f"items-{index}-object_id"] = str(object_id)
        data[f"items-{index}-position"] = str(position)
        data[f"items-{index}-note"] = note
    return data


def url(collection: Collection) -> str:
    return reverse("admin:collections_collection_change", args=[collection.pk])


def test_an_editor_adds_items_in_the_admin_in_the_order_of_their_positions(
    editor_client: Client,
) -> None:
    collection = CollectionFactory()
    first, second = CaseStudyFactory(title="One"), CaseStudyFactory(title="Two")
    content_type = ContentType.objects.get_for_model(first).pk
    response = editor_client.post(
        url(collection),
        change_data(
            collection, [(content_type, second.pk, 2, "b"), (content_type, first.pk, 1, "a")]
        ),
    )
    assert response.status_code == 302, response.content
    assert [row.item.title for row in collection.items.all()] == ["One", "Two"]


def test_an_unknown_item_id_is_a_form_error_in_the_admin(editor_client: Client) -> None:
    collection = CollectionFactory()
    content_type = ContentType.objects.get_for_model(CaseStudyFactory()).pk
    response = editor_client.post(
        url(collection), change_data(collection, [(content_type, 987654321, 1, "typed")])
    )
    assert response.status_code == 200
    assertContains(response, "There is no case study with this id.")
    assert not collection.items.exists()


def test_only_kinds_of_content_can_be_chosen_in_the_admin(editor_client: Client) -> None:
    collection = CollectionFactory()
    user_type = ContentType.objects.get(app_label="auth", model="user").pk
    response = editor_client.post(
        url(collection), change_data(collection, [(user_type, 1, 1, "x")])
    )
    assert response.status_code == 200
    assertContains(response, "Select a valid choice.")


def test_editors_keep_the_audiences(editor_client: Client) -> None:
    response = editor_client.post(
        reverse("admin:collections_audience_add"),
        {"name": "New advocates", "slug": "new-advocates", "description": "", "position": "4"},
    )
    assert response.status_code == 302
    assert Audience.objects.filter(slug="new-advocates").exists()


def test_an_audience_in_use_cannot_be_deleted(editor_client: Client) -> None:
    collection = CollectionFactory()
    response = editor_client.post(
        reverse("admin:collections_audience_delete", args=[collection.audience_id]),
        {"post": "yes"},
    )
    assert response.status_code == 200
    assert Audience.objects.filter(pk=collection.audience_id).exists()
