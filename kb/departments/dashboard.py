"""The adoption dashboard's numbers: month by month and all time, for the organisation
and per department, from a bounded number of queries.

Every measure is one query grouped by department and month — the contributions of every
kind one query too (a UNION ALL), questions asked and answered one — whatever the number
of months, departments or kinds; the organisation's sums and the totals are put together
here in Python. A row's month is its bucket among the period's month boundaries
(``Buckets``), found in SQL. An item belongs to the department it names or its owner's
(``department_path``); by its id, so a department renamed mid-period keeps its whole
history under its new name.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When
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
NO_DATE = -1  # the bucket of a row whose date is empty (a question not answered)


def _month_start(month: Month, dates: bool) -> date | datetime:
    """The first moment of a month in the site's time zone (a date for date fields)."""
    first = date(month[0], month[1], 1)
    midnight = datetime(first.year, first.month, 1, tzinfo=timezone.get_current_timezone())
    return first if dates else midnight


@dataclass(frozen=True)
class Buckets:
    """The months of a period as buckets of a date column: 0 before the period, k for
    ``months[k - 1]``, ``len(months) + 1`` after it, ``NO_DATE`` for an empty date.

    A row's bucket is the number of month boundaries (local midnights) at or before its
    date, computed in SQL as a binary search of nested CASEs: four comparisons a row for
    a year, where a filtered count per month compares every row with every month, and a
    truncation to the month would run row by row in Python on SQLite."""

    months: list[Month]

    def bounds(self, model, date_field: str) -> list[date | datetime]:
        dates = model._meta.get_field(date_field).get_internal_type() == "DateField"
        return [_month_start(m, dates) for m in [*self.months, next_month(self.months[-1])]]

    def end(self, model, date_field: str) -> date | datetime:
        return self.bounds(model, date_field)[-1]

    def of(self, model, date_field: str) -> Case | Value:
        bounds = self.bounds(model, date_field)

        def search(low: int, high: int) -> Case | Value:
            if low == high:
                return Value(low)
            middle = (low + high + 1) // 2  # the bucket is at least middle from this bound on
            return Case(
                When(**{f"{date_field}__gte": bounds[middle - 1]}, then=search(middle, high)),
                default=search(low, middle - 1),
                output_field=IntegerField(),
            )

        found = search(0, len(bounds))
        if model._meta.get_field(date_field).null:
            return Case(
                When(**{f"{date_field}__isnull": True}, then=Value(NO_DATE)),
                default=found,
                output_field=IntegerField(),
            )
        return found

    def month(self, bucket: int) -> Month | None:
        """The month of a bucket (BEFORE for the one before the period); None if outside."""
        if bucket == 0:
            return BEFORE
        if 1 <= bucket <= len(self.months):
            return self.months[bucket - 1]
        return None


def _grouped(queryset: QuerySet, columns: dict, *, distinct: bool = False) -> QuerySet:
    """``queryset``'s rows counted by ``columns`` (name → expression), as ``n``. The
    names start ``measure_`` so as not to clash with the models' fields.
    ``distinct`` when a filter joins a many-valued relation (tags, platforms), which
    repeats rows."""
    return (
        queryset.order_by()
        .annotate(**columns)
        .values(*columns)
        .annotate(n=Count("pk", distinct=distinct))
    )


