"""Departments and advocate profiles (one per user), with their public handles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from taggit.managers import TaggableManager

from kb.core.markdown import markdown_to_text
from kb.core.models import unique_slug
from kb.core.permissions import AnyUser, perm_name
from kb.core.search import (
    TAGS,
    Facet,
    FacetField,
    Searchable,
    SearchDocument,
    search_prefetch,
    tag_facets,
)
from kb.platforms.models import PLATFORMS, Platform, platform_facets


def department_slug_reserved(slug: str) -> bool:
    """Whether ``/departments/<slug>/`` is another page's address (the adoption dashboard's
    "dashboard"), so a department with that slug could never be reached. Asked of the
    URLconf, so a page added there later reserves its word too."""
    try:
        path = reverse("departments:detail", args=[slug])
    except NoReverseMatch:
        return False  # not a slug at all: the field's own validation says so
    try:
        return resolve(path).url_name != "detail"
    except Resolver404:
        return True


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.name, 120, reserved=department_slug_reserved)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.slug and department_slug_reserved(self.slug):
            raise ValidationError(
                {"slug": f"“{self.slug}” is the address of another page; choose another slug."}
            )


DEPARTMENT = FacetField("department", "Department", position=30)


# Photos are shown at most 96 px wide (twice that on sharp screens); this leaves room.
PHOTO_MAX_SIDE = 800


class AdvocateProfileQuerySet(models.QuerySet):
    def listed(self) -> "AdvocateProfileQuerySet":
        """Profiles shown in the directory: those of active accounts."""
        return self.filter(user__is_active=True)

    def for_cards(self) -> "AdvocateProfileQuerySet":
        return self.select_related("user", "department").prefetch_related("expertise", "platforms")


class AdvocateProfile(Searchable, models.Model):
    SEARCH_TYPE = ("advocate", "Advocate")
    SEARCH_FACETS = (TAGS, PLATFORMS, DEPARTMENT)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advocate_profile"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="advocates", null=True, blank=True
    )
    job_title = models.CharField(max_length=120, blank=True)
    bio = models.TextField(blank=True, max_length=10_000, help_text="Markdown.")
    expertise = TaggableManager(
        blank=True,
        through="core.TaggedItem",
        verbose_name="expertise",
        help_text="Comma-separated topics you know well.",
    )
    platforms = models.ManyToManyField(Platform, blank=True, related_name="advocates")
    open_to_help = models.BooleanField(
        "open to help colleagues", default=True, db_index=True,
        help_text="Colleagues may contact you for advice.",
    )  # fmt: skip
    photo = models.ImageField(upload_to="advocates/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AdvocateProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__first_name", "user__last_name", "user__username"]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        replaced = self._replaced_photo()
        super().save(*args, **kwargs)
        if replaced:
            # A replaced photo may still carry what the new one was cleaned of.
            storage = self.photo.storage
            transaction.on_commit(lambda: storage.delete(replaced), robust=True)

    def get_absolute_url(self) -> str:
        return reverse("advocates:detail", args=[self.user.username])

    def _replaced_photo(self) -> str:
        """The name of the photo this save replaces or removes, if any."""
        if self.pk is None:
            return ""
        stored = type(self).objects.filter(pk=self.pk).values_list("photo", flat=True).first()
        return stored if stored and stored != self.photo.name else ""

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.username

    def can_edit(self, user: AnyUser) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        return self.user_id == user.pk or user.has_perm(perm_name(self, "change"))

    SEARCH_DEPENDENCIES = {
        "user": {"first_name", "last_name", "username", "is_active"},
        "department": {"name", "slug"},
        "platforms": {"name", "slug"},
        "expertise": {"name", "slug"},
    }

    def search_document(self) -> SearchDocument:
        expertise, platforms = self.search_tags(), self.search_related("platforms")
        facets = [*tag_facets(expertise), *platform_facets(platforms)]
        if self.department:
            facets.append(Facet("department", self.department.slug, self.department.name))
        return SearchDocument(
            title=self.display_name,
            url=self.get_absolute_url(),
            keywords=" ".join(
                [tag.name for tag in expertise]
                + [platform.name for platform in platforms]
                + [self.job_title, self.department.name if self.department else ""]
            ),
            summary=self.job_title,
            body=markdown_to_text(self.bio),
            subtitle=" · ".join(
                part for part in (self.job_title, self.department and self.department.name) if part
            ),
            # A profile is public while its account is active; there are no draft profiles.
            is_published=self.user.is_active,
            published_at=self.created_at,
            owner_id=self.user_id,
            facets=facets,
        )

    @classmethod
    def search_queryset(cls):
        return cls.objects.select_related("user", "department").prefetch_related(
            search_prefetch("platforms")
        )


class Handle(models.Model):
    """A public handle of an advocate on one platform, such as "@sam" on Mastodon."""

    profile = models.ForeignKey(AdvocateProfile, on_delete=models.CASCADE, related_name="handles")
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="handles")
    handle = models.CharField(max_length=100)
    url = models.URLField("URL", blank=True)

    class Meta:
        ordering = ["platform__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "platform", "handle"], name="advocates_handle_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.handle} on {self.platform}"
