"""The navigation bar: which sections the signed-in user's roles open."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import registry
from .importing import kinds_for
from .models import Role
from .selectors import roles_of

NAV_COUNT_MAX = 99  # a count above it shows as "99+" (so a counter may stop at 100)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    items = []
    if roles:
        items = [
            (reverse("home"), _("Trang chủ")),
            (reverse("recruitment:worklist"), _("Việc cần làm")),
            (reverse("recruitment:candidate_list"), _("Quần chúng")),
        ]
        if Role.ORG_DEPARTMENT in roles:
            items.append((reverse("recruitment:examination_queue"), _("Thẩm định")))
        if roles & {Role.ORG_DEPARTMENT, Role.GRASSROOTS_OFFICE}:
            items.append((reverse("recruitment:numbering"), _("Sổ số văn bản")))
        items.append((reverse("recruitment:class_list"), _("Lớp bồi dưỡng")))
        if Role.BRANCH_SECRETARY in roles:
            items.append((reverse("recruitment:nominations"), _("Cử đi học")))
        items += [
            (reverse("members:organisations"), _("Tổ chức đảng")),
            (reverse("members:member_list"), _("Đảng viên")),
            (reverse("reports:index"), _("Báo cáo")),
        ]
        if roles & {Role.LEADERSHIP, Role.ORG_DEPARTMENT}:
            items.append((reverse("reports:insight"), _("Phân tích")))
        if Role.ORG_DEPARTMENT in roles:
            items.append((reverse("members:headcounts"), _("Cán bộ, công chức")))
    if kinds_for(user):
        items.append((reverse("members:import_index"), _("Nhập dữ liệu")))
    if Role.ADMINISTRATOR in roles and user.is_staff:
        items.append((reverse("admin:index"), _("Quản trị")))
    counted = {reverse(name): name for name in registry.nav_counts}
    return {"nav_items": [(url, label, *_count(request, counted.get(url)))
                          for url, label in items],
            "user_roles": roles}


def _count(request, name) -> tuple[str, str]:
    """The count an upper app gives a link's URL name (members.registry.nav_counts) as shown
    ("99+" above 99) and its words for a screen reader; ("", "") when it gives none."""
    entry = registry.nav_counts.get(name) if name else None
    n = registry.load(entry)(request) if entry is not None else 0
    if not n:
        return "", ""
    if n > NAV_COUNT_MAX:
        return f"{NAV_COUNT_MAX}+", _("hơn %(n)s việc đến hạn hoặc quá hạn") % {
            "n": NAV_COUNT_MAX}
    return str(n), ngettext("%(n)s việc đến hạn hoặc quá hạn",
                            "%(n)s việc đến hạn hoặc quá hạn", n) % {"n": n}
