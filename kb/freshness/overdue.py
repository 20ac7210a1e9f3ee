"""What needs review, across every kind of content: the editors' list of overdue items.

An item needs review when it is published and its review-by date has come, or when
``check_links`` found its source link broken (its owner was told then, by the link
check's own notification). One query per kind, whatever the number of items.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from kb.core.models import Content
from kb.core.registry import kinds
from kb.linkcheck.models import with_link_state

REASON_DUE = "due"
REASON_LINK = "link"
REASONS = [(REASON_DUE, "Review date passed"), (REASON_LINK, "Source link broken")]


@dataclass
class NeedsReview:
    item: Content
    kind_label: str
    owner: object | None
    department: object | None
    due: bool  # its review-by date has come
    link_reason: str = ""  # why its source link is broken; empty if it is not
    reasons: list[str] = field(default_factory=list)


def needing_review(today: date) -> list[NeedsReview]:
    """Every published item due for review or with a broken source link, the longest
    overdue first (broken links without a due date after them)."""
    found: list[NeedsReview] = []
    for model, kind in kinds():
        owner = model.OWNER_FIELD
        queryset = model.objects.published().select_related(
            f"{owner}__advocate_profile__department"
        )
        due = Q(review_by__lte=today)
        if kind.source_url_field:
            queryset = with_link_state(queryset).filter(
                due | (Q(link_reason__isnull=False) & ~Q(link_reason=""))
            )
        else:
            queryset = queryset.filter(due)
        for item in queryset:
            person = item.owner
            profile = getattr(person, "advocate_profile", None) if person else None
            entry = NeedsReview(
                item=item,
                kind_label=kind.label,
                owner=person,
                department=profile.department if profile else None,
                due=item.review_by is not None and item.review_by <= today,
                link_reason=getattr(item, "link_reason", None) or "",
            )
            entry.reasons = [code for code, _ in REASONS if _has(entry, code)]
            found.append(entry)
    found.sort(key=lambda entry: (entry.item.review_by or date.max, entry.item.title.lower()))
    return found


def _has(entry: NeedsReview, reason: str) -> bool:
    return entry.due if reason == REASON_DUE else bool(entry.link_reason)
