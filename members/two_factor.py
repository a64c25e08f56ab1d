"""A second factor at login for the people who approve admissions and keep the system.

Organisation-department staff, administrators and superusers confirm each login with a code
from an authenticator app (TOTP), or with one of ten single-use recovery codes, when
REQUIRE_2FA is on. Until they have, TwoFactorMiddleware lets them reach only these pages,
logout and static files. Devices, tokens and the growing wait after wrong codes are
django-otp's; this module decides who is asked and drives enrolment.
"""
import re
import xml.etree.ElementTree as ET
from base64 import b32encode
from dataclasses import dataclass, field
from datetime import datetime

import qrcode
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

from .models import Role
from .selectors import roles_of

SECOND_FACTOR_ROLES = frozenset({Role.ORG_DEPARTMENT, Role.ADMINISTRATOR})
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_DEVICE_NAME = "Mã khôi phục"

TOTP_CODE = re.compile(r"\d{6}")
# StaticToken.random_token(): five random bytes in lower-case base32.
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")

WRONG_CODE = _("Mã không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trong ứng dụng.")
WRONG_CODE_OR_RECOVERY = _(
    "Mã không đúng, đã hết hạn hoặc mã khôi phục đã được dùng. Hãy thử lại."
)
THROTTLED = _("Đã nhập sai quá nhiều lần liên tiếp. Hãy chờ đến %(time)s rồi thử lại.")


def second_factor_required(user) -> bool:
    """Whether this user must confirm logins with a second factor."""
    return bool(
        settings.REQUIRE_2FA and user.is_authenticated
        and roles_of(user) & SECOND_FACTOR_ROLES
    )


def is_verified(user) -> bool:
    return bool(getattr(user, "otp_device", None))


# --- Devices ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CodeCheck:
    """The outcome of one code typed by the user."""

    device: Device | None = None
    locked_until: datetime | None = None
    recovery_codes: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.device is not None


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being enrolled. Its secret stays the same until it is confirmed, so
    reloading the page does not invalidate what the user has already scanned."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _check(device, code: str) -> CodeCheck:
    """Verify a code on a device locked for update, honouring django-otp's throttling: after
    each wrong code the next try must wait twice as long (1, 2, 4, 8, 16 s…)."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(locked_until=info["locked_until"])
    return CodeCheck(device=device if device.verify_token(code) else None)


def confirm_authenticator(*, user, device_id: int, code: str) -> CodeCheck:
    """Confirm the enrolled authenticator with its first code and issue recovery codes."""
    with transaction.atomic():
        device = (TOTPDevice.objects.devices_for_user(user, confirmed=False)
                  .select_for_update().filter(pk=device_id).first())
        if device is None:
            return CodeCheck()
        result = _check(device, code)
        if not result.accepted:
            return result
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        return CodeCheck(device=device, recovery_codes=replace_recovery_codes(user=user))


def verify_code(*, user, code: str) -> CodeCheck:
    """Check a login code: six digits go to the authenticator, anything else is taken as a
    recovery code, which the match uses up."""
    model = TOTPDevice if TOTP_CODE.fullmatch(code) else StaticDevice
    with transaction.atomic():
        device = (model.objects.devices_for_user(user, confirmed=True)
                  .select_for_update().order_by("pk").first())
        if device is None:
            return CodeCheck()
        return _check(device, code)


@transaction.atomic
def replace_recovery_codes(*, user) -> list[str]:
    """A fresh set of recovery codes; the previous ones stop working. The device itself is
    kept, because a session verified with a recovery code is bound to it."""
    device = StaticDevice.objects.filter(user=user).select_for_update().order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return sorted(codes)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Presentation -------------------------------------------------------------------------

def secret_in_groups(device: TOTPDevice) -> str:
    """The secret in base32, as authenticator apps ask for it, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_svg(data: str) -> str:
    """The QR code as an inline SVG element: drawn here, nothing fetched, no inline style."""
    image = qrcode.make(data, image_factory=SvgPathFillImage, border=2)
    svg = image.get_image()
    svg.set("width", "220")
    svg.set("height", "220")
    svg.set("role", "img")
    svg.set("aria-label", gettext("Mã QR để thêm vào ứng dụng xác thực"))
    svg.set("class", "qr-code")
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # built by us from the secret


def show_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def throttled_message(locked_until: datetime) -> str:
    local = timezone.localtime(locked_until)
    fmt = "H:i:s" if local.date() == timezone.localdate() else r"H:i:s \n\g\à\y d/m/Y"
    return gettext(THROTTLED) % {"time": date_format(local, fmt)}


# --- Forms ----------------------------------------------------------------------------------

def _code_input(**attrs):
    return forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                  "spellcheck": "false", "autocapitalize": "off", **attrs})


