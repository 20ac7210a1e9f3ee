"""The permission matrix: every URL pattern × every role × its methods → the status the
access rules in ``access_rules.py`` say, so nobody reaches what they should not, and a new
view without a rule fails here, by name.

The patterns are not listed by hand: they are walked from the URLconf (the admin's
per-model pages from ``admin.site._registry``), and each is reversed with the objects of
one world built for the test: an owner's published item, draft and trashed item of every
kind, a revision, a notification of each user, a private and a public question, a brief
and a learning path with a reader's progress, feed and unsubscribe tokens, a comment, a
department, a tag, a platform, a source and an upload. Every request runs in a savepoint
that is rolled back, so a POST that succeeds changes nothing for the next one, and one
test reports every mismatch at once as a table.
"""

import logging
import re
from collections.abc import Iterator
from dataclasses import astuple, dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from kb.collections.models import Kind as CollectionKind
from kb.collections.services import step_mark
from kb.comments import services as comment_services
from kb.core.models import Status
from kb.core.registry import kinds
from kb.follows.digests import unsubscribe_token
from kb.follows.models import Digest, DigestPreference, Frequency
from kb.follows.services import follow_add
from kb.freshness.services import content_verify
from kb.home.feeds import feed_token
from kb.home.models import FeedKey
from kb.questions.models import Routing
from kb.questions.services import moderate
from kb.revisions.services import revision_record
from kb.search.models import Synonym
from kb.uploads.models import Image, ImageFormat
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.collections.factories import CollectionFactory, CollectionItemFactory
from tests.departments.factories import StageChangeFactory
from tests.factories import (
    CommentFactory,
    DepartmentFactory,
    NotificationFactory,
    PlatformFactory,
    SourceFactory,
    content_factory,
)
from tests.questions.factories import AnswerFactory, QuestionFactory
from tests.security.access_rules import (
    ADMIN_NON_STAFF,
    ADMIN_OVERRIDES,
    ADMIN_VIEWS,
    FORBIDDEN,
    OK,
    REDIRECT,
    ROLES,
    RULES,
    Expectation,
    expectation_name,
    matches,
)
from tests.uploads.images import image_bytes

User = get_user_model()

# The admin's own pages for one registered model, which the admin test covers generically.
ADMIN_MODEL_PAGE = re.compile(r"^admin:(?P<app>[a-z_0-9]+)_(?P<model>[a-z0-9]+)_(?P<view>\w+)$")
# The admin's old address of an object (unnamed), which redirects to its change page.
ADMIN_OBJECT_REDIRECT = re.compile(
    r"^admin/(?P<app>[a-z_0-9]+)/(?P<model>[a-z0-9]+)/<path:object_id>/$"
)


# What the workflow's action page is asked for, on an item in each state.
ACTIONS = {"published": Action.UNPUBLISH, "draft": Action.SUBMIT, "trash": Action.RESTORE}


# The URLconf, walked ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name ("namespace:name", or its route if it has none) and the
    parameters its address takes."""

    name: str
    parameters: tuple[str, ...]


def _walk(patterns=None, namespace: str = "", prefix: str = "", params=()) -> Iterator[Route]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        own = tuple(pattern.pattern.regex.groupindex)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, route, params + own)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else route
            yield Route(name, params + own)


def routes() -> dict[str, Route]:
    """Every pattern of the URLconf, by name, apart from the admin's per-model pages."""
    found = {}
    for route in _walk():
        match = ADMIN_MODEL_PAGE.match(route.name)
        if match and match["view"] in ADMIN_VIEWS and _registered(match["app"], match["model"]):
            continue
        match = ADMIN_OBJECT_REDIRECT.match(route.name)
        if match and _registered(match["app"], match["model"]):
            continue
        found.setdefault(route.name, route)
    return found


def _registered(app_label: str, model_name: str) -> bool:
    return any(
        model._meta.app_label == app_label and model._meta.model_name == model_name
        for model in admin.site._registry
    )


# The world ---------------------------------------------------------------------------------


