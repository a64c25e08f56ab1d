from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/jobs/<uuid:pk>/", views.job, name="job"),
    path("reports/jobs/<uuid:pk>/file/", views.job_file, name="job_file"),
    path("reports/targets/<str:code>/", views.targets, name="targets"),
    path("reports/<str:code>/<str:period>/", views.report, name="report"),
    re_path(r"^reports/(?P<code>[^/]+)/(?P<period>[^/]+)/(?P<fmt>pdf|xlsx)/$", views.download,
            name="download"),
]
