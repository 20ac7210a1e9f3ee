"""Who gets in: signing in and out, and the role groups.

That every page sends an anonymous visitor to sign in (and what each role gets from every
URL pattern) is the permission matrix's (tests/security/test_permission_matrix.py).
"""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from kb.accounts.roles import ROLE_PERMS, kind_role_perms
from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.core.permissions import ADVOCATE, EDITOR, READER
from kb.core.registry import kinds
from kb.research.models import ResearchLink

# The source register's roles are that migration's own table (reference data, not a kind).
SOURCE_ROLES = importlib.import_module("kb.sources.migrations.0003_source_roles")
ADOPTION_ROLES = importlib.import_module("kb.departments.migrations.0002_stages_and_roles")
QUESTION_ROLES = importlib.import_module("kb.questions.migrations.0002_editors_moderate_questions")
COLLECTION_ROLES = importlib.import_module("kb.collections.migrations.0002_audiences_and_roles")
SYNONYM_ROLES = importlib.import_module("kb.search.migrations.0007_query_synonyms")
FRESHNESS_ROLES = importlib.import_module("kb.freshness.migrations.0002_default_policies")
TAGGED_ITEM_ROLES = importlib.import_module("kb.core.migrations.0002_bigint_tagged_items")

User = get_user_model()
PASSWORD = "secret-pass-123"  # what UserFactory sets


@pytest.mark.parametrize(
    ("url_name", "model"),
    [
        ("casestudies:create", CaseStudy),
        ("research:create", ResearchLink),
        ("articles:create", Article),
    ],
)
def test_an_anonymous_visitor_cannot_post_new_content(
    client: Client, db, url_name: str, model: type
) -> None:
    response = client.post(reverse(url_name), {"title": "Sneaky", "status": "published"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not model.objects.exists()


def test_the_login_page_is_reachable_anonymously(client: Client, db) -> None:
    response = client.get(reverse("login"))
    assertContains(response, "Sign in")
    assertContains(response, 'name="password"')


def test_the_health_check_is_reachable_anonymously(client: Client, db) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_health_check_touches_the_database_only_when_asked(
    client: Client, db, django_assert_num_queries
) -> None:
    with django_assert_num_queries(0):
        assert client.get(reverse("healthz")).status_code == 200
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz"), {"db": "1"})
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_health_check_answers_503_when_the_database_does_not(
    client: Client, db, monkeypatch
) -> None:
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get(reverse("healthz"), {"db": "1"})
    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}
    monkeypatch.undo()
    assert client.get(reverse("healthz")).status_code == 200


def test_the_health_check_refuses_a_post(client: Client, db) -> None:
    assert client.post(reverse("healthz")).status_code == 405


def test_signing_in_with_the_right_password_goes_to_the_home_page(client: Client, reader) -> None:
    response = client.post(reverse("login"), {"username": "rita", "password": PASSWORD})
    assertRedirects(response, reverse("home"))
    assert client.get(reverse("home")).status_code == 200


def test_signing_in_returns_to_the_page_first_asked_for(client: Client, reader) -> None:
    wanted = reverse("research:list")
    response = client.post(
        reverse("login"), {"username": "rita", "password": PASSWORD, "next": wanted}
    )
    assertRedirects(response, wanted)


def test_signing_in_never_redirects_to_another_site(client: Client, reader) -> None:
    response = client.post(
        reverse("login"),
        {"username": "rita", "password": PASSWORD, "next": "https://evil.example/phish"},
    )
    assertRedirects(response, reverse("home"))


def test_signing_in_with_a_wrong_password_shows_an_error(client: Client, reader) -> None:
    response = client.post(reverse("login"), {"username": "rita", "password": "not-her-password"})
    assertContains(response, "Your username and password didn't match")
    assert client.get(reverse("home")).status_code == 302


def test_a_deactivated_account_cannot_sign_in(client: Client, reader) -> None:
    reader.is_active = False
    reader.save()
    response = client.post(reverse("login"), {"username": "rita", "password": PASSWORD})
    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_signing_out_needs_a_post(reader_client: Client) -> None:
    assert reader_client.get(reverse("logout")).status_code == 405
    assert reader_client.get(reverse("home")).status_code == 200


def test_signing_out_ends_the_session(reader_client: Client) -> None:
    response = reader_client.post(reverse("logout"))
    assertRedirects(response, reverse("login"), fetch_redirect_response=False)
    assert reader_client.get(reverse("home")).status_code == 302


def test_a_reader_can_change_their_password(reader_client: Client, reader) -> None:
    response = reader_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-passphrase-42",
            "new_password2": "a-much-longer-passphrase-42",
        },
    )
    assertRedirects(response, reverse("password_change_done"))
    reader.refresh_from_db()
    assert reader.check_password("a-much-longer-passphrase-42")


