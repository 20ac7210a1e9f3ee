from django.urls import path

from tests.registry_app import views

app_name = "findings"
urlpatterns = [
    path("", views.finding_list, name="list"),
    path("new/", views.finding_create, name="create"),
    path("<slug:slug>/", views.finding_detail, name="detail"),
    path("<slug:slug>/edit/", views.finding_edit, name="edit"),
]
