"""Hit sets travel as bit sets: from the database as 64-bit words, back to ids for paging."""

import pytest
from django.contrib.contenttypes.models import ContentType
from hypothesis import given
from hypothesis import strategies as st

from kb.search.backends import get_backend
from kb.search.bitsets import bits_from_words, bits_of, ids_of
from kb.search.models import IndexEntry
from kb.search.query import parse

ids = st.lists(st.integers(min_value=0, max_value=5000), max_size=300)


@given(ids)
def test_ids_come_back_from_their_bit_set_in_order(some_ids):
    assert ids_of(bits_of(some_ids)) == sorted(set(some_ids))


@given(ids)
def test_words_from_the_database_make_the_same_bit_set(some_ids):
    words: dict[int, int] = {}
    for pk in some_ids:
        words[pk >> 6] = words.get(pk >> 6, 0) | 1 << (pk & 63)
    # A database's 64-bit integers are signed: bit 63 arrives as the sign.
    signed = [(n, w - (1 << 64) if w >= 1 << 63 else w) for n, w in words.items()]
    assert bits_from_words(signed) == bits_of(some_ids)


def test_no_words_is_the_empty_set():
    assert bits_from_words([]) == 0
    assert ids_of(0) == []


@pytest.mark.django_db
def test_backend_matches_ids_on_word_boundaries():
    """Ids 63 and 127 are each the top bit of a word, which the database sees as its sign."""
    content_type = ContentType.objects.get_for_model(IndexEntry)
    for pk in (1, 62, 63, 64, 127, 128, 200):
        IndexEntry.objects.create(
            pk=pk,
            content_type=content_type,
            object_id=pk,
            is_published=True,
            doc_type="article",
            url=f"/x/{pk}/",
            title="Hospital recruitment" if pk != 62 else "Council budget",
        )
    backend = get_backend()
    assert ids_of(backend.match(parse("recruitment"))) == [1, 63, 64, 127, 128, 200]
    assert ids_of(backend.field_matches(parse("budget"), "title")) == [62]
