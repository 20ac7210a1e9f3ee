"""Notification pages: the header count, the list, opening one and marking all read."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kb.notifications.context_processors import notifications as notifications_context
from kb.notifications.models import Notification
from tests.factories import NotificationFactory, UserFactory

LIST_URL = reverse("notifications:list")
MARK_ALL_READ_URL = reverse("notifications:mark_all_read")
BADGE = 'class="badge"'


def open_url(notification: Notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


# The header count -------------------------------------------------------------------------


def test_the_header_shows_how_many_notifications_are_unread(advocate_client, advocate) -> None:
    NotificationFactory.create_batch(3, recipient=advocate)
    NotificationFactory(recipient=advocate).mark_read()
    NotificationFactory()  # someone else's
    response = advocate_client.get(reverse("articles:list"))
    unread = '<span class="visually-hidden"> unread</span>'
    assertContains(response, f"<span {BADGE}>3{unread}</span>", html=True)


def test_the_header_shows_no_count_when_everything_is_read(advocate_client, advocate) -> None:
    NotificationFactory(recipient=advocate).mark_read()
    response = advocate_client.get(reverse("articles:list"))
    assertContains(response, 'class="notifications-link"')
    assertNotContains(response, BADGE)


def test_the_count_is_queried_once_however_often_a_page_reads_it(advocate) -> None:
    NotificationFactory.create_batch(2, recipient=advocate)
    request = RequestFactory().get("/")
    request.user = advocate
    with CaptureQueriesContext(connection) as queries:
        count = notifications_context(request)["unread_notifications"]
        assert len(queries) == 0, "nothing is counted until a template reads it"
        assert count and f"{count}" == "2" and int(count) == 2 and count == 2
    assert len(queries) == 1


def test_signed_out_visitors_have_no_count_and_cost_no_query(db, django_assert_num_queries) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        count = notifications_context(request)["unread_notifications"]
        assert not count and str(count) == "0"


# The list ---------------------------------------------------------------------------------


def test_the_list_shows_only_the_users_own_notifications_newest_first(
    advocate_client, advocate, other_advocate
) -> None:
    older = NotificationFactory(recipient=advocate, target__title="Older piece")
    newer = NotificationFactory(recipient=advocate, target__title="Newer piece")
    NotificationFactory(recipient=other_advocate, target__title="Olga's piece")
    response = advocate_client.get(LIST_URL)
    assert list(response.context["object_list"]) == [newer, older]
    assertContains(response, "Newer piece")
    assertNotContains(response, "Olga&#x27;s piece")


def test_unread_notifications_are_marked_in_the_list(advocate_client, advocate) -> None:
    NotificationFactory(recipient=advocate, target__title="Unread piece")
    NotificationFactory(recipient=advocate, target__title="Read piece").mark_read()
    html = advocate_client.get(LIST_URL).content.decode()
    assert html.count('class="notification notification-unread"') == 1
    assert html.count('class="notification"') == 1
    assert html.count("Unread: ") == 1


def test_the_message_is_shown_as_escaped_plain_text(advocate_client, advocate) -> None:
    NotificationFactory(recipient=advocate, message="<script>alert(1)</script>\nSecond line")
    response = advocate_client.get(LIST_URL)
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;<br>Second line")
    assertNotContains(response, "<script>alert")


def test_an_empty_list_says_so_and_offers_nothing_to_mark(reader_client) -> None:
    response = reader_client.get(LIST_URL)
    assertContains(response, "No notifications yet")
    assertNotContains(response, MARK_ALL_READ_URL)


def test_the_list_costs_the_same_queries_for_one_notification_as_for_thirty(
    advocate_client, advocate, settings, django_assert_num_queries
) -> None:
    settings.KB_PAGE_SIZE = 30
    NotificationFactory(recipient=advocate)
    advocate_client.get(LIST_URL)  # warm per-process caches (content types)
    with CaptureQueriesContext(connection) as queries:
        advocate_client.get(LIST_URL)
    expected = len(queries)  # before the next request clears Django's record of them
    for _ in range(29):
        NotificationFactory(recipient=advocate, actor=UserFactory())
    advocate_client.get(LIST_URL)  # new people: the kept permissions are read again once
    with django_assert_num_queries(expected):
        response = advocate_client.get(LIST_URL)
    assert len(response.context["object_list"]) == 30


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(LIST_URL)
    assertRedirects(response, f"{reverse('login')}?next={LIST_URL}", fetch_redirect_response=False)


# Opening one ------------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(
    advocate_client, advocate
) -> None:
    notification = NotificationFactory(recipient=advocate)
    response = advocate_client.get(open_url(notification))
    assertRedirects(response, notification.url, fetch_redirect_response=False)
    notification.refresh_from_db()
    assert not notification.is_unread


def test_opening_it_again_keeps_the_first_read_time(advocate_client, advocate) -> None:
    notification = NotificationFactory(recipient=advocate)
    advocate_client.get(open_url(notification))
    notification.refresh_from_db()
    first_read_at = notification.read_at
    advocate_client.get(open_url(notification))
    notification.refresh_from_db()
    assert notification.read_at == first_read_at


def test_someone_elses_notification_is_not_found_and_stays_unread(
    other_advocate_client, advocate
) -> None:
    notification = NotificationFactory(recipient=advocate)
    assert other_advocate_client.get(open_url(notification)).status_code == 404
    notification.refresh_from_db()
    assert notification.is_unread


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "javascript:alert(1)",
        "articles/relative-path",
        "",
    ],
)
def test_a_link_off_the_site_is_never_followed(advocate_client, advocate, url: str) -> None:
    notification = NotificationFactory(recipient=advocate, url=url)
    response = advocate_client.get(open_url(notification))
    assertRedirects(response, LIST_URL, fetch_redirect_response=False)


# Marking all read -------------------------------------------------------------------------


def test_mark_all_read_marks_only_the_users_own_and_says_how_many(
    advocate_client, advocate, other_advocate
) -> None:
    NotificationFactory.create_batch(2, recipient=advocate)
    theirs = NotificationFactory(recipient=other_advocate)
    response = advocate_client.post(MARK_ALL_READ_URL, follow=True)
    assertRedirects(response, LIST_URL)
    assertContains(response, "Marked 2 notifications as read.")
    assertNotContains(response, BADGE)
    assert not advocate.notifications.unread().exists()
    theirs.refresh_from_db()
    assert theirs.is_unread


def test_mark_all_read_with_nothing_unread_says_so(advocate_client) -> None:
    response = advocate_client.post(MARK_ALL_READ_URL, follow=True)
    assertContains(response, "You had no unread notifications.")


def test_mark_all_read_refuses_get(advocate_client, advocate) -> None:
    NotificationFactory(recipient=advocate)
    assert advocate_client.get(MARK_ALL_READ_URL).status_code == 405
    assert advocate.notifications.unread().exists()
