"""The create and edit pages of every content type.

One flow: validate the form (and inline formset), save it as a new version with its
revision, optionally submit it for review, and redirect to the item. Invalid input
re-renders the form with everything the user typed. A save based on an out-of-date version
renders the conflict page instead: the user's text is kept in the form, next to what
changed meanwhile, and saving again from there is a deliberate choice.

An illustrated kind's form also takes an image, for authors without JavaScript (the
editor's toolbar uploads as one writes): the image is checked and stored first and its
Markdown added to the text the form then validates and saves.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Model
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from kb.core.models import Content
from kb.core.registry import kind_for
from kb.core.views import get_editable_or_403, require_add_permission
from kb.revisions.diff import compare
from kb.revisions.models import Revision
from kb.revisions.services import EditConflict, ItemInTrash, content_save
from kb.uploads.forms import AttachImageForm, can_upload_images
from kb.uploads.storing import NotStored
from kb.workflow.models import Action
from kb.workflow.services import TransitionError, content_transition, may_take

SUBMIT_BUTTON = "submit_for_review"


def edit_with_form(
    request: HttpRequest,
    *,
    instance: Content,
    form_class: type[ModelForm],
    template_name: str,
    formset_class: type[BaseFormSet] | None = None,
) -> HttpResponse:
    is_new = instance.pk is None
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    image_form = _image_form(form_class, data, request)
    image_ok = image_form is None or not data or image_form.is_valid()
    status = 200
    if data and image_form is not None and image_ok:
        # The image is stored before the form is checked: if the form has errors, its
        # Markdown is in the text shown again, and nothing needs uploading twice.
        try:
            data = (image_form.attach(request.POST, uploaded_by=request.user), request.FILES)
        except NotStored as error:
            # A full or read-only media folder: nothing is saved, the text is shown again.
            image_form.add_error("file", str(error))
            image_ok, status = False, 503
    form = form_class(*data, instance=instance, user=request.user)
    formset = _formset(formset_class, data, instance, request)
    if (
        request.method == "POST"
        and image_ok
        and form.is_valid()
        and (formset is None or formset.is_valid())
    ):
        try:
            # "Save and submit for review" is one change: both or, should the process die
            # between them, neither.
            with transaction.atomic():
                saved = content_save(
                    form=form,
                    formset=formset,
                    user=request.user,
                    base_version=form.cleaned_data.get("base_version"),
                )
                return _saved(request, saved, is_new)
        except EditConflict as conflict:
            return _conflict(request, data[0], conflict, form_class, formset_class, template_name)
        except ItemInTrash as gone:
            form.add_error(None, str(gone))
            status = 409
    context = {
        "form": form,
        "formset": formset,
        "image_form": image_form,
        "object": None if is_new else instance,
        "can_submit": _can_submit(instance, request),
    }
    return render(request, template_name, context, status=status)


def _image_form(
    form_class: type[ModelForm], data: tuple, request: HttpRequest
) -> AttachImageForm | None:
    """The image field of an illustrated kind's form (its MARKDOWN_FIELDS take the image),
    for those who may upload; None for any other form."""
    kind = kind_for(form_class._meta.model)
    names = getattr(form_class, "MARKDOWN_FIELDS", ())
    if kind is None or not kind.illustrated or not names or not can_upload_images(request.user):
        return None
    fields = [(name, form_class.base_fields[name].label or name) for name in names]
    return AttachImageForm(*data, markdown_fields=fields)


def _formset(
    formset_class: type[BaseFormSet] | None, data: tuple, instance: Content, request: HttpRequest
) -> BaseFormSet | None:
    """The inline formset, given the user when its rows depend on what they may see
    (``needs_user``: a collection's items are checked against it)."""
    if formset_class is None:
        return None
    if getattr(formset_class, "needs_user", False):
        return formset_class(*data, instance=instance, user=request.user)
    return formset_class(*data, instance=instance)


def _saved(request: HttpRequest, saved: Content, is_new: bool) -> HttpResponse:
    verb = "created" if is_new else "saved"
    messages.success(request, f"“{saved}” {verb}.")
    if SUBMIT_BUTTON in request.POST:
        _submit(request, saved)
    return redirect(saved)


def _can_submit(instance: Content, request: HttpRequest) -> bool:
    if instance.pk is None:
        return True  # a new item starts as a draft, which its author may submit
    return may_take(instance, Action.SUBMIT, request.user)


def _submit(request: HttpRequest, item: Content) -> None:
    try:
        content_transition(item=item, action=Action.SUBMIT, user=request.user)
    except TransitionError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, "It is now waiting for an editor's review.")


def _conflict(
    request: HttpRequest,
    posted: QueryDict,
    conflict: EditConflict,
    form_class: type[ModelForm],
    formset_class: type[BaseFormSet] | None,
    template_name: str,
) -> HttpResponse:
    current = conflict.current
    revisions = {
        r.number: r
        for r in Revision.objects.for_item(current)
        .filter(number__in=[conflict.base_version, current.version])
        .select_related("author")
    }
    base, latest = revisions.get(conflict.base_version), revisions.get(current.version)
    changes = compare(type(current), base.data, latest.data) if base and latest else None
    # The user's text (with any image they added), now based on the current version:
    # saving again keeps theirs.
    data = posted.copy()
    data["base_version"] = str(current.version)
    form = form_class(data, request.FILES, instance=current, user=request.user)
    formset = _formset(formset_class, (data, request.FILES), current, request)
    context = {
        "form": form,
        "formset": formset,
        "object": current,
        "conflict": {"latest": latest, "changes": changes, "base_version": conflict.base_version},
        "form_template": template_name,
        "can_submit": _can_submit(current, request),
    }
    return render(request, "revisions/conflict.html", context, status=409)


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
            template_name=template_name,
        )

    def edit(request: HttpRequest, slug: str) -> HttpResponse:
        return edit_with_form(
            request,
            instance=get_editable_or_403(model.objects.all(), request, slug=slug),
            form_class=form_class,
            formset_class=formset_class,
            template_name=template_name,
        )

    return create, edit
