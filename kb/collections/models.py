"""Collections: an ordered list of items of any kind of content, each with a note on why it
matters, for one audience.

Two kinds. A **brief** persuades: strongest evidence first, each item's headline result
and evidence level, printable and exported as PDF or Markdown for a board pack. A
**learning path** teaches: ordered steps that each reader marks done.

Items point at content through a generic relation (content type + id) rather than a
foreign key per kind: a collection takes any registered kind, including kinds added later,
with no migration here and without this app naming the others. The database cannot
cascade such a link, so purging an item deletes its rows here (``forget_deleted_item``);
an item in the trash, or one the reader may not see, is simply left out when a collection
is shown.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q

from kb.core.links import slug_url
from kb.core.markdown import markdown_to_text
from kb.core.models import Content, Status, contributions_index
from kb.core.registry import ContentKind
from kb.core.search import TAGS, Searchable, SearchDocument, search_prefetch, tag_facets

MAX_ITEMS = 50
NOTE_MAX_LENGTH = 200


class Audience(models.Model):
    """Who a collection is written for. Editors keep the list in the admin."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lists show audiences in this order."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    BRIEF = "brief", "Evidence brief"
    PATH = "path", "Learning path"


class Collection(Searchable, Content):
    OWNER_FIELD = "created_by"
    REVISION_FIELDS = ["title", "kind", "audience", "purpose", "introduction", "tags", "items"]
    SEARCH_TYPE = ("collection", "Brief or learning path")
    SEARCH_FACETS = (TAGS,)
    KIND = ContentKind(
        label="Brief or learning path",
        label_plural="Briefs and paths",
        list_url="collections:list",
        create_url="collections:create",
        add_label="Assemble a brief or path",
        card_template="collections/_card.html",
        order=60,
        commentable=True,
        illustrated=True,
    )
    CARD_SELECT = ("audience",)
    SUMMARY_FIELD = "purpose"

    kind = models.CharField(
        max_length=10,
        choices=Kind,
        default=Kind.BRIEF,
        db_index=True,
        help_text="A brief persuades (strongest evidence first); a path teaches, step by step.",
    )
    audience = models.ForeignKey(
        Audience,
        on_delete=models.PROTECT,
        related_name="collections",
        help_text="Who it is written for.",
    )
    purpose = models.TextField(
        max_length=500, help_text="One or two sentences: what the reader should come away with."
    )
    introduction = models.TextField(max_length=20_000, blank=True, help_text="Markdown.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collections",
    )
    comments = GenericRelation("comments.Comment")

    class Meta(Content.Meta):
        indexes = [*Content.Meta.indexes, contributions_index("created_by")]
        verbose_name = "brief or learning path"
        verbose_name_plural = "briefs and learning paths"
        permissions = [("publish_collection", "Can publish and feature briefs and paths")]

    def get_absolute_url(self) -> str:
        return slug_url("collections:detail", self.slug)

    @property
    def is_path(self) -> bool:
        return self.kind == Kind.PATH

    SEARCH_DEPENDENCIES = {
        "audience": {"name"},
        "items": {"note"},
        "tags": {"name", "slug"},
    }

    def search_document(self) -> SearchDocument:
        tags = self.search_tags()
        return SearchDocument(
            title=self.title,
            url=self.get_absolute_url(),
            keywords=" ".join(
                [tag.name for tag in tags] + [self.get_kind_display(), self.audience.name]
            ),
            summary=self.purpose,
            body="\n".join(
                [markdown_to_text(self.introduction)]
                + [item.note for item in self.search_related("items")]
            ),
            subtitle=f"{self.get_kind_display()} · for {self.audience.name}",
            is_published=self.status == Status.PUBLISHED,
            published_at=self.published_at,
            owner_id=self.created_by_id,
            facets=tag_facets(tags),
        )

    @classmethod
    def search_queryset(cls):
        return cls.objects.select_related("audience").prefetch_related(search_prefetch("items"))


