"""The search benchmark at a tiny scale, so its code paths cannot rot between runs.

These check that the corpus has the shape the figures depend on and that every step runs
through the site's public paths; they time nothing.
"""

import asyncio
import io
import itertools
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from kb.core.models import Status
from kb.core.registry import kinds
from kb.search.benchmark import corpus, load, readonly
from kb.search.benchmark.corpus import Shape
from kb.search.management.commands import bench_search

pytestmark = pytest.mark.usefixtures("bench_var")


@pytest.fixture
def bench_var(settings, tmp_path):
    """The corpus description goes to a temporary var/ rather than the project's."""
    settings.BASE_DIR = tmp_path


def generated(documents: int = 200) -> corpus.Generated:
    shape = Shape.for_documents(documents, edits=0.2)
    result = corpus.generate(shape)
    call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    corpus.edit_history(shape)
    return result


def test_the_corpus_has_every_registered_kind_with_drafts_scheduled_and_trashed_items(db):
    result = generated()
    now = timezone.now()
    assert result.documents == 200
    for model, _ in kinds():
        items = model.all_objects.all()
        assert items.exists(), model
    everything = [model.all_objects.all() for model, _ in kinds()]
    assert any(q.filter(status=Status.DRAFT).exists() for q in everything)
    assert any(q.filter(status=Status.PUBLISHED, published_at__gt=now).exists() for q in everything)
    assert any(q.filter(deleted_at__isnull=False).exists() for q in everything)
    assert Tag.objects.filter(slug__startswith="bench-").count() == Shape.for_documents(200).tags


def test_the_edit_history_saves_items_again_as_new_versions(db):
    generated()
    edited = sum(model.all_objects.filter(version__gt=1).count() for model, _ in kinds())
    assert edited > 0


def test_the_description_names_broad_words_with_their_share_of_documents(db):
    description = generated().description
    assert description.broad
    assert all(0 < share <= 1 for share in description.broad.values())
    assert corpus.Description.load() == description


def test_a_corpus_owner_owns_content_of_several_kinds(db):
    generated()
    owners = get_user_model().objects.filter(username__startswith="bench-owner-")
    assert owners.count() == Shape.for_documents(200).owners
    kinds_owned = sum(
        model.all_objects.filter(**{f"{model.OWNER_FIELD}__in": owners}).exists()
        for model, _ in kinds()
    )
    assert kinds_owned == len(kinds())


def test_the_read_only_mix_runs_every_class_through_the_search_page_and_the_baseline(db, reader):
    description = generated().description
    client = Client()
    client.force_login(reader)
    results = readonly.run(client, description, rounds=1, per_class=2)
    names = [timing.name for timing, _ in results]
    assert {"broad word", "broad AND", "broad OR", "phrase", "facets"} <= set(names)
    for timing, baseline in results:
        assert timing.samples and len(baseline.samples) == len(timing.samples)
        assert all(queries > 0 for queries in timing.queries)


def test_the_naive_baseline_counts_published_items_holding_every_word(db):
    generated()
    model = kinds()[0][0]
    item = model.objects.published().first()
    word = item.title.split()[0].lower()
    total, page = readonly.naive_search({"q": word})
    expected = sum(
        m.objects.published().filter(Q(title__icontains=word)).count() for m, _ in kinds()
    )
    assert total >= expected > 0
    assert page == sorted(page, reverse=True)


def test_the_edit_form_is_read_back_with_every_field_as_rendered(db, editor_client):
    generated()
    model, kind = kinds()[0]
    item = model.objects.published().first()
    namespace = kind.list_url.split(":")[0]
    url = reverse(f"{namespace}:edit", kwargs={"slug": item.slug})
    page = editor_client.get(url).content.decode()
    action, fields = load.edit_form(page)
    names = [name for name, _ in fields]
    assert "csrfmiddlewaretoken" in names and "base_version" in names
    assert dict(fields)["title"] == item.title
    fields = [(n, f"{v} changed" if n == "title" else v) for n, v in fields]
    answer = editor_client.post(action or url, dict_of_lists(fields))
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.title.endswith(" changed")


def dict_of_lists(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


@pytest.fixture
def one_request_at_a_time(live_server):
    """The live server's threads share the test database's one connection (SQLite in
    memory), so concurrent transactions would trip over each other's savepoints: serve a
    request at a time. The clients still run concurrently. It plays two workers: its
    answers say they were served by worker 1 and worker 2 in turn."""
    server = live_server.thread.httpd
    app, lock = server.get_app(), threading.Lock()
    turns = itertools.cycle(["1", "2"])

    def serial(environ, start_response):
        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, (load.SERVED_BY, served_by)], exc_info)

        with lock:
            served_by = next(turns)
            return app(environ, start)

    server.set_app(serial)
    yield live_server
    server.set_app(app)


