"""Comment pages: post a comment or a reply, edit or delete your own, hide and unhide.

Items are addressed by an allow-listed kind and their slug, and must be visible to the
user (anything else is a 404). Writes go through kb.comments.services; success redirects
back to the item at the comment, input to correct re-renders a small form page that keeps
what was typed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from kb.comments import services
from kb.comments.forms import CommentForm, HideForm, ReplyForm
from kb.comments.models import Comment, commentable_model
from kb.core.models import Content
from kb.core.views import get_viewable_or_404


def _target_or_404(request: HttpRequest, kind: str, slug: str) -> Content:
    model = commentable_model(kind)
    if model is None:
        raise Http404("No such kind of item.")
    return get_viewable_or_404(model.objects.all(), request, slug=slug)


def _comment_or_404(request: HttpRequest, pk: int) -> tuple[Comment, Content]:
    """A comment that still stands, on an item this user may see."""
    comment = get_object_or_404(
        Comment.objects.select_related("author"), pk=pk, deleted_at__isnull=True
    )
    target = comment.target
    if target is None or not target.can_view(request.user):
        raise Http404("No such comment.")
    return comment, target


def _form_page(
    request: HttpRequest,
    *,
    form: Form,
    target: Content,
    title: str,
    submit_label: str,
    action: str,
    comment: Comment | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "target": target,
        "title": title,
        "submit_label": submit_label,
        "action": action,
        "comment": comment,
    }
    return render(request, "comments/comment_form.html", context, status=status)


@require_POST
def comment_post(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    target = _target_or_404(request, kind, slug)
    form = ReplyForm(request.POST, target=target)
    if form.is_valid():
        try:
            comment = services.comment_post(
                target=target,
                author=request.user,
                body=form.cleaned_data["body"],
                parent=form.cleaned_data["parent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(services.comment_url(target, comment))
    replying = bool(request.POST.get("parent"))
    return _form_page(
        request,
        form=form,
        target=target,
        title="Reply" if replying else "Add a comment",
        submit_label="Post reply" if replying else "Post comment",
        action=request.path,
        status=400 if form.has_error("parent") else 200,
    )


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment, target = _comment_or_404(request, pk)
    if not comment.can_edit(request.user):
        raise PermissionDenied("Comments can be edited only by their author, for a short while.")
    data = request.POST if request.method == "POST" else None
    form = CommentForm(data, initial={"body": comment.body})
    if form.is_valid():
        services.comment_edit(comment=comment, user=request.user, body=form.cleaned_data["body"])
        return redirect(services.comment_url(target, comment))
    return _form_page(
        request,
        form=form,
        target=target,
        title="Edit your comment",
        submit_label="Save",
        action=request.path,
    )


@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment, target = _comment_or_404(request, pk)
    if not comment.can_delete(request.user):
        raise PermissionDenied("Comments can be deleted only by their author, for a short while.")
    if request.method == "POST":
        services.comment_delete(comment=comment, user=request.user)
        messages.success(request, "Your comment was deleted.")
        return redirect(f"{target.get_absolute_url()}#comments")
    context = {"comment": comment, "target": target}
    return render(request, "comments/comment_confirm_delete.html", context)


@require_POST
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment, target = _comment_or_404(request, pk)
    if not comment.can_moderate(request.user):
        raise PermissionDenied("Only editors may hide comments.")
    form = HideForm(request.POST)
    if form.is_valid():
        services.comment_hide(
            comment=comment, editor=request.user, reason=form.cleaned_data["reason"]
        )
        return redirect(services.comment_url(target, comment))
    return _form_page(
        request,
        form=form,
        target=target,
        title="Hide a comment",
        submit_label="Hide",
        action=reverse("comments:hide", args=[comment.pk]),
        comment=comment,
    )


@require_POST
def comment_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    comment, target = _comment_or_404(request, pk)
    services.comment_unhide(comment=comment, editor=request.user)
    return redirect(services.comment_url(target, comment))