@dataclass
class World:
    """The signed-in session of each role and the addresses the rules name: each a dict of
    the values URL parameters take (``slug``, ``pk``, ``token``, …)."""

    sessions: dict[str, str | None] = field(default_factory=dict)
    addresses: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The namespace of each kind's own pages ("articles") → its model name ("article").
    kind_namespaces: dict[str, str] = field(default_factory=dict)

    def add(self, label: str, **values: Any) -> None:
        self.addresses[label] = values

    def address(self, route: Route, label: str) -> tuple[dict[str, Any], str]:
        """The URL parameters and query string a rule's address label stands for: a
        label names an address of the world, with an optional ``?query``; on a kind's own
        pages "draft" is that kind's draft."""
        label, _, query = label.partition("?")
        namespace = route.name.partition(":")[0]
        values = self.addresses.get(label)
        if values is None and namespace in self.kind_namespaces:
            values = self.addresses.get(f"{self.kind_namespaces[namespace]}-{label}")
        if values is None:
            raise KeyError(f"{route.name}: the world has no address {label!r}")
        missing = [name for name in route.parameters if name not in values]
        if missing:
            raise KeyError(f"{route.name}: address {label!r} gives no {', '.join(missing)}")
        return {name: values[name] for name in route.parameters}, query

    def path(self, route: Route, label: str) -> str:
        """The address a rule names: a path as it is (for a pattern without a name), or
        the pattern reversed with the world's objects."""
        if label.startswith("/"):
            return label
        kwargs, query = self.address(route, label)
        path = reverse(route.name, kwargs=kwargs)
        return f"{path}?{query}" if query else path


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _stored_image(uploader) -> Image:
    name = default_storage.save("images/2026/01/matrix.png", ContentFile(image_bytes("PNG")))
    return Image.objects.create(
        file=name, uploaded_by=uploader, width=64, height=48, size=1, format=ImageFormat.PNG
    )