def test_a_wrong_old_password_does_not_change_the_password(reader_client: Client, reader) -> None:
    response = reader_client.post(
        reverse("password_change"),
        {
            "old_password": "guess",
            "new_password1": "a-much-longer-passphrase-42",
            "new_password2": "a-much-longer-passphrase-42",
        },
    )
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


@pytest.mark.parametrize("role", [READER, ADVOCATE, EDITOR])
def test_each_role_group_holds_exactly_the_permissions_in_roles_py_and_on_every_kind(
    db, role: str
) -> None:
    group = Group.objects.get(name=role)
    granted = {
        f"{perm.content_type.app_label}.{perm.codename}"
        for perm in group.permissions.select_related("content_type")
    }
    on_kinds = {perm for model, kind in kinds() for perm in kind_role_perms(model, kind)[role]}
    on_sources = set(SOURCE_ROLES.ROLE_PERMS[role])
    on_adoption = {f"departments.{perm}" for perm in ADOPTION_ROLES.ROLE_PERMS[role]}
    on_questions = {f"questions.{perm}" for perm in QUESTION_ROLES.EDITOR_PERMS if role == EDITOR}
    on_collections = {f"collections.{name}" for name in COLLECTION_ROLES.ROLE_PERMS[role]}
    on_synonyms = set(SYNONYM_ROLES.ROLE_PERMS.get(role, []))
    on_freshness = {f"freshness.{name}" for name in FRESHNESS_ROLES.ROLE_PERMS.get(role, [])}
    on_tagged_items = {f"core.{name}" for name in TAGGED_ITEM_ROLES.ROLE_PERMS.get(role, [])}
    assert granted == (
        set(ROLE_PERMS[role])
        | on_kinds
        | on_sources
        | on_adoption
        | on_questions
        | on_collections
        | on_synonyms
        | on_freshness
        | on_tagged_items
    )


def test_a_reader_may_not_add_or_publish_anything(reader) -> None:
    assert not reader.has_perm("articles.add_article")
    assert not reader.has_perm("casestudies.add_casestudy")
    assert not reader.has_perm("research.publish_researchlink")
    assert reader.has_perm("articles.view_article")


def test_an_advocate_may_add_but_not_change_others_or_publish(advocate) -> None:
    assert advocate.has_perm("articles.add_article")
    assert not advocate.has_perm("articles.change_article")
    assert not advocate.has_perm("articles.publish_article")


def test_an_editor_may_publish_every_content_type(editor) -> None:
    for perm in (
        "casestudies.publish_casestudy",
        "research.publish_researchlink",
        "articles.publish_article",
    ):
        assert editor.has_perm(perm)


def test_a_new_user_joins_the_reader_group_automatically(db) -> None:
    user = User.objects.create_user("newcomer", password=PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [READER]


def test_saving_an_existing_user_does_not_put_them_back_in_readers(db) -> None:
    user = User.objects.create_user("leaver", password=PASSWORD)
    user.groups.clear()
    user.first_name = "Lee"
    user.save()
    assert not user.groups.exists()
