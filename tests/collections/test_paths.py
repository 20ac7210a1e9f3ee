"""A learning path: each reader marks steps done and sees their progress; the owner sees
how many started and finished, and names only of readers who chose to share them."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from kb.collections.models import Collection, PathProgress, StepDone
from kb.core.models import Status
from tests.collections.factories import CollectionFactory
from tests.factories import ArticleFactory


def step_url(collection: Collection, position: int) -> str:
    row = collection.items.get(position=position)
    return reverse("collections:step", args=[collection.slug, row.pk])


def share_url(collection: Collection) -> str:
    return reverse("collections:share", args=[collection.slug])


def mark(client: Client, collection: Collection, position: int, done: bool = True):
    return client.post(step_url(collection, position), {"done": "1" if done else "0"})


def test_a_reader_marks_steps_done_and_sees_their_progress(
    reader_client: Client, path: Collection
) -> None:
    assertContains(reader_client.get(path.get_absolute_url()), "You have done 0 of 3 steps.")
    response = mark(reader_client, path, 1)
    assert response.status_code == 302
    assert response.url.endswith(f"#step-{path.items.get(position=1).pk}")
    mark(reader_client, path, 2)
    response = reader_client.get(path.get_absolute_url())
    assertContains(response, "You have done 2 of 3 steps.")
    assertContains(response, '<progress max="3" value="2"')
    assertContains(response, "as not done")


def test_marking_a_step_twice_counts_once_and_it_can_be_undone(
    reader_client: Client, reader, path: Collection
) -> None:
    mark(reader_client, path, 1)
    mark(reader_client, path, 1)
    assert StepDone.objects.filter(progress__reader=reader).count() == 1
    mark(reader_client, path, 1, done=False)
    assert StepDone.objects.filter(progress__reader=reader).count() == 0
    assertContains(reader_client.get(path.get_absolute_url()), "You have done 0 of 3 steps.")


def test_each_reader_sees_only_their_own_progress(
    reader_client: Client, other_advocate_client: Client, path: Collection
) -> None:
    mark(reader_client, path, 1)
    mark(reader_client, path, 2)
    assertContains(
        other_advocate_client.get(path.get_absolute_url()), "You have done 0 of 3 steps."
    )
    # Undoing a step is only ever one's own.
    mark(other_advocate_client, path, 1, done=False)
    assertContains(reader_client.get(path.get_absolute_url()), "You have done 2 of 3 steps.")


def test_progress_survives_reordering_the_path(reader_client: Client, path: Collection) -> None:
    mark(reader_client, path, 1)
    first = path.items.get(position=1)
    path.items.filter(pk=first.pk).update(position=9)
    assertContains(reader_client.get(path.get_absolute_url()), "You have done 1 of 3 steps.")


def test_the_owner_sees_counts_of_started_and_finished_but_no_names(
    advocate_client: Client, reader_client: Client, other_advocate_client: Client,
    path: Collection,
) -> None:  # fmt: skip
    for position in (1, 2, 3):
        mark(reader_client, path, position)
    mark(other_advocate_client, path, 1)
    response = advocate_client.get(path.get_absolute_url())
    assertContains(response, "2 readers started; 1 finished all 3 published steps.")
    assertNotContains(response, "Rita")
    assertNotContains(response, "Olga")


def test_a_reader_who_shares_is_named_to_the_owner_and_can_stop(
    advocate_client: Client, reader_client: Client, other_advocate_client: Client,
    path: Collection,
) -> None:  # fmt: skip
    mark(reader_client, path, 1)
    mark(other_advocate_client, path, 1)
    assert reader_client.post(share_url(path), {"share": "1"}).status_code == 302
    response = advocate_client.get(path.get_absolute_url())
    assertContains(response, "Rita Reader: 1 of 3 steps")
    assertNotContains(response, "Olga")
    reader_client.post(share_url(path), {"share": "0"})
    assertNotContains(advocate_client.get(path.get_absolute_url()), "Rita Reader")


def test_other_readers_never_see_the_counts_or_shared_names(
    reader_client: Client, other_advocate_client: Client, path: Collection
) -> None:
    mark(reader_client, path, 1)
    reader_client.post(share_url(path), {"share": "1"})
    response = other_advocate_client.get(path.get_absolute_url())
    assertNotContains(response, "Readers of this path")
    assertNotContains(response, "Rita Reader")


def test_an_editor_sees_the_counts_too(editor_client: Client, reader_client, path) -> None:
    mark(reader_client, path, 1)
    assertContains(editor_client.get(path.get_absolute_url()), "1 reader started; 0 finished")


def test_finishing_counts_only_published_steps(
    advocate_client: Client, reader_client: Client, advocate, path: Collection
) -> None:
    draft = ArticleFactory(author=advocate, status=Status.DRAFT, published_at=None)
    path.items.create(
        content_type_id=_content_type_id(draft), object_id=draft.pk, position=4, note="Soon."
    )
    for position in (1, 2, 3):
        mark(reader_client, path, position)
    assertContains(reader_client.get(path.get_absolute_url()), "You have done 3 of 3 steps.")
    assertContains(advocate_client.get(path.get_absolute_url()), "1 finished all 3 published")


def _content_type_id(item) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(item).pk


def test_a_step_of_an_item_the_reader_may_not_see_is_a_404(
    reader_client: Client, advocate, path: Collection
) -> None:
    draft = ArticleFactory(author=advocate, status=Status.DRAFT, published_at=None)
    row = path.items.create(
        content_type_id=_content_type_id(draft), object_id=draft.pk, position=4, note="Soon."
    )
    url = reverse("collections:step", args=[path.slug, row.pk])
    assert reader_client.post(url, {"done": "1"}).status_code == 404
    assert not StepDone.objects.exists()


def test_steps_of_another_collection_or_of_a_brief_are_404s(
    reader_client: Client, path: Collection, brief: Collection
) -> None:
    other_row = brief.items.first()
    assert (
        reader_client.post(
            reverse("collections:step", args=[path.slug, other_row.pk]), {"done": "1"}
        ).status_code
        == 404
    )
    assert (
        reader_client.post(
            reverse("collections:step", args=[brief.slug, other_row.pk]), {"done": "1"}
        ).status_code
        == 404
    )
    assert reader_client.post(share_url(brief), {"share": "1"}).status_code == 404
    assert (
        reader_client.post(
            reverse("collections:step", args=[path.slug, 99999999]), {"done": "1"}
        ).status_code
        == 404
    )
    assert not PathProgress.objects.exists()


def test_steps_need_a_post_with_a_csrf_token(reader, path: Collection) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.get(step_url(path, 1)).status_code == 405
    assert client.post(step_url(path, 1), {"done": "1"}).status_code == 403
    assert not StepDone.objects.exists()


@pytest.mark.parametrize("value", ["", "yes", "2", "1' OR 1=1", "x" * 10_000])
def test_any_value_but_1_means_not_done(reader_client: Client, path, value: str) -> None:
    mark(reader_client, path, 1)
    reader_client.post(step_url(path, 1), {"done": value})
    assert not StepDone.objects.exists()


def test_a_draft_paths_steps_are_404s_to_others(reader_client: Client, advocate, research) -> None:
    path = CollectionFactory(
        kind="path", created_by=advocate, status=Status.DRAFT, published_at=None,
        items=[(research, "Read")],
    )  # fmt: skip
    assert reader_client.post(step_url(path, 1), {"done": "1"}).status_code == 404
    assert reader_client.post(share_url(path), {"share": "1"}).status_code == 404
