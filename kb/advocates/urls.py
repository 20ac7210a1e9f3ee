from django.urls import path

from kb.advocates import views

app_name = "advocates"
urlpatterns = [
    path("", views.advocate_list, name="list"),
    path("me/edit/", views.profile_edit, name="edit_own"),
    path("<str:username>/", views.advocate_detail, name="detail"),
]
