"""The navigation bar: which sections the signed-in user's roles open."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role
from .selectors import roles_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    items = []
    if roles:
        items = [
            (reverse("home"), _("Trang chủ")),
            (reverse("members:organisations"), _("Tổ chức đảng")),
            (reverse("members:member_list"), _("Đảng viên")),
        ]
    if Role.ADMINISTRATOR in roles and user.is_staff:
        items.append((reverse("admin:index"), _("Quản trị")))
    return {"nav_items": items, "user_roles": roles}