class CollectionItem(models.Model):
    """One item of a collection, in its place, with why it matters."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    position = models.PositiveSmallIntegerField()
    note = models.CharField(
        "why this matters",
        max_length=NOTE_MAX_LENGTH,
        help_text="One line: what this item shows the reader.",
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "item"
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "content_type", "object_id"],
                name="collections_item_once_per_collection",
                violation_error_message="This item is already in the collection.",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="collections_item_position_positive"
            ),
        ]
        indexes = [
            # Purging an item finds its rows by this pair.
            models.Index(fields=["content_type", "object_id"], name="collections_item_target"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.note}"

    @property
    def key(self) -> tuple[int, int]:
        return (self.content_type_id, self.object_id)


class PathProgress(models.Model):
    """One reader's progress on one learning path. Its owner sees counts only, and this
    reader's name only when ``share_name`` is set by the reader."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="progress")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="path_progress"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    share_name = models.BooleanField(
        default=False, help_text="The reader lets the path's owner see their name and progress."
    )

    class Meta:
        verbose_name_plural = "path progress"
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "reader"], name="collections_progress_once_per_reader"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reader} on {self.collection}"


class StepDone(models.Model):
    """A step a reader marked done. Keyed by the item, not the collection's row, so that
    reordering a path or restoring an old revision of it keeps everyone's progress."""

    progress = models.ForeignKey(PathProgress, on_delete=models.CASCADE, related_name="steps")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "step done"
        verbose_name_plural = "steps done"
        constraints = [
            models.UniqueConstraint(
                fields=["progress", "content_type", "object_id"],
                name="collections_step_done_once",
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="collections_step_target")
        ]

    def __str__(self) -> str:
        return f"{self.progress_id}: {self.content_type_id}/{self.object_id}"


@dataclass(frozen=True)
class PathStats:
    """What a path's owner sees: how many readers started it and how many finished."""

    started: int
    finished: int
    shared: list[tuple[str, int]]  # (name, steps done) of readers who chose to share
    steps: int


def _keys_q(keys: list[tuple[int, int]], prefix: str = "") -> Q:
    """Rows pointing at any of ``keys`` ((content type id, object id) pairs)."""
    condition = Q()
    for content_type_id, object_id in keys:
        condition |= Q(
            **{f"{prefix}content_type_id": content_type_id, f"{prefix}object_id": object_id}
        )
    return condition


def path_stats(collection: Collection, step_keys: list[tuple[int, int]]) -> PathStats:
    """Counts over the given steps (those every reader can see): started = at least one of
    them done, finished = all of them done. Names only of readers who chose to share."""
    if not step_keys:
        return PathStats(started=0, finished=0, shared=[], steps=0)
    done = (
        StepDone.objects.filter(_keys_q(step_keys), progress__collection=collection)
        .values("progress")
        .annotate(done=Count("pk"))
        .order_by()
    )
    shared = (
        PathProgress.objects.filter(collection=collection, share_name=True)
        .select_related("reader")
        .annotate(done=Count("steps", filter=_keys_q(step_keys, prefix="steps__")))
        .order_by("reader__first_name", "reader__last_name", "reader__username")
    )
    return PathStats(
        started=done.count(),
        finished=done.filter(done=len(step_keys)).count(),
        shared=[(p.reader.get_full_name() or p.reader.username, p.done) for p in shared],
        steps=len(step_keys),
    )


def forget_deleted_item(sender, instance: models.Model, **kwargs) -> None:
    """A purged item leaves every collection and every reader's progress (a generic link
    has no foreign key to cascade)."""
    if not isinstance(instance, Content) or instance.pk is None:
        return
    content_type = ContentType.objects.get_for_model(instance)
    CollectionItem.objects.filter(content_type=content_type, object_id=instance.pk).delete()
    StepDone.objects.filter(content_type=content_type, object_id=instance.pk).delete()
