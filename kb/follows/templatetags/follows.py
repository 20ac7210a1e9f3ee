"""The Follow / Unfollow button of a topic, platform, department, advocate or collection."""

from django import template

from kb.follows.registry import followable_for
from kb.follows.services import follow_state

register = template.Library()


@register.inclusion_tag("follows/_follow_button.html", takes_context=True)
def follow_button(context: template.Context, target) -> dict:
    """A POST form (works without JavaScript) whose button names what it follows, with the
    follower count: one query. Nothing for a model that cannot be followed."""
    request = context["request"]
    followable = followable_for(target)
    if followable is None or not request.user.is_authenticated:
        return {"followable": None}
    return {
        "followable": followable,
        "target": target,
        "state": follow_state(request.user, target),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
