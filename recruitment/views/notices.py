"""What needs the user now: the home panel of deadlines, the count beside "Việc cần làm", and
the e-mail digest's settings and one-click unsubscribe."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from members.auth import role_required

from .. import rules, selectors
from ..calendar import WorkingCalendar
from ..digest import needs_of, user_from_token
from ..models import DigestPreference


def due_panel(request) -> str:
    """The home panel: dossiers waiting for the user whose deadline falls within the next
    DUE_WINDOW working days or has passed, the overdue ones first ("" for a user who holds
    no stage, e.g. the leadership, whose dashboard lists the overdue dossiers of its scope).
    Registered in members.registry.home_panels."""
    if selectors.waits_for_nobody(selectors.holder_q(request.user)):
        return ""
    needs = needs_of(request.user, rules.today(), WorkingCalendar.load(), returned=False)
    return render_to_string("recruitment/_due_panel.html", {
        "needs": needs, "window": selectors.DUE_WINDOW}, request=request)


def needs_count(request) -> int:
    """The number beside "Việc cần làm": returned, due or overdue dossiers waiting for the
    user, each once; one query, the window's end computed inside it. Remembered on the
    request: every template rendered with it asks again. Registered in
    members.registry.nav_counts."""
    if not hasattr(request, "_needs_count"):
        request._needs_count = selectors.needs_count(
            request.user, selectors.horizon_expression(rules.today()))
    return request._needs_count


class DigestForm(forms.Form):
    weekly = forms.BooleanField(
        label=gettext_lazy("Nhận thư tóm tắt hằng tuần"), required=False,
        help_text=gettext_lazy("Sáng thứ Hai: hồ sơ bị trả lại, hồ sơ đến hạn trong 10 ngày "
                               "làm việc tới và hồ sơ quá hạn đang chờ bạn. Không có việc "
                               "thì không gửi."))


@role_required
@require_http_methods(["GET", "POST"])
def digest_settings(request):
    """Thông báo qua thư: whether the user gets the weekly digest."""
    user = request.user
    # An unticked box sends nothing: an empty POST is still a POST.
    form = DigestForm(request.POST if request.method == "POST" else None,
                      initial={"weekly": DigestPreference.wants_weekly(user)})
    if request.method == "POST" and form.is_valid():
        DigestPreference.set_weekly(user, form.cleaned_data["weekly"])
        messages.success(request, _("Đã lưu: sẽ nhận thư tóm tắt hằng tuần.")
                         if form.cleaned_data["weekly"]
                         else _("Đã lưu: sẽ không nhận thư tóm tắt hằng tuần."))
        return redirect("recruitment:digest_settings")
    return render(request, "recruitment/digest_settings.html",
                  {"form": form, "email": user.email})


@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token):
    """The link of each digest: no sign-in, the signed token says who; a GET only asks, the
    POST turns the digest off (a mail scanner following links changes nothing)."""
    user = user_from_token(token)
    if user is None:
        return render(request, "recruitment/digest_unsubscribe.html", {"invalid": True},
                      status=400)
    done = request.method == "POST"
    if done:
        DigestPreference.set_weekly(user, False)
    return render(request, "recruitment/digest_unsubscribe.html",
                  {"done": done, "email": user.email})
