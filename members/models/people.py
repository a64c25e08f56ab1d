"""People: what members and candidates share, and party members with their status."""
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..history import KeptQuerySet, person_history, refuse_deletion
from .categories import Education, Qualification
from .tree import Organisation, fold, subtree_q


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Dự bị")
    OFFICIAL = "official", _("Chính thức")
    REMOVED = "removed", _("Đã xóa tên")
    TRANSFERRED_OUT = "transferred_out", _("Đã chuyển đi")
    DIED = "died", _("Đã từ trần")
    EXPELLED = "expelled", _("Bị khai trừ")
    RESIGNED = "resigned", _("Xin ra khỏi Đảng")


# Statuses of someone no longer on any list.
GONE_STATUSES = ["removed", "transferred_out", "died", "expelled", "resigned"]
# Statuses of someone no longer on a branch's list; readmission looks for them.
LEFT_STATUSES = (MemberStatus.REMOVED, MemberStatus.EXPELLED, MemberStatus.RESIGNED)


class LeaveReason(models.TextChoices):
    """Why a member left the Party, as far as readmission cares (Quy định 294-QĐ/TW, điểm
    3.5.2 lists the reasons that bar it for ever)."""

    ABANDONED = "abandoned", _("Tự bỏ sinh hoạt đảng")
    RESIGNED = "resigned", _("Tự nguyện xin ra khỏi Đảng")
    RESIGNED_HARDSHIP = "resigned_hardship", _(
        "Xin ra khỏi Đảng vì lý do gia đình đặc biệt khó khăn")
    DISUNITY = "disunity", _("Gây mất đoàn kết nội bộ nghiêm trọng")
    CORRUPTION = "corruption", _("Bị kết án hình sự về tội tham nhũng")
    SERIOUS_CRIME = "serious_crime", _("Bị kết án hình sự về tội phạm nghiêm trọng trở lên")
    MINOR_CRIME = "minor_crime", _("Bị kết án hình sự về tội phạm ít nghiêm trọng")
    OTHER = "other", _("Lý do khác")


citizen_id_validator = RegexValidator(r"^\d{12}$", _("Số CCCD gồm đúng 12 chữ số."))


class Person(models.Model):
    """Identity shared by members and candidates, with a diacritic-free name for search."""

    full_name = models.CharField(_("họ và tên"), max_length=120)
    # The name without diacritics, lower case: people search "nguyen van an".
    search_name = models.CharField(max_length=120, editable=False, db_index=True, default="")
    birth_date = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices)
    ethnicity = models.CharField(_("dân tộc"), max_length=60, default="Kinh")
    religion = models.CharField(_("tôn giáo"), max_length=60, default="Không")
    citizen_id = models.CharField(
        _("số CCCD"), max_length=12, null=True, blank=True, unique=True,
        validators=[citizen_id_validator],
        error_messages={"unique": _("Số CCCD này đã có trong hệ thống.")},
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.full_name)
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)


class MemberQuerySet(KeptQuerySet):
    def in_subtree_of(self, *organisations):
        return self.filter(subtree_q(organisations, prefix="organisation__"))

    def active(self):
        return self.filter(status__in=[MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL])

    def former(self):
        """People who left the Party (removed, expelled, resigned): readmission looks here."""
        return self.filter(status__in=LEFT_STATUSES)


class Member(Person):
    """A party member (đảng viên), probationary or official, in the branch where they take part."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="members"
    )
    card_number = models.CharField(
        _("số thẻ đảng viên"), max_length=20, null=True, blank=True, unique=True
    )
    admitted_date = models.DateField(_("ngày vào Đảng"))
    official_date = models.DateField(_("ngày chính thức"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=MemberStatus.choices,
        default=MemberStatus.PROBATIONARY,
    )
    education = models.CharField(_("trình độ học vấn"), max_length=20, blank=True,
                                 choices=Education.choices)
    qualification = models.CharField(_("trình độ chuyên môn"), max_length=20, blank=True,
                                     choices=Qualification.choices)
    profession = models.CharField(_("chuyên ngành, văn bằng"), max_length=120, blank=True)
    # The day the person left the list (removed, transferred out, died): the statistical
    # form Biểu 1 counts members at the start and end of a period from it.
    left_date = models.DateField(_("ngày ra khỏi danh sách"), null=True, blank=True)
    left_document = models.CharField(_("số quyết định, giấy tờ khi ra khỏi danh sách"),
                                     max_length=60, blank=True)
    left_reason = models.CharField(_("lý do ra khỏi Đảng"), max_length=20, blank=True,
                                   choices=LeaveReason.choices)
    # Where the member takes part for a while (sinh hoạt đảng tạm thời: away for work or study)
    # while staying on the list of their own branch, which still counts them.
    temporary_organisation = models.ForeignKey(
        Organisation, verbose_name=_("chi bộ sinh hoạt tạm thời"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="temporary_members",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()
    history = person_history()

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        ordering = ["full_name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="member_org_status_idx"),
            # The member list's order: a first page reads 50 rows of it instead of sorting a
            # province (measured 67 ms → 0.9 ms at 150,000 members).
            models.Index(fields=["full_name", "id"], name="member_name_idx"),
            # Those no longer on a list, read by the reports' "left without a dated
            # movement" count without touching the 2 million rows (country: 490 → ms).
            models.Index(fields=["organisation", "id"], name="member_gone_idx",
                         condition=models.Q(status__in=GONE_STATUSES)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(official_date__isnull=True) | Q(official_date__gte=F("admitted_date")),
                name="member_official_after_admitted",
                violation_error_message=_("Ngày chính thức không thể trước ngày vào Đảng."),
            ),
            models.CheckConstraint(
                condition=~Q(status="official") | Q(official_date__isnull=False),
                name="member_official_has_date",
                violation_error_message=_("Đảng viên chính thức phải có ngày chính thức."),
            ),
            models.CheckConstraint(
                condition=Q(admitted_date__gt=F("birth_date")),
                name="member_admitted_after_birth",
                violation_error_message=_("Ngày vào Đảng phải sau ngày sinh."),
            ),
        ]

    def delete(self, *args, **kwargs):
        refuse_deletion(type(self))
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.organisation_id and not self.organisation.is_branch:
            raise ValidationError(
                {"organisation": _("Đảng viên sinh hoạt ở một chi bộ, không phải ở %(kind)s.")
                 % {"kind": self.organisation.get_kind_display()}}
            )
