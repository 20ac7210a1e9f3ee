"""The adoption dashboard's numbers: month by month and all time, for the organisation
and per department, from a bounded number of queries.

Every measure is one query grouped by department with a filtered count per month,
whatever the number of months or departments — one per kind of content for the
contributions — and the organisation's sums and the totals are put together here in
Python. An item belongs to the
department it names or its owner's (``department_path``); by its id, so a department
renamed mid-period keeps its whole history under its new name.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from taggit.models import Tag

from kb.advocates.models import AdvocateProfile, Department
from kb.departments.charts import Chart, Series
from kb.departments.contributions import department_path, published_by_kind
from kb.departments.models import AdoptionStage, StageChange
from kb.experiments.models import FINISHED, Experiment, Outcome
from kb.platforms.models import Platform
from kb.questions.models import Question

Month = tuple[int, int]
# (department id or None, month) → a number.
Counts = dict[tuple[int | None, Month], int]


def month_of(value: date) -> Month:
    return (value.year, value.month)


def next_month(month: Month) -> Month:
    year, number = month
    return (year + 1, 1) if number == 12 else (year, number + 1)


def months_between(start: Month, end: Month) -> list[Month]:
    months, month = [], start
    while month <= end:
        months.append(month)
        month = next_month(month)
    return months


def month_label(month: Month) -> str:
    return date(month[0], month[1], 1).strftime("%b %Y")


@dataclass(frozen=True)
class Filters:
    start: Month
    end: Month
    department: Department | None = None
    platform: Platform | None = None
    topic: Tag | None = None

    @property
    def months(self) -> list[Month]:
        return months_between(self.start, self.end)


BEFORE: Month = (0, 0)  # the bucket of everything before the period: sorts first


def _month_start(month: Month, dates: bool) -> date | datetime:
    """The first moment of a month in the site's time zone (a date for date fields)."""
    first = date(month[0], month[1], 1)
    midnight = datetime(first.year, first.month, 1, tzinfo=timezone.get_current_timezone())
    return first if dates else midnight


def _by_month(
    queryset: QuerySet,
    date_field: str,
    dept_path: str,
    months: list[Month],
    conditions: dict[str, Q] | None = None,
    *,
    distinct: bool = False,
) -> dict[str, Counts]:
    """Counts by department and month, for each named condition: the one query a measure
    costs, whatever the number of months and departments.

    Each month is a filtered COUNT over the raw column between two boundaries in the
    site's time zone (not a truncation of every row, which SQLite would compute row by
    row in Python), and everything before the period falls into ``BEFORE``. ``distinct``
    when a filter joins a many-valued relation (tags, platforms), which repeats rows.
    """
    conditions = conditions or {"n": Q()}
    dates = queryset.model._meta.get_field(date_field).get_internal_type() == "DateField"
    bounds = [_month_start(m, dates) for m in [*months, next_month(months[-1])]]
    aggregates = {}
    for name, condition in conditions.items():
        aggregates[f"{name}_before"] = Count(
            "pk", filter=condition & Q(**{f"{date_field}__lt": bounds[0]}), distinct=distinct
        )
        for i in range(len(months)):
            period = Q(**{f"{date_field}__gte": bounds[i], f"{date_field}__lt": bounds[i + 1]})
            aggregates[f"{name}_{i}"] = Count("pk", filter=condition & period, distinct=distinct)
    rows = (
        queryset.filter(**{f"{date_field}__lt": bounds[-1]})
        .order_by()
        .values(dept_path)
        .annotate(**aggregates)
    )
    result: dict[str, Counts] = {name: defaultdict(int) for name in conditions}
    for row in rows:
        dept = row[dept_path]
        for name in conditions:
            result[name][(dept, BEFORE)] += row[f"{name}_before"]
            for i, month in enumerate(months):
                result[name][(dept, month)] += row[f"{name}_{i}"]
    return result


@dataclass
class Measure:
    """One measure's numbers: per department and month; ``org`` sums the departments."""

    counts: Counts

    def month(self, month: Month, department: int | None = None) -> int:
        if department is not None:
            return self.counts.get((department, month), 0)
        return sum(n for (_, m), n in self.counts.items() if m == month)

    def between(self, months: list[Month], department: int | None = None) -> int:
        wanted = set(months)
        return sum(
            n
            for (d, m), n in self.counts.items()
            if m in wanted and (department is None or d == department)
        )

    def until(self, month: Month, department: int | None = None) -> int:
        """All up to and including ``month`` (what "all time" means at the period's end)."""
        return sum(
            n
            for (d, m), n in self.counts.items()
            if m <= month and (department is None or d == department)
        )


