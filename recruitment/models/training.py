"""Training classes: the party-awareness class (stage 3) and the new-member political theory
class (stage 14), their learners, results and certificates, and the branches' nominations."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import Member, Organisation

from .pipeline import Candidate


class ClassKind(models.TextChoices):
    AWARENESS = "awareness", _("Bồi dưỡng nhận thức về Đảng")
    NEW_MEMBER = "new_member", _("Lý luận chính trị cho đảng viên mới")


class Result(models.TextChoices):
    PENDING = "pending", _("Chưa có kết quả")
    PASSED = "passed", _("Hoàn thành")
    FAILED = "failed", _("Không đạt")
    ABSENT = "absent", _("Vắng")


class TrainingClass(models.Model):
    code = models.CharField(
        _("mã lớp"), max_length=40, unique=True,
        error_messages={"unique": _("Mã lớp này đã được dùng cho một lớp khác.")},
        help_text=_("Để trống thì hệ thống tự đặt theo đơn vị, loại lớp, năm và khóa."),
    )
    kind = models.CharField(_("loại lớp"), max_length=20, choices=ClassKind.choices)
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("cấp ủy tổ chức lớp"), on_delete=models.PROTECT,
        related_name="training_classes",
        help_text=_("Học viên phải thuộc tổ chức này hoặc các tổ chức trực thuộc."),
    )
    course_number = models.CharField(_("khóa (lớp) số"), max_length=20)
    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(1930)])
    # Optional: classes imported from old records often lack the opening decision.
    decision_number = models.CharField(_("số quyết định mở lớp"), max_length=40, blank=True)
    decision_date = models.DateField(_("ngày quyết định mở lớp"), null=True, blank=True)
    start_date = models.DateField(_("ngày khai giảng"))
    end_date = models.DateField(_("ngày bế giảng"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lớp bồi dưỡng")
        verbose_name_plural = _("lớp bồi dưỡng")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="class_ends_after_start",
                violation_error_message=_("Ngày bế giảng không thể trước ngày khai giảng."),
            ),
            models.UniqueConstraint(
                fields=["organiser", "kind", "year", "course_number"], name="unique_class_course",
                violation_error_message=_("Cấp ủy này đã có lớp cùng loại, cùng số khóa trong "
                                          "năm."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "start_date"], name="class_kind_start_idx"),
                   # The class list's order, newest first.
                   models.Index(fields=["start_date", "id"], name="class_start_idx")]

    def __str__(self):
        return _("Lớp %(kind)s khóa %(no)s/%(year)s") % {
            "kind": self.kind_phrase, "no": self.course_number, "year": self.year}

    @property
    def kind_phrase(self) -> str:
        """The kind inside a sentence: lower-case first letter, "Đảng" keeps its capital."""
        label = str(self.get_kind_display())
        return label[:1].lower() + label[1:]

    def code_prefix(self) -> str:
        """The start of a generated code: organiser, kind and year ("DBK-NT-2024-")."""
        short = "NT" if self.kind == ClassKind.AWARENESS else "DVM"
        return f"{self.organiser.code}-{short}-{self.year}-"

    def fill_code(self):
        """Give the class a code from its organiser, kind, year and course when it has none."""
        if not self.code and self.organiser_id:
            self.code = self.code_prefix() + self.course_number

    def save(self, *args, **kwargs):
        self.fill_code()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Ngày bế giảng không thể trước ngày khai giảng.")
        if self.decision_date and self.start_date and self.decision_date > self.start_date:
            errors["decision_date"] = _("Quyết định mở lớp phải có trước ngày khai giảng.")
        if errors:
            raise ValidationError(errors)


class Enrolment(models.Model):
    """One learner in one class: a candidate (awareness) or a probationary member (new-member)."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT,
                                       related_name="enrolments")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="enrolments")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="enrolments")
    result = models.CharField(_("kết quả"), max_length=10, choices=Result.choices,
                              default=Result.PENDING)
    certificate_number = models.CharField(_("số giấy chứng nhận"), max_length=40, blank=True)
    certificate_date = models.DateField(_("ngày cấp"), null=True, blank=True)
    # Set once a pass has been written into the person's pipeline record (certificate event).
    recorded_in_pipeline = models.BooleanField(default=False, editable=False)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("học viên")
        verbose_name_plural = _("học viên")
        constraints = [
            models.CheckConstraint(
                condition=Q(candidate__isnull=True) ^ Q(member__isnull=True),
                name="enrolment_one_person",
            ),
            models.UniqueConstraint(fields=["training_class", "candidate"],
                                    name="unique_candidate_in_class",
                                    condition=Q(candidate__isnull=False)),
            models.UniqueConstraint(fields=["training_class", "member"],
                                    name="unique_member_in_class",
                                    condition=Q(member__isnull=False)),
            models.UniqueConstraint(fields=["training_class", "certificate_number"],
                                    name="unique_certificate_in_class",
                                    condition=~Q(certificate_number="")),
        ]

    def __str__(self):
        return str(self.person)

    @property
    def person(self):
        return self.candidate or self.member


class Nomination(models.Model):
    """A branch asks for a place in the next class of a kind for one of its people."""

    kind = models.CharField(_("loại lớp"), max_length=20, choices=ClassKind.choices)
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="nominations")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="nominations")
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    nominated_on = models.DateField(_("ngày đề nghị"))
    enrolment = models.OneToOneField(Enrolment, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="nomination")

    class Meta:
        verbose_name = _("đề nghị cử đi học")
        verbose_name_plural = _("đề nghị cử đi học")
        ordering = ["nominated_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(candidate__isnull=True) ^ Q(member__isnull=True),
                name="nomination_one_person",
            ),
        ]
        indexes = [models.Index(fields=["kind", "enrolment"], name="nomination_waiting_idx")]

    def __str__(self):
        return str(self.candidate or self.member)

    @property
    def person(self):
        return self.candidate or self.member
