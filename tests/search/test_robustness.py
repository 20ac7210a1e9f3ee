"""Whatever anyone types, search answers with a page: never an error (both backends)."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.search import service
from tests.factories import ArticleFactory, CaseStudyFactory

URL = reverse("search:results")

# Text that stresses query parsers: operators of FTS5, tsquery and SQL, quotes, control
# characters, emoji and right-to-left scripts, mixed with ordinary words.
TRICKY = st.sampled_from(
    ['"', "'", "-", "*", "^", ":", "(", ")", "NEAR", "AND", "OR", "NOT", "&", "|", "!", "<->",
     "\\", "%", "_", ";", "--", "/*", "\x00", "\x02", "\x03", "🙂", "مرحبا", "שלום", "\u202e",
     "linkedin", "video", "campaign", "e-mail", "OR OR", '"unclosed', "DROP TABLE"]
)  # fmt: skip
QUERIES = st.one_of(
    st.text(max_size=200),
    st.lists(TRICKY, max_size=12).map(" ".join),
    st.lists(st.one_of(TRICKY, st.text(max_size=8)), max_size=10).map("".join),
)


@pytest.fixture
def some_content(db):
    ArticleFactory(title="LinkedIn video campaign", tags=["video"])
    CaseStudyFactory(title="E-mail newsletter for staff", summary="A campaign that worked.")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=QUERIES)
def test_any_query_returns_results_or_nothing_never_an_error(reader, some_content, text):
    results = service.search(text, user=reader)
    assert results.total >= 0
    assert len(results.hits) <= results.total + results.partial_total


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=QUERIES, tag=st.text(max_size=30), year=st.text(max_size=6))
def test_the_page_always_answers_200(reader_client, some_content, text, tag, year):
    response = reader_client.get(URL, {"q": text, "tag": tag, "year": year, "page": year})
    # A NUL character is refused before any view (kb.core.middleware): a clear 400.
    assert response.status_code == (400 if "\x00" in text + tag + year else 200)


@pytest.mark.parametrize(
    "text",
    ['"unbalanced', "NEAR(a b)", "a* ^b c:d", "'; DROP TABLE search_indexentry; --", "\x00",
     "x" * 10_000, "🙂" * 500, "مرحبا بالعالم", "-", "OR", "-linkedin -video",
     " ".join(["linkedin"] * 300)],
)  # fmt: skip
def test_hostile_queries_give_a_page(reader_client, some_content, text):
    response = reader_client.get(URL, {"q": text})
    if "\x00" in text:
        assert response.status_code == 400
        assert b"Bad request" in response.content
        return
    assert response.status_code == 200
    assert b"result" in response.content
