"""Check the source links of every kind that declares one, and record what was found.

The network work happens first, in threads, with no database connection held; each
result is then written in its own short transaction. An owner is told once, when their
item's link goes from working (or unchecked) to broken, not on every run it stays broken.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from kb.core.models import Content
from kb.core.registry import kinds
from kb.linkcheck.checker import LinkResult, check_urls
from kb.linkcheck.models import LinkCheck
from kb.notifications.models import Verb
from kb.notifications.services import notify

REASON_LENGTH = LinkCheck._meta.get_field("reason").max_length
FINAL_URL_LENGTH = LinkCheck._meta.get_field("final_url").max_length


@dataclass(frozen=True)
class DueLink:
    item: Content
    url: str
    last_checked: datetime | None  # of this address; None if never
    was_broken: bool  # when last checked


@dataclass(frozen=True)
class CheckedLink:
    item: Content
    result: LinkResult
    newly_broken: bool


def user_agent() -> str:
    """Names the KB and where to find it, so a site's owner can tell who is asking."""
    return f"KB-LinkChecker/1.0 (+{settings.SITE_URL}; {settings.SITE_NAME})"


def links_due(*, stale_hours: float | None = None, limit: int | None = None) -> list[DueLink]:
    """The items (not in the trash) with a source address, least recently checked first;
    with ``stale_hours``, only those not checked within that many hours."""
    due: list[DueLink] = []
    for model, kind in kinds():
        field = kind.source_url_field
        if field is None:
            continue
        content_type = ContentType.objects.get_for_model(model)
        checks = {
            check.object_id: check
            for check in LinkCheck.objects.filter(content_type=content_type).only(
                "object_id", "url", "checked_at", "reason"
            )
        }
        items = model.objects.exclude(**{field: ""}).select_related(model.OWNER_FIELD)
        for item in items.order_by("pk"):
            url = getattr(item, field)
            check = checks.get(item.pk)
            if check is not None and check.url == url:
                due.append(DueLink(item, url, check.checked_at, check.is_broken))
            else:
                due.append(DueLink(item, url, None, was_broken=False))
    if stale_hours is not None:
        fresh_since = timezone.now() - timedelta(hours=stale_hours)
        due = [link for link in due if link.last_checked is None or link.last_checked < fresh_since]
    due.sort(key=lambda link: (link.last_checked is not None, link.last_checked or 0))
    return due if limit is None else due[:limit]


@transaction.atomic
def link_check_record(*, item: Content, result: LinkResult) -> bool:
    """Store the check of ``item``'s link; whether it has just become broken (and its
    owner was told)."""
    content_type = ContentType.objects.get_for_model(item)
    now = timezone.now()
    previous = (
        LinkCheck.objects.select_for_update()
        .filter(content_type=content_type, object_id=item.pk)
        .first()
    )
    check = previous or LinkCheck(content_type=content_type, object_id=item.pk)
    was_broken = previous is not None and previous.is_broken and previous.url == result.url
    check.url = result.url
    check.final_url = result.final_url if len(result.final_url) <= FINAL_URL_LENGTH else result.url
    check.status_code = result.status_code
    check.moved_permanently = result.moved_permanently
    check.checked_at = now
    if result.ok:
        check.reason, check.broken_since, check.consecutive_failures = "", None, 0
    else:
        check.reason = result.reason[:REASON_LENGTH]
        check.broken_since = check.broken_since if was_broken else now
        check.consecutive_failures = check.consecutive_failures + 1 if was_broken else 1
    check.save()
    newly_broken = not result.ok and not was_broken
    if newly_broken:
        notify(
            recipient=item.owner,
            actor=None,
            verb=Verb.LINK_BROKEN,
            target=item,
            message=f"{result.url} could not be reached on {now:%d %B %Y}: {check.reason}. "
            "Edit the item to give its new address, or tell an editor if the source is gone.",
        )
    return newly_broken


def link_checks_run(
    *,
    stale_hours: float | None = None,
    limit: int | None = None,
    concurrency: int = 4,
    per_host_interval: float = 1.0,
    dry_run: bool = False,
) -> list[CheckedLink]:
    """Check the due source links; with ``dry_run``, store nothing and tell nobody."""
    due = links_due(stale_hours=stale_hours, limit=limit)
    results = check_urls(
        [link.url for link in due],
        timeout=settings.KB_LINK_CHECK_TIMEOUT,
        user_agent=user_agent(),
        concurrency=concurrency,
        per_host_interval=per_host_interval,
    )
    checked = []
    for link in due:
        result = results[link.url]
        if dry_run:
            newly_broken = not result.ok and not link.was_broken
        else:
            newly_broken = link_check_record(item=link.item, result=result)
        checked.append(CheckedLink(link.item, result, newly_broken))
    return checked
