"""What needs a user now (returned dossiers, deadlines within the next working days, overdue
ones), read once for the home panel, the count in the navigation and the weekly e-mail; and
the e-mail itself, sent by a background task (`manage.py digest` queues one per user)."""
import logging
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from members.models import RoleGrant

from . import rules, selectors
from .calendar import WorkingCalendar
from .models import DigestPreference, Stage

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "recruitment.digest.unsubscribe"


@dataclass
class DueRow:
    candidate: object
    deadline: date | None  # the stage's deadline (due_date)
    days: int | None  # working days left; negative: late by that many
    probation_end: date | None = None  # for a probationary member waiting for recognition

    @property
    def overdue(self) -> bool:
        return self.days is not None and self.days < 0

    @property
    def late(self) -> int:
        return -self.days if self.overdue else 0


@dataclass
class Needs:
    today: date
    horizon: date
    returned: list = field(default_factory=list)  # (candidate, returned_info)
    due: list[DueRow] = field(default_factory=list)

    @property
    def overdue(self) -> list[DueRow]:
        return [r for r in self.due if r.overdue]

    def __bool__(self) -> bool:
        return bool(self.returned or self.due)


def needs_of(user, today: date, calendar: WorkingCalendar, *, limit=20,
             returned=True) -> Needs:
    """The returned (unless `returned` is False: the home has a panel of its own for them)
    and the due dossiers that wait for the user, overdue ones first."""
    from .views.pipeline import returned_info  # how a return is said, one place

    horizon = selectors.due_horizon(today, calendar)
    needs = Needs(today, horizon)
    if returned:
        needs.returned = [(c, returned_info(c.returned_by))
                          for c in selectors.returned_waiting_for(user, limit=limit)]
    for c in selectors.due_waiting_for(user, today, horizon, limit=limit):
        days = calendar.working_days_between(today, c.due_date) if c.due_date else None
        needs.due.append(DueRow(c, c.due_date, days, c.probation_end
                                if c.stage == Stage.PROBATIONARY else None))
    return needs


# The weekly e-mail

def absolute(path: str) -> str:
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path.lstrip("/"))


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_from_token(token: str):
    """The user a mail's unsubscribe link was made for; None for a tampered or unknown one."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first() if isinstance(pk, int) else None


def recipients():
    """Users who get the digest: an e-mail address, an active account, a role, not opted out."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return (users.filter(pk__in=RoleGrant.objects.values("user"))
            .exclude(pk__in=DigestPreference.objects.filter(weekly=False).values("user"))
            .order_by("pk"))


def link(candidate) -> str:
    return absolute(reverse("recruitment:candidate_detail", args=[candidate.pk]))


def build_digest(user, today: date, calendar: WorkingCalendar):
    """The mail for the user, or None when nothing waits for them."""
    needs = needs_of(user, today, calendar, limit=50)
    if not needs:
        return None
    context = {
        "user": user, "needs": needs,
        "site_url": settings.SITE_URL.rstrip("/"),
        "worklist_url": absolute(reverse("recruitment:worklist")),
        "settings_url": absolute(reverse("recruitment:digest_settings")),
        "unsubscribe_url": absolute(reverse("recruitment:digest_unsubscribe",
                                            args=[unsubscribe_token(user)])),
        "returned": [(c, r, link(c)) for c, r in needs.returned],
        "due": [(r, link(r.candidate)) for r in needs.due],
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Việc cần làm trong tuần: %(n)s hồ sơ") % {
            "n": len(needs.returned) + len(needs.due)}
        if needs.overdue:
            subject += _(" (%(n)s quá hạn)") % {"n": len(needs.overdue)}
        text = render_to_string("recruitment/mail/digest.txt", context)
        html = render_to_string("recruitment/mail/digest.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email], headers={
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>"})
    message.attach_alternative(html, "text/html")
    return message


@task()
def send_digest(user_id: int) -> bool:
    """Build and send one user's digest; False when there was nothing to send."""
    user = recipients().filter(pk=user_id).first()
    if user is None:  # opted out, deactivated or lost their role since it was queued
        return False
    message = build_digest(user, rules.today(), WorkingCalendar.load())
    if message is None:
        return False
    message.send()
    logger.info("Digest sent to user %s", user_id)
    return True


def queue_digests() -> int:
    """One task per recipient; the count queued."""
    count = 0
    for pk in recipients().values_list("pk", flat=True):
        send_digest.enqueue(pk)
        count += 1
    return count
