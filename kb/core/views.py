"""View helpers shared by the content apps: permission-checked lookups and the edit flow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from kb.core.permissions import can_add


def get_viewable_or_404(queryset: QuerySet, request: HttpRequest, **lookup) -> Model:
    """The object if this user may see it; a draft of someone else's is a 404, not a 403."""
    obj = get_object_or_404(queryset, **lookup)
    if not obj.can_view(request.user):
        raise Http404("No such item.")
    return obj


def get_editable_or_403(queryset: QuerySet, request: HttpRequest, **lookup) -> Model:
    obj = get_object_or_404(queryset, **lookup)
    if not obj.can_edit(request.user):
        raise PermissionDenied("You may not edit this item.")
    return obj


def require_add_permission(request: HttpRequest, model: type[Model]) -> None:
    if not can_add(request.user, model):
        raise PermissionDenied("Your role may not add this kind of item.")


def edit_with_form(
    request: HttpRequest,
    *,
    instance: Model,
    form_class: type[ModelForm],
    template_name: str,
    formset_class: type[BaseFormSet] | None = None,
    form_kwargs: dict | None = None,
) -> HttpResponse:
    """Create or edit ``instance`` (and an optional inline formset) in one transaction.

    Invalid input re-renders the form with errors and everything the user typed.
    """
    is_new = instance.pk is None
    form_kwargs = form_kwargs or {}
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = form_class(*data, instance=instance, **form_kwargs)
    formset = formset_class(*data, instance=instance) if formset_class else None
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        with transaction.atomic():
            saved = form.save()
            if formset is not None:
                formset.instance = saved
                formset.save()
        verb = "created" if is_new else "saved"
        messages.success(request, f"“{saved}” {verb}.")
        return redirect(saved)
    context = {"form": form, "formset": formset, "object": None if is_new else instance}
    return render(request, template_name, context)


def content_form_views(
    model: type[Model],
    form_class: type[ModelForm],
    template_name: str,
    formset_class: type[BaseFormSet] | None = None,
):
    """The create and edit views of a content type: same permissions, same flow.

    Create needs the model's add permission and makes the user the owner; edit needs
    ``can_edit`` on the object (its owner, or an editor).
    """

    def create(request: HttpRequest) -> HttpResponse:
        require_add_permission(request, model)
        return edit_with_form(
            request,
            instance=model(**{model.OWNER_FIELD: request.user}),
            form_class=form_class,
            formset_class=formset_class,
            form_kwargs={"user": request.user},
            template_name=template_name,
        )

    def edit(request: HttpRequest, slug: str) -> HttpResponse:
        return edit_with_form(
            request,
            instance=get_editable_or_403(model.objects.all(), request, slug=slug),
            form_class=form_class,
            formset_class=formset_class,
            form_kwargs={"user": request.user},
            template_name=template_name,
        )

    return create, edit


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
