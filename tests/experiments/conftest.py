"""Fixtures of the experiment tests: the roles' permissions on experiments."""

import pytest
from django.contrib.auth.models import Group, Permission

from kb.core.permissions import ADVOCATE, EDITOR, READER

ROLE_ACTIONS = {
    READER: ["view"],
    ADVOCATE: ["view", "add"],
    EDITOR: ["add", "change", "delete", "view", "publish"],
}


@pytest.fixture(autouse=True)
def _experiment_roles(db) -> None:
    """Grant the roles what they may do with experiments, as roles will once they read the
    content-type registry (KIND.add_role); then this fixture is no longer needed."""
    for role, actions in ROLE_ACTIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="experiments",
                codename__in=[f"{action}_experiment" for action in actions],
            )
        )
