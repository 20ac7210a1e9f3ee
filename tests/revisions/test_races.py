"""A save never undoes a workflow change made while it was under way.

An edit loads the item when the request (or the admin page) starts, and saves it after
taking the row lock; an editor may unpublish, trash or feature the item in between. The
save writes only what its user changed and takes every other field from the row as it is
under the lock, so the item's state and its workflow history always agree. A save that
reaches an item moved to the trash meanwhile is refused with the user's text kept.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.admin import ModelAdmin
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from kb.articles.models import Article
from kb.content import editing
from kb.core.models import Status
from kb.workflow.models import Action, Transition
from kb.workflow.services import content_transition
from tests.factories import ArticleFactory
from tests.revisions.helpers import article_form, edit_url, revisions_of


@pytest.fixture
def published(advocate: User) -> Article:
    return ArticleFactory(
        author=advocate,
        title="Open office hours",
        status=Status.PUBLISHED,
        featured=True,
        published_at=timezone.now(),
    )


def _meanwhile(monkeypatch, change: Callable[[], Any]) -> None:
    """Make ``change`` commit after the edit page has loaded the item, before it saves: the
    moment another user's request commits in a real race."""
    load = editing.get_editable_or_403

    def load_then_change(*args, **kwargs):
        item = load(*args, **kwargs)
        change()
        return item

    monkeypatch.setattr(editing, "get_editable_or_403", load_then_change)


def _transition(item: Article, action: str, user: User) -> Callable[[], Any]:
    return lambda: content_transition(
        item=Article.all_objects.get(pk=item.pk), action=action, user=user
    )


def test_an_owners_save_keeps_an_unpublish_made_while_it_was_under_way(
    monkeypatch, advocate_client: Client, published: Article, editor: User
) -> None:
    _meanwhile(monkeypatch, _transition(published, Action.UNPUBLISH, editor))
    response = advocate_client.post(edit_url(published), article_form(published, title="New"))
    assert response.status_code == 302
    row = Article.all_objects.get(pk=published.pk)
    assert row.title == "New"
    assert row.status == Status.UNPUBLISHED
    assert row.featured is False
    assert row.version == published.version + 1


def test_an_owners_save_keeps_featuring_done_while_it_was_under_way(
    monkeypatch, advocate_client: Client, published: Article
) -> None:
    Article.objects.filter(pk=published.pk).update(featured=False)
    published.refresh_from_db()
    _meanwhile(monkeypatch, lambda: Article.objects.filter(pk=published.pk).update(featured=True))
    advocate_client.post(edit_url(published), article_form(published, title="New"))
    assert Article.objects.get(pk=published.pk).featured is True


def test_an_owners_save_of_an_item_trashed_meanwhile_is_refused_and_keeps_the_text(
    monkeypatch, advocate_client: Client, published: Article, editor: User
) -> None:
    _meanwhile(monkeypatch, _transition(published, Action.TRASH, editor))
    response = advocate_client.post(
        edit_url(published), article_form(published, title="Rewritten while trashed")
    )
    assert response.status_code == 409
    assertContains(response, "moved to the trash", status_code=409)
    assertContains(response, 'value="Rewritten while trashed"', status_code=409)
    row = Article.all_objects.get(pk=published.pk)
    assert row.in_trash
    assert row.title == "Open office hours"
    assert row.version == published.version
    assert [t.action for t in Transition.objects.for_item(row)] == [Action.TRASH]


def test_an_editors_form_opened_before_an_unpublish_does_not_feature_the_item_again(
    editor_client: Client, published: Article, advocate: User
) -> None:
    opened = editor_client.get(edit_url(published))
    # The browser sends back the values the form showed when it was opened.
    assertContains(opened, 'name="initial-featured"')
    content_transition(item=published, action=Action.UNPUBLISH, user=advocate)
    shown_at = timezone.localtime(published.published_at).strftime("%Y-%m-%d %H:%M:%S")
    data = article_form(
        published,
        title="Tidied by the editor",
        featured="on",
        published_at=shown_at,
        **{"initial-featured": "on", "initial-published_at": shown_at},
    )
    data["base_version"] = published.version
    response = editor_client.post(edit_url(published), data)
    assert response.status_code == 302
    row = Article.all_objects.get(pk=published.pk)
    assert (row.title, row.status, row.featured) == ("Tidied by the editor", "unpublished", False)


