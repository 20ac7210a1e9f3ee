"""Comments on content: one level of replies, author edits, editor moderation.

A comment points at its item through a generic relation, so a kind of content is made
commentable by its declaration (``ContentKind(commentable=True)``, see kb.core.registry)
and a ``GenericRelation`` to Comment on the model, which deletes its comments with it and
lets lists count them. The app finds the models it serves through the registry rather
than importing them, so content apps may depend on it, not the other way round.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator

from kb.core.models import AboutItemQuerySet, Content
from kb.core.permissions import AnyUser, can_publish
from kb.core.registry import kind_for, kinds_where

MAX_BODY = 5_000


def commentable_models() -> dict[str, type[Content]]:
    """The kinds of item a comment may address in a URL ("article"), and their models."""
    return {model._meta.model_name: model for model, _ in kinds_where("commentable")}


def commentable_model(kind: str) -> type[Content] | None:
    """The model of a commentable kind ("article"), or None for anything else."""
    return commentable_models().get(kind)


def kind_of(item: Content) -> str:
    """The URL kind of a commentable item (the inverse of ``commentable_model``)."""
    declaration = kind_for(item)
    if declaration is None or not declaration.commentable:
        raise ValueError(f"{item._meta.label} takes no comments.")
    return item._meta.model_name


def commentable_types() -> Q:
    """The content types a comment may be on, for choosing one (the admin)."""
    commentable = Q(pk__in=[])
    for model in commentable_models().values():
        commentable |= Q(app_label=model._meta.app_label, model=model._meta.model_name)
    return commentable


def _target_type_filter(model: type[models.Model], prefix: str = "") -> Q:
    """Match a model's content type through a join, so no ContentType lookup query is needed."""
    opts = model._meta
    return Q(
        **{
            f"{prefix}content_type__app_label": opts.app_label,
            f"{prefix}content_type__model": opts.model_name,
        }
    )


class CommentQuerySet(AboutItemQuerySet):
    def visible(self) -> "CommentQuerySet":
        """What every reader sees as a comment: neither hidden by an editor nor deleted."""
        return self.filter(hidden_at__isnull=True, deleted_at__isnull=True)


def with_comment_counts(queryset: QuerySet) -> QuerySet:
    """Annotate each item with ``comment_count``, its visible comments.

    A correlated subquery rather than ``Count("comments")``: the filters of a list join
    other tables (tags), which would multiply a joined count.
    """
    counts = (
        Comment.objects.visible()
        .filter(_target_type_filter(queryset.model), object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(comment_count=Coalesce(Subquery(counts), 0))


def for_cards(queryset: QuerySet) -> QuerySet:
    """Items of any kind with what their cards show: ``for_cards()``, and comment counts
    where the kind takes comments."""
    cards = queryset.for_cards()
    declaration = kind_for(queryset.model)
    return with_comment_counts(cards) if declaration and declaration.commentable else cards


class Comment(models.Model):
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
        # Which types are commentable is the registry's to say, at run time; a frozen
        # list here would need a migration for every new kind.
    )
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The top-level comment this replies to; replies have no replies of their own.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(
        max_length=MAX_BODY,
        validators=[MaxLengthValidator(MAX_BODY)],
        help_text="Markdown-lite: emphasis, code, links, lists and quotes.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.CharField(max_length=300, blank=True)
    # A deleted comment with replies stays as a placeholder so the thread keeps its shape.
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "created_at"], name="comments_target_created"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="comments_comment_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        if self.deleted_at:
            return "Comment deleted"
        return Truncator(self.body).chars(60)

    def get_absolute_url(self) -> str:
        return f"{self.target.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None and self.deleted_at is None

    @property
    def target_model(self) -> type[models.Model]:
        """The model commented on, from the cached content types (no query per comment)."""
        return ContentType.objects.get_for_id(self.content_type_id).model_class()

    def is_on(self, item: models.Model) -> bool:
        return self.object_id == item.pk and self.target_model is type(item)

    def in_edit_window(self) -> bool:
        window = timedelta(minutes=settings.KB_COMMENT_EDIT_MINUTES)
        return timezone.now() - self.created_at <= window

    def _is_fresh_and_own(self, user: AnyUser) -> bool:
        """Authors may take back their words for a short while; after that the record stands."""
        return (
            user.is_authenticated
            and user.is_active
            and self.author_id == user.pk
            and self.deleted_at is None
            and self.in_edit_window()
        )

    def can_edit(self, user: AnyUser) -> bool:
        # A hidden comment stays as the editor found it (its author may still delete it).
        return self.hidden_at is None and self._is_fresh_and_own(user)

    def can_delete(self, user: AnyUser) -> bool:
        return self._is_fresh_and_own(user)

    def can_moderate(self, user: AnyUser) -> bool:
        return can_moderate_comments_on(self.target_model, user)


def can_comment_on(item: Content, user: AnyUser) -> bool:
    """Anyone who can see an item may comment: on a draft that is its owner and editors."""
    return user.is_authenticated and user.is_active and item.can_view(user)


def can_moderate_comments_on(model: type[models.Model], user: AnyUser) -> bool:
    """Whoever may publish a kind of item (editors, admins) may hide its comments."""
    return can_publish(user, model)
