from django.urls import path

from kb.casestudies import views

app_name = "casestudies"
urlpatterns = [
    path("", views.case_study_list, name="list"),
    path("new/", views.case_study_create, name="create"),
    path("<slug:slug>/", views.case_study_detail, name="detail"),
    path("<slug:slug>/edit/", views.case_study_edit, name="edit"),
]
