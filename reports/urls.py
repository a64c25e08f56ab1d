from django.urls import path, re_path

from . import views
from .insight import views as insight
from .insight import views_aging, views_cohorts, views_forecast, views_units

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/insight/", insight.home, name="insight"),
    re_path(r"^reports/insight/(?P<code>[^/]+)/annex/(?P<fmt>pdf|xlsx)/$", insight.annex_file,
            name="insight_annex"),
    path("reports/insight/<str:code>/aging/", views_aging.page, name="insight_aging"),
    path("reports/insight/<str:code>/aging/dossiers/", views_aging.dossiers,
         name="insight_aging_dossiers"),
    path("reports/insight/<str:code>/cohorts/", views_cohorts.page, name="insight_cohorts"),
    path("reports/insight/<str:code>/cohorts/dossiers/", views_cohorts.dossiers,
         name="insight_cohorts_dossiers"),
    path("reports/insight/<str:code>/forecast/", views_forecast.page, name="insight_forecast"),
    path("reports/insight/<str:code>/forecast/dossiers/", views_forecast.dossiers,
         name="insight_forecast_dossiers"),
    path("reports/insight/<str:code>/units/", views_units.page, name="insight_units"),
    path("reports/insight/<str:code>/units/dossiers/", views_units.dossiers,
         name="insight_units_dossiers"),
    path("reports/jobs/<uuid:pk>/", views.job, name="job"),
    path("reports/jobs/<uuid:pk>/file/", views.job_file, name="job_file"),
    path("reports/targets/<str:code>/", views.targets, name="targets"),
    path("reports/<str:code>/<str:period>/", views.report, name="report"),
    re_path(r"^reports/(?P<code>[^/]+)/(?P<period>[^/]+)/(?P<fmt>pdf|xlsx)/$", views.download,
            name="download"),
]
