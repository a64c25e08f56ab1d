"""What every insight view shares: who may see it, the organisation and period it is about,
the units its rows are (the organisation's direct children, or the branch itself), and the
links between the views.

Leadership and the organisation department see the insight of any organisation in their
scope; another organisation is a 404, another role a 403."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Organisation, Role
from members.models.tree import PATH_STEP
from members.selectors import roles_over
from recruitment.rules import today as local_today

from .. import periods
from ..selectors import report_organisation

INSIGHT_ROLES = frozenset({Role.LEADERSHIP, Role.ORG_DEPARTMENT})
PERIOD_PARAM = "ky"
# The four views: (URL name in the `reports` namespace, tab label).
VIEWS = [
    ("insight_aging", gettext_lazy("Thời gian chờ từng bước")),
    ("insight_cohorts", gettext_lazy("Theo năm vào nguồn")),
    ("insight_forecast", gettext_lazy("Dự báo kết nạp")),
    ("insight_units", gettext_lazy("So sánh đơn vị")),
]


@dataclass
class Scope:
    organisation: Organisation
    period: periods.Period
    today: date
    units: list[Organisation] = field(default_factory=list)

    @property
    def as_of(self) -> date:
        """The day open dossiers are measured to: the period's end, or today while it runs."""
        return min(self.today, self.period.end)

    @property
    def unit_length(self) -> int:
        """How many leading characters of a branch's path name its unit (SUBSTR in SQL)."""
        own = len(self.organisation.path)
        return own if self.organisation.is_branch else own + PATH_STEP

    def unit_of(self, path: str) -> Organisation | None:
        return self._by_path.get(path[:self.unit_length])

    @property
    def _by_path(self) -> dict[str, Organisation]:
        return {u.path: u for u in self.units}

    def query(self, **extra) -> str:
        """`?ky=<period>` plus `extra` (None values left out), for the views' links."""
        params = {PERIOD_PARAM: self.period.label,
                  **{k: v for k, v in extra.items() if v is not None}}
        return "?" + urlencode(params)

    def url(self, name: str, organisation: Organisation | None = None, **extra) -> str:
        """A view of the insight (`reports:<name>`) for this period, about `organisation`
        (this one by default)."""
        code = (organisation or self.organisation).code
        return reverse(f"reports:{name}", args=[code]) + self.query(**extra)


def units_of(organisation: Organisation, period: periods.Period) -> list[Organisation]:
    """The rows of the views: the organisation's direct children that were not dissolved
    before the period began (the branch itself when it is one)."""
    if organisation.is_branch:
        return [organisation]
    children = Organisation.objects.filter(parent=organisation).exclude(
        dissolved_on__lt=period.start).order_by("path")
    return list(children)


def insight_scope(request, code: str) -> Scope:
    """The Scope of an insight request: the organisation (404 outside the user's scope), the
    user's right to it (403 for roles other than leadership and the department) and the
    period of `?ky=` (a year or a term; the current term by default; 404 when malformed)."""
    organisation = report_organisation(request.user, code)
    if not roles_over(request.user, organisation) & INSIGHT_ROLES:
        raise PermissionDenied(_("Chỉ lãnh đạo và Ban Tổ chức xem được phần phân tích."))
    today = local_today()
    label = request.GET.get(PERIOD_PARAM, "").strip()
    try:
        period = (periods.resolve(organisation, label) if label
                  else periods.current_term(organisation, today))
    except ValidationError as err:
        raise Http404(_("Kỳ phân tích không hợp lệ.")) from err
    return Scope(organisation, period, today, units_of(organisation, period))


def tabs(scope: Scope, current: str) -> list[dict]:
    return [{"href": scope.url(name), "label": label, "current": name == current}
            for name, label in VIEWS]


def page_context(request, scope: Scope, current: str, **extra) -> dict:
    """What templates/reports/insight/base.html reads: the tabs, the period choices, the
    link to the same view one level up (when the user may see it) and `extra`."""
    today, parent = scope.today, scope.organisation.parent
    up = ""
    if parent is not None and roles_over(request.user, parent) & INSIGHT_ROLES:
        up = scope.url(current, parent)
    return {
        "scope": scope, "tabs": tabs(scope, current), "current_view": current,
        "period_choices": [*periods.term_choices(today, back=2),
                           *[str(y) for y in range(today.year, today.year - 6, -1)]],
        "parent_link": up, "period_param": PERIOD_PARAM,
        **extra,
    }
