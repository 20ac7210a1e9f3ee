"""The workflow panel on an item's page: its state, the last review comment, the actions."""

from django import template

from kb.core.models import Content, Status
from kb.workflow.models import Action, Transition
from kb.workflow.services import allowed_actions

register = template.Library()

# Actions that need a comment or a time get their own page; the rest are one click.
ONE_CLICK = {Action.SUBMIT, Action.WITHDRAW}


@register.inclusion_tag("workflow/_panel.html", takes_context=True)
def workflow_panel(context: template.Context, item: Content) -> dict:
    user = context["request"].user
    actions = allowed_actions(item, user)
    review = None
    if actions and item.status == Status.CHANGES_REQUESTED:
        review = (
            Transition.objects.for_item(item)
            .filter(action=Action.REQUEST_CHANGES)
            .select_related("actor")
            .first()
        )
    return {
        "item": item,
        "show": bool(actions),
        "review": review,
        "one_click": [Action(a) for a in actions if a in ONE_CLICK],
        "with_page": [Action(a) for a in actions if a not in ONE_CLICK],
        "request": context["request"],
    }
