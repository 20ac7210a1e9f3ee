"""The advocate directory, profile pages and editing one's own profile."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from kb.advocates.filters import AdvocateFilter
from kb.advocates.forms import HandleFormSet, ProfileForm
from kb.advocates.models import AdvocateProfile
from kb.comments.models import for_cards
from kb.core.lists import render_filtered_list
from kb.core.permissions import ADVOCATE, EDITOR, has_role
from kb.core.registry import kinds
from kb.uploads.storing import NotStored, discard

User = get_user_model()
CONTRIBUTIONS = 20  # of each kind on a profile


def advocate_list(request: HttpRequest) -> HttpResponse:
    queryset = AdvocateProfile.objects.listed().for_cards()
    return render_filtered_list(
        request, AdvocateFilter, queryset, "advocates/advocateprofile_list.html"
    )


def advocate_detail(request: HttpRequest, username: str) -> HttpResponse:
    profile = get_object_or_404(
        AdvocateProfile.objects.listed().for_cards().prefetch_related("handles__platform"),
        user__username=username,
    )
    # What they own of every kind, as far as the viewer may see it (their drafts to them).
    contributions = []
    for model, kind in kinds():
        owned = model.objects.visible_to(request.user).filter(**{model.OWNER_FIELD: profile.user})
        items = list(for_cards(owned)[:CONTRIBUTIONS])
        if items:
            contributions.append((kind, items))
    context = {
        "profile": profile,
        "contributions": contributions,
        "can_edit": profile.can_edit(request.user),
    }
    return render(request, "advocates/advocateprofile_detail.html", context)


def profile_edit(request: HttpRequest) -> HttpResponse:
    """Edit your own profile; an advocate without one yet starts one here."""
    user = request.user
    profile = AdvocateProfile.objects.filter(user=user).first()
    if profile is None:
        if not (has_role(user, ADVOCATE) or has_role(user, EDITOR)):
            raise PermissionDenied("Only advocates keep a profile.")
        profile = AdvocateProfile(user=user)
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = ProfileForm(*data, instance=profile)
    formset = HandleFormSet(*data, instance=profile)
    status = 200
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                formset.instance = form.save()
                formset.save()
        except NotStored as error:
            # A full or read-only media folder: nothing of the profile was saved.
            form.add_error("photo", str(error))
            status = 503
        except BaseException:
            if form.stored_photo:  # written, but the rows naming it were rolled back
                discard(AdvocateProfile._meta.get_field("photo").storage, form.stored_photo)
            raise
        else:
            messages.success(request, "Your profile is saved.")
            return redirect(formset.instance)
    context = {"form": form, "formset": formset, "object": profile if profile.pk else None}
    return render(request, "advocates/advocateprofile_form.html", context, status=status)
