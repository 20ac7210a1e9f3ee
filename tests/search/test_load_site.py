"""The whole-site load test at a tiny scale, so `make load` cannot rot between runs: every
page type of the mix answers, the writes go through the site's own forms, the ceiling is
measured, and the report says whether the targets were met. It times nothing."""

import asyncio
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from kb.articles.models import Article
from kb.comments.models import Comment
from kb.search.benchmark import load, readonly, site
from kb.search.management.commands import load_test
from tests.search.test_benchmark import bench_var, generated, one_request_at_a_time

__all__ = ["bench_var", "one_request_at_a_time"]  # fixtures shared with the search benchmark

pytestmark = pytest.mark.usefixtures("bench_var")


# The live server needs committed data; serialized_rollback restores the role groups.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_mix_opens_every_page_type_and_writes_through_the_forms(one_request_at_a_time):
    description = generated().description
    roles = [site.READER, site.ADVOCATE, site.EDITOR]
    people = load_test.prepare_people(roles, "Load-password-1")
    pages, commentable = load_test.page_paths()
    base = one_request_at_a_time.url

    async def sign_in():
        return [
            site.Person(
                role, await load.sign_in(base, reverse("login"), name, "Load-password-1"), t
            )
            for name, role, t in people
        ]

    plan = site.SitePlan(
        base=base,
        people=asyncio.run(sign_in()),
        pages=pages,
        searches=[p for ps in readonly.query_mix(description).values() for p in ps],
        search_path=reverse("search:results"),
        commentable=commentable,
        dashboard_path=reverse("departments:dashboard"),
        requests=80,
        write_every=4,
        ceiling_duration=0.5,
        floor_path=reverse("notifications:list"),
    )
    comments = Comment.objects.count()
    ceiling, floor, mix = site.run(plan)
    assert not mix.errors and not ceiling.errors, (mix.errors, ceiling.errors)
    assert not floor.errors, floor.errors  # every client was signed in: no 302 to sign in
    assert ceiling.timing(site.CEILING).samples
    assert floor.timing(site.FLOOR).samples
    answered = {name for name, timing in mix.timings.items() if timing.samples}
    assert {"home", "list", "detail", "topic", "search", "edit form", "save edit"} <= answered
    assert Comment.objects.count() > comments
    advocate, targets = get_user_model().objects.get(username=people[1][0]), people[1][2]
    assert targets and advocate.groups.filter(name="Advocate").exists()
    assert all(
        item.author == advocate
        for item in Article.objects.filter(
            slug__in=[t.url.rstrip("/").split("/")[-1] for t in targets]
        )
    )


def test_the_facet_links_of_a_results_page_are_found() -> None:
    page = (
        '<aside class="facets" aria-label="Refine"><ul class="facet-values">'
        '<li><a href="/search/?q=video&amp;type=article">Articles</a> <span>3</span></li>'
        '<li><strong aria-current="true">All</strong></li></ul></aside>'
        '<main><li><a href="/articles/x/">X</a></li></main>'
    )
    assert site.facet_links(page) == ["/search/?q=video&type=article"]


def test_the_comment_form_for_a_new_comment_is_read_but_not_a_reply() -> None:
    page = (
        '<form method="post" action="/comments/on/article/x/"><input type="hidden" '
        'name="csrfmiddlewaretoken" value="t"><input type="hidden" name="parent" value="7">'
        '<textarea name="body"></textarea></form>'
        '<form method="post" action="/comments/on/article/x/"><input type="hidden" '
        'name="csrfmiddlewaretoken" value="t"><textarea name="body"></textarea></form>'
    )
    assert site.comment_form(page) == (
        "/comments/on/article/x/",
        [("csrfmiddlewaretoken", "t"), ("body", "")],
    )


@pytest.mark.parametrize("clients", [1, 3, 10, 50])
def test_every_role_has_a_client_and_readers_most(clients: int) -> None:
    roles = load_test.roles_for(clients)
    assert len(roles) == clients
    if clients >= 3:
        assert set(roles) == {site.READER, site.ADVOCATE, site.EDITOR}
        assert roles.count(site.READER) >= roles.count(site.ADVOCATE)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("kb", False), ("kb_dev", False), ("kb_load_corpus", True), ("kb_bench", True)],
)
def test_only_a_database_named_for_load_tests_takes_the_corpus(name: str, allowed: bool):
    assert load_test.is_load_database(name) is allowed


def test_the_command_refuses_a_database_not_named_for_load_tests(db, monkeypatch):
    monkeypatch.setattr(load_test, "is_load_database", lambda name: False)
    with pytest.raises(CommandError, match="Refusing"):
        call_command("load_test", docs=10, stdout=io.StringIO())
    assert not get_user_model().objects.filter(username__startswith="load-").exists()


def test_the_command_times_single_pages_in_process(db, monkeypatch, settings):
    monkeypatch.setattr(load_test, "is_load_database", lambda name: True)
    settings.DEBUG = False
    generated()
    out = io.StringIO()
    call_command("load_test", pages=True, stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "corpus: kept" in text
    for page in ("home", "topic, popular", "search + tag", "dashboard"):
        line = next(line for line in text.splitlines() if line.startswith(page))
        assert "(" not in line, f"{page} did not answer 200: {line}"