# The live server needs committed data; serialized_rollback restores the role groups.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_mixed_load_writes_through_the_form_and_finds_each_write_on_every_worker(
    one_request_at_a_time,
):
    generated()
    reader, editor, password = bench_search.bench_users()
    base = one_request_at_a_time.url

    async def sessions():
        login = reverse("login")
        return (
            await load.sign_in(base, login, reader, password),
            await load.sign_in(base, login, editor, password),
        )

    reader_session, editor_session = asyncio.run(sessions())
    plan = load.LoadPlan(
        base=base,
        workers=2,  # each write must be found by both
        search_path=reverse("search:results"),
        searches=[{"q": "linkedin"}, {"q": "video OR podcast"}],
        readers=[reader_session, reader_session],
        editors=[editor_session, editor_session],
        targets=bench_search.edit_targets(limit=10),
        clients=2,
        duration=2,
        write_every=3,
    )
    result = load.run_load(plan)
    assert not result.errors, result.errors
    assert result.searches.samples and result.writes.samples
    assert len(result.freshness) == len(result.writes.samples)
    assert None not in result.freshness, result.freshness


def test_the_command_prints_its_tables_for_a_small_corpus(db, monkeypatch):
    monkeypatch.setattr(bench_search, "is_benchmark_database", lambda name: True)
    out = io.StringIO()
    call_command(
        "bench_search",
        docs=200,
        rounds=1,
        per_class=1,
        no_load=True,
        stdout=out,
        stderr=io.StringIO(),
    )
    text = out.getvalue()
    assert "broad words" in text and "edit history" in text
    assert "naive p50" in text and "search-as-you-type" in text


def test_the_command_refuses_a_database_not_named_for_the_benchmark(db, monkeypatch):
    monkeypatch.setattr(bench_search, "is_benchmark_database", lambda name: False)
    with pytest.raises(CommandError, match="Refusing"):
        call_command("bench_search", docs=10, stdout=io.StringIO())
    assert not get_user_model().objects.filter(username__startswith="bench-").exists()


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("kb", False), ("/srv/var/kb.sqlite3", False), ("kb_bench", True), ("bench.sqlite3", True)],
)
def test_only_a_database_named_for_the_benchmark_takes_its_corpus(name: str, allowed: bool):
    assert bench_search.is_benchmark_database(name) is allowed


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            '<form method="post"><input name="csrfmiddlewaretoken" value="t">'
            '<input name="title" value="A &amp; B"><textarea name="body">\nline</textarea>'
            '<select name="kind"><option value="a">A</option><option value="b" selected>B'
            '</option></select><select name="p" multiple><option value="1" selected>1</option>'
            '<option value="2">2</option><option value="3" selected>3</option></select>'
            '<input type="checkbox" name="c" value="x"><input type="checkbox" name="d" checked>'
            '<button name="submit_for_review">Submit</button></form>',
            [
                ("csrfmiddlewaretoken", "t"),
                ("title", "A & B"),
                ("body", "line"),
                ("kind", "b"),
                ("p", "1"),
                ("p", "3"),
                ("d", "on"),
            ],
        ),
        (
            '<form method="get"><input name="q"></form><form method="post">'
            '<input name="csrfmiddlewaretoken" value="t"><input name="title" value="">'
            '<select name="s"><option value="">—</option><option value="1">1</option></select>'
            "</form>",
            [("csrfmiddlewaretoken", "t"), ("title", ""), ("s", "")],
        ),
    ],
)
def test_the_form_reader_submits_what_a_browser_would(page: str, expected: list) -> None:
    assert load.edit_form(page)[1] == expected


def test_the_form_reader_refuses_a_page_without_an_edit_form() -> None:
    with pytest.raises(ValueError, match="no edit form"):
        load.edit_form('<form method="post"><input name="q"></form>')


class _Workers:
    """Searches answered by two workers in turn; only ``fresh`` ones show the item."""

    def __init__(self, fresh: set[str]) -> None:
        self.turns = itertools.cycle(["1", "2"])
        self.fresh = fresh

    async def get(self, url: str, params: dict | None = None) -> load.Response:
        worker = next(self.turns)
        body = '<a href="/item/">' if worker in self.fresh else "No results"
        return load.Response(200, [(load.SERVED_BY, worker)], body)


@pytest.mark.parametrize(("fresh", "found"), [({"1", "2"}, True), ({"1"}, False)])
def test_a_write_is_fresh_only_once_every_worker_has_found_it(fresh: set[str], found: bool):
    plan = load.LoadPlan(
        base="http://127.0.0.1:1",
        workers=2,
        search_path="/search/",
        searches=[],
        readers=[],
        editors=[],
        targets=[],
        freshness_timeout=0.3,
        poll_interval=0.01,
    )
    target = load.Target("/item/edit/", "/item/")
    waited = asyncio.run(
        load._until_found(plan, _Workers(fresh), target, ("benchfresh", time.perf_counter()))
    )
    assert (waited is not None) is found
