"""Findings' pages: what every content app provides (list, detail, create and edit)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kb.comments.threads import comment_thread
from kb.content.editing import content_form_views
from kb.core.forms import ContentForm
from kb.core.signals import item_read
from kb.core.views import get_viewable_or_404
from tests.registry_app.models import Finding


class FindingForm(ContentForm):
    class Meta(ContentForm.Meta):
        model = Finding
        fields = ["title", "summary", "tags", "featured", "published_at"]


def finding_list(request: HttpRequest) -> HttpResponse:
    findings = Finding.objects.published().for_cards()
    return render(request, "registry_app/finding_list.html", {"object_list": findings})


def finding_detail(request: HttpRequest, slug: str) -> HttpResponse:
    finding = get_viewable_or_404(Finding.objects.all(), request, slug=slug)
    item_read.send(sender=Finding, item=finding, user=request.user)
    context = {
        "finding": finding,
        "can_edit": finding.can_edit(request.user),
        "comment_thread": comment_thread(finding, request.user),
    }
    return render(request, "registry_app/finding_detail.html", context)


finding_create, finding_edit = content_form_views(
    Finding, FindingForm, "registry_app/finding_form.html"
)
