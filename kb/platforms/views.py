"""Platform pages: every platform, and one platform's published items of every kind that
names platforms, and the advocates who use it (so a platform can be followed from its page)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kb.advocates.models import AdvocateProfile
from kb.comments.models import for_cards
from kb.core.registry import kinds
from kb.platforms.models import Platform, names_platforms

NEWEST = 6  # newest items of each kind on a platform's page


def platform_list(request: HttpRequest) -> HttpResponse:
    return render(request, "platforms/platform_list.html", {"platforms": Platform.objects.all()})


def platform_detail(request: HttpRequest, slug: str) -> HttpResponse:
    platform = get_object_or_404(Platform, slug=slug)
    sections = []
    for model, kind in kinds():
        if not names_platforms(model):
            continue
        on_it = model.objects.published().filter(platforms=platform)
        count = on_it.count()
        if count:
            newest = list(for_cards(on_it.order_by("-published_at", "-pk"))[:NEWEST])
            sections.append((kind, count, newest))
    advocates = AdvocateProfile.objects.listed().for_cards().filter(platforms=platform)
    context = {"platform": platform, "sections": sections, "advocates": advocates}
    return render(request, "platforms/platform_detail.html", context)
