"""The broken-link notice on an item's page, for those who may publish its kind."""

from django import template

from kb.core.models import Content
from kb.core.permissions import can_publish
from kb.linkcheck.models import LinkCheck, source_url_field

register = template.Library()


@register.inclusion_tag("linkcheck/_notice.html", takes_context=True)
def source_link_notice(context: template.Context, item: Content) -> dict:
    """Editors learn here what check_links found; readers are not asked to care."""
    check = None
    if source_url_field(item) and can_publish(context["request"].user, item):
        check = LinkCheck.objects.current(item).first()
    return {"check": check}
