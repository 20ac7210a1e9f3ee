"""Which published contributions belong to a department, for every kind of content.

An item that names its own department (an experiment's ``department``) counts there; any
other item counts for the department of its owner's advocate profile. The kinds come from
kb.core.registry, so a new kind of content is counted with no code here.
"""

from django.db import models

from kb.advocates.models import Department
from kb.core.registry import ContentKind, kinds


def department_path(model: type[models.Model]) -> str:
    """The lookup from an item of ``model`` to its department's id."""
    for field in model._meta.get_fields():
        if field.name == "department" and getattr(field, "related_model", None) is Department:
            return "department_id"
    return f"{model.OWNER_FIELD}__advocate_profile__department_id"


def published_by_kind() -> list[tuple[type[models.Model], ContentKind, models.QuerySet]]:
    """Every kind's published items (the trash left out), with its declaration."""
    return [(model, kind, model.objects.published()) for model, kind in kinds()]
