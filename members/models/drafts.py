"""Drafts of long forms, kept on the server for their user until the form is saved or the draft
discarded, so a person entered over an afternoon survives a closed browser or another computer.
`static/js/drafts.js` writes and restores them; `members.middleware_drafts` drops one when its
form is saved."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# What one draft may hold, once stored as JSON: a long form typed by hand is a few KB.
MAX_DRAFT_BYTES = 64 * 1024
# Drafts a user keeps at most; saving one more forgets the oldest, so a script cannot fill the
# table with drafts of made-up addresses.
MAX_DRAFTS_PER_USER = 50


class Draft(models.Model):
    """What a user has typed so far into the form at `path`, as the form would post it: each
    field name with its list of values (never the CSRF token, never a file)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người dùng"),
                             on_delete=models.CASCADE, related_name="drafts")
    path = models.CharField(_("trang của biểu mẫu"), max_length=300)
    data = models.JSONField(_("nội dung đã nhập"), default=dict)
    saved_at = models.DateTimeField(_("lưu lúc"), auto_now=True)

    class Meta:
        verbose_name = _("bản nháp")
        verbose_name_plural = _("bản nháp")
        constraints = [models.UniqueConstraint(fields=["user", "path"], name="draft_user_path")]

    def __str__(self):
        return f"{self.user} · {self.path}"

    @classmethod
    def keep(cls, *, user, path: str, data: dict) -> "Draft":
        """Write the user's draft of `path`, forgetting their oldest drafts over the limit."""
        draft, created = cls.objects.update_or_create(user=user, path=path,
                                                      defaults={"data": data})
        if created:
            kept = cls.objects.filter(user=user).order_by("-saved_at", "-pk")
            stale = list(kept.values_list("pk", flat=True)[MAX_DRAFTS_PER_USER:])
            if stale:
                cls.objects.filter(pk__in=stale).delete()
        return draft

    @classmethod
    def discard(cls, *, user, path: str) -> None:
        cls.objects.filter(user=user, path=path).delete()
