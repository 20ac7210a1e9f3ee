"""The unread-notification count in the header of every page, counted only if shown."""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.functional import cached_property

from kb.notifications.models import Notification


class LazyCount:
    """An int counted on first use and then remembered.

    ``SimpleLazyObject`` is not an int to the template engine, and ``lazy`` counts again
    on every use; the header reads the count up to three times per page.
    """

    def __init__(self, count: Callable[[], int]) -> None:
        self._count = count

    @cached_property
    def value(self) -> int:
        return self._count()

    def __int__(self) -> int:
        return self.value

    def __index__(self) -> int:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"<LazyCount {self.value}>"

    def __eq__(self, other: object) -> bool:
        return self.value == other

    def __hash__(self) -> int:
        return hash(self.value)


def notifications(request: HttpRequest) -> dict[str, LazyCount]:
    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        # Read with the user's own row (kb.accounts.backends), where the user came from
        # the session; anyone else (a test's or a script's user) is counted here.
        kept = getattr(user, "unread_notification_count", None)
        if kept is not None:
            return kept
        return Notification.objects.filter(recipient_id=user.pk).unread().count()

    return {"unread_notifications": LazyCount(count)}
