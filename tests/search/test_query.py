"""Parsing what people type: web-search syntax reduced to safe words."""

import pytest

from kb.search.query import MAX_CLAUSES, parse


def _shape(text: str) -> list[tuple[bool, list[tuple[str, ...]]]]:
    return [(c.negated, [t.words for t in c.alternatives]) for c in parse(text).clauses]


def test_words_are_anded_and_lowercased():
    assert _shape("LinkedIn Recruitment") == [
        (False, [("linkedin",)]),
        (False, [("recruitment",)]),
    ]


def test_quotes_make_a_phrase_and_minus_excludes():
    assert _shape('"employee advocacy" -tiktok') == [
        (False, [("employee", "advocacy")]),
        (True, [("tiktok",)]),
    ]


def test_or_joins_alternatives_and_lowercase_or_is_a_word():
    assert _shape("linkedin OR mastodon") == [(False, [("linkedin",), ("mastodon",)])]
    assert _shape("this or that") == [
        (False, [("this",)]),
        (False, [("or",)]),
        (False, [("that",)]),
    ]


def test_an_unbalanced_quote_runs_to_the_end():
    assert _shape('"unbalanced quote') == [(False, [("unbalanced", "quote")])]


@pytest.mark.parametrize(
    "text",
    ["NEAR(a b)", "a* ^b c:d", "'; DROP TABLE x; --", '"""', "\x00", "🙂🙂", "-", "OR", ""],
)
def test_operators_and_punctuation_never_reach_the_backends(text):
    for clause in parse(text).clauses:
        for term in clause.alternatives:
            assert all(word.isalnum() for word in term.words)


def test_right_to_left_text_is_kept():
    assert parse("مرحبا بالعالم").words() == ["مرحبا", "بالعالم"]


def test_huge_queries_are_capped():
    query = parse(" ".join(f"w{i}" for i in range(5000)) + "x" * 10_000)
    assert len(query.clauses) <= MAX_CLAUSES
    assert all(len(word) <= 64 for word in query.words())


def test_text_round_trips_the_syntax():
    assert parse('"a b" OR c -d').text() == '"a b" OR c -d'
