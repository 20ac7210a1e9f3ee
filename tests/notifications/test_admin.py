"""Notifications in the admin: listed, filtered and searched; never written by hand."""

from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import NotificationFactory

CHANGELIST_URL = reverse("admin:notifications_notification_changelist")


def test_the_changelist_filters_by_verb_and_by_read(admin_client: Client) -> None:
    NotificationFactory(verb="published", target__title="Published piece")
    NotificationFactory(verb="commented", target__title="Commented piece").mark_read()
    response = admin_client.get(CHANGELIST_URL, {"verb__exact": "published", "read": "no"})
    assertContains(response, "Published piece")
    assertNotContains(response, "Commented piece")
    response = admin_client.get(CHANGELIST_URL, {"read": "yes"})
    assertContains(response, "Commented piece")
    assertNotContains(response, "Published piece")


def test_the_changelist_searches_titles_and_recipients(admin_client: Client) -> None:
    NotificationFactory(target__title="Video without a studio", recipient__username="adam")
    NotificationFactory(target__title="Accessible images", recipient__username="olga")
    response = admin_client.get(CHANGELIST_URL, {"q": "olga"})
    assertContains(response, "Accessible images")
    assertNotContains(response, "Video without a studio")


def test_a_notification_can_be_viewed_but_not_added_or_changed(admin_client: Client) -> None:
    notification = NotificationFactory()
    change_url = reverse("admin:notifications_notification_change", args=[notification.pk])
    response = admin_client.get(change_url)
    assertContains(response, notification.target_title)
    assertNotContains(response, 'name="_save"')
    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403


def test_only_staff_allowed_to_view_notifications_get_in(
    editor_client: Client, advocate_client: Client
) -> None:
    NotificationFactory()
    assert advocate_client.get(CHANGELIST_URL).status_code == 302  # to the admin sign-in
    # Editors are staff, but reading other people's notifications is not curation.
    assert editor_client.get(CHANGELIST_URL).status_code == 403
