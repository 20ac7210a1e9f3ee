"""What each kind of content declares about itself, once, for the rest of the KB to read.

A content model (a concrete subclass of ``kb.core.models.Content``) sets ``KIND`` to a
``ContentKind``: its labels, its URLs, the card that shows it in lists, and which shared
features it takes part in. Navigation, the home page, topic pages, the feed, comments,
uploads, roles and search read these declarations through ``kinds()``, so adding a kind
of content is one app with one declaration, not edits across the other apps.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models

from kb.core.permissions import ADVOCATE


@dataclass(frozen=True)
class ContentKind:
    """How one content model takes part in the KB.

    ``list_url`` and ``create_url`` are URL names ("experiments:list"); the item's own
    page is its ``get_absolute_url()``. ``card_template`` renders one item in a list; it
    gets the item as ``item``. ``add_role`` is the lowest role that may add one (editors
    may always); those who may publish it are editors. ``order`` places the kind among the
    others in navigation, on the home page and on topic pages.
    """

    label: str  # "Experiment"
    label_plural: str  # "Experiments"
    list_url: str
    create_url: str
    add_label: str  # what the "add" link says: "Log an experiment"
    card_template: str
    order: int = 100
    add_role: str = ADVOCATE
    commentable: bool = False
    illustrated: bool = False  # its Markdown editor may upload images and link items
    on_home: bool = True  # its newest items and count on the home page
    in_feed: bool = True  # in each user's private Atom feed
    on_topic_pages: bool = True  # listed on the page of each of its tags
    # One line of the home page's "New …" list; gets the item as ``item``.
    home_item_template: str = "includes/compact_item.html"
    home_limit: int = 5  # newest items listed on the home page
    # The URL field naming the item's source, whose link ``check_links`` keeps checking.
    source_url_field: str | None = None


def kinds() -> list[tuple[type, ContentKind]]:
    """Every registered content model with its declaration, in ``order``."""
    from kb.core.models import Content  # the models module imports this one's users

    found = [
        (model, model.KIND)
        for model in apps.get_models()
        if issubclass(model, Content) and getattr(model, "KIND", None) is not None
    ]
    return sorted(found, key=lambda pair: (pair[1].order, pair[1].label))


def kinds_where(feature: str) -> list[tuple[type, ContentKind]]:
    """The kinds that take part in one shared feature ("commentable", "in_feed", …)."""
    return [(model, kind) for model, kind in kinds() if getattr(kind, feature)]


def kind_for(model: type[models.Model] | models.Model) -> ContentKind | None:
    """The declaration of a content model (or of an item's model), if it made one."""
    return getattr(model, "KIND", None)
