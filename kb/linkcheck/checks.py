"""A system check that each kind's ``source_url_field`` names a URL field of its model,
so a misspelt declaration fails at start-up, not in the nightly run."""

from django.core import checks
from django.db import models

from kb.core.registry import kinds


@checks.register()
def check_source_url_fields(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    for model, kind in kinds():
        name = kind.source_url_field
        if name is None:
            continue
        field = next((f for f in model._meta.concrete_fields if f.name == name), None)
        if not isinstance(field, models.URLField):
            errors.append(
                checks.Error(
                    f"{model._meta.label} declares source_url_field={name!r}, "
                    "which is not a URLField of the model.",
                    obj=model,
                    id="linkcheck.E001",
                )
            )
    return errors
