"""Writes on adoption: recording that a department reached a stage."""

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from kb.advocates.models import Department
from kb.departments.models import AdoptionStage, StageChange


def can_record_stage(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("departments.add_stagechange")


def stage_change_record(
    *, department: Department, stage: AdoptionStage, changed_on: date, note: str, editor: User
) -> StageChange:
    """Add a dated stage to the department's history (the earlier ones stay)."""
    if not can_record_stage(editor):
        raise PermissionDenied("Only editors record adoption stages.")
    change = StageChange(
        department=department,
        stage=stage,
        changed_on=changed_on,
        note=note.strip(),
        recorded_by=editor,
    )
    change.full_clean()
    change.save()
    return change
