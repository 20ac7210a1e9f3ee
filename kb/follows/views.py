"""Following pages: follow and unfollow (POST only), the Following page with the digest
setting, and unsubscribing from digests by a signed link, without signing in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kb.follows.digests import digest_unsubscribe, user_for_unsubscribe_token
from kb.follows.forms import DigestPreferenceForm
from kb.follows.models import DigestPreference, Frequency
from kb.follows.registry import FOLLOWABLES, Followable, followable_by_key
from kb.follows.services import follow_add, follow_remove, followed_targets

DIGEST_SAVED = {
    Frequency.DAILY: "Digest e-mails: daily.",
    Frequency.WEEKLY: "Digest e-mails: weekly.",
    Frequency.OFF: "Digest e-mails: off. What you follow still fills “For you” and your feed.",
}
# Larger ids cannot be rows, and some databases refuse to compare with them.
MAX_ID = 2**63 - 1


def _target_or_404(request: HttpRequest, key: str, pk: int) -> tuple[Followable, models.Model]:
    followable = followable_by_key(key)
    if followable is None or pk > MAX_ID:
        raise Http404("Nothing to follow there.")
    target = followable.queryset(request.user).filter(pk=pk).first()
    if target is None:
        raise Http404("Nothing to follow there.")
    return followable, target


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """To the page the button was on (a path on this site only), else ``fallback``."""
    wanted = request.POST.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(wanted)
    return redirect(fallback)


@require_POST
def follow(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    followable, target = _target_or_404(request, key, pk)
    follow_add(user=request.user, target=target)
    messages.success(request, f"You now follow the {followable.label} “{target}”.")
    return _back(request, followable.url(target))


@require_POST
def unfollow(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    followable = followable_by_key(key)
    if followable is None or pk > MAX_ID:
        raise Http404("Nothing to unfollow there.")
    # Whatever has become of the row (an advocate who left), one may stop following it.
    target = followable.model_class._default_manager.filter(pk=pk).first()
    if target is None or not follow_remove(user=request.user, target=target):
        raise Http404("You do not follow that.")
    messages.success(request, f"You no longer follow the {followable.label} “{target}”.")
    return _back(request, reverse("follows:following"))


def _preference(user) -> DigestPreference:
    return DigestPreference.objects.filter(user=user).first() or DigestPreference(user=user)


def _render_following(
    request: HttpRequest, form: DigestPreferenceForm, status: int = 200
) -> HttpResponse:
    context = {
        "followed": followed_targets(request.user),
        "followables": FOLLOWABLES,
        "form": form,
    }
    return render(request, "follows/following.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def following(request: HttpRequest) -> HttpResponse:
    """What I follow, with unfollow buttons, and how often I get the digest."""
    return _render_following(request, DigestPreferenceForm(instance=_preference(request.user)))


@require_POST
def digest_settings(request: HttpRequest) -> HttpResponse:
    form = DigestPreferenceForm(request.POST, instance=_preference(request.user))
    if not form.is_valid():
        return _render_following(request, form, status=400)
    form.save()
    messages.success(request, DIGEST_SAVED[form.instance.frequency])
    return redirect("follows:following")


def _refused(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "follows/unsubscribe_refused.html", {"reason": reason}, status=status)


@login_not_required
@csrf_exempt  # the signed link is the authority, and mail programs post it without a session
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link scanners follow links and must not unsubscribe anyone);
    POST unsubscribes, from the page's button or a mail program's one-click request."""
    try:
        user = user_for_unsubscribe_token(token)
    except signing.BadSignature:
        return _refused(
            request, "This unsubscribe link is not one the KB made, or it was changed.", 400
        )
    if user is None or not user.is_active:
        return _refused(
            request, "This unsubscribe link is for an account that no longer exists.", 404
        )
    if request.method == "POST":
        digest_unsubscribe(user=user)
        return render(request, "follows/unsubscribe_done.html", {"subscriber": user})
    return render(request, "follows/unsubscribe.html", {"subscriber": user, "token": token})
