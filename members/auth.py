"""Who gets in: login throttling on django-axes, shaped for users who share an address, and
the decorator that keeps users without a role out of the pages.

Failures are counted per (user name, address) pair and, at a looser limit, per address, so an
attacker guessing one account neither locks that account out everywhere nor locks out the
colleagues behind the same office NAT or reverse proxy. A lock is a cool-off, not a ban: it
ends LOGIN_LOCKOUT_MINUTES after the last failure, and every failure after a lock has ended
doubles the next one. Counts live in the database (axes' AccessAttempt) so every app server
sees the same ones.
"""
import ipaddress
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import selectors

logger = logging.getLogger(__name__)

# Past this many doublings the wait is at its maximum anyway; the bound keeps the power small.
_MAX_DOUBLINGS = 30


def client_ip(request) -> str | None:
    """The address a login is counted against.

    REMOTE_ADDR, unless TRUSTED_PROXY_HEADER names the header the reverse proxy writes: then
    the entry TRUSTED_PROXY_COUNT places from the right, the one the outermost trusted proxy
    appended. Entries further left come from the client and anyone can forge them.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    header = settings.TRUSTED_PROXY_HEADER
    if not header:
        return remote
    hops = [hop.strip() for hop in request.META.get(header, "").split(",") if hop.strip()]
    if not hops:
        return remote
    count = settings.TRUSTED_PROXY_COUNT
    # Fewer entries than proxies: every entry was written by a proxy, the first one nearest the
    # client.
    address = hops[-count] if len(hops) >= count else hops[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return remote


def throttled_username(request, credentials=None) -> str | None:
    """The user name as counted: "BiThu " and "bithu" share one count, so changing the case
    of a name does not buy an attacker more guesses."""
    if credentials:
        name = credentials.get("username")
    else:
        name = getattr(request, "POST", {}).get("username")
    if not name:
        return None
    return str(name).strip().casefold()[: AccessAttempt._meta.get_field("username").max_length]


def cool_off(failures_past_limit: int) -> timedelta:
    """How long a lock lasts after its last failure: LOGIN_LOCKOUT_MINUTES at the limit, twice
    as long for each failure past it, never more than LOGIN_LOCKOUT_MAX_MINUTES."""
    first = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    longest = timedelta(minutes=settings.LOGIN_LOCKOUT_MAX_MINUTES)
    return min(first * 2 ** min(failures_past_limit, _MAX_DOUBLINGS), longest)


def failure_memory(request=None) -> timedelta:
    """How long axes keeps a failure (AXES_COOLOFF_TIME): as long as the longest cool-off, so a
    repeated offender's next lock is longer than the last."""
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MAX_MINUTES)


@dataclass(frozen=True)
class Lock:
    by_address: bool  # the whole address is throttled, not one user name from it
    limit: int
    until: datetime

    def message(self, now: datetime) -> str:
        minutes = max(1, math.ceil((self.until - now).total_seconds() / 60))
        hours, rest = divmod(minutes, 60)
        if not hours:
            wait = gettext("%(minutes)s phút") % {"minutes": minutes}
        elif not rest:
            wait = gettext("%(hours)s giờ") % {"hours": hours}
        else:
            wait = gettext("%(hours)s giờ %(minutes)s phút") % {"hours": hours, "minutes": rest}
        if self.by_address:
            text = gettext(
                "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này. Vui lòng thử lại sau %(wait)s."
            )
        else:
            text = gettext("Bạn đã đăng nhập sai quá %(limit)s lần. Vui lòng thử lại sau %(wait)s.")
        return text % {"limit": self.limit, "wait": wait}


class BackoffHandler(AxesDatabaseHandler):
    """Axes' database handler, deciding locks itself: per pair and per address, each with its
    own limit, and with a cool-off that grows (AXES_LOCK_OUT_AT_FAILURE is off so axes does not
    also apply its single limit)."""

    def lock(self, request, credentials=None) -> Lock | None:
        now = request.axes_attempt_time or timezone.now()
        address = request.axes_ip_address
        pair_limit = settings.LOGIN_FAILURE_LIMIT
        per_name = list(
            AccessAttempt.objects.filter(attempt_time__gt=now - failure_memory(),
                                         ip_address=address)
            .order_by()
            .values("username")
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        )
        username = get_client_username(request, credentials)
        counts = [(False, pair_limit, row["failures"], row["last"])
                  for row in per_name if row["username"] == username]
        if per_name:
            # One user name adds at most its own limit to the address's count: guessing a
            # single account, however long, never locks out the others behind that address.
            counts.append((True, settings.LOGIN_ADDRESS_FAILURE_LIMIT,
                           sum(min(row["failures"], pair_limit) for row in per_name),
                           max(row["last"] for row in per_name)))
        locks = [
            Lock(by_address=by_address, limit=limit, until=last + cool_off(failures - limit))
            for by_address, limit, failures, last in counts
            if failures >= limit and last + cool_off(failures - limit) > now
        ]
        return max(locks, key=lambda lock: lock.until, default=None)

    def is_locked(self, request, credentials=None) -> bool:
        return self.lock(request, credentials) is not None

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        # Refused because already locked: axes records nothing (the wait does not grow while
        # the user waits) and sends user_locked_out itself.
        refused = request is not None and request.axes_locked_out
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused or self.lock(request, credentials) is None:
            return
        request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send(
            "axes",
            request=request,
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        )

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A successful login clears its own pair only: clearing the whole address would let an
        # attacker wipe the address's count by logging in to an account of their own.
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    # Connected here because axes imports this module (AXES_HANDLER) before it can send the
    # signal.
    logger.warning("login locked out: user %r from address %s", username, ip_address)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống."),
    }


class ThrottledLoginView(LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out client sees (AXES_LOCKOUT_CALLABLE): the login page again, saying how
    long to wait, with 429 Too Many Requests."""
    AxesProxyHandler.update_request(request)
    lock = BackoffHandler().lock(request, credentials)
    message = lock.message(timezone.now()) if lock is not None else None
    context = {
        "form": LoginForm(request, initial={"username": request.POST.get("username", "")}),
        "next": request.POST.get("next", ""),
        "throttled": message or LoginForm.error_messages["invalid_login"],
    }
    return render(request, "registration/login.html", context, status=429)


def role_required(view):
    """Signed-in users with at least one role; the others get the 'ask for access' page."""
    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.roles_of(request.user):
            return render(request, "members/no_role.html",
                          {"support_contact": settings.SUPPORT_CONTACT}, status=403)
        return view(request, *args, **kwargs)
    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
