"""Abstract base for every piece of publishable content (case studies, research, articles).

One place for the lifecycle every content type shares: status, featuring, publication
time, tags, ownership, the edit version, the trash, the review-by date (kb.freshness keeps
it), and the object-level permission rules built on them. The workflow app moves items
between states; this module only says what each state means for readers.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import ClassVar

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Expression, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import CommonGenericTaggedItemBase, TaggedItemBase

from kb.core.headline import Headline
from kb.core.markdown import markdown_to_text
from kb.core.permissions import AnyUser, can_add, can_publish, perm_name
from kb.core.registry import ContentKind

# The longest interval an item's own review setting may ask for.
REVIEW_INTERVAL_MAX_MONTHS = 60


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "Submitted for review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


# When an item last changed for its readers: published, or edited since. "For you" lists
# the newest first, through each kind's "_changed" index.
CHANGED_AT = Greatest("published_at", "updated_at")


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

    def for_cards(self) -> "ContentQuerySet":
        """With what the model's card shows (its CARD_SELECT and CARD_PREFETCH, and tags)
        fetched, so a list of cards costs the same queries for 1 item or 50."""
        return self.with_card_keys().prefetch_related("tags", *self.model.CARD_PREFETCH)

    def with_card_keys(self) -> "ContentQuerySet":
        """With the foreign keys the model's card shows (its CARD_SELECT) joined: enough
        for a one-line entry (an article's author), without the card's prefetches."""
        if self.model.CARD_SELECT:  # select_related() with no names would follow every key
            return self.select_related(*self.model.CARD_SELECT)
        return self

    def for_headlines(self) -> "ContentQuerySet":
        """With what the model's headline() reads (HEADLINE_SELECT / HEADLINE_PREFETCH)."""
        queryset = self.prefetch_related(*self.model.HEADLINE_PREFETCH)
        if self.model.HEADLINE_SELECT:
            queryset = queryset.select_related(*self.model.HEADLINE_SELECT)
        return queryset

    def due_for_review(self, today: date | None = None) -> "ContentQuerySet":
        """Published items whose review-by date has come (see kb.freshness)."""
        return self.published().filter(review_by__lte=today or timezone.localdate())

    def trashed(self) -> "ContentQuerySet":
        return self.filter(deleted_at__isnull=False)

    def restorable(self) -> "ContentQuerySet":
        """Trashed items still inside the restore window."""
        return self.trashed().filter(deleted_at__gte=trash_cutoff())

    def expired(self) -> "ContentQuerySet":
        """Trashed items past the restore window, which purge_trash removes."""
        return self.trashed().filter(deleted_at__lt=trash_cutoff())


class AboutItemQuerySet(models.QuerySet):
    """Rows about one content item through a generic link (content_type, object_id):
    its revisions, its workflow log."""

    def for_item(self, item: models.Model) -> "AboutItemQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)


def forget_deleted_items(model: type[models.Model]):
    """A post_delete receiver that deletes ``model``'s rows about a deleted content item
    (apps holding such rows connect one, so purging an item leaves nothing behind)."""

    def receiver(sender, instance: models.Model, **kwargs) -> None:
        if isinstance(instance, Content):
            model._default_manager.for_item(instance).delete()

    return receiver


def trash_cutoff():
    return timezone.now() - timedelta(days=settings.KB_TRASH_DAYS)


class ContentManager(models.Manager.from_queryset(ContentQuerySet)):
    """The default manager leaves out the trash, so no list, feed or search sees it."""

    def get_queryset(self) -> ContentQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


def unique_slug(
    instance: models.Model,
    text: str,
    max_length: int = 200,
    reserved: Callable[[str], bool] | None = None,
) -> str:
    """A slug from ``text`` that no other row of the same model uses (suffix -2, -3, …),
    and that ``reserved`` does not refuse (a word some other page's address takes)."""
    base = slugify(text)[: max_length - 8].strip("-") or "item"
    manager = type(instance)._base_manager  # slugs in the trash are still taken
    taken = set(
        manager.filter(slug__startswith=base).exclude(pk=instance.pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken or (reserved is not None and reserved(slug)):
        slug, n = f"{base}-{n}", n + 1
    return slug


class TaggedItem(CommonGenericTaggedItemBase, TaggedItemBase):
    """One tag on one item of any kind: every TaggableManager's through model.

    taggit's own TaggedItem keys items by a 32-bit integer while our primary keys are
    64-bit, so on PostgreSQL each join from a tag to the items carrying it compared a cast
    and could not use an index (the home page's popular topics took 300 ms at 100,000
    items). Here ``object_id`` has the items' type. The unique constraint leads with the
    tag, which serves topic pages, tag filters and tag counts (tag → items); the index
    serves an item's own tags (item → tags).
    """

    object_id = models.BigIntegerField(verbose_name="object ID")

    class Meta:
        verbose_name = "tagged item"
        verbose_name_plural = "tagged items"
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="core_taggeditem_item"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=("tag", "content_type", "object_id"), name="core_taggeditem_unique"
            )
        ]


def contributions_index(key: str) -> models.Index:
    """An index for counting a kind's published items by month and by ``key`` (the field
    naming the item's department, else its owner), as the adoption dashboard does over
    every item the KB holds: it holds every column that count reads, so the database
    answers from the index alone instead of fetching each (wide) row. Each concrete
    kind adds it to ``Content.Meta.indexes``, since the key differs by kind."""
    return models.Index(
        fields=["status", "published_at", key, "deleted_at"],
        name="%(app_label)s_%(class)s_dash",
    )


class Content(models.Model):
    """Fields and rules shared by all publishable content. Subclasses set OWNER_FIELD."""

    OWNER_FIELD: ClassVar[str]
    # The editable content a revision keeps (see kb.revisions.snapshot).
    REVISION_FIELDS: ClassVar[list[str]]
    # What the kind of content is and which shared features it takes part in (a
    # kb.core.registry.ContentKind); a model without one is left out of them all.
    KIND: ClassVar["ContentKind | None"] = None
    # Relations its card shows, fetched by ContentQuerySet.for_cards().
    CARD_SELECT: ClassVar[tuple[str, ...]] = ()
    CARD_PREFETCH: ClassVar[tuple[str, ...]] = ()
    # The Markdown field that sums the item up, for the feed.
    SUMMARY_FIELD: ClassVar[str] = "summary"
    # Relations headline() reads, fetched by ContentQuerySet.for_headlines().
    HEADLINE_SELECT: ClassVar[tuple[str, ...]] = ()
    HEADLINE_PREFETCH: ClassVar[tuple[str, ...]] = ()

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    featured = models.BooleanField(default=False)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Set on publishing; a future time schedules it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    tags = TaggableManager(blank=True, through=TaggedItem, help_text="Comma-separated topics.")
    # Optimistic locking: every save through the site bumps it; a save based on an older
    # version is a conflict, never a silent overwrite.
    version = models.PositiveIntegerField(default=1, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Periodic review (kb.freshness): set on publishing, moved on by a verification or a
    # published edit; from that day on the item is due for review, its readers are warned
    # that it may be out of date, and its owner is reminded once.
    review_by = models.DateField(
        "review by",
        null=True,
        blank=True,
        help_text="When its owner should next confirm it is still accurate. "
        "Set on publishing, verifying and editing.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        "review every (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(REVIEW_INTERVAL_MAX_MONTHS)],
        help_text="Leave empty for the usual interval of its kind.",
    )
    # The review-by date its owner was reminded of: one reminder per date, however often
    # notify_reviews runs.
    review_notified_for = models.DateField(null=True, blank=True, editable=False)

    objects = ContentManager()
    all_objects = ContentQuerySet.as_manager()  # the trash too

    class Meta:
        abstract = True
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="%(app_label)s_%(class)s_pub"),
            models.Index(fields=["featured", "status"], name="%(app_label)s_%(class)s_feat"),
            # Only the trash: an index over every row's NULL would tempt the planner into
            # scanning it for "not in the trash", which every list asks.
            models.Index(
                fields=["deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="%(app_label)s_%(class)s_trash",
            ),
            # "For you": the newest changed first, read until enough are found.
            models.Index(CHANGED_AT.desc(), name="%(app_label)s_%(class)s_changed"),
            # What notify_reviews and the editors' list of overdue items ask.
            models.Index(
                fields=["review_by"],
                condition=Q(status=Status.PUBLISHED),
                name="%(app_label)s_%(class)s_review",
            ),
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
    def owner(self):
        return getattr(self, self.OWNER_FIELD)

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_published(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_due_for_review(self) -> bool:
        """Published and past its review-by date: it may be out of date."""
        return (
            self.is_published
            and self.review_by is not None
            and self.review_by <= timezone.localdate()
        )

    def can_view(self, user: AnyUser) -> bool:
        if self.in_trash:
            return False
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

    @classmethod
    def headline_gain(cls) -> Expression | None:
        """How many times better the headline measure got, as SQL over a row (see
        kb.core.measures.gain_expression); None for kinds whose headline is not a measure."""
        return None

    def headline(self) -> "Headline | None":
        """The item's result in one line, for briefs; kinds with a measure or a finding
        say it (see kb.core.headline). None: pages show the item's summary instead."""
        return None

    @property
    def summary_text(self) -> str:
        """The item's summary (its SUMMARY_FIELD) as plain text."""
        return markdown_to_text(getattr(self, self.SUMMARY_FIELD, "") or "")


def content_models() -> dict[str, type[Content]]:
    """Every concrete content model by its model name ("article", "casestudy", …).

    URLs shared by all content types (workflow actions, history, trash) name the type this
    way, so the apps that serve them need not import the content apps.
    """
    return {
        model._meta.model_name: model
        for model in apps.get_models()
        if issubclass(model, Content) and not model._meta.abstract
    }


class ContentVersion(models.Model):
    """The number of one *scope* of what the shared rendered parts of pages show
    (kb.core.fragments): every committed change within the scope moves it on, and a part
    kept under an older number is never served again. Scopes are ``all`` (anything any
    part may show), ``kind:<model>`` (an item of that kind, its tags or comments),
    ``item:<model>:<pk>`` (that item, its tags or comments: its card) and ``tag:<pk>``
    (an item carrying that tag). In the database, so every process sees a
    change at once."""

    scope = models.CharField(max_length=120, unique=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "content version"

    def __str__(self) -> str:
        return f"content version {self.scope} {self.version}"
