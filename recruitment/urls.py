from django.urls import path

from . import views

app_name = "recruitment"

urlpatterns = [
    path("candidates/", views.candidate_list, name="candidate_list"),
    path("candidates/new/", views.candidate_create, name="candidate_create"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/<slug:action>/", views.candidate_action, name="candidate_action"),
    path("examination/", views.examination_queue, name="examination_queue"),
    path("worklist/", views.worklist, name="worklist"),
]
