"""An item due for review ranks a little lower (its relevance × OVERDUE_FACTOR) than an
otherwise equal fresh one, on both databases; and it falls due without a re-index."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kb.search import service
from tests.factories import ArticleFactory
from tests.search.test_relevance import FILLER, titles


def twin(name: str, review_by: date):
    """Articles equal in everything search ranks by but their review date."""
    return ArticleFactory(
        title=f"Recruitment on social media ({name})",
        summary=FILLER,
        body=FILLER,
        review_by=review_by,
        published_at=timezone.now() - timedelta(days=3),
    )


def test_the_penalty_is_small_and_stated() -> None:
    assert service.OVERDUE_FACTOR == pytest.approx(0.8)


@pytest.mark.parametrize("stale_made_first", [True, False])
def test_an_item_due_for_review_ranks_below_an_equal_fresh_one(reader, stale_made_first) -> None:
    today = timezone.localdate()
    made = [("stale", today - timedelta(days=1)), ("fresh", today + timedelta(days=1))]
    for name, review_by in made if stale_made_first else reversed(made):
        twin(name, review_by)
    assert titles(service.search("recruitment", user=reader)) == [
        "Recruitment on social media (fresh)",
        "Recruitment on social media (stale)",
    ]


def test_it_still_outranks_a_clearly_weaker_match(reader) -> None:
    twin("stale", timezone.localdate() - timedelta(days=30))
    ArticleFactory(title="Notes from the workshop", summary=FILLER, body=f"{FILLER} recruitment")
    assert titles(service.search("recruitment", user=reader)) == [
        "Recruitment on social media (stale)",
        "Notes from the workshop",
    ]


def test_an_item_falls_due_by_the_calendar_alone(reader, monkeypatch) -> None:
    today = timezone.localdate()
    twin("later", today + timedelta(days=5))
    twin("sooner", today + timedelta(days=1))  # made last: first among equals
    before = titles(service.search("recruitment", user=reader))
    assert before[0].endswith("(sooner)")
    # Two days on, nothing written to the index: "sooner" is now due for review.
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(days=2))
    after = titles(service.search("recruitment", user=reader))
    assert after == list(reversed(before))
