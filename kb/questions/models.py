"""Questions to advocates and the answers to them.

A question is routed to the advocates its asker picks (``Routing``, with why each matched);
answers form one thread under it. Asker and answerers write Markdown-lite, rendered through
the comments' allow-list. Editors hide a question or an answer with a reason, as they do
comments; an author's delete moves it to the trash (``deleted_at``), from which the admin
restores it. A private question is seen only by its asker and the advocates asked, and
once answered only they find it in search; any other becomes searchable by everyone once
answered.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from taggit.managers import TaggableManager

from kb.advocates.models import DEPARTMENT, Department
from kb.core.markdown import markdown_to_text
from kb.core.permissions import AnyUser
from kb.core.search import TAGS, Facet, Searchable, SearchDocument, tag_facets
from kb.platforms.models import PLATFORMS, Platform, platform_facets

MAX_BODY = 5_000
# A question nobody answered for this long is listed as waiting too long.
UNANSWERED_AFTER = timedelta(days=7)

MODERATE = "questions.moderate_question"


def can_moderate(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(MODERATE)


class Moderated(models.Model):
    """What questions and answers share with comments: editors hide, authors trash."""

    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(max_length=300, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class QuestionQuerySet(models.QuerySet):
    def live(self) -> "QuestionQuerySet":
        """Neither in the trash nor hidden by an editor."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)

    def visible_to(self, user: AnyUser) -> "QuestionQuerySet":
        """Public questions, and private ones to their asker and the advocates asked."""
        if not user.is_authenticated:
            return self.none()
        asked = Routing.objects.filter(advocate=user).values("question_id")
        return self.filter(
            Q(private=False) | Q(asker=user) | Q(pk__in=asked), deleted_at__isnull=True
        )

    def open(self) -> "QuestionQuerySet":
        return self.filter(answered_at__isnull=True)

    def answered(self) -> "QuestionQuerySet":
        return self.filter(answered_at__isnull=False)

    def unanswered_for_a_week(self) -> "QuestionQuerySet":
        return self.open().filter(created_at__lte=timezone.now() - UNANSWERED_AFTER)

    def waiting_for(self, user: AnyUser) -> "QuestionQuerySet":
        """Open questions routed to ``user``."""
        return self.open().filter(routings__advocate=user)

    def for_lists(self) -> "QuestionQuerySet":
        answers = (
            Answer.objects.filter(
                question=OuterRef("pk"), deleted_at__isnull=True, hidden_at__isnull=True
            )
            .order_by()
            .values("question")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            self.select_related("asker__advocate_profile", "platform", "department")
            .prefetch_related("topics")
            # A subquery, not a joined Count: the lists' filters join routings and tags.
            .annotate(answer_count=Coalesce(Subquery(answers), 0))
            .order_by("-created_at", "-pk")
        )


