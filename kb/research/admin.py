"""The research admin: curation on the shared content admin, plus importing citations
(upload a file → the dry-run report → confirm)."""

import base64
import binascii

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse

from kb.content.admin import ContentAdmin
from kb.research.citations import CSV_COLUMNS, IMPORT_FORMATS
from kb.research.importing import (
    ImportRefused,
    research_import_commit,
    research_import_preview,
)
from kb.research.models import ResearchLink

FORMAT_CHOICES = [("auto", "Tell from the file"), *IMPORT_FORMATS.items()]


class ImportUploadForm(forms.Form):
    file = forms.FileField(help_text="BibTeX (.bib), RIS (.ris) or CSV (.csv), UTF-8.")
    format = forms.ChoiceField(choices=FORMAT_CHOICES, initial="auto")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.KB_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is larger than {limit // 1024:,} KB; split it into smaller files."
            )
        return upload


class ImportConfirmForm(forms.Form):
    """The previewed file carried back by the confirm step; it is read and checked again
    before anything is written, so what it carries needs no trust."""

    content = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)
    format = forms.ChoiceField(choices=FORMAT_CHOICES, widget=forms.HiddenInput)

    def clean_content(self) -> bytes:
        try:
            return base64.b64decode(self.cleaned_data["content"], validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError("The file was lost on the way; upload it again.") from None


SOURCE_FIELDS = ["doi", "publisher", "source", "authors", "publication_date", "key_finding"]


@admin.register(ResearchLink)
class ResearchLinkAdmin(ContentAdmin):
    change_list_template = "admin/research/researchlink/change_list.html"
    list_display = [
        "title", "publisher", "kind", "evidence_level", "publication_date", "status", "featured",
        "added_by",
    ]  # fmt: skip
    list_filter = [
        "status", "featured", "source__rating", "kind", "evidence_level", "publication_date",
        "tags",
    ]  # fmt: skip
    search_fields = ["title", "publisher", "authors", "url", "doi", "key_finding"]
    autocomplete_fields = ["added_by", "source"]
    readonly_fields = [*ContentAdmin.readonly_fields, "normalized_url"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "url", "normalized_url", "kind", "evidence_level"]}),
        ("Source", {"fields": SOURCE_FIELDS}),
        ("Publishing", {"fields": ["status", "featured", "published_at", "tags", "added_by"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="research_researchlink_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → dry-run report → confirm; any invalid record means nothing is written."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import research links",
            "csv_columns": CSV_COLUMNS,
            "max_kb": settings.KB_IMPORT_MAX_BYTES // 1024,
        }
        upload_form = ImportUploadForm()
        if request.method == "POST" and "confirm" in request.POST:
            confirm = ImportConfirmForm(request.POST)
            if confirm.is_valid():
                try:
                    report = research_import_commit(
                        content=confirm.cleaned_data["content"],
                        filename=confirm.cleaned_data["filename"],
                        fmt=confirm.cleaned_data["format"],
                        user=request.user,
                    )
                except ImportRefused as refused:
                    messages.error(request, str(refused))
                else:
                    messages.success(
                        request, f"Imported {len(report.new)} research link(s) as your drafts."
                    )
                    changelist = reverse("admin:research_researchlink_changelist")
                    return HttpResponseRedirect(f"{changelist}?status__exact=draft")
            else:
                messages.error(request, "The file was lost on the way; upload it again.")
        elif request.method == "POST":
            upload_form = ImportUploadForm(request.POST, request.FILES)
            if upload_form.is_valid():
                upload = upload_form.cleaned_data["file"]
                content = upload.read()
                fmt = upload_form.cleaned_data["format"]
                report = research_import_preview(content=content, filename=upload.name, fmt=fmt)
                context["report"] = report
                if report.can_commit:
                    context["confirm_form"] = ImportConfirmForm(
                        initial={
                            "content": base64.b64encode(content).decode(),
                            "filename": upload.name,
                            "format": fmt,
                        }
                    )
        context["upload_form"] = upload_form
        return render(request, "admin/research/researchlink/import.html", context)
