"""What each role may do, as Django permissions; the data migration and tests read this."""

from kb.core.permissions import ADVOCATE, EDITOR, READER

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
