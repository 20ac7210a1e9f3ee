"""Department URLs: the list, a department's page and recording its stage."""

from django.urls import path

from kb.departments import views

app_name = "departments"
urlpatterns = [
    path("", views.department_list, name="list"),
    path("dashboard/", views.adoption_dashboard, name="dashboard"),
    path("dashboard/<slug:chart>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("<slug:slug>/", views.department_detail, name="detail"),
    path("<slug:slug>/stage/", views.stage_record, name="record_stage"),
]
