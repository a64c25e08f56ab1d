"""Login with throttling: after repeated failures the form refuses for a while.

Failures are rows in the database so every app server sees the same count.
"""
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LoginFailure


def _client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def _recent_failures(username: str, ip: str | None) -> int:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginFailure.objects.filter(at__gte=since)
    by_name = recent.filter(username__iexact=username).count() if username else 0
    # An address trying many names is throttled too, at a looser limit.
    by_ip = recent.filter(ip_address=ip).count() // 4 if ip else 0
    return max(by_name, by_ip)


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống."),
        "throttled": _(
            "Bạn đã đăng nhập sai quá %(limit)s lần. Vui lòng thử lại sau %(minutes)s phút."
        ),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        ip = _client_ip(self.request) if self.request else None
        if _recent_failures(username, ip) >= settings.LOGIN_FAILURE_LIMIT:
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"limit": settings.LOGIN_FAILURE_LIMIT,
                        "minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            LoginFailure.objects.create(username=username[:150], ip_address=ip)
            raise
        LoginFailure.objects.filter(username__iexact=username).delete()
        return cleaned


class ThrottledLoginView(LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
