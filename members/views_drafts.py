"""The drafts of long forms, read and written by `static/js/drafts.js` as JSON.

Every address takes the form's path in its query string (`?path=/candidates/new/`), so no
field of the form, whatever its name, is mistaken for it. A draft is only ever its own user's:
each query filters on `request.user`. Signed-out visitors and users without a role are
answered as on every page (the login page, the 'ask for access' page): no form that keeps a
draft is theirs. The sentences the page shows come from here, translated like any other page."""
import json

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .auth import role_required
from .models import Draft
from .models.drafts import MAX_DRAFT_BYTES
from .upload_limits import declared_length

# Never kept: Django's CSRF token (a secret of the session that typed it).
NOT_KEPT = {"csrfmiddlewaretoken"}
# The body of a save is the form URL-encoded, a few times larger than what it says; one far
# over the limit is refused before it is read.
MAX_BODY_BYTES = 8 * MAX_DRAFT_BYTES


def _form_path(request) -> str | None:
    path = request.GET.get("path", "")
    if not path.startswith("/") or len(path) > Draft._meta.get_field("path").max_length:
        return None
    return path


def _bad_path():
    return JsonResponse({"error": _("Địa chỉ biểu mẫu không hợp lệ.")}, status=400)


def _saved_at(draft) -> dict:
    moment = timezone.localtime(draft.saved_at)
    return {"time": f"{moment:%H:%M}", "date": f"{moment:%d/%m/%Y}"}


@never_cache
@role_required
@require_http_methods(["GET", "POST"])
def draft(request):
    """GET: the user's draft of the form at ?path=, or an empty object when there is none (no
    draft is the usual case, not a 404 to log on every form opened). POST: keep what the form
    holds now as that draft."""
    path = _form_path(request)
    if path is None:
        return _bad_path()
    if request.method == "POST":
        return _keep(request, path)
    found = Draft.objects.filter(user=request.user, path=path).first()
    if found is None:
        return JsonResponse({})
    return JsonResponse({
        "data": found.data,
        "message": _("Đã khôi phục bản nháp lưu lúc %(time)s ngày %(date)s.")
        % _saved_at(found),
        "discard_label": _("Bỏ bản nháp"),
        "discard_url": f"{reverse('members:draft_discard')}?{urlencode({'path': path})}",
    })


def _too_large():
    return JsonResponse({"error": _("Bản nháp quá lớn (quá %(kb)s KB) nên không được lưu; hãy "
                                    "lưu biểu mẫu.") % {"kb": MAX_DRAFT_BYTES // 1024}},
                        status=413)


def _keep(request, path):
    if declared_length(request) > MAX_BODY_BYTES:
        return _too_large()
    data = {name: values for name, values in request.POST.lists() if name not in NOT_KEPT}
    if len(json.dumps(data, ensure_ascii=False).encode()) > MAX_DRAFT_BYTES:
        return _too_large()
    kept = Draft.keep(user=request.user, path=path, data=data)
    return JsonResponse({"message": _("Đã lưu nháp lúc %(time)s") % _saved_at(kept)})


@never_cache
@role_required
@require_POST
def draft_discard(request):
    path = _form_path(request)
    if path is None:
        return _bad_path()
    Draft.discard(user=request.user, path=path)
    return JsonResponse({"message": _("Đã bỏ bản nháp.")})
