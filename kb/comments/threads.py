"""The comment thread of an item as one viewer sees it, in a fixed number of queries.

Two queries whatever the thread's size: the top-level comments with their authors and
advocate profiles, then every reply with the same. What the viewer may see and do with
each comment is worked out here, so the template only presents it.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse

from kb.comments.models import Comment, can_comment_on, can_moderate_comments_on, kind_of
from kb.core.models import Content
from kb.core.permissions import AnyUser


@dataclass(frozen=True)
class ShownComment:
    comment: Comment
    # Hidden text stays readable (marked) for its author and editors only.
    show_body: bool
    can_edit: bool
    can_delete: bool
    replies: list["ShownComment"] = field(default_factory=list)


@dataclass(frozen=True)
class Thread:
    target: Content
    comments: list[ShownComment]
    count: int
    can_comment: bool
    can_moderate: bool
    post_url: str


def _shown(
    comment: Comment,
    user: AnyUser,
    can_moderate: bool,
    replies: list[ShownComment] | None = None,
) -> ShownComment:
    return ShownComment(
        comment=comment,
        show_body=comment.deleted_at is None
        and (comment.hidden_at is None or can_moderate or comment.author_id == user.pk),
        can_edit=comment.can_edit(user),
        can_delete=comment.can_delete(user),
        replies=replies or [],
    )


def comment_thread(target: Content, user: AnyUser) -> Thread:
    """Top-level comments oldest first, each with its replies oldest first."""
    with_authors = Comment.objects.select_related("author__advocate_profile")
    top_level = (
        with_authors.for_item(target)
        .filter(parent=None)
        .prefetch_related(Prefetch("replies", queryset=with_authors))
    )
    can_moderate = can_moderate_comments_on(type(target), user)
    comments, count = [], 0
    for comment in top_level:
        replies = list(comment.replies.all())
        count += sum(1 for c in (comment, *replies) if c.is_visible)
        shown_replies = [_shown(reply, user, can_moderate) for reply in replies]
        comments.append(_shown(comment, user, can_moderate, shown_replies))
    return Thread(
        target=target,
        comments=comments,
        count=count,
        can_comment=can_comment_on(target, user),
        can_moderate=can_moderate,
        post_url=reverse("comments:post", args=[kind_of(target), target.slug]),
    )