class EnrolmentForm(forms.Form):
    code = forms.CharField(
        label=_("Mã 6 chữ số trong ứng dụng"), max_length=20,
        widget=_code_input(inputmode="numeric"),
        error_messages={"required": _("Hãy nhập mã 6 chữ số đang hiện trong ứng dụng.")},
    )

    def clean_code(self):
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not TOTP_CODE.fullmatch(code):
            raise forms.ValidationError(_("Mã gồm đúng 6 chữ số."))
        return code


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực"), max_length=40, widget=_code_input(),
        help_text=_("6 chữ số đang hiện trong ứng dụng xác thực, hoặc một mã khôi phục "
                    "(dạng abcd-efgh) nếu không có điện thoại bên mình."),
        error_messages={"required": _("Hãy nhập mã xác thực.")},
    )

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        if not (TOTP_CODE.fullmatch(code) or RECOVERY_CODE.fullmatch(code)):
            raise forms.ValidationError(
                _("Mã gồm 6 chữ số, hoặc là mã khôi phục gồm 8 chữ cái và số (abcd-efgh)."))
        return code


# --- Views ----------------------------------------------------------------------------------

def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("home")


def _signed_in_with(request, device):
    otp_login(request, device)
    # A session that gains a privilege gets a new key, as at the password step.
    request.session.cycle_key()


@login_required
def setup(request):
    user = request.user
    if not second_factor_required(user):
        return redirect("home")
    if authenticator_of(user) is not None:
        return redirect(_next_url(request) if is_verified(user) else
                        _with_next(reverse("members:two_factor_verify"), _next_url(request)))
    device = pending_authenticator(user)
    form = EnrolmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = confirm_authenticator(user=user, device_id=device.pk,
                                       code=form.cleaned_data["code"])
        if result.accepted:
            _signed_in_with(request, result.device)
            return _recovery_codes_page(request, result.recovery_codes, enrolled=True)
        form.add_error("code", throttled_message(result.locked_until) if result.locked_until
                       else WRONG_CODE)
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "qr_svg": qr_svg(device.config_url), "secret": secret_in_groups(device),
        "next": _next_url(request),
    })


@login_required
def verify(request):
    user = request.user
    if not second_factor_required(user) or is_verified(user):
        return redirect(_next_url(request))
    if authenticator_of(user) is None:
        return redirect(_with_next(reverse("members:two_factor_setup"), _next_url(request)))
    form = VerifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = verify_code(user=user, code=form.cleaned_data["code"])
        if result.accepted:
            _signed_in_with(request, result.device)
            if isinstance(result.device, StaticDevice):
                messages.warning(request, gettext(
                    "Bạn vừa dùng một mã khôi phục; còn %(n)d mã. Hãy tạo bộ mã mới khi còn "
                    "ít.") % {"n": recovery_codes_left(user)})
            return redirect(_next_url(request))
        form.add_error("code", throttled_message(result.locked_until) if result.locked_until
                       else WRONG_CODE_OR_RECOVERY)
    return render(request, "registration/two_factor_verify.html",
                  {"form": form, "next": _next_url(request)})


@login_required
def recovery_codes(request):
    """See how many recovery codes are left; make a new set (the old one stops working)."""
    user = request.user
    if not second_factor_required(user):
        return redirect("home")
    if request.method == "POST":
        return _recovery_codes_page(request, replace_recovery_codes(user=user), enrolled=False)
    return render(request, "registration/two_factor_recovery.html",
                  {"left": recovery_codes_left(user)})


def _recovery_codes_page(request, codes, *, enrolled):
    # Rendered in the response to the POST itself, never stored: the codes are shown once.
    return render(request, "registration/two_factor_codes.html", {
        "codes": [show_recovery_code(c) for c in codes], "enrolled": enrolled,
        "next": _next_url(request),
    })


def _with_next(url: str, next_url: str) -> str:
    query = QueryDict(mutable=True)
    query["next"] = next_url
    return f"{url}?{query.urlencode(safe='/')}"


# --- Middleware -----------------------------------------------------------------------------

class TwoFactorMiddleware:
    """Sends a user who still owes the second factor to enrolment or to the code page.

    Placed after django_otp's OTPMiddleware, which tells whether this session is verified.
    Everything else, the admin included, waits until then; logout, the language switch and
    static files stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.two_factor_required = False
        if not settings.REQUIRE_2FA or not request.user.is_authenticated:
            return self.get_response(request)
        request.two_factor_required = second_factor_required(request.user)
        if (not request.two_factor_required or is_verified(request.user)
                or self._open(request.path)):
            return self.get_response(request)
        name = ("members:two_factor_verify" if authenticator_of(request.user)
                else "members:two_factor_setup")
        if request.method in ("GET", "HEAD"):
            return redirect(_with_next(reverse(name), request.get_full_path()))
        return redirect(name)

    @staticmethod
    def _open(path: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        return path in {reverse("members:two_factor_setup"),
                        reverse("members:two_factor_verify"),
                        reverse("logout"), reverse("set_language")}
