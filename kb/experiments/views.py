"""Experiment pages: list with filters and success rate, detail, log and edit, promote."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kb.comments.models import for_cards
from kb.comments.threads import comment_thread
from kb.content.editing import content_form_views
from kb.core.lists import related_by_tags, render_filtered_list
from kb.core.signals import item_read
from kb.core.views import get_viewable_or_404
from kb.experiments.filters import ExperimentFilter
from kb.experiments.forms import ExperimentForm
from kb.experiments.models import Experiment
from kb.experiments.services import PromotionRefused, experiment_promote
from kb.home.cards import published_cards


def experiment_list(request: HttpRequest) -> HttpResponse:
    queryset = for_cards(Experiment.objects.published())
    return render_filtered_list(
        request,
        ExperimentFilter,
        queryset,
        "experiments/experiment_list.html",
        published_kind=True,
        cards=published_cards,
    )


def experiment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    experiment = get_viewable_or_404(
        Experiment.objects.select_related(
            "department", "created_by__advocate_profile", "promoted_to"
        ).prefetch_related("tags", "platforms"),
        request,
        slug=slug,
    )
    item_read.send(sender=Experiment, item=experiment, user=request.user)
    context = {
        "experiment": experiment,
        "related": related_by_tags(experiment),
        "can_edit": experiment.can_edit(request.user),
        "can_promote": experiment.is_finished
        and experiment.promoted_to_id is None
        and experiment.can_promote(request.user),
        "promoted_to_visible": experiment.promoted_to is not None
        and experiment.promoted_to.can_view(request.user),
        "comment_thread": comment_thread(experiment, request.user),
    }
    return render(request, "experiments/experiment_detail.html", context)


experiment_create, experiment_edit = content_form_views(
    Experiment, ExperimentForm, "experiments/experiment_form.html"
)


@require_POST
def experiment_promote_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Who may not see the experiment gets a 404; who may see it but not promote it, a 403."""
    experiment = get_viewable_or_404(Experiment.objects.all(), request, slug=slug)
    if not experiment.can_promote(request.user):
        raise PermissionDenied("Only the experiment's owner or an editor may promote it.")
    try:
        case_study = experiment_promote(
            experiment=experiment,
            user=request.user,
            source_url=request.build_absolute_uri(experiment.get_absolute_url()),
        )
    except PromotionRefused as refused:
        messages.error(request, str(refused))
        return redirect(experiment)
    messages.success(
        request, f"“{case_study}” is now a draft case study: check it, then submit it for review."
    )
    return redirect(case_study)
