from django.urls import path

from kb.freshness import views

app_name = "freshness"
urlpatterns = [
    path("", views.overdue, name="overdue"),
    path("items/<slug:kind>/<slug:slug>/verify/", views.verify, name="verify"),
]
