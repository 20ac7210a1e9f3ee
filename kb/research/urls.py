from django.urls import path

from kb.research import views

app_name = "research"
urlpatterns = [
    path("", views.research_list, name="list"),
    path("new/", views.research_create, name="create"),
    path("export.<str:extension>", views.research_export, name="export"),
    path("<slug:slug>/", views.research_detail, name="detail"),
    path("<slug:slug>/edit/", views.research_edit, name="edit"),
    path("<slug:slug>/cite.<str:extension>", views.research_cite, name="cite"),
]
