"""Case study pages: list with filters, detail with metrics, submit and edit."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kb.casestudies.filters import CaseStudyFilter
from kb.casestudies.forms import CaseStudyForm, MetricFormSet
from kb.casestudies.models import CaseStudy
from kb.comments.models import with_comment_counts
from kb.comments.threads import comment_thread
from kb.content.editing import content_form_views
from kb.core.lists import related_by_tags, render_filtered_list
from kb.core.signals import item_read
from kb.core.views import get_viewable_or_404
from kb.home.cards import published_cards


def case_study_list(request: HttpRequest) -> HttpResponse:
    queryset = with_comment_counts(
        CaseStudy.objects.published().select_related("created_by").for_cards()
    )
    return render_filtered_list(
        request,
        CaseStudyFilter,
        queryset,
        "casestudies/casestudy_list.html",
        published_kind=True,
        cards=published_cards,
    )


def case_study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case_study = get_viewable_or_404(
        CaseStudy.objects.select_related("created_by__advocate_profile", "source").prefetch_related(
            "tags", "platforms", "metrics"
        ),
        request,
        slug=slug,
    )
    item_read.send(sender=CaseStudy, item=case_study, user=request.user)
    context = {
        "case_study": case_study,
        "related": related_by_tags(case_study),
        "articles": case_study.articles.published().select_related("author"),
        "can_edit": case_study.can_edit(request.user),
        "comment_thread": comment_thread(case_study, request.user),
    }
    return render(request, "casestudies/casestudy_detail.html", context)


case_study_create, case_study_edit = content_form_views(
    CaseStudy, CaseStudyForm, "casestudies/casestudy_form.html", MetricFormSet
)
