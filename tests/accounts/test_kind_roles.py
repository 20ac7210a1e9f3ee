"""The roles get their permissions on every registered kind of content on migrate, with no
data migration of the kind's own (the test-only findings of tests.registry_app)."""

from dataclasses import replace

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal

from kb.accounts.roles import kind_role_perms
from kb.core.permissions import ADVOCATE, EDITOR, READER
from tests.registry_app.models import Finding


def granted(role: str) -> set[str]:
    perms = Group.objects.get(name=role).permissions.select_related("content_type")
    return {f"{perm.content_type.app_label}.{perm.codename}" for perm in perms}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (READER, {"view"}),
        (ADVOCATE, {"add", "view"}),
        (EDITOR, {"add", "change", "delete", "view", "publish"}),
    ],
)
def test_each_role_holds_its_permissions_on_a_registered_kind(
    db, role: str, expected: set[str]
) -> None:
    on_findings = {perm for perm in granted(role) if perm.startswith("registry_app.")}
    assert on_findings == {f"registry_app.{action}_finding" for action in expected}


def test_migrating_again_grants_what_is_missing_and_keeps_what_an_admin_added(db) -> None:
    readers = Group.objects.get(name=READER)
    readers.permissions.remove(Permission.objects.get(codename="view_finding"))
    readers.permissions.add(Permission.objects.get(codename="add_finding"))
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert {"registry_app.view_finding", "registry_app.add_finding"} <= granted(READER)


def test_the_add_role_decides_who_adds_a_kind() -> None:
    perms = kind_role_perms(Finding, replace(Finding.KIND, add_role=EDITOR))
    assert perms[READER] == perms[ADVOCATE] == ["registry_app.view_finding"]
    assert "registry_app.add_finding" in perms[EDITOR]
    reader_adds = kind_role_perms(Finding, replace(Finding.KIND, add_role=READER))
    assert "registry_app.add_finding" in reader_adds[READER]
