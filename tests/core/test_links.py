"""Fast content links are exactly what reverse() gives, under any script prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from kb.core.links import slug_url


@pytest.mark.parametrize("slug", ["a", "start-small-on-linkedin", "report_2024-2", "X9"])
def test_a_slug_url_equals_reverse(slug: str) -> None:
    for view in ("articles:detail", "casestudies:detail", "research:detail"):
        assert slug_url(view, slug) == reverse(view, args=[slug])


def test_a_site_served_under_a_path_prefix_gets_prefixed_links() -> None:
    try:
        set_script_prefix("/kb/")
        assert slug_url("articles:detail", "habits") == "/kb/articles/habits/"
        assert slug_url("articles:detail", "habits") == reverse("articles:detail", args=["habits"])
    finally:
        set_script_prefix("/")
    assert slug_url("articles:detail", "habits") == "/articles/habits/"


@pytest.mark.parametrize("slug", ["", "not a slug", "../etc"])
def test_what_is_not_a_slug_fails_as_reverse_does(slug: str) -> None:
    with pytest.raises(NoReverseMatch):
        slug_url("articles:detail", slug)
