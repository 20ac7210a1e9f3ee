"""Pages of briefs and learning paths: the list, a collection's page, assembling one,
marking a step done, sharing one's progress, and the Markdown and PDF exports."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from kb.collections.entries import collection_entries, published_step_keys
from kb.collections.exports import collection_markdown, collection_pdf
from kb.collections.filters import CollectionFilter
from kb.collections.forms import CollectionForm, CollectionItemFormSet
from kb.collections.models import Collection, CollectionItem, PathProgress, path_stats
from kb.collections.services import NotAStep, progress_share, step_mark, steps_done
from kb.comments.models import for_cards
from kb.comments.threads import comment_thread
from kb.content.editing import content_form_views
from kb.core.lists import render_filtered_list
from kb.core.ratelimits import rate_limited
from kb.core.signals import item_read
from kb.core.views import get_viewable_or_404
from kb.home.cards import published_cards


def collection_list(request: HttpRequest) -> HttpResponse:
    queryset = for_cards(Collection.objects.published())
    return render_filtered_list(
        request,
        CollectionFilter,
        queryset,
        "collections/collection_list.html",
        published_kind=True,
        cards=published_cards,
    )


def _viewable(request: HttpRequest, slug: str) -> Collection:
    return get_viewable_or_404(
        Collection.objects.select_related("audience", "created_by__advocate_profile"),
        request,
        slug=slug,
    )


def collection_detail(request: HttpRequest, slug: str) -> HttpResponse:
    collection = _viewable(request, slug)
    item_read.send(sender=Collection, item=collection, user=request.user)
    user = request.user
    can_edit = collection.can_edit(user)
    context = {
        "collection": collection,
        "can_edit": can_edit,
        "comment_thread": comment_thread(collection, user),
    }
    if collection.is_path:
        done = steps_done(collection, user)
        entries = collection_entries(collection, user, done)
        progress = PathProgress.objects.filter(collection=collection, reader=user).first()
        context.update(
            done_count=sum(entry.done for entry in entries),
            sharing=progress is not None and progress.share_name,
            stats=path_stats(collection, published_step_keys(collection)) if can_edit else None,
        )
    else:
        entries = collection_entries(collection, user)
    context["entries"] = entries
    return render(request, "collections/collection_detail.html", context)


collection_create, collection_edit = content_form_views(
    Collection, CollectionForm, "collections/collection_form.html", CollectionItemFormSet
)


@require_POST
def step_mark_view(request: HttpRequest, slug: str, row: int) -> HttpResponse:
    """Mark a step done or not done; only ever the signed-in reader's own progress."""
    collection = _viewable(request, slug)
    item_row = get_object_or_404(CollectionItem, pk=row, collection=collection)
    try:
        step_mark(
            collection=collection,
            row=item_row,
            reader=request.user,
            done=request.POST.get("done") == "1",
        )
    except NotAStep as refused:
        raise Http404(str(refused)) from refused
    return redirect(f"{collection.get_absolute_url()}#step-{item_row.pk}")


@require_POST
def progress_share_view(request: HttpRequest, slug: str) -> HttpResponse:
    collection = _viewable(request, slug)
    if not collection.is_path:
        raise Http404("Only learning paths keep progress.")
    share = request.POST.get("share") == "1"
    progress_share(collection=collection, reader=request.user, share=share)
    messages.success(
        request,
        "The path's owner can now see your name and progress."
        if share
        else "The path's owner no longer sees your name; your progress only counts.",
    )
    return redirect(collection)


def _export_entries(request: HttpRequest, slug: str) -> tuple[Collection, list]:
    collection = _viewable(request, slug)
    return collection, collection_entries(collection, request.user)


@require_GET
@rate_limited("export")
def export_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    collection, entries = _export_entries(request, slug)
    response = HttpResponse(
        collection_markdown(collection, entries, request),
        content_type="text/markdown; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{collection.slug}.md"'
    return response


@require_GET
@rate_limited("pdf")
def export_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    collection, entries = _export_entries(request, slug)
    response = HttpResponse(
        collection_pdf(collection, entries, request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{collection.slug}.pdf"'
    return response
