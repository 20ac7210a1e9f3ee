"""URLs of briefs and learning paths."""

from django.urls import path

from kb.collections import views

app_name = "collections"
urlpatterns = [
    path("", views.collection_list, name="list"),
    path("new/", views.collection_create, name="create"),
    path("<slug:slug>/", views.collection_detail, name="detail"),
    path("<slug:slug>/edit/", views.collection_edit, name="edit"),
    path("<slug:slug>/steps/<int:row>/", views.step_mark_view, name="step"),
    path("<slug:slug>/share/", views.progress_share_view, name="share"),
    path("<slug:slug>/export.md", views.export_markdown, name="markdown"),
    path("<slug:slug>/export.pdf", views.export_pdf, name="pdf"),
]
