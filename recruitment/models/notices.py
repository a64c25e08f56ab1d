"""What each user wants to be told by e-mail. A user without a row gets the weekly digest."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("người dùng"),
                                on_delete=models.CASCADE, related_name="digest_preference")
    weekly = models.BooleanField(_("Nhận thư tóm tắt hằng tuần"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thông báo qua thư")
        verbose_name_plural = _("thông báo qua thư")

    def __str__(self):
        return f"{self.user}: {'nhận' if self.weekly else 'không nhận'} thư hằng tuần"

    @classmethod
    def wants_weekly(cls, user) -> bool:
        row = cls.objects.filter(user=user).only("weekly").first()
        return True if row is None else row.weekly

    @classmethod
    def set_weekly(cls, user, weekly: bool) -> None:
        cls.objects.update_or_create(user=user, defaults={"weekly": weekly})
