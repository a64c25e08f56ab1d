"""The papers of a dossier: background verifications, introductions, votes and decisions.
Each is written by a pipeline step and points back to the event that wrote it, so a step
recorded by mistake can be undone."""
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import Member, Organisation

from .pipeline import Candidate, StageEvent


def _event_field():
    return models.ForeignKey(StageEvent, verbose_name=_("bước ghi"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")


class Relation(models.TextChoices):
    SELF = "self", _("Bản thân")
    FATHER = "father", _("Cha")
    MOTHER = "mother", _("Mẹ")
    FATHER_IN_LAW = "father_in_law", _("Cha vợ/chồng")
    MOTHER_IN_LAW = "mother_in_law", _("Mẹ vợ/chồng")
    GUARDIAN = "guardian", _("Người nuôi dưỡng")
    SPOUSE = "spouse", _("Vợ/chồng")
    CHILD = "child", _("Con")


class VerificationRecord(models.Model):
    """One background check (thẩm tra lý lịch) of the candidate or a relative."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT,
                                  related_name="verifications")
    relation = models.CharField(_("quan hệ"), max_length=20, choices=Relation.choices)
    person_name = models.CharField(_("họ tên người được thẩm tra"), max_length=120)
    requested_of = models.CharField(_("nơi được đề nghị thẩm tra"), max_length=200)
    sent_date = models.DateField(_("ngày gửi"))
    answered_date = models.DateField(_("ngày trả lời"), null=True, blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)
    event = _event_field()

    class Meta:
        verbose_name = _("thẩm tra lý lịch")
        verbose_name_plural = _("thẩm tra lý lịch")
        ordering = ["candidate", "sent_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_date__isnull=True) | Q(answered_date__gte=F("sent_date")),
                name="verification_answer_after_sent",
                violation_error_message=_("Ngày trả lời không thể trước ngày gửi."),
            ),
        ]

    def __str__(self):
        return f"{self.get_relation_display()}: {self.person_name}"

    @property
    def answered(self) -> bool:
        return self.answered_date is not None and bool(self.conclusion.strip())


class IntroductionKind(models.TextChoices):
    MEMBER = "member", _("Đảng viên chính thức giới thiệu (3-KNĐ)")
    YOUTH_UNION = "youth_union", _("Nghị quyết BCH Đoàn cơ sở giới thiệu (4-KNĐ)")
    TRADE_UNION = "trade_union", _("Nghị quyết BCH Công đoàn cơ sở giới thiệu (4A-KNĐ)")


class Introduction(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT,
                                  related_name="introductions")
    kind = models.CharField(_("hình thức"), max_length=20, choices=IntroductionKind.choices)
    introducer = models.ForeignKey(Member, verbose_name=_("đảng viên giới thiệu"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    resolution_ref = models.CharField(_("số nghị quyết"), max_length=60, blank=True)
    document_date = models.DateField(_("ngày giới thiệu"))
    known_since = models.DateField(_("cùng công tác, học tập, sinh sống từ"), null=True,
                                   blank=True)
    is_replacement = models.BooleanField(_("giới thiệu thay thế"), default=False)
    event = _event_field()

    class Meta:
        verbose_name = _("giới thiệu")
        verbose_name_plural = _("giới thiệu")
        ordering = ["candidate", "document_date", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.introducer or self.resolution_ref}"


class VoteKind(models.TextChoices):
    BRANCH = "branch", _("Chi bộ xét đề nghị kết nạp (6-KNĐ)")
    GRASSROOTS = "grassroots", _("Đảng ủy cơ sở xét kết nạp (8-KNĐ)")
    RECOGNITION_BRANCH = "recognition_branch", _("Chi bộ xét công nhận chính thức (13-KNĐ)")
    RECOGNITION_GRASSROOTS = "recognition_grassroots", _(
        "Đảng ủy cơ sở xét công nhận chính thức (15-KNĐ)")
    REMOVAL_BRANCH = "removal_branch", _("Chi bộ xét đề nghị xóa tên đảng viên dự bị")
    REMOVAL_GRASSROOTS = "removal_grassroots", _("Đảng ủy cơ sở xét xóa tên đảng viên dự bị")


class Vote(models.Model):
    """A vote about one candidate. The denominator is all official members of the branch (or
    all members of the committee), never only those present."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="votes")
    kind = models.CharField(_("loại"), max_length=32, choices=VoteKind.choices)
    vote_date = models.DateField(_("ngày họp"))
    resolution_number = models.CharField(_("số nghị quyết"), max_length=60, blank=True)
    eligible = models.PositiveIntegerField(
        _("tổng số đảng viên chính thức / ủy viên"),
        help_text=_("Mẫu số của tỷ lệ 2/3: toàn bộ đảng viên chính thức của chi bộ (hoặc "
                    "toàn bộ ủy viên), không phải số có mặt."),
    )
    present = models.PositiveIntegerField(_("số có mặt"))
    votes_for = models.PositiveIntegerField(_("số tán thành"))
    votes_against = models.PositiveIntegerField(_("số không tán thành"), default=0)
    event = _event_field()

    class Meta:
        verbose_name = _("biểu quyết")
        verbose_name_plural = _("biểu quyết")
        ordering = ["candidate", "vote_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(present__lte=F("eligible")) & Q(votes_for__lte=F("present"))
                & Q(votes_against__lte=F("present") - F("votes_for")),
                name="vote_counts_consistent",
                violation_error_message=_("Số phiếu không khớp: tán thành + không tán thành ≤ "
                                          "có mặt ≤ tổng số."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.votes_for}/{self.eligible}"

    @property
    def two_thirds_reached(self) -> bool:
        return 3 * self.votes_for >= 2 * self.eligible


class DecisionKind(models.TextChoices):
    ADMISSION = "admission", _("Quyết định kết nạp (9-KNĐ)")
    RECOGNITION = "recognition", _("Quyết định công nhận chính thức (16-KNĐ)")
    REMOVAL = "removal", _("Quyết định xóa tên đảng viên dự bị")
    REVOCATION = "revocation", _("Quyết định hủy bỏ quyết định kết nạp")


class Decision(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("loại"), max_length=20, choices=DecisionKind.choices)
    number = models.CharField(_("số quyết định"), max_length=40)
    decision_date = models.DateField(_("ngày quyết định"))
    decided_by = models.ForeignKey(Organisation, verbose_name=_("cấp quyết định"),
                                   on_delete=models.PROTECT, related_name="+")
    # A list decision names several people under one number; any other number is used once
    # per issuing organisation and year.
    is_list = models.BooleanField(_("quyết định theo danh sách"), default=False)
    event = _event_field()

    class Meta:
        verbose_name = _("quyết định")
        verbose_name_plural = _("quyết định")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "kind"], name="one_decision_per_kind",
                                    violation_error_message=_("Quyết định này đã được ghi.")),
        ]

    def __str__(self):
        return f"{self.number} ({self.decision_date:%d/%m/%Y})"