@dataclass
class Dashboard:
    filters: Filters
    departments: list[Department]
    advocates: Measure
    contributions: list[tuple[str, Measure]]
    experiments_finished: Measure
    experiments_succeeded: Measure
    questions_asked: Measure
    questions_answered: Measure
    stages: list[AdoptionStage]
    stage_by_month: dict[int, dict[Month, AdoptionStage | None]]
    platform_note: str = ""
    charts: list[Chart] = field(default_factory=list)


def _narrow(queryset: QuerySet, filters: Filters, *, dept: str, platforms: str | None, tags: str):
    if filters.department is not None:
        queryset = queryset.filter(**{dept: filters.department.pk})
    if filters.platform is not None:
        queryset = queryset.filter(**{platforms: filters.platform.pk})
    if filters.topic is not None:
        queryset = queryset.filter(**{tags: filters.topic.pk})
    return queryset


def _has_platforms(model) -> bool:
    return any(
        f.name == "platforms" and getattr(f, "related_model", None) is Platform
        for f in model._meta.get_fields()
    )


def build(filters: Filters) -> Dashboard:
    departments = list(Department.objects.order_by("name"))
    if filters.department is not None:
        departments = [d for d in departments if d.pk == filters.department.pk]

    profiles = _narrow(
        AdvocateProfile.objects.listed(),
        filters,
        dept="department",
        platforms="platforms",
        tags="expertise",
    )
    months = filters.months
    joins = filters.platform is not None or filters.topic is not None
    advocates = Measure(
        _by_month(profiles, "created_at", "department", months, distinct=joins)["n"]
    )

    contributions, left_out = [], []
    for model, kind, published in published_by_kind():
        if filters.platform is not None and not _has_platforms(model):
            left_out.append(kind.label_plural.lower())
            continue
        path = department_path(model)
        items = _narrow(published, filters, dept=path, platforms="platforms", tags="tags")
        counts = _by_month(items, "published_at", path, months, distinct=joins)["n"]
        contributions.append((kind.label_plural, Measure(counts)))

    experiments = _narrow(
        Experiment.objects.published().filter(outcome__in=FINISHED),
        filters,
        dept="department",
        platforms="platforms",
        tags="tags",
    )
    runs = _by_month(
        experiments,
        "end_date",
        "department",
        months,
        {"finished": Q(), "succeeded": Q(outcome=Outcome.SUCCEEDED)},
        distinct=joins,
    )
    questions = _narrow(
        Question.objects.live(), filters, dept="department", platforms="platform", tags="topics"
    )
    stages = list(AdoptionStage.objects.order_by("position"))
    dashboard = Dashboard(
        filters=filters,
        departments=departments,
        advocates=advocates,
        contributions=contributions,
        experiments_finished=Measure(runs["finished"]),
        experiments_succeeded=Measure(runs["succeeded"]),
        questions_asked=Measure(_by_month(questions, "created_at", "department", months)["n"]),
        questions_answered=Measure(_by_month(questions, "answered_at", "department", months)["n"]),
        stages=stages,
        stage_by_month=_stages_by_month(filters, departments, stages),
        platform_note=(
            f"Filtered by platform: {', '.join(left_out)} name no platform and are left out."
            if left_out
            else ""
        ),
    )
    dashboard.charts = charts(dashboard)
    return dashboard


def _stages_by_month(
    filters: Filters, departments: list[Department], stages: list[AdoptionStage]
) -> dict[int, dict[Month, AdoptionStage | None]]:
    """Each department's stage at the end of each month (its latest change by then)."""
    by_id = {stage.pk: stage for stage in stages}
    history: dict[int, list[tuple[date, int]]] = defaultdict(list)
    changes = StageChange.objects.filter(department__in=[d.pk for d in departments])
    for dept, changed_on, stage in changes.order_by("changed_on", "pk").values_list(
        "department", "changed_on", "stage"
    ):
        history[dept].append((changed_on, stage))
    result = {}
    for department in departments:
        row, current, changes_left = {}, None, list(history[department.pk])
        for month in filters.months:
            while changes_left and month_of(changes_left[0][0]) <= month:
                current = by_id[changes_left.pop(0)[1]]
            row[month] = current
        result[department.pk] = row
    return result


