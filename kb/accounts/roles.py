"""What each role may do, as Django permissions.

Two sources, so that a new kind of content needs no migration here:

- ``ROLE_PERMS`` is the table the data migration ``0001_roles`` applied when the roles
  were made. That migration reads it, so it is that day's data and is never edited.
- ``kind_role_perms`` derives each role's permissions on a registered kind of content from
  its declaration (``KIND.add_role``); ``kb.accounts.signals`` grants them after every
  ``migrate``, so a new content app's permissions reach the groups with its tables.
"""

from django.db import models

from kb.core.permissions import ADVOCATE, EDITOR, READER, perm_name
from kb.core.registry import ContentKind

CONTENT_MODELS = [
    ("casestudies", "casestudy"),
    ("casestudies", "metric"),
    ("research", "researchlink"),
    ("articles", "article"),
    ("advocates", "advocateprofile"),
    ("advocates", "handle"),
    ("advocates", "department"),
    ("platforms", "platform"),
]

READER_PERMS = [f"{app}.view_{model}" for app, model in CONTENT_MODELS]

ADVOCATE_PERMS = READER_PERMS + [
    "articles.add_article",
    "casestudies.add_casestudy",
    "casestudies.add_metric",
    "research.add_researchlink",
    "advocates.add_handle",
]

EDITOR_PERMS = (
    [
        f"{app}.{action}_{model}"
        for app, model in CONTENT_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    + [
        "casestudies.publish_casestudy",
        "research.publish_researchlink",
        "articles.publish_article",
    ]
    + [f"taggit.{action}_tag" for action in ("add", "change", "delete", "view")]
    + [f"taggit.{action}_taggeditem" for action in ("add", "change", "delete", "view")]
)

ROLE_PERMS = {READER: READER_PERMS, ADVOCATE: ADVOCATE_PERMS, EDITOR: EDITOR_PERMS}

# Each role holds what the roles before it hold.
RANKS = [READER, ADVOCATE, EDITOR]
EDITOR_ACTIONS = ("add", "change", "delete", "view", "publish")


def kind_role_perms(model: type[models.Model], kind: ContentKind) -> dict[str, list[str]]:
    """Each role's permissions on one kind: everyone views it, ``add_role`` and the roles
    above it add it, editors change, delete and publish it too."""
    granted = {}
    for role in RANKS:
        if role == EDITOR:
            actions = EDITOR_ACTIONS
        elif RANKS.index(role) >= RANKS.index(kind.add_role):
            actions = ("add", "view")
        else:
            actions = ("view",)
        granted[role] = [perm_name(model, action) for action in actions]
    return granted