@pytest.fixture
def world(reader, advocate, other_advocate, editor, admin_user, media_root) -> World:
    owner, other = advocate, other_advocate
    world = World()
    users = {
        "anonymous": None,
        "reader": reader,
        "owner": owner,
        "other": other,
        "editor": editor,
        "superuser": admin_user,
    }
    world.sessions = {role: user and _session(user) for role, user in users.items()}

    published_article = None
    for model, kind in kinds():
        name = model._meta.model_name
        world.kind_namespaces[kind.list_url.partition(":")[0]] = name
        make = content_factory(model)
        mine = {model.OWNER_FIELD: owner}
        items = {
            "published": make(tags=["matrix"], **mine),
            "draft": make(status=Status.DRAFT, published_at=None, **mine),
            "trash": make(**mine),
        }
        content_transition(item=items["trash"], action=Action.TRASH, user=owner)
        for state, item in items.items():
            world.add(
                f"{name}-{state}",
                kind=name,
                slug=item.slug,
                number=1,
                action=ACTIONS[state],
                extension="bib",
            )
        # Two revisions of the published item and the draft: history, compare, restore.
        for item in (items["published"], items["draft"]):
            revision_record(item=item, user=owner)
            model.all_objects.filter(pk=item.pk).update(version=item.version + 1)
            item.version += 1
            revision_record(item=item, user=owner)
        if model._meta.label == "articles.Article":
            published_article = items["published"]

    # A brief (the generic "collection-published") and a learning path a reader follows.
    path = CollectionFactory(kind=CollectionKind.PATH, created_by=owner, title="Path")
    step = CollectionItemFactory(collection=path, item=published_article)
    step_mark(collection=path, row=step, reader=reader, done=True)
    world.add("path", slug=path.slug, row=step.pk)
    brief = CollectionFactory(created_by=owner, items=[(published_article, "Why")])
    world.add("brief-row-on-path", slug=path.slug, row=brief.items.get().pk)

    mine = CommentFactory(target=published_article, author=owner)
    hidden = CommentFactory(target=published_article, author=other)
    comment_services.comment_hide(comment=hidden, editor=editor, reason="Off topic.")
    world.add("comment", pk=mine.pk)
    world.add("hidden-comment", pk=hidden.pk)
    on_draft = CommentFactory(
        target=content_factory(type(published_article))(
            status=Status.DRAFT, published_at=None, author=owner
        ),
        author=owner,
    )
    world.add("comment-on-draft", pk=on_draft.pk)

    for user in (reader, owner, other, editor, admin_user):
        notification = NotificationFactory(recipient=user, target=published_article)
        if user == owner:
            world.add("notification", pk=notification.pk)

    public = QuestionFactory(asker=owner, title="How do we start?")
    answer = AnswerFactory(question=public, author=other)
    private = QuestionFactory(asker=owner, title="A private matter", private=True)
    Routing.objects.create(question=private, advocate=other)
    hidden_question = QuestionFactory(asker=owner, title="Hidden by an editor")
    moderate(item=hidden_question, editor=editor, reason="Off topic.")
    world.add("hidden-question", pk=hidden_question.pk)
    world.add("question", pk=public.pk)
    world.add("private-question", pk=private.pk)
    world.add("answer", pk=answer.pk)

    department = owner.advocate_profile.department
    DepartmentFactory(name="Finance", slug="finance")
    platform = PlatformFactory(name="LinkedIn", slug="linkedin")
    follow_add(user=owner, target=platform)
    source = SourceFactory(name="Example Institute")
    world.add("department", slug=department.slug, chart="advocates")
    world.add("tag", slug="matrix")
    world.add("platform", slug=platform.slug, key="platform", pk=platform.pk)
    world.add("source", slug=source.slug)
    world.add("advocate", username=owner.username)

    token = feed_token(owner)
    world.add("feed", token=token, slug="matrix")
    world.add("feed-tampered", token=token[:-4] + "AAAA", slug="matrix")
    FeedKey.objects.create(user=other, key="before")
    retired = feed_token(other)
    FeedKey.objects.filter(user=other).update(key="after")
    world.add("feed-reset", token=retired, slug="matrix")
    world.add("feed-department", token=token, slug=department.slug)
    world.add("feed-advocate", token=token, slug=owner.username)
    world.add("feed-collection", token=token, slug=brief.slug)
    draft_collection = world.addresses["collection-draft"]["slug"]
    world.add("feed-collection-draft", token=token, slug=draft_collection)

    unsubscribe = unsubscribe_token(owner)
    world.add("unsubscribe", token=unsubscribe)
    world.add("unsubscribe-tampered", token=unsubscribe[:-4] + "AAAA")

    world.add("upload", name=_stored_image(owner).file.name)
    world.add("upload-unknown", name="images/2026/01/nothing.png")
    world.add("upload-outside", name="../settings.py")
    # A row of every model the admin lists, so each admin page is asked about a real one.
    StageChangeFactory(department=department)
    DigestPreference.objects.create(user=owner, frequency=Frequency.WEEKLY)
    now = timezone.now()
    Digest.objects.create(
        user=owner, frequency=Frequency.WEEKLY, period_start=now - timedelta(days=7), period_end=now
    )
    content_verify(item=published_article, user=owner)
    Synonym.objects.create(term="B2B", synonym="business to business")

    world.add("citation", extension="bib")
    world.add("app", app_label="articles")
    world.add(
        "view-on-site",
        content_type_id=ContentType.objects.get_for_model(published_article).pk,
        object_id=published_article.pk,
    )
    world.add("admin-user", id=owner.pk)
    world.add("-")
    # django-axes's record of failed sign-ins (signing in through force_login logs the rest).
    failed = {"user_agent": "pytest", "path_info": "/accounts/login/", "http_accept": "*/*"}
    AccessAttempt.objects.create(
        username="wendy", ip_address="10.1.1.1", failures_since_start=3, **failed
    )
    AccessFailureLog.objects.create(username="wendy", ip_address="10.1.1.1", **failed)
    return world


# Asking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    pattern: str
    address: str
    role: str
    method: str
    expected: str
    got: str


def _ask(world: World, role: str, method: str, path: str) -> HttpResponse:
    """One request as the role, in a savepoint rolled back afterwards: whatever it changed
    is undone before the next. A view's exception is answered as the 500 it would be."""
    client = Client(raise_request_exception=False)
    if world.sessions[role]:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    with transaction.atomic():
        response = getattr(client, method.lower())(path)
        if response.streaming:  # a stream's queries run as it is read: read it here
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response


def _got(response: HttpResponse) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        return f"{response.status_code} → {response['Location']}"
    if response.status_code == 500 and getattr(response, "exc_info", None):
        return f"500 ({response.exc_info[1]!r})"
    return str(response.status_code)


