"""Candidates and the admission pipeline: the person, the stages, an immutable event for every
step, and the rule parameters and holidays the rules read (the votes, decisions and other
papers of a dossier are in records.py).

Which steps exist and who may take them is decided in `workflow.py`; the rules in
`rules.py`; every write of a stage goes through `services.py`.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.history import KeptQuerySet, person_history, refuse_deletion
from members.models import Member, Organisation, Person, subtree_q
from members.models.categories import Education, Occupation, Qualification  # noqa: F401


class Stage(models.TextChoices):
    SOURCE_POOL = "source_pool", _("Quần chúng ưu tú (dự nguồn)")
    HELPER_ASSIGNED = "helper_assigned", _("Đã phân công đảng viên giúp đỡ")
    SYMPATHISER = "sympathiser", _("Cảm tình Đảng (đã học lớp nhận thức)")
    APPLIED = "applied", _("Đã có đơn xin vào Đảng")
    HISTORY_VERIFIED = "history_verified", _("Đã thẩm tra, xác nhận lý lịch")
    INTRODUCED = "introduced", _("Đã có giới thiệu")
    OPINIONS_COLLECTED = "opinions_collected", _("Đã lấy ý kiến đoàn thể, nơi cư trú")
    BRANCH_VOTED = "branch_voted", _("Chi bộ đã biểu quyết đề nghị kết nạp")
    AT_GRASSROOTS = "at_grassroots", _("Chờ đảng ủy cơ sở xét")
    PARTIAL_APPRAISED = "partial_appraised", _("Đảng bộ bộ phận đã thẩm định")
    AT_UPPER = "at_upper", _("Chờ cấp trên thẩm định, quyết định kết nạp")
    ADMISSION_DECIDED = "admission_decided", _("Đã có quyết định kết nạp, chờ lễ kết nạp")
    PROBATIONARY = "probationary", _("Đảng viên dự bị")
    RECOGNITION_BRANCH_VOTED = "recognition_branch_voted", _("Chi bộ đã xét công nhận chính thức")
    RECOGNITION_PARTIAL_APPRAISED = "recognition_partial_appraised", _(
        "Đảng bộ bộ phận đã thẩm định công nhận chính thức")
    RECOGNITION_AT_UPPER = "recognition_at_upper", _("Chờ cấp trên quyết định công nhận chính thức")
    REMOVAL_BRANCH_VOTED = "removal_branch_voted", _("Chi bộ đề nghị xóa tên đảng viên dự bị")
    REMOVAL_AT_UPPER = "removal_at_upper", _("Chờ cấp trên quyết định xóa tên đảng viên dự bị")
    OFFICIAL = "official", _("Đảng viên chính thức")
    WITHDRAWN = "withdrawn", _("Rút khỏi danh sách")
    REJECTED = "rejected", _("Không đủ điều kiện")
    REMOVED = "removed", _("Xóa tên khỏi danh sách đảng viên dự bị")
    DIED = "died", _("Từ trần")
    REVOKED = "revoked", _("Quyết định kết nạp bị hủy bỏ")
    NOT_HELD = "not_held", _("Không tổ chức lễ kết nạp")


# Stages where the awareness certificate must still be valid at the branch's vote (the
# worklist warns before it expires; a partial index serves that list).
CERTIFIED_STAGES = [Stage.SYMPATHISER, Stage.APPLIED, Stage.HISTORY_VERIFIED, Stage.INTRODUCED,
                    Stage.OPINIONS_COLLECTED]


class Source(models.TextChoices):
    YOUTH_UNION = "youth_union", _("Đoàn Thanh niên")
    TRADE_UNION = "trade_union", _("Công đoàn")
    WOMEN_UNION = "women_union", _("Hội Phụ nữ")
    VETERANS = "veterans", _("Hội Cựu chiến binh")
    OTHER = "other", _("Khác")


class EducationExemption(models.TextChoices):
    """When a level below lower secondary is accepted (Hướng dẫn 06-HD/TW, điểm 1.2)."""

    NONE = "", _("Không")
    HARDSHIP_AREA = "hardship_area", _(
        "Miền núi, biên giới, hải đảo, vùng đồng bào dân tộc thiểu số, vùng đặc biệt khó khăn, "
        "ngư dân: tốt nghiệp tiểu học")
    LITERACY = "literacy", _(
        "Già làng, trưởng bản, người có uy tín (ban thường vụ tỉnh ủy đồng ý): biết đọc, biết viết")


class CandidateQuerySet(KeptQuerySet):
    def in_subtree_of(self, *organisations):
        return self.filter(subtree_q(organisations, prefix="organisation__"))


class Candidate(Person):
    """A person on the way to membership, from the source pool to official member."""

    # Identity (stage 1) is in Person; the rest of the source-pool record:
    education = models.CharField(_("trình độ học vấn"), max_length=20, choices=Education.choices)
    education_exemption_kind = models.CharField(
        _("trường hợp miễn chuẩn học vấn"), max_length=20, blank=True,
        choices=EducationExemption.choices)
    education_exemption = models.CharField(
        _("căn cứ, văn bản đồng ý miễn chuẩn học vấn"), max_length=200, blank=True,
        help_text=_("Số, ngày văn bản; bắt buộc khi áp dụng miễn chuẩn."),
    )
    # Whose background must be verified besides the candidate's own (Hướng dẫn 06-HD/TW, 3.4):
    # parents (or guardian), and where married the spouse and parents-in-law, and adult children.
    married = models.BooleanField(_("đã có vợ/chồng"), default=False)
    adult_children = models.PositiveSmallIntegerField(_("số con đã thành niên"), default=0)
    qualification = models.CharField(_("trình độ chuyên môn"), max_length=20, blank=True,
                                     choices=Qualification.choices)
    profession = models.CharField(_("chuyên ngành, văn bằng"), max_length=120, blank=True)
    occupation_group = models.CharField(_("nghề nghiệp"), max_length=20, blank=True,
                                        choices=Occupation.choices)
    occupation = models.CharField(_("nghề nghiệp, chức vụ (ghi cụ thể)"), max_length=120,
                                  blank=True)
    youth_union_member = models.BooleanField(_("là đoàn viên"), default=False)
    no_youth_union_at_unit = models.BooleanField(
        _("đơn vị không có tổ chức Đoàn"), default=False,
        help_text=_("Khi đó Công đoàn cơ sở có thể giới thiệu thay Đoàn."),
    )
    source = models.CharField(
        _("nguồn giới thiệu"), max_length=20, choices=Source.choices, default=Source.OTHER
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("chi bộ"), on_delete=models.PROTECT,
        related_name="candidates",
    )
    added_date = models.DateField(_("ngày vào danh sách dự nguồn"))
    plan_year = models.PositiveSmallIntegerField(
        _("năm dự kiến kết nạp"), validators=[MinValueValidator(1930)]
    )
    age_consent_ref = models.CharField(
        _("văn bản đồng ý kết nạp người trên 60 tuổi"), max_length=120, blank=True
    )
    # Readmission (kết nạp lại): the person's earlier membership and the written consent of the
    # provincial standing committee (Quy định 294-QĐ/TW, điểm 3.5.1).
    former_member = models.ForeignKey(
        Member, verbose_name=_("đảng viên trước đây"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="readmission_dossiers",
    )
    readmission_consent_ref = models.CharField(
        _("văn bản đồng ý kết nạp lại của ban thường vụ tỉnh ủy (tương đương)"), max_length=120,
        blank=True,
    )

    stage = models.CharField(_("giai đoạn"), max_length=32, choices=Stage.choices,
                             default=Stage.SOURCE_POOL)
    stage_date = models.DateField(_("ngày của bước gần nhất"))
    # The next deadline for the stage the candidate is in (decision, ceremony, recognition).
    due_date = models.DateField(_("hạn xử lý"), null=True, blank=True)

    # Stage data: the latest value of each step (the full record is in StageEvent).
    helper = models.ForeignKey(
        Member, verbose_name=_("đảng viên giúp đỡ"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="helped_candidates",
    )
    awareness_cert_number = models.CharField(_("số giấy chứng nhận nhận thức về Đảng"),
                                             max_length=40, blank=True)
    awareness_cert_date = models.DateField(_("ngày cấp giấy chứng nhận"), null=True, blank=True)
    awareness_cert_expires = models.DateField(null=True, blank=True, editable=False)
    application_date = models.DateField(_("ngày đơn xin vào Đảng"), null=True, blank=True)
    history_form_date = models.DateField(_("ngày lý lịch"), null=True, blank=True)
    history_certified_date = models.DateField(_("ngày xác nhận lý lịch"), null=True, blank=True)
    opinions_date = models.DateField(_("ngày tổng hợp ý kiến"), null=True, blank=True)
    opinions_summary = models.TextField(_("tóm tắt ý kiến"), blank=True)
    branch_vote_date = models.DateField(_("ngày chi bộ xét"), null=True, blank=True)
    grassroots_resolution_date = models.DateField(_("ngày đảng ủy cơ sở xét"), null=True,
                                                  blank=True)
    decision_number = models.CharField(_("số quyết định kết nạp"), max_length=40, blank=True)
    decision_date = models.DateField(_("ngày quyết định kết nạp"), null=True, blank=True)
    ceremony_date = models.DateField(_("ngày kết nạp"), null=True, blank=True)
    probation_end = models.DateField(_("ngày hết thời hạn dự bị"), null=True, blank=True)
    new_member_cert_number = models.CharField(_("số giấy chứng nhận lớp đảng viên mới"),
                                              max_length=40, blank=True)
    new_member_cert_date = models.DateField(_("ngày cấp giấy chứng nhận lớp đảng viên mới"),
                                            null=True, blank=True)
    recognition_vote_date = models.DateField(_("ngày chi bộ xét công nhận chính thức"),
                                             null=True, blank=True)
    recognition_decision_number = models.CharField(_("số quyết định công nhận"), max_length=40,
                                                   blank=True)
    recognition_decision_date = models.DateField(_("ngày quyết định công nhận"), null=True,
                                                 blank=True)
    end_reason = models.TextField(_("lý do"), blank=True)
    # The return the dossier is waiting on (who, when, why): cleared by the next step forward.
    returned_by = models.ForeignKey(
        "StageEvent", verbose_name=_("bị trả lại bởi"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    member = models.OneToOneField(
        Member, verbose_name=_("đảng viên"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="candidate",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()
    history = person_history("awareness_cert_expires")
    # The history section shows a pipeline step as one line (the stage); what the step wrote
    # is in its StageEvent on the timeline. A change outside a step lists these fields too.
    history_step_field = "stage"
    history_step_fields = (
        "stage_date", "due_date", "helper", "awareness_cert_number", "awareness_cert_date",
        "application_date", "history_form_date", "history_certified_date", "opinions_date",
        "opinions_summary", "branch_vote_date", "grassroots_resolution_date", "decision_number",
        "decision_date", "ceremony_date", "probation_end", "new_member_cert_number",
        "new_member_cert_date", "recognition_vote_date", "recognition_decision_number",
        "recognition_decision_date", "end_reason", "member", "returned_by",
    )

    class Meta:
        verbose_name = _("quần chúng")
        verbose_name_plural = _("quần chúng")
        ordering = ["full_name", "pk"]
        indexes = [
            models.Index(fields=["stage", "due_date"], name="cand_stage_due_idx"),
            # The worklist's sections, read in these orders within one stage.
            models.Index(fields=["stage", "stage_date"], name="cand_stage_date_idx"),
            models.Index(fields=["stage", "probation_end"], name="cand_stage_probation_idx"),
            models.Index(fields=["organisation", "stage"], name="cand_org_stage_idx"),
            models.Index(fields=["plan_year"], name="cand_plan_year_idx"),
            models.Index(fields=["source", "stage"], name="cand_source_stage_idx"),
            # Only the dossiers still waiting for their vote: the 400,000 official members'
            # certificates no longer matter (country worklist: 1.2 s → ms).
            models.Index(fields=["awareness_cert_expires"], name="cand_cert_exp_open_idx",
                         condition=Q(stage__in=CERTIFIED_STAGES)),
            models.Index(fields=["returned_by"], name="cand_returned_idx",
                         condition=Q(returned_by__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(added_date__gt=F("birth_date")),
                name="candidate_added_after_birth",
                violation_error_message=_("Ngày vào danh sách dự nguồn phải sau ngày sinh."),
            ),
        ]

    def clean(self):
        super().clean()
        if self.organisation_id and not self.organisation.is_branch:
            raise ValidationError(
                {"organisation": _("Quần chúng được theo dõi ở một chi bộ, không phải ở %(kind)s.")
                 % {"kind": self.organisation.get_kind_display()}}
            )
        if self.birth_date and self.added_date and self.added_date <= self.birth_date:
            raise ValidationError(
                {"added_date": _("Ngày vào danh sách dự nguồn phải sau ngày sinh.")}
            )

    def delete(self, *args, **kwargs):
        refuse_deletion(type(self))
        return super().delete(*args, **kwargs)

    @property
    def is_readmission(self) -> bool:
        return self.former_member_id is not None

    @property
    def membership(self):
        """The member record the dossier made or revived (None before the ceremony)."""
        if self.member_id:
            return self.member
        return self.former_member if self.ceremony_date and self.former_member_id else None

    @property
    def partial_committee(self):
        """The partial committee directly above the branch, where one exists."""
        parent = self.organisation.parent
        return parent if parent is not None and parent.kind == "partial_committee" else None


class StageEvent(models.Model):
    """One step of a candidate's path: who, when, which document. Never changed afterwards."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("thao tác"), max_length=40)
    from_stage = models.CharField(_("từ giai đoạn"), max_length=32, choices=Stage.choices)
    to_stage = models.CharField(_("sang giai đoạn"), max_length=32, choices=Stage.choices)
    event_date = models.DateField(_("ngày"))
    document_form = models.CharField(_("mẫu"), max_length=60, blank=True)
    document_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    warnings = models.JSONField(_("cảnh báo"), default=list, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"),
                              null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)
    imported = models.BooleanField(_("nhập từ dữ liệu cũ"), default=False)
    # What a step needs to be read back or undone: the branches of a transfer, the stage a
    # return sends the dossier to, the record an answer filled, the event an undo reverses.
    payload = models.JSONField(_("dữ liệu kèm theo"), default=dict, blank=True)
    # The branch that holds the dossier once the step is taken (a transfer: the new branch):
    # reports place a dossier's steps where it was on their dates, not where it is now.
    organisation = models.ForeignKey(Organisation, verbose_name=_("chi bộ giữ hồ sơ"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")
        ordering = ["candidate", "recorded_at", "pk"]
        indexes = [
            models.Index(fields=["candidate", "recorded_at"], name="event_cand_idx"),
            # The step that ends a stay in a stage (reports.insight.sql.stints_sql): the
            # candidate's next stage-changing event, read from the index alone.
            models.Index(fields=["candidate", "recorded_at", "id"], include=["event_date"],
                         condition=~Q(to_stage=F("from_stage")) | Q(action="add_to_pool"),
                         name="event_next_step_idx"),
            # Each dossier's entry in the source pool by the branch that added it (the
            # insight's cohorts), and the dossiers without one.
            models.Index(fields=["organisation", "candidate"], name="event_pool_org_idx",
                         condition=Q(action="add_to_pool")),
            models.Index(fields=["candidate"], name="event_pool_cand_idx",
                         condition=Q(action="add_to_pool")),
        ]

    def __str__(self):
        return f"{self.candidate} · {self.action} · {self.event_date:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Sự kiện đã ghi không được sửa."))
        if self.organisation_id is None:
            self.organisation_id = self.candidate.organisation_id
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Sự kiện đã ghi không được xóa."))


class RuleParameter(models.Model):
    """A numeric rule setting in force from a date, so history is judged by its own rules."""

    code = models.CharField(_("mã"), max_length=40)
    value = models.IntegerField(_("giá trị"))
    effective_from = models.DateField(_("hiệu lực từ"))
    source = models.CharField(_("căn cứ"), max_length=200)

    class Meta:
        verbose_name = _("tham số quy định")
        verbose_name_plural = _("tham số quy định")
        ordering = ["code", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="unique_param_date"),
        ]

    def __str__(self):
        return f"{self.code} = {self.value} ({self.effective_from:%d/%m/%Y})"


class Holiday(models.Model):
    """A public holiday (or a day off in lieu) that is not a working day."""

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên ngày nghỉ"), max_length=120)

    class Meta:
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"
