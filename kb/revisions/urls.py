from django.urls import path

from kb.revisions import views

app_name = "revisions"
urlpatterns = [
    path("<slug:kind>/<slug:slug>/", views.history, name="history"),
    path("<slug:kind>/<slug:slug>/compare/", views.revision_compare, name="compare"),
    path(
        "<slug:kind>/<slug:slug>/<int:number>/restore/",
        views.revision_restore_view,
        name="restore",
    ),
]
