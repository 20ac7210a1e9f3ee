"""Department pages (where each department stands, who champions it there, what it made)
and the adoption dashboard with its CSV downloads."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kb.advocates.models import AdvocateProfile, Department
from kb.comments.models import for_cards
from kb.core.lists import paginate
from kb.core.ratelimits import rate_limited
from kb.departments.contributions import department_path, published_by_kind
from kb.departments.dashboard import Dashboard, Filters, build, department_rows, month_label
from kb.departments.forms import DashboardFilterForm, StageChangeForm
from kb.departments.models import StageChange
from kb.departments.services import can_record_stage, stage_change_record
from kb.experiments.models import Experiment
from kb.questions.models import Question

NEWEST = 5  # newest contributions of each kind on a department's page
OPEN_QUESTIONS = 20
DASHBOARD_PERMISSION = "departments.view_adoption_dashboard"


def department_list(request: HttpRequest) -> HttpResponse:
    departments = Department.objects.annotate(
        advocate_count=Count("advocates", filter=Q(advocates__user__is_active=True))
    ).order_by("name")
    page = paginate(request, departments)
    current = StageChange.objects.filter(
        department__in=[department.pk for department in page.object_list]
    ).current_by_department()
    rows = [(department, current.get(department.pk)) for department in page.object_list]
    return render(request, "departments/department_list.html", {"page": page, "rows": rows})


def department_detail(request: HttpRequest, slug: str) -> HttpResponse:
    department = get_object_or_404(Department, slug=slug)
    return _render_detail(request, department, StageChangeForm(department=department))


def _render_detail(
    request: HttpRequest, department: Department, form: StageChangeForm, status: int = 200
) -> HttpResponse:
    history = list(
        department.stage_changes.select_related("stage", "recorded_by").order_by("changed_on", "pk")
    )
    contributions = []
    for model, kind, published in published_by_kind():
        mine = published.filter(**{department_path(model): department.pk})
        count = mine.count()
        if count:
            newest = list(for_cards(mine.order_by("-published_at", "-pk"))[:NEWEST])
            contributions.append((kind, count, newest))
    context = {
        "department": department,
        "history": history,
        "current": history[-1] if history else None,
        "advocates": AdvocateProfile.objects.listed().for_cards().filter(department=department),
        "contributions": contributions,
        "success_rate": Experiment.objects.published().filter(department=department).success_rate(),
        "open_questions": Question.objects.visible_to(request.user)
        .live()
        .open()
        .filter(department=department)
        .for_lists()[:OPEN_QUESTIONS],
        "form": form if can_record_stage(request.user) else None,
    }
    return render(request, "departments/department_detail.html", context, status=status)


@require_POST
def stage_record(request: HttpRequest, slug: str) -> HttpResponse:
    department = get_object_or_404(Department, slug=slug)
    if not can_record_stage(request.user):
        raise PermissionDenied("Only editors record adoption stages.")
    form = StageChangeForm(request.POST, department=department)
    if not form.is_valid():
        return _render_detail(request, department, form, status=400)
    stage_change_record(department=department, editor=request.user, **form.cleaned_data)
    messages.success(request, f"{department} is now at “{form.cleaned_data['stage']}”.")
    return redirect("departments:detail", slug=department.slug)


def _dashboard_or_403(request: HttpRequest) -> tuple[DashboardFilterForm, Dashboard]:
    user = request.user
    if not (user.is_active and (user.is_staff or user.has_perm(DASHBOARD_PERMISSION))):
        raise PermissionDenied("The adoption dashboard is for editors and staff.")
    form = DashboardFilterForm(request.GET)
    used = form if form.is_valid() else DashboardFilterForm.default()
    data = used.cleaned_data
    filters = Filters(
        start=data["start_month"],
        end=data["end_month"],
        department=data.get("department"),
        platform=data.get("platform"),
        topic=data.get("topic"),
    )
    return form, build(filters)


def adoption_dashboard(request: HttpRequest) -> HttpResponse:
    form, dashboard = _dashboard_or_403(request)
    context = {
        "form": form,
        "dashboard": dashboard,
        "rows": department_rows(dashboard),
        "query": request.GET.urlencode(),
        "period": f"{month_label(dashboard.filters.start)} to {month_label(dashboard.filters.end)}",
    }
    # Bad filters are reported beside the form, and the default period is shown meanwhile.
    status = 400 if form.errors else 200
    return render(request, "departments/dashboard.html", context, status=status)


@rate_limited("export")
def dashboard_csv(request: HttpRequest, chart: str) -> HttpResponse:
    form, dashboard = _dashboard_or_403(request)
    found = next((c for c in dashboard.charts if c.slug == chart), None)
    if found is None:
        raise Http404("No such chart.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="adoption-{found.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Month", *[series.name for series in found.series]])
    for column, values in found.rows:
        writer.writerow([column, *[_cell(value) for value in values]])
    if found.has_totals:
        writer.writerow(["All time", *[_cell(series.total) for series in found.series]])
    return response


def _cell(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)