class Question(Searchable, Moderated):
    SEARCH_TYPE = ("question", "Question")
    SEARCH_FACETS = (TAGS, PLATFORMS, DEPARTMENT)

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions"
    )
    title = models.CharField("question", max_length=200)
    body = models.TextField(
        "details",
        blank=True,
        max_length=MAX_BODY,
        validators=[MaxLengthValidator(MAX_BODY)],
        help_text="Markdown-lite: emphasis, code, links, lists and quotes.",
    )
    topics = TaggableManager(
        blank=True, through="core.TaggedItem", verbose_name="topics", help_text="Comma-separated."
    )
    platform = models.ForeignKey(
        Platform, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    private = models.BooleanField(
        "keep it private",
        default=False,
        help_text="Only you and the advocates you ask will see it, and find it in search.",
    )
    asked = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Routing", related_name="questions_asked", blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    most_useful = models.ForeignKey(
        "Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["answered_at", "created_at"], name="question_answered_created"),
            models.Index(fields=["created_at"], name="question_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="questions_question_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(most_useful__isnull=True) | Q(answered_at__isnull=False),
                name="questions_most_useful_only_when_answered",
            ),
        ]
        permissions = [("moderate_question", "Can hide questions and answers")]

    def __str__(self) -> str:
        return Truncator(self.title).chars(120)

    def get_absolute_url(self) -> str:
        return reverse("questions:detail", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def can_view(self, user: AnyUser) -> bool:
        if not user.is_authenticated or self.deleted_at is not None:
            return False
        if not self.private or self.asker_id == user.pk:
            return True
        return self.routings.filter(advocate=user).exists()

    def is_asker(self, user: AnyUser) -> bool:
        return user.is_authenticated and user.is_active and self.asker_id == user.pk

    def can_answer(self, user: AnyUser) -> bool:
        """Whoever sees the question answers it, until an editor hides it."""
        return self.hidden_at is None and self.can_view(user)

    SEARCH_DEPENDENCIES = {
        "asker": {"first_name", "last_name", "username"},
        "platform": {"name", "slug"},
        "department": {"name", "slug"},
        "topics": {"name", "slug"},
        "answers": {"body", "hidden_at", "deleted_at"},
        # Who is asked: a private question's audience in search.
        "routings": {"advocate"},
    }

    def search_document(self) -> SearchDocument:
        topics = self.search_tags()
        facets = tag_facets(topics)
        if self.platform:
            facets += platform_facets([self.platform])
        if self.department:
            facets.append(Facet("department", self.department.slug, self.department.name))
        answers = [answer.body for answer in self.answers.all() if answer.is_visible]
        asker = self.asker.get_full_name() or self.asker.username
        # Searchable once answered (and not hidden): by everyone, or if private by those
        # who may see it (can_view): the asker and the advocates asked.
        findable = self.is_answered and self.hidden_at is None and self.deleted_at is None
        audience = []
        if findable and self.private:
            audience = [self.asker_id, *(routing.advocate_id for routing in self.routings.all())]
        return SearchDocument(
            title=self.title,
            url=self.get_absolute_url(),
            keywords=" ".join([tag.name for tag in topics] + [asker]),
            summary=markdown_to_text(self.body),
            body=markdown_to_text("\n\n".join(answers)),
            subtitle=f"Question from {asker}",
            is_published=findable and not self.private,
            published_at=self.answered_at or self.created_at,
            # The asker finds their own question (a private one too) until it is trashed.
            owner_id=None if self.deleted_at else self.asker_id,
            facets=facets,
            audience=audience,
        )

    @classmethod
    def search_queryset(cls):
        return cls.objects.select_related("asker", "platform", "department").prefetch_related(
            "answers", "routings"
        )


class Routing(models.Model):
    """The asker sent ``question`` to ``advocate``, who matched it for ``reason``."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="routings")
    advocate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routings"
    )
    reason = models.CharField(max_length=300, blank=True)
    routed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["routed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "advocate"], name="routing_once_each")
        ]

    def __str__(self) -> str:
        return f"{self.question} → {self.advocate}"


class Answer(Moderated):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers"
    )
    body = models.TextField(
        "answer",
        max_length=MAX_BODY,
        validators=[MaxLengthValidator(MAX_BODY)],
        help_text="Markdown-lite: emphasis, code, links, lists and quotes.",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["question", "created_at"], name="answer_question_created"),
            models.Index(fields=["created_at"], name="answer_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="questions_answer_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return Truncator(self.body).chars(60)

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None and self.deleted_at is None

    def in_edit_window(self) -> bool:
        return timezone.now() - self.created_at <= timedelta(
            minutes=settings.KB_COMMENT_EDIT_MINUTES
        )

    def can_delete(self, user: AnyUser) -> bool:
        """As with comments: authors take back their words for a short while."""
        return (
            user.is_authenticated
            and user.is_active
            and self.author_id == user.pk
            and self.deleted_at is None
            and self.in_edit_window()
        )