def test_an_editor_may_still_unfeature_an_item_by_unticking_the_box(
    editor_client: Client, published: Article
) -> None:
    shown_at = timezone.localtime(published.published_at).strftime("%Y-%m-%d %H:%M:%S")
    data = article_form(
        published,
        published_at=shown_at,
        **{"initial-featured": "on", "initial-published_at": shown_at},
    )
    assert editor_client.post(edit_url(published), data).status_code == 302
    assert Article.objects.get(pk=published.pk).featured is False


def _admin_loads_then(monkeypatch, change: Callable[[], Any]) -> None:
    """The admin's change page loads the item, then ``change`` commits before the save."""
    get_object = ModelAdmin.get_object

    def get_object_then_change(self, request, object_id, from_field=None):
        obj = get_object(self, request, object_id, from_field)
        if request.method == "POST":
            change()
        return obj

    monkeypatch.setattr(ModelAdmin, "get_object", get_object_then_change)


def _admin_data(article: Article, **changes: Any) -> dict[str, Any]:
    published_at = timezone.localtime(article.published_at)
    return {
        "title": article.title,
        "slug": article.slug,
        "author": article.author_id,
        "summary": article.summary,
        "body": article.body,
        "tags": "",
        "featured": "on",
        "initial-featured": "on",
        "published_at_0": published_at.strftime("%Y-%m-%d"),
        "published_at_1": published_at.strftime("%H:%M:%S"),
        "initial-published_at_0": published_at.strftime("%Y-%m-%d"),
        "initial-published_at_1": published_at.strftime("%H:%M:%S"),
        "base_version": article.version,
        "_save": "Save",
        **changes,
    }


def test_an_admin_save_keeps_an_unpublish_made_while_it_was_under_way(
    monkeypatch, admin_client: Client, published: Article, editor: User
) -> None:
    _admin_loads_then(monkeypatch, _transition(published, Action.UNPUBLISH, editor))
    url = reverse("admin:articles_article_change", args=[published.pk])
    response = admin_client.post(url, _admin_data(published, title="Curated"))
    assert response.status_code == 302
    row = Article.all_objects.get(pk=published.pk)
    assert (row.title, row.status, row.featured) == ("Curated", "unpublished", False)
    assert revisions_of(row)[-1].data["title"] == "Curated"


def test_an_admin_save_of_an_item_trashed_meanwhile_is_refused_and_keeps_the_text(
    monkeypatch, admin_client: Client, published: Article, editor: User
) -> None:
    _admin_loads_then(monkeypatch, _transition(published, Action.TRASH, editor))
    url = reverse("admin:articles_article_change", args=[published.pk])
    response = admin_client.post(url, _admin_data(published, title="Curated"))
    assertContains(response, "moved to the trash")
    assertContains(response, 'value="Curated"')
    row = Article.all_objects.get(pk=published.pk)
    assert row.in_trash
    assert row.title == "Open office hours"


def _race(*requests: Callable[[], Any]) -> None:
    """Run the requests at once, each in its own thread with its own database connection."""
    start = threading.Barrier(len(requests))
    errors: list[BaseException] = []

    def run(request: Callable[[], Any]) -> None:
        try:
            start.wait()
            request()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=[request]) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.postgres
# Real connections see only committed data; serialized_rollback restores the role groups.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("action", [Action.UNPUBLISH, Action.TRASH])
def test_owners_saving_while_an_editor_takes_the_item_down_never_bring_it_back(
    advocate: User, editor: User, action: str
) -> None:
    owner, curator = _client(advocate), _client(editor)
    mismatches = []
    for attempt in range(25):
        item = ArticleFactory(
            author=advocate, status=Status.PUBLISHED, featured=True, published_at=timezone.now()
        )
        owner_save = lambda item=item, n=attempt: owner.post(  # noqa: E731
            edit_url(item), article_form(item, title=f"Edit {n}")
        )
        take_down = lambda item=item: curator.post(  # noqa: E731
            reverse("workflow:action", args=["article", item.slug, action])
        )
        _race(owner_save, take_down)
        row = Article.all_objects.get(pk=item.pk)
        [transition] = Transition.objects.for_item(row)
        taken_down = row.in_trash if action == Action.TRASH else row.status == Status.UNPUBLISHED
        still_featured = action == Action.TRASH  # only unpublishing unfeatures
        if transition.action != action or not taken_down or row.featured != still_featured:
            mismatches.append((attempt, row.status, row.deleted_at, row.featured))
    assert mismatches == []
