"""The way into the insight: the navigation's "Phân tích" opens the first view for the
user's topmost organisation."""
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from members.auth import role_required
from members.selectors import roles_over, top_organisations_for

from .common import INSIGHT_ROLES, VIEWS


@role_required
def home(request):
    for organisation in top_organisations_for(request.user):
        if roles_over(request.user, organisation) & INSIGHT_ROLES:
            return redirect("reports:" + VIEWS[0][0], organisation.code)
    raise PermissionDenied(_("Chỉ lãnh đạo và Ban Tổ chức xem được phần phân tích."))
