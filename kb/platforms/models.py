"""A social platform is a model, not a choice list, so editors can add new ones."""

from django.db import models

from kb.core.search import Facet, FacetField


class Platform(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    url = models.URLField(blank=True, help_text="Home page of the platform.")
    internal = models.BooleanField(default=False, help_text="Run inside the organisation.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


PLATFORMS = FacetField("platform", "Platform", multiple=True, position=20)


def names_platforms(model: type[models.Model]) -> bool:
    """Whether items of ``model`` name their platforms (a ``platforms`` field of Platform)."""
    return any(
        field.name == "platforms" and getattr(field, "related_model", None) is Platform
        for field in model._meta.get_fields()
    )


def platform_facets(platforms) -> list[Facet]:
    return [Facet("platform", platform.slug, platform.name) for platform in platforms]
