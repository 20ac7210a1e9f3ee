"""The demo: departments at different stages, each with up to a year of history."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count, Max, Min

from kb.departments.models import StageChange


def test_the_demo_puts_departments_at_different_stages_with_a_year_of_history(db) -> None:
    call_command("load_demo", stdout=StringIO())
    current = StageChange.objects.current_by_department()
    assert len(current) == 6
    assert len({change.stage_id for change in current.values()}) >= 4
    span = StageChange.objects.aggregate(first=Min("changed_on"), last=Max("changed_on"))
    assert (span["last"] - span["first"]).days >= 300
    assert StageChange.objects.values("department").annotate(n=Count("pk")).filter(n__gte=3)


def test_loading_the_demo_again_adds_no_stage_changes(db) -> None:
    call_command("load_demo", stdout=StringIO())
    before = StageChange.objects.count()
    call_command("load_demo", "--force", stdout=StringIO())
    assert StageChange.objects.count() == before
