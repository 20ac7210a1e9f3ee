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
from kb.comments.models import with_comment_counts
from kb.core.lists import render_filtered_list
from kb.core.permissions import ADVOCATE, EDITOR, has_role

User = get_user_model()


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
    user = profile.user
    # Contributions are fetched through each content type's own related name.
    context = {
        "profile": profile,
        "articles": with_comment_counts(
            user.articles.visible_to(request.user).prefetch_related("tags")
        )[:20],
        "case_studies": user.case_studies.published()[:20],
        "research_links": user.research_links.published()[:20],
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
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            formset.instance = form.save()
            formset.save()
        messages.success(request, "Your profile is saved.")
        return redirect(formset.instance)
    context = {"form": form, "formset": formset, "object": profile if profile.pk else None}
    return render(request, "advocates/advocateprofile_form.html", context)
