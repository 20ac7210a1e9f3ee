"""Experiments: a hypothesis, one change, one measure against a baseline and a target.

A failed experiment is evidence too, so every outcome is published alike. The outcome of
the experiment itself is ``outcome``; ``status`` stays the publication workflow's.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Q

from kb.advocates.models import DEPARTMENT, Department
from kb.casestudies.models import CaseStudy
from kb.core.evidence import EVIDENCE, EvidenceLevel
from kb.core.headline import Headline
from kb.core.links import slug_url
from kb.core.markdown import markdown_to_text
from kb.core.measures import Change, gain_expression, target_met
from kb.core.models import Content, ContentManager, ContentQuerySet, Status, contributions_index
from kb.core.permissions import AnyUser, can_add
from kb.core.registry import ContentKind
from kb.core.search import (
    TAGS,
    YEAR,
    Facet,
    Searchable,
    SearchDocument,
    search_prefetch,
    tag_facets,
)
from kb.platforms.models import PLATFORMS, Platform, platform_facets


class Outcome(models.TextChoices):
    PLANNED = "planned", "Planned"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    INCONCLUSIVE = "inconclusive", "Inconclusive"


FINISHED = [Outcome.SUCCEEDED, Outcome.FAILED, Outcome.INCONCLUSIVE]

# As the case study metrics store them: twelve digits before the point, two after.
VALUE_OPTIONS = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True}


@dataclass(frozen=True)
class SuccessRate:
    """How many of the finished experiments (planned and running ones aside) succeeded."""

    finished: int
    succeeded: int

    @property
    def percent(self) -> int | None:
        if not self.finished:
            return None
        return round(self.succeeded * 100 / self.finished)

    @property
    def text(self) -> str:
        if not self.finished:
            return "None of these experiments has finished yet."
        noun = "experiment" if self.finished == 1 else "experiments"
        return f"{self.succeeded} of {self.finished} finished {noun} succeeded ({self.percent}%)"


class ExperimentQuerySet(ContentQuerySet):
    def success_rate(self) -> SuccessRate:
        """One aggregate query over these experiments, whatever filters made them."""
        # Distinct: the filters join tags and platforms.
        counts = self.order_by().aggregate(
            finished=Count("pk", filter=Q(outcome__in=FINISHED), distinct=True),
            succeeded=Count("pk", filter=Q(outcome=Outcome.SUCCEEDED), distinct=True),
        )
        return SuccessRate(finished=counts["finished"], succeeded=counts["succeeded"])


class ExperimentManager(ContentManager.from_queryset(ExperimentQuerySet)):
    pass


class Experiment(Searchable, Content):
    OWNER_FIELD = "created_by"
    REVISION_FIELDS = [
        "title", "department", "platforms", "hypothesis", "change", "metric_name",
        "baseline", "target", "result", "unit", "lower_is_better", "period", "start_date",
        "end_date", "outcome", "evidence_level", "learnings", "tags",
    ]  # fmt: skip
    SEARCH_TYPE = ("experiment", "Experiment")
    SEARCH_FACETS = (TAGS, PLATFORMS, DEPARTMENT, EVIDENCE, YEAR)
    KIND = ContentKind(
        label="Experiment",
        label_plural="Experiments",
        list_url="experiments:list",
        create_url="experiments:create",
        add_label="Log an experiment",
        card_template="experiments/_card.html",
        order=50,
        commentable=True,
        illustrated=True,
    )
    # What the card shows, fetched with the list (home, topic pages, profiles).
    CARD_SELECT = ("department",)
    CARD_PREFETCH = ("platforms",)
    # The feed sums an experiment up by its hypothesis.
    SUMMARY_FIELD = "hypothesis"

    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, related_name="experiments"
    )
    platforms = models.ManyToManyField(Platform, blank=True, related_name="experiments")
    # A paragraph, as a case study's summary: the list cards show it.
    hypothesis = models.TextField(
        max_length=2_000, help_text="Markdown. What you expected, and why."
    )
    change = models.TextField(
        "what was changed", max_length=20_000, help_text="Markdown. What you did differently."
    )
    metric_name = models.CharField(
        "measure", max_length=120, help_text='What you measured, e.g. "Cost per hire".'
    )
    baseline = models.DecimalField("baseline value", **VALUE_OPTIONS)
    target = models.DecimalField("target value", **VALUE_OPTIONS)
    result = models.DecimalField(
        "result value", help_text="Leave empty until the result is known.", **VALUE_OPTIONS
    )
    unit = models.CharField(max_length=40, blank=True, help_text='e.g. "%", "£", "clicks".')
    lower_is_better = models.BooleanField(
        default=False, help_text="Tick when a fall is the improvement (cost, time to hire)."
    )
    period = models.CharField(max_length=80, blank=True, help_text='e.g. "6 weeks".')
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=20, choices=Outcome, default=Outcome.PLANNED, db_index=True
    )
    learnings = models.TextField(
        max_length=20_000, blank=True, help_text="Markdown. What others should know."
    )
    # Our own figures, measured but not published: self-reported unless someone outside
    # the team audited or verified them.
    evidence_level = models.PositiveSmallIntegerField(
        choices=EvidenceLevel,
        default=EvidenceLevel.SELF_REPORTED,
        db_index=True,
        help_text="Self-reported unless the figures were audited or verified independently.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experiments",
    )
    promoted_to = models.ForeignKey(
        CaseStudy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="experiments",
        help_text="The case study this experiment became.",
    )
    comments = GenericRelation("comments.Comment")

    objects = ExperimentManager()
    all_objects = ExperimentQuerySet.as_manager()

    class Meta(Content.Meta):
        indexes = [*Content.Meta.indexes, contributions_index("department")]
        permissions = [("publish_experiment", "Can publish and feature experiments")]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="experiments_experiment_ends_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=FINISHED)
                | Q(result__isnull=False, end_date__isnull=False),
                name="experiments_experiment_finished_has_result",
                violation_error_message="A finished experiment needs its result and end date.",
            ),
            models.CheckConstraint(
                condition=Q(evidence_level__gte=1, evidence_level__lte=5),
                name="experiments_experiment_evidence_range",
            ),
        ]

    def clean(self) -> None:
        """The constraints' rules, said next to the fields a person has to fix."""
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date cannot be before the start date."
        if self.is_finished:
            finished = self.get_outcome_display().lower()
            if self.result is None:
                errors["result"] = f"A {finished} experiment needs its result value."
            if self.end_date is None:
                errors["end_date"] = f"A {finished} experiment needs its end date."
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return slug_url("experiments:detail", self.slug)

    @property
    def is_finished(self) -> bool:
        return self.outcome in FINISHED

    @property
    def against_baseline(self) -> Change:
        return Change(self.baseline, self.result, self.unit, self.lower_is_better)

    @property
    def against_target(self) -> Change:
        return Change(self.target, self.result, self.unit, self.lower_is_better)

    @property
    def target_met(self) -> bool | None:
        return target_met(self.result, self.target, lower_is_better=self.lower_is_better)

    def headline(self) -> Headline:
        """The measure against its baseline, as the experiment's card shows it."""
        change = self.against_baseline
        return Headline(self.metric_name, change.summary, change.improved, change=change)

    @classmethod
    def headline_gain(cls) -> Case:
        return gain_expression("baseline", "result", "lower_is_better")

    @property
    def target_summary(self) -> str:
        """ "target £1,000, met" (or "not met", or nothing yet); "" without a target."""
        if self.target is None:
            return ""
        verdict = {True: ", met", False: ", not met"}.get(self.target_met, "")
        return f"target {self.against_target.before_text}{verdict}"

    def can_promote(self, user: AnyUser) -> bool:
        """Its owner or an editor may turn it into a case study (if they may add one)."""
        return self.can_edit(user) and can_add(user, CaseStudy)

    SEARCH_DEPENDENCIES = {
        "department": {"name", "slug"},
        "platforms": {"name", "slug"},
        "tags": {"name", "slug"},
    }

    def search_document(self) -> SearchDocument:
        tags, platforms = self.search_tags(), self.search_related("platforms")
        department = self.department
        facets = [*tag_facets(tags), *platform_facets(platforms)]
        if department is not None:
            facets.append(Facet("department", department.slug, department.name))
        if self.end_date:
            year = str(self.end_date.year)
            facets.append(Facet("year", year, year))
        return SearchDocument(
            title=self.title,
            url=self.get_absolute_url(),
            keywords=" ".join(
                [tag.name for tag in tags]
                + [platform.name for platform in platforms]
                + [self.metric_name, self.get_outcome_display()]
                + ([department.name] if department else [])
            ),
            summary=markdown_to_text(self.hypothesis),
            body="\n".join(markdown_to_text(text) for text in (self.change, self.learnings)),
            subtitle=" · ".join(
                part
                for part in (
                    self.get_outcome_display(),
                    department.name if department else "",
                    f"{self.metric_name}: {self.against_baseline.summary}",
                )
                if part
            ),
            is_published=self.status == Status.PUBLISHED,
            published_at=self.published_at,
            owner_id=self.created_by_id,
            evidence_level=self.evidence_level,
            facets=facets,
        )

    @classmethod
    def search_queryset(cls):
        return cls.objects.select_related("department").prefetch_related(
            search_prefetch("platforms")
        )
