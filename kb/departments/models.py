"""Adoption stages (data editors word and order) and each department's dated history of them.

A department's stage is the stage of its latest change; the changes are never overwritten,
so the history reads as a timeline and the dashboard can say which stage held in any month.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from kb.advocates.models import Department


class AdoptionStage(models.Model):
    """One step on the way from "not started" to "embedded"; ``position`` orders them."""

    name = models.CharField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(
        unique=True, help_text="Order on the way to adoption: lower comes first."
    )
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class StageChangeQuerySet(models.QuerySet):
    def newest_first(self) -> "StageChangeQuerySet":
        return self.order_by("-changed_on", "-pk")

    def current_by_department(self) -> dict[int, "StageChange"]:
        """Each department's latest change (one query, however many departments)."""
        current: dict[int, StageChange] = {}
        for change in self.select_related("stage").order_by("changed_on", "pk"):
            current[change.department_id] = change
        return current


class StageChange(models.Model):
    """A department reached ``stage`` on ``changed_on``; ``note`` says what showed it."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.ForeignKey(AdoptionStage, on_delete=models.PROTECT, related_name="changes")
    changed_on = models.DateField(default=date.today)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_on", "-pk"]
        indexes = [
            models.Index(fields=["department", "changed_on"], name="stagechange_dept_date"),
        ]
        constraints = [
            # A day has one stage: a second change that day replaces nothing silently.
            models.UniqueConstraint(
                fields=["department", "changed_on"], name="stagechange_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(changed_on__gte=date(2000, 1, 1)), name="stagechange_plausible_date"
            ),
        ]
        permissions = [("view_adoption_dashboard", "Can see the adoption dashboard")]

    def __str__(self) -> str:
        return f"{self.department}: {self.stage} on {self.changed_on:%Y-%m-%d}"


def department_stage(department: Department) -> StageChange | None:
    """The department's current stage, as its latest change."""
    return department.stage_changes.select_related("stage").newest_first().first()
