from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from members.auth import ThrottledLoginView
from members.views import home
from members.views_health import healthz

admin.site.site_header = "Phát triển đảng viên — Quản trị"
admin.site.site_title = "Quản trị"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("", include("recruitment.urls")),
    path("", include("reports.urls")),
]
