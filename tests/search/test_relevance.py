"""The search contract, run against whichever backend the database gives (SQLite FTS5 in
`make test-sqlite`, PostgreSQL full-text search in `make test-postgres`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kb.core.evidence import EvidenceLevel
from kb.core.models import Status
from kb.search import service
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    CaseStudyFactory,
    DepartmentFactory,
    PlatformFactory,
    ResearchLinkFactory,
)

FILLER = "Teams shared weekly updates about their projects with colleagues across the site."


def titles(results) -> list[str]:
    return [hit.title_html.replace("<mark>", "").replace("</mark>", "") for hit in results.hits]


@pytest.fixture
def corpus(advocate):
    """A small hand-made KB: where a word appears decides how it ranks."""
    return {
        "title": ArticleFactory(
            title="Recruitment on social media", summary=FILLER, body=FILLER, author=advocate
        ),
        "tag": ArticleFactory(
            title="A quiet success story", summary=FILLER, body=FILLER, tags=["recruitment"]
        ),
        "summary": ArticleFactory(
            title="What the council learned",
            summary="Their recruitment posts reached new audiences.",
            body=FILLER,
        ),
        "body": ArticleFactory(
            title="Notes from the workshop",
            summary=FILLER,
            body=f"{FILLER} We also talked about recruitment briefly. {FILLER}",
        ),
        "unrelated": ArticleFactory(title="Writing alt text", summary=FILLER, body=FILLER),
    }


def test_a_title_match_outranks_tags_which_outrank_summary_which_outranks_body(reader, corpus):
    results = service.search("recruitment", user=reader)
    assert titles(results) == [
        "Recruitment on social media",
        "A quiet success story",
        "What the council learned",
        "Notes from the workshop",
    ]
    assert results.total == 4


def test_matched_words_are_highlighted_and_the_rest_is_escaped(reader):
    ArticleFactory(title="<b>Bold</b> recruitment & more", summary="recruitment <script>x</script>")
    hit = service.search("recruitment", user=reader).hits[0]
    assert "<mark>recruitment</mark>" in hit.title_html.lower()
    assert "&lt;b&gt;" in hit.title_html and "&amp;" in hit.title_html
    unmarked = hit.snippet_html.replace("<mark>", "").replace("</mark>", "")
    assert "recruitment" in hit.snippet_html and "<" not in unmarked


def test_stemming_finds_other_forms_of_a_word(reader):
    ArticleFactory(title="One campaign that worked", summary=FILLER, body=FILLER)
    assert titles(service.search("campaigns", user=reader)) == ["One campaign that worked"]


def test_a_phrase_matches_only_words_in_that_order(reader):
    ArticleFactory(title="Employee advocacy at scale", summary=FILLER, body=FILLER)
    ArticleFactory(title="Advocacy by every employee", summary=FILLER, body=FILLER)
    assert titles(service.search('"employee advocacy"', user=reader)) == [
        "Employee advocacy at scale"
    ]
    assert service.search("employee advocacy", user=reader).total == 2


def test_minus_excludes_and_or_gives_alternatives(reader):
    ArticleFactory(title="Video on TikTok", summary=FILLER, body=FILLER)
    ArticleFactory(title="Video on YouTube", summary=FILLER, body=FILLER)
    ArticleFactory(title="Podcasts for staff", summary=FILLER, body=FILLER)
    assert titles(service.search("video -tiktok", user=reader)) == ["Video on YouTube"]
    assert sorted(titles(service.search("tiktok OR podcasts", user=reader))) == [
        "Podcasts for staff",
        "Video on TikTok",
    ]
    only_excluded = titles(service.search("-video", user=reader))
    assert only_excluded == ["Podcasts for staff"]


@pytest.mark.parametrize(("typed", "meant"), [("linkdin", "linkedin"), ("enagement", "engagement")])
def test_a_typo_still_finds_the_word_and_says_what_it_searched(reader, typed, meant):
    ArticleFactory(title="LinkedIn engagement for hospitals", summary=FILLER, body=FILLER)
    results = service.search(typed, user=reader)
    assert titles(results) == ["LinkedIn engagement for hospitals"]
    assert results.corrected_text == meant


def test_a_typo_inside_a_phrase_is_corrected_too(reader):
    ArticleFactory(title="LinkedIn engagement for hospitals", summary=FILLER, body=FILLER)
    results = service.search('"linkdin engagement"', user=reader)
    assert results.corrected_text == '"linkedin engagement"'
    assert results.total == 1


def test_nonsense_gives_no_results_and_no_correction(reader, corpus):
    results = service.search("qwxzvbn", user=reader)
    assert results.total == 0 and results.hits == [] and results.corrected_text == ""


def test_searching_a_tag_finds_what_carries_it(reader):
    CaseStudyFactory(title="Hiring nurses", summary=FILLER, tags=["crisis communication"])
    assert titles(service.search("crisis", user=reader)) == ["Hiring nurses"]


def test_every_type_is_searched_including_advocates(reader):
    CaseStudyFactory(title="Mastodon for a university", summary=FILLER)
    ResearchLinkFactory(title="Mastodon adoption survey", key_finding=FILLER)
    ArticleFactory(title="Starting on Mastodon", summary=FILLER, body=FILLER)
    profile = AdvocateProfileFactory(bio="I run our Mastodon instance.")
    profile.expertise.add("fediverse")
    results = service.search("mastodon", user=reader)
    assert {hit.doc_type for hit in results.hits} == {
        "casestudy",
        "research",
        "article",
        "advocate",
    }
    assert service.search("fediverse", user=reader).hits[0].url == profile.get_absolute_url()


def test_drafts_are_hidden_from_readers_but_found_by_their_author_marked_as_drafts(
    reader, advocate
):
    ArticleFactory(title="Draft about threads", status=Status.DRAFT, author=advocate)
    ArticleFactory(title="Review about threads", status=Status.IN_REVIEW, author=advocate)
    ArticleFactory(
        title="Scheduled about threads",
        author=advocate,
        published_at=timezone.now() + timedelta(days=3),
    )
    assert service.search("threads", user=reader).total == 0
    own = service.search("threads", user=advocate)
    assert own.total == 3
    assert all(hit.is_draft for hit in own.hits)


def test_equal_matches_rank_stronger_evidence_then_newer_first(reader):
    now = timezone.now()
    for title, level, age in [
        ("Weak new", EvidenceLevel.ANECDOTE, 1),
        ("Strong old", EvidenceLevel.INDEPENDENTLY_VERIFIED, 300),
        ("Strong new", EvidenceLevel.INDEPENDENTLY_VERIFIED, 2),
    ]:
        CaseStudyFactory(
            title=title,
            summary="Volunteers recruited online.",
            evidence_level=level,
            published_at=now - timedelta(days=age),
        )
    assert titles(service.search("volunteers", user=reader)) == [
        "Strong new",
        "Strong old",
        "Weak new",
    ]


def test_sort_by_newest_ignores_rank(reader, corpus):
    newest = ArticleFactory(title="Brand new", summary=FILLER, body="recruitment")
    results = service.search("recruitment", user=reader, sort="newest")
    assert results.hits[0].url == newest.get_absolute_url()


def test_facet_counts_follow_the_query_and_combine(reader):
    linkedin, tiktok = (
        PlatformFactory(slug="linkedin", name="LinkedIn"),
        PlatformFactory(slug="tiktok", name="TikTok"),
    )
    CaseStudyFactory(title="Nurses on video", year=2023, platforms=[linkedin], tags=["health"])
    CaseStudyFactory(title="Teachers on video", year=2024, platforms=[tiktok], tags=["education"])
    ArticleFactory(title="Video tips", tags=["health"])
    ArticleFactory(title="Unrelated", tags=["health"])

    facets = service.search("video", user=reader).facets
    counts = {name: {f.value: f.count for f in values} for name, values in facets.items()}
    assert counts["type"] == {"casestudy": 2, "article": 1}
    assert counts["tag"] == {"health": 2, "education": 1}
    assert counts["platform"] == {"linkedin": 1, "tiktok": 1}
    assert counts["year"]["2023"] == 1 and counts["year"]["2024"] == 1

    narrowed = service.search("video", user=reader, filters={"tag": "health", "type": "casestudy"})
    assert titles(narrowed) == ["Nurses on video"]
    assert {f.value: f.count for f in narrowed.facets["platform"]} == {"linkedin": 1}


def test_department_and_evidence_facets(reader):
    comms = DepartmentFactory(slug="comms", name="Communications")
    author = AdvocateProfileFactory(department=comms).user
    ArticleFactory(title="Podcast guide", author=author)
    CaseStudyFactory(title="Podcast pilot", evidence_level=EvidenceLevel.MEASURED)
    results = service.search("podcast", user=reader, filters={"department": "comms"})
    assert titles(results) == ["Podcast guide"]
    measured = service.search("podcast", user=reader, filters={"evidence": "3"})
    assert titles(measured) == ["Podcast pilot"]


def test_results_are_paginated(reader):
    for n in range(7):
        ArticleFactory(title=f"Livestream lesson {n}", summary=FILLER, body=FILLER)
    first = service.search("livestream", user=reader, per_page=5)
    second = service.search("livestream", user=reader, per_page=5, page=2)
    assert first.total == 7 and len(first.hits) == 5 and len(second.hits) == 2
    assert not {h.url for h in first.hits} & {h.url for h in second.hits}
    assert service.search("livestream", user=reader, per_page=5, page="999").page.number == 2


@pytest.mark.parametrize("score_by_id_limit", [1000, 0])
def test_the_best_matches_come_first_whichever_way_they_are_scored(
    reader, monkeypatch, score_by_id_limit
):
    # Few hits are scored by id; many are ranked in the database, which returns only the
    # best few, and a filter that removes all of those makes search score every match.
    monkeypatch.setattr(service, "SCORE_BY_ID_LIMIT", score_by_id_limit)
    for n in range(110):
        ArticleFactory(title=f"Webinar series part {n}", summary=FILLER, tags=["events"])
    best = ArticleFactory(title="Webinar", summary="Webinar webinar.", tags=["events"])
    weak = ArticleFactory(title="Notes", summary=FILLER, body="one webinar", tags=["rare"])
    top = service.search("webinar", user=reader, per_page=1).hits[0]
    assert top.url == best.get_absolute_url()
    results = service.search("webinar", user=reader, filters={"tag": "rare"}, per_page=1)
    assert results.total == 1 and results.hits[0].url == weak.get_absolute_url()


@pytest.mark.parametrize("score_by_id_limit", [1000, 0])
@pytest.mark.parametrize("scan_threshold", [2000, 0])
def test_heading_matches_lead_and_the_best_body_matches_fill_the_page(
    reader, monkeypatch, score_by_id_limit, scan_threshold
):
    # Only the tiers that fill the page are scored: the title match, the summary match,
    # then the best of many body-only matches, scored by id or ranked in the database.
    monkeypatch.setattr(service, "SCORE_BY_ID_LIMIT", score_by_id_limit)
    monkeypatch.setattr(service, "ORDER_SCAN_THRESHOLD", scan_threshold)
    now = timezone.now()
    body = f"{FILLER} We ran a webinar. {FILLER}"
    for n in range(120):
        ArticleFactory(
            title=f"Weekly notes {n}", summary=FILLER, body=body, published_at=now - timedelta(n)
        )
    ArticleFactory(
        title="Team diary",
        summary=FILLER,
        body="Webinar, webinar.",
        published_at=now - timedelta(200),
    )
    ArticleFactory(title="Webinar basics", summary=FILLER, body=FILLER)
    ArticleFactory(title="Autumn plans", summary="A webinar series.", body=FILLER)
    results = service.search("webinar", user=reader, per_page=5)
    assert results.total == 123
    found = titles(results)
    assert found[:2] == ["Webinar basics", "Autumn plans"]
    # Body matches are scored too: the denser mention first.
    assert found[2] == "Team diary"
    assert len(set(found)) == 5


def test_newest_first_is_the_same_whichever_way_it_is_found(reader, monkeypatch):
    now = timezone.now()
    for age in (5, 1, 3):
        ArticleFactory(title=f"Podcast {age}", published_at=now - timedelta(days=age))
    expected = ["Podcast 1", "Podcast 3", "Podcast 5"]
    assert titles(service.search("podcast", user=reader, sort="newest")) == expected
    monkeypatch.setattr(service, "ORDER_SCAN_THRESHOLD", 0)  # walk the date order instead
    assert titles(service.search("podcast", user=reader, sort="newest")) == expected


def test_a_title_match_in_a_long_document_outranks_a_tag_match_in_a_short_one(reader):
    long_body = " ".join([FILLER] * 40)
    ArticleFactory(title="A short note", summary="Brief.", body="Brief.", tags=["recruiting"])
    ArticleFactory(title="Recruiting nurses", summary=long_body, body=long_body)
    assert titles(service.search("recruiting", user=reader)) == [
        "Recruiting nurses",
        "A short note",
    ]


def test_title_matches_on_the_many_hits_path_still_meet_the_query_and_filters(
    reader, advocate, monkeypatch
):
    # With many hits, the title tier is found from the title words alone: a title match
    # that misses another word of the query, is someone else's draft or lacks the chosen
    # tag must still stay off the page.
    monkeypatch.setattr(service, "SCORE_BY_ID_LIMIT", 0)
    ArticleFactory(title="Webinar checklist", summary=FILLER, body=FILLER, tags=["events"])
    ArticleFactory(
        title="Webinar draft", body="The recording.", status=Status.DRAFT, author=advocate
    )
    ArticleFactory(title="Webinar follow-up", body="Share the recording.", tags=["events"])
    ArticleFactory(title="Webinar tips", body="Post the recording.", tags=["video"])
    # A page of two: the title matches alone fill it, with no heading or body tier after.
    results = service.search("webinar recording", user=reader, per_page=2)
    assert sorted(titles(results)) == ["Webinar follow-up", "Webinar tips"]
    assert results.total == 2
    filtered = service.search(
        "webinar recording", user=reader, filters={"tag": "events"}, per_page=1
    )
    assert titles(filtered) == ["Webinar follow-up"]