def _check(
    world: World, mismatches: list, pattern: str, label: str, method: str, row, path: str
) -> None:
    for role, expected in zip(ROLES, row, strict=True):
        if expected is None:
            continue
        response = _ask(world, role, method, path)
        if not matches(expected, response):
            mismatches.append(
                Mismatch(pattern, label, role, method, expectation_name(expected), _got(response))
            )


def _table(mismatches: list[Mismatch]) -> str:
    rows = [("pattern", "address", "role", "method", "expected", "got")]
    rows += [astuple(mismatch) for mismatch in mismatches]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    )


# The tests ------------------------------------------------------------------------------


def test_every_url_pattern_has_an_access_rule() -> None:
    found = routes()
    missing = [
        f"no access rule for {name!r} — add one to tests/security/access_rules.py"
        for name in sorted(found)
        if name not in RULES
    ]
    stale = [
        f"access rule for {name!r}, which is no URL pattern — remove it"
        for name in sorted(RULES)
        if name not in found
    ]
    incomplete = [
        f"access rule for {name!r} at {label!r} gives no {method} — every address gives GET "
        "and POST"
        for name, addresses in sorted(RULES.items())
        for label, methods in addresses.items()
        for method in ("GET", "POST")
        if method not in methods
    ]
    problems = missing + stale + incomplete
    assert not problems, "\n".join(problems)


@pytest.fixture(autouse=True)
def _quiet_refusals(caplog) -> None:
    """Thousands of 403s, 404s and 405s are what the matrix asks for: not worth a warning
    each (a 500 is still logged, as an error)."""
    caplog.set_level(logging.ERROR, logger="django.request")


def test_every_role_gets_what_the_access_rules_say(world: World) -> None:
    mismatches: list[Mismatch] = []
    for name, route in sorted(routes().items()):
        for label, methods in RULES.get(name, {}).items():
            path = world.path(route, label)
            for method, row in methods.items():
                _check(world, mismatches, name, label, method, row, path)
    assert not mismatches, f"{len(mismatches)} answers differ from access_rules.py:\n" + _table(
        mismatches
    )


def _admin_expectation(user, model, view: str) -> Expectation:
    """What a staff user gets on one admin page of a model: the page if they hold the
    model permission the admin asks for, else a 403."""
    opts = model._meta
    needs = {
        "changelist": ("view", "change"),
        "add": ("add",),
        "change": ("view", "change"),
        "history": ("view", "change"),
        "delete": ("delete",),
    }[view]
    if any(user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in needs):
        return OK
    return FORBIDDEN


def _admin_pages(model, pk) -> Iterator[tuple[str, str]]:
    """A registered model's admin pages, as (view, path), about the row ``pk``."""
    opts = model._meta
    for view in ADMIN_VIEWS:
        name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
        yield view, reverse(name, args=[] if view in ("changelist", "add") else [pk])
    # The admin's old address of a row, which sends staff on to its change page.
    yield "object", f"/admin/{opts.app_label}/{opts.model_name}/{pk}/"


def test_the_admin_lets_in_staff_by_model_permission_and_sends_everyone_else_to_sign_in(
    world: World, editor, admin_user
) -> None:
    staff = {"editor": editor, "superuser": admin_user}
    registered = sorted(admin.site._registry, key=lambda model: model._meta.label)
    rows = {model: model._default_manager.order_by("pk").first() for model in registered}
    missing = [model._meta.label for model, row in rows.items() if row is None]
    assert not missing, f"the world has no row of {', '.join(missing)}: add one to world()"
    mismatches: list[Mismatch] = []
    for model, row in rows.items():
        label = model._meta.label_lower
        for view, path in _admin_pages(model, row.pk):
            for role in [*ADMIN_NON_STAFF, *staff]:
                if role in staff:
                    expected = (
                        REDIRECT
                        if view == "object"
                        else _admin_expectation(staff[role], model, view)
                    )
                    expected = ADMIN_OVERRIDES.get((label, view), {}).get(role, expected)
                    asks = {"GET": expected}
                else:
                    asks = ADMIN_NON_STAFF[role]
                for method, expected in asks.items():
                    response = _ask(world, role, method, path)
                    if not matches(expected, response):
                        got = _got(response)
                        shown = expectation_name(expected)
                        mismatches.append(Mismatch(label, view, role, method, shown, got))
    assert not mismatches, f"{len(mismatches)} admin answers differ:\n" + _table(mismatches)
