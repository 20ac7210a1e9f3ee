"""Abstract base for every piece of publishable content (case studies, research, articles).

One place for the lifecycle every content type shares: status, featuring, publication
time, tags, ownership and the object-level permission rules built on them.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager

from kb.core.permissions import AnyUser, can_add, can_publish, perm_name


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class ContentQuerySet(models.QuerySet):
    def published(self) -> "ContentQuerySet":
        """What every reader may see: published, and due (a future published_at waits)."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user: AnyUser) -> "ContentQuerySet":
        """Published items, plus the user's own drafts; editors see everything."""
        if can_publish(user, self.model):
            return self.all()
        published = Q(status=Status.PUBLISHED, published_at__lte=timezone.now())
        if not user.is_authenticated:
            return self.filter(published)
        return self.filter(published | Q(**{self.model.OWNER_FIELD: user.pk}))


def unique_slug(instance: models.Model, text: str, max_length: int = 200) -> str:
    """A slug from ``text`` that no other row of the same model uses (suffix -2, -3, …)."""
    base = slugify(text)[: max_length - 8].strip("-") or "item"
    manager = type(instance)._default_manager
    taken = set(
        manager.filter(slug__startswith=base).exclude(pk=instance.pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class Content(models.Model):
    """Fields and rules shared by all publishable content. Subclasses set OWNER_FIELD."""

    OWNER_FIELD: ClassVar[str]

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    featured = models.BooleanField(default=False)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Set on publishing; a future time schedules it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    tags = TaggableManager(blank=True, help_text="Comma-separated topics.")

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="%(app_label)s_%(class)s_pub"),
            models.Index(fields=["featured", "status"], name="%(app_label)s_%(class)s_feat"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def owner_id(self) -> int | None:
        return getattr(self, f"{self.OWNER_FIELD}_id")

    @property
    def is_published(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def can_view(self, user: AnyUser) -> bool:
        return self.is_published or self.can_edit(user)

    def can_edit(self, user: AnyUser) -> bool:
        """Editors change anything; an advocate changes what they own."""
        if not user.is_authenticated or not user.is_active:
            return False
        if user.has_perm(perm_name(self, "change")):
            return True
        return self.owner_id == user.pk and can_add(user, type(self))

    def can_publish(self, user: AnyUser) -> bool:
        return can_publish(user, self)

    def publish(self) -> None:
        self.status = Status.PUBLISHED
        if self.published_at is None:
            self.published_at = timezone.now()

    def unpublish(self) -> None:
        self.status = Status.DRAFT
        self.featured = False
