"""Who is signed in is read in few queries on every page, and a change of someone's
rights still holds from their next request (kb.accounts.backends)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from kb.articles.models import Article
from kb.core import fragments
from kb.core.models import Status
from kb.core.permissions import EDITOR, READER
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("workflow:review_queue")


def _tables_read(client: Client, path: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return "\n".join(query["sql"] for query in queries.captured_queries)


def test_a_page_reads_the_permissions_once_then_keeps_them(editor_client: Client) -> None:
    home = reverse("home")
    assert "auth_permission" in _tables_read(editor_client, home)
    again = _tables_read(editor_client, reverse("notifications:list"))
    assert "auth_permission" not in again
    assertContains(editor_client.get(home), f'href="{QUEUE}"')


def test_an_advocates_profile_link_comes_with_the_user(advocate_client: Client, advocate) -> None:
    sql = _tables_read(advocate_client, reverse("notifications:list"))
    profile = advocate.advocate_profile.get_absolute_url()
    assertContains(advocate_client.get(reverse("notifications:list")), f'href="{profile}"')
    # Joined to the user's own row, not asked for on its own.
    assert not any(
        line.lstrip().startswith('SELECT "advocates_advocateprofile"') for line in sql.split("\n")
    )


def test_someone_made_an_editor_may_review_at_their_next_request(reader, reader_client) -> None:
    assert reader_client.get(QUEUE).status_code == 403
    assertNotContains(reader_client.get(reverse("home")), f'href="{QUEUE}"')

    reader.groups.add(Group.objects.get(name=EDITOR))

    assert reader_client.get(QUEUE).status_code == 200
    assertContains(reader_client.get(reverse("home")), f'href="{QUEUE}"')


def test_a_group_losing_a_right_loses_it_at_its_members_next_request(
    editor, editor_client: Client
) -> None:
    draft = ArticleFactory(status=Status.IN_REVIEW, published_at=None)
    publish = reverse("workflow:action", args=["article", draft.slug, "publish"])
    assert editor_client.get(QUEUE).status_code == 200  # the rights are kept now

    editors = Group.objects.get(name=EDITOR)
    editors.permissions.remove(*Permission.objects.filter(codename__startswith="publish_"))

    assert editor_client.get(QUEUE).status_code == 403
    assert editor_client.post(publish).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW


def test_someone_leaving_a_group_loses_its_rights_at_once(editor, editor_client: Client) -> None:
    assert editor_client.get(QUEUE).status_code == 200
    editor.groups.remove(Group.objects.get(name=EDITOR))
    assert editor_client.get(QUEUE).status_code == 403


def test_a_deactivated_account_is_signed_out(reader, reader_client) -> None:
    assert reader_client.get(reverse("home")).status_code == 200
    reader.is_active = False
    reader.save()
    response = reader_client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_one_persons_rights_are_not_anothers(reader_client: Client, editor_client) -> None:
    assert editor_client.get(QUEUE).status_code == 200
    assert reader_client.get(QUEUE).status_code == 403
    assert editor_client.get(QUEUE).status_code == 200


def test_the_review_badge_counts_what_waits_and_follows_each_change(
    editor_client: Client, advocate_client: Client
) -> None:
    ArticleFactory.create_batch(2, status=Status.IN_REVIEW, published_at=None)
    assertContains(editor_client.get(reverse("home")), '2<span class="visually-hidden"> waiting')

    ArticleFactory(status=Status.IN_REVIEW, published_at=None)
    assertContains(editor_client.get(reverse("home")), '3<span class="visually-hidden"> waiting')

    # The admin's bulk actions change rows without signals and say so themselves.
    Article.objects.filter(status=Status.IN_REVIEW).update(status=Status.DRAFT)
    fragments.changed()
    assertNotContains(editor_client.get(reverse("home")), "waiting</span>")


def test_the_review_badge_is_counted_once_for_every_editor(editor_client: Client) -> None:
    ArticleFactory(status=Status.IN_REVIEW, published_at=None)
    other = UserFactory(username="edna")
    other.groups.add(*Group.objects.filter(name__in=[READER, EDITOR]))
    other_client = Client()
    other_client.force_login(other)
    assertContains(editor_client.get(reverse("home")), '1<span class="visually-hidden"> waiting')

    sql = _tables_read(other_client, reverse("notifications:list"))
    assert "in_review" not in sql
    assertContains(
        other_client.get(reverse("notifications:list")), '1<span class="visually-hidden"> waiting'
    )


def test_the_unread_count_comes_with_the_user_and_follows_each_change(
    reader, reader_client: Client
) -> None:
    from tests.factories import NotificationFactory

    NotificationFactory.create_batch(2, recipient=reader)
    sql = _tables_read(reader_client, reverse("tag_list"))
    assert not any(
        line.lstrip().startswith('SELECT COUNT(*) AS "__count" FROM "notifications_notification"')
        for line in sql.split("\n")
    )
    assertContains(reader_client.get(reverse("tag_list")), '2<span class="visually-hidden"> unread')

    NotificationFactory(recipient=reader)
    assertContains(reader_client.get(reverse("tag_list")), '3<span class="visually-hidden"> unread')
    reader_client.post(reverse("notifications:mark_all_read"))
    assertNotContains(reader_client.get(reverse("tag_list")), "unread</span>")
