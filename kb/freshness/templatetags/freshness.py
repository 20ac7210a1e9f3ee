"""The review panel on an item's page: "may be out of date", who verified it last, and the
owner's or editor's "Confirm it is still accurate"."""

from django import template

from kb.core.models import Content
from kb.freshness.services import latest_verification, may_verify

register = template.Library()


@register.inclusion_tag("freshness/_panel.html", takes_context=True)
def review_panel(context: template.Context, item: Content) -> dict:
    """One query (the latest verification), and none for an item not published."""
    published = item.is_published
    return {
        "item": item,
        "verification": latest_verification(item) if published else None,
        "can_verify": may_verify(item, context["request"].user),
        "request": context["request"],
    }
