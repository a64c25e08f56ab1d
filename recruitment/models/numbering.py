"""The numbering register: the resolutions and decisions an organisation issues in a year are
numbered in one sequence per kind ("125-QĐ/ĐU", "12-NQ/CB"), each number used once, never
reused, and a number left unused is explained rather than silently skipped."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

from .pipeline import Candidate
from .records import Decision, Vote


class NumberKind(models.TextChoices):
    DECISION = "decision", _("Quyết định")
    RESOLUTION = "resolution", _("Nghị quyết")


# How each kind is abbreviated in a number: "125-QĐ/ĐU", "12-NQ/CB".
ABBREVIATIONS = {NumberKind.DECISION: "QĐ", NumberKind.RESOLUTION: "NQ"}


class NumberSequence(models.Model):
    """The numbers one organisation issues in one year for one kind of paper. Its row is locked
    while a number is taken, so two steps recorded at the same moment get two numbers."""

    # An organisation deleted outright (an entry made by mistake, never one that decided:
    # its decisions protect it) takes its registers with it.
    issuer = models.ForeignKey(Organisation, verbose_name=_("cấp ban hành"),
                               on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=NumberKind.choices)
    # "QĐ/ĐU": fixed when the sequence opens, from the issuer's kind (papers.facts.number_suffix).
    suffix = models.CharField(_("ký hiệu"), max_length=20)
    last = models.PositiveIntegerField(_("số lớn nhất đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ đăng ký số văn bản")
        verbose_name_plural = _("sổ đăng ký số văn bản")
        ordering = ["issuer__path", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "kind"],
                                    name="one_sequence_per_issuer_year_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.suffix} {self.year}"

    def text(self, number: int) -> str:
        return f"{number}-{self.suffix}"


class RegisteredNumber(models.Model):
    """One number of a sequence: used for a candidate's paper (a list decision names several
    people under it), or voided with the reason it was left unused."""

    sequence = models.ForeignKey(NumberSequence, on_delete=models.CASCADE,
                                 related_name="numbers")
    number = models.PositiveIntegerField(_("số"))
    text = models.CharField(_("số, ký hiệu"), max_length=60)
    # The person and the paper it was first used for. Undoing a step deletes its paper: the
    # number stays in the register, with no paper, until it is used again or voided. A person
    # erased outright (by law, `purging`) leaves the number taken, naming nobody.
    candidate = models.ForeignKey(Candidate, verbose_name=_("dùng cho"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    vote = models.ForeignKey(Vote, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    is_list = models.BooleanField(_("quyết định theo danh sách"), default=False)
    used_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    void_reason = models.TextField(_("lý do không dùng số"), blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("số văn bản đã đăng ký")
        verbose_name_plural = _("số văn bản đã đăng ký")
        ordering = ["sequence", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sequence", "number"], name="number_used_once",
                                    violation_error_message=_("Số này đã có trong sổ.")),
            models.CheckConstraint(condition=Q(number__gte=1), name="number_from_one"),
        ]

    def __str__(self):
        return self.text

    @property
    def is_void(self) -> bool:
        return bool(self.void_reason.strip())

    def paper(self):
        """The paper that bears the number now, or None: its step was undone, or the paper was
        corrected to another number or year since."""
        seq, d, v = self.sequence, self.decision, self.vote
        if d is not None and (d.number.strip(), d.decision_date.year, d.decided_by_id) == (
                self.text, seq.year, seq.issuer_id):
            return d
        if v is not None and (v.resolution_number.strip(), v.vote_date.year) == (
                self.text, seq.year):
            return v
        return None
