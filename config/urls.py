"""URL map: one include per app, plus sign-in pages, the admin, a health check and the
Content-Security-Policy's report address."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kb.core.csp import csp_report
from kb.core.views import evidence_levels, healthz, markdown_preview, tag_suggest

# An unreachable database answers 503 ("briefly unavailable"), anything else the 500 page.
handler500 = "kb.core.unavailable.server_error"

admin.site.site_header = "KB curation"
admin.site.site_title = "KB admin"
admin.site.index_title = "Curate the knowledge base"

urlpatterns = [
    # Before the topic pages, whose slugs "suggest" would match.
    path("tags/suggest/", tag_suggest, name="tag_suggest"),
    path("", include("kb.home.urls")),
    path("case-studies/", include("kb.casestudies.urls")),
    path("research/", include("kb.research.urls")),
    path("sources/", include("kb.sources.urls")),
    path("experiments/", include("kb.experiments.urls")),
    path("collections/", include("kb.collections.urls")),
    path("evidence/", evidence_levels, name="evidence_levels"),
    path("articles/", include("kb.articles.urls")),
    path("advocates/", include("kb.advocates.urls")),
    path("departments/", include("kb.departments.urls")),
    path("platforms/", include("kb.platforms.urls")),
    path("following/", include("kb.follows.urls")),
    path("questions/", include("kb.questions.urls")),
    path("search/", include("kb.search.urls")),
    path("uploads/", include("kb.uploads.urls")),
    path("history/", include("kb.revisions.urls")),
    path("", include("kb.workflow.urls")),
    path("comments/", include("kb.comments.urls")),
    path("notifications/", include("kb.notifications.urls")),
    path("reviews/", include("kb.freshness.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("csp-report/", csp_report, name="csp_report"),
    path("preview/", markdown_preview, name="markdown_preview"),
]
