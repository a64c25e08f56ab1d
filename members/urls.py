from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<str:code>/", views.organisation_detail, name="organisation_detail"),
    path("members/", views.member_list, name="member_list"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
]
