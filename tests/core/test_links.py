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


def test_a_plain_view_url_equals_reverse_under_any_prefix() -> None:
    from kb.core.links import view_url

    assert view_url("evidence_levels") == reverse("evidence_levels")
    try:
        set_script_prefix("/kb/")
        assert view_url("evidence_levels") == reverse("evidence_levels")
        assert view_url("evidence_levels").startswith("/kb/")
    finally:
        set_script_prefix("/")


def test_a_tag_links_to_its_topic_and_one_no_address_can_carry_is_shown_unlinked() -> None:
    from django.template.loader import render_to_string
    from taggit.models import Tag

    linked = render_to_string("includes/tag.html", {"tag": Tag(name="Video", slug="video")})
    assert f'<a class="tag" href="{reverse("tag_detail", args=["video"])}">Video</a>' in linked
    odd = render_to_string("includes/tag.html", {"tag": Tag(name="Odd one", slug="odd one")})
    assert '<span class="tag">Odd one</span>' in odd
    assert "href" not in odd