@dataclass
class Measure:
    """One measure's numbers: per department and month, and the organisation's sums."""

    counts: Counts
    # Month → number, per department (None: items of no department) and for the whole
    # organisation, made once from ``counts`` so that each look-up reads one month.
    _departments: dict[int | None, dict[Month, int]] = field(init=False, repr=False)
    _organisation: dict[Month, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._departments = defaultdict(lambda: defaultdict(int))
        self._organisation = defaultdict(int)
        for (department, month), n in self.counts.items():
            self._departments[department][month] += n
            self._organisation[month] += n

    def _months(self, department: int | None) -> dict[Month, int]:
        if department is None:
            return self._organisation
        return self._departments.get(department, {})

    def month(self, month: Month, department: int | None = None) -> int:
        return self._months(department).get(month, 0)

    def between(self, months: list[Month], department: int | None = None) -> int:
        return sum(self.month(month, department) for month in months)

    def until(self, month: Month, department: int | None = None) -> int:
        """All up to and including ``month`` (what "all time" means at the period's end)."""
        return sum(n for m, n in self._months(department).items() if m <= month)


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
    buckets = Buckets(filters.months)
    joins = filters.platform is not None or filters.topic is not None

    profiles = _narrow(
        AdvocateProfile.objects.listed(),
        filters,
        dept="department",
        platforms="platforms",
        tags="expertise",
    )
    advocates: Counts = defaultdict(int)
    rows = _grouped(
        profiles.filter(created_at__lt=buckets.end(AdvocateProfile, "created_at")),
        {
            "measure_dept": F("department"),
            "measure_bucket": buckets.of(AdvocateProfile, "created_at"),
        },
        distinct=joins,
    )
    for row in rows:
        advocates[(row["measure_dept"], buckets.month(row["measure_bucket"]))] += row["n"]

    contributions, left_out = _contributions(filters, buckets, joins)

    experiments = _narrow(
        Experiment.objects.published().filter(outcome__in=FINISHED),
        filters,
        dept="department",
        platforms="platforms",
        tags="tags",
    )
    finished: Counts = defaultdict(int)
    succeeded: Counts = defaultdict(int)
    rows = _grouped(
        experiments.filter(end_date__lt=buckets.end(Experiment, "end_date")),
        {
            "measure_dept": F("department"),
            "measure_bucket": buckets.of(Experiment, "end_date"),
            "measure_won": Case(When(outcome=Outcome.SUCCEEDED, then=1), default=0),
        },
        distinct=joins,
    )
    for row in rows:
        key = (row["measure_dept"], buckets.month(row["measure_bucket"]))
        finished[key] += row["n"]
        succeeded[key] += row["n"] if row["measure_won"] else 0

    questions = _narrow(
        Question.objects.live(), filters, dept="department", platforms="platform", tags="topics"
    )
    asked: Counts = defaultdict(int)
    answered: Counts = defaultdict(int)
    # Asked and answered in one query: answered after asked, so asked before the end.
    rows = _grouped(
        questions.filter(created_at__lt=buckets.end(Question, "created_at")),
        {
            "measure_dept": F("department"),
            "measure_asked": buckets.of(Question, "created_at"),
            "measure_answered": buckets.of(Question, "answered_at"),
        },
        distinct=joins,
    )
    for row in rows:
        asked[(row["measure_dept"], buckets.month(row["measure_asked"]))] += row["n"]
        if (month := buckets.month(row["measure_answered"])) is not None:
            answered[(row["measure_dept"], month)] += row["n"]

    stages = list(AdoptionStage.objects.order_by("position"))
    dashboard = Dashboard(
        filters=filters,
        departments=departments,
        advocates=Measure(advocates),
        contributions=contributions,
        experiments_finished=Measure(finished),
        experiments_succeeded=Measure(succeeded),
        questions_asked=Measure(asked),
        questions_answered=Measure(answered),
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


def _contributions(
    filters: Filters, buckets: Buckets, joins: bool
) -> tuple[list[tuple[str, Measure]], list[str]]:
    """Every kind's published items by department and month, in one query: the kinds'
    grouped counts joined by UNION ALL. An item that names no department is counted by
    its owner, whose department is looked up here (one small query), so the big tables
    are read alone, not joined row by row to their owners' profiles."""
    counted, left_out, parts = [], [], []
    for model, kind, published in published_by_kind():
        if filters.platform is not None and not _has_platforms(model):
            left_out.append(kind.label_plural.lower())
            continue
        path = department_path(model)
        items = _narrow(published, filters, dept=path, platforms="platforms", tags="tags")
        by_owner = path != "department_id"
        key = F(f"{model.OWNER_FIELD}_id") if by_owner else F("department_id")
        parts.append(
            _grouped(
                items.filter(published_at__lt=buckets.end(model, "published_at")),
                {
                    "measure_kind": Value(len(counted)),
                    "measure_key": key,
                    "measure_bucket": buckets.of(model, "published_at"),
                },
                distinct=joins,
            )
        )
        counted.append((kind.label_plural, by_owner))
    if not parts:
        return [], left_out
    department_of = dict(AdvocateProfile.objects.values_list("user_id", "department_id"))
    counts: list[Counts] = [defaultdict(int) for _ in counted]
    for row in parts[0].union(*parts[1:], all=True):
        by_owner = counted[row["measure_kind"]][1]
        dept = department_of.get(row["measure_key"]) if by_owner else row["measure_key"]
        counts[row["measure_kind"]][(dept, buckets.month(row["measure_bucket"]))] += row["n"]
    measures = [(label, Measure(n)) for (label, _), n in zip(counted, counts, strict=True)]
    return measures, left_out


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
