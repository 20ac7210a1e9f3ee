"""What an item proves, in one line: the contract between kinds of content and the pages
that sum many kinds up (an evidence brief, its PDF and Markdown exports).

A content model that has a headline result implements ``headline()`` (see
``kb.core.models.Content``) and names what it reads in ``HEADLINE_SELECT`` /
``HEADLINE_PREFETCH``, so a page of many items fetches them in one query per kind. A kind
whose headline is a measured change also says it in SQL (``headline_gain()``), so the home
page can rank the strongest results of every kind without reading every item.
"""

from dataclasses import dataclass
from typing import Any

from kb.core.measures import Change


@dataclass(frozen=True)
class Headline:
    """``label``: what was measured or found ("Cost per hire", "Key finding"); ``text``:
    the result as people read it ("£1,200 → £900, −25%"); ``improved``: whether a measured
    change went the better way (None when it is not a measure, or unknown); ``source``: the
    register's source the result comes from, whose rating a reader should weigh;
    ``change``: the measured change itself, for pages that word or draw it."""

    label: str
    text: str
    improved: bool | None = None
    source: Any = None
    change: Change | None = None