def _rate(succeeded: int, finished: int) -> int:
    return round(succeeded * 100 / finished) if finished else 0


def charts(dashboard: Dashboard) -> list[Chart]:
    months = dashboard.filters.months
    end = months[-1]
    columns = [month_label(m) for m in months]
    d = dashboard.filters.department.pk if dashboard.filters.department else None
    where = dashboard.filters.department.name if d else "the whole organisation"
    finished = [dashboard.experiments_finished.month(m, d) for m in months]
    succeeded = [dashboard.experiments_succeeded.month(m, d) for m in months]
    all_finished = dashboard.experiments_finished.until(end, d)
    all_succeeded = dashboard.experiments_succeeded.until(end, d)
    stage_counts = {
        stage.pk: [
            sum(1 for row in dashboard.stage_by_month.values() if row[m] == stage) for m in months
        ]
        for stage in dashboard.stages
    }
    return [
        Chart(
            slug="advocates",
            title="Advocates",
            description=f"Advocates in {where} at the end of each month.",
            y_label="Advocates",
            columns=columns,
            series=[
                Series(
                    "Advocates",
                    [dashboard.advocates.until(m, d) for m in months],
                    total=dashboard.advocates.until(end, d),
                )
            ],
        ),
        Chart(
            slug="contributions",
            title="Published contributions",
            description=f"Contributions from {where} published each month, by type.",
            y_label="Published",
            columns=columns,
            stacked=True,
            series=[
                Series(label, [measure.month(m, d) for m in months], total=measure.until(end, d))
                for label, measure in dashboard.contributions
            ],
            note=dashboard.platform_note,
        ),
        Chart(
            slug="experiments",
            title="Experiments run",
            description=f"Experiments in {where} that finished each month, and how many succeeded.",
            y_label="Experiments",
            columns=columns,
            series=[
                Series("Finished", finished, total=all_finished),
                Series("Succeeded", succeeded, total=all_succeeded),
            ],
        ),
        Chart(
            slug="success-rate",
            title="Experiment success rate",
            description=f"Share of the experiments in {where} finished each month that succeeded.",
            y_label="Succeeded",
            columns=columns,
            percent=True,
            series=[
                Series(
                    "Success rate",
                    [_rate(s, f) for s, f in zip(succeeded, finished, strict=True)],
                    total=_rate(all_succeeded, all_finished),
                )
            ],
            note="A month with no finished experiment shows 0%.",
        ),
        Chart(
            slug="questions",
            title="Questions asked and answered",
            description=f"Questions about {where} asked each month, and answered each month.",
            y_label="Questions",
            columns=columns,
            series=[
                Series(
                    "Asked",
                    [dashboard.questions_asked.month(m, d) for m in months],
                    total=dashboard.questions_asked.until(end, d),
                ),
                Series(
                    "Answered",
                    [dashboard.questions_answered.month(m, d) for m in months],
                    total=dashboard.questions_answered.until(end, d),
                ),
            ],
        ),
        Chart(
            slug="stages",
            title="Adoption stages",
            description=f"Departments of {where} at each stage at the end of each month.",
            y_label="Departments",
            columns=columns,
            stacked=True,
            series=[Series(stage.name, stage_counts[stage.pk]) for stage in dashboard.stages],
        ),
    ]


@dataclass
class DepartmentRow:
    department: Department
    stage: AdoptionStage | None
    advocates: int
    contributions: int
    contributions_all_time: int
    experiments: str
    asked: int
    answered: int


def department_rows(dashboard: Dashboard) -> list[DepartmentRow]:
    """Where the shift is happening: each department's numbers over the period."""
    months, end = dashboard.filters.months, dashboard.filters.months[-1]
    rows = []
    for department in dashboard.departments:
        pk = department.pk
        finished = dashboard.experiments_finished.between(months, pk)
        succeeded = dashboard.experiments_succeeded.between(months, pk)
        rows.append(
            DepartmentRow(
                department=department,
                stage=dashboard.stage_by_month[pk][end],
                advocates=dashboard.advocates.until(end, pk),
                contributions=sum(m.between(months, pk) for _, m in dashboard.contributions),
                contributions_all_time=sum(m.until(end, pk) for _, m in dashboard.contributions),
                experiments=f"{succeeded} of {finished}" if finished else "none finished",
                asked=dashboard.questions_asked.between(months, pk),
                answered=dashboard.questions_answered.between(months, pk),
            )
        )
    return rows
