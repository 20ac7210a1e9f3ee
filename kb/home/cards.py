"""Published items' cards, each rendered once for every page that shows it: topic pages,
list pages (kb.core.fragments.cards keeps each until its item changes)."""

from functools import partial

from django.db.models import Model
from django.template.loader import render_to_string

from kb.comments.models import for_cards
from kb.core import fragments
from kb.core.lists import by_pk
from kb.core.registry import kind_for


def render_card(template: str, item: Model) -> str:
    return render_to_string(template, {"item": item})


def published_cards(model: type[Model], pks: list) -> list[str]:
    """The cards of the published items of ``model`` with these pks, in their order."""
    return fragments.cards(
        model,
        pks,
        partial(by_pk, for_cards(model.objects.published())),
        partial(render_card, kind_for(model).card_template),
    )
