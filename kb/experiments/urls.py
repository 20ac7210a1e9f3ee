"""Experiment URLs: the list, logging one, its page, editing it and promoting it."""

from django.urls import path

from kb.experiments import views

app_name = "experiments"
urlpatterns = [
    path("", views.experiment_list, name="list"),
    path("new/", views.experiment_create, name="create"),
    path("<slug:slug>/", views.experiment_detail, name="detail"),
    path("<slug:slug>/edit/", views.experiment_edit, name="edit"),
    path("<slug:slug>/promote/", views.experiment_promote_view, name="promote"),
]
