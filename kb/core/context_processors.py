"""Template context every page needs: the site name and what the user may create."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def site(request: HttpRequest) -> dict:
    # A request refused by a middleware before AuthenticationMiddleware (an unknown Host)
    # has no user, and its 400 page must still render.
    user = request.user if hasattr(request, "user") else AnonymousUser()

    def nav() -> dict[str, bool]:
        # Evaluated only when a template reads it; one cached permission lookup per request.
        perms = user.get_all_permissions() if user.is_active else set()
        return {
            "can_write_article": user.is_superuser or "articles.add_article" in perms,
            "can_add_case_study": user.is_superuser or "casestudies.add_casestudy" in perms,
            "can_add_research": user.is_superuser or "research.add_researchlink" in perms,
            "can_review": user.is_superuser
            or any(perm.split(".")[1].startswith("publish_") for perm in perms),
            "is_staff": user.is_staff,
        }

    return {"SITE_NAME": settings.SITE_NAME, "nav": SimpleLazyObject(nav)}
