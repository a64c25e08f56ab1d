"""The party organisation tree, party members and the roles users hold in the tree.

The tree is a materialised path: each organisation stores the fixed-width path of its
ancestors, so a whole subtree is one indexed range query (`path >= p AND path < next(p)`)
at any depth and any size, on SQLite and PostgreSQL alike.
"""
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from .history import KeptQuerySet, person_history, refuse_deletion


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics, for search: "Nguyễn Thị Đào" → "nguyen thi dao"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


PATH_STEP = 5  # digits per level: up to 99,999 children under one organisation
MAX_DEPTH = 8


def subtree_bounds(path: str) -> tuple[str, str]:
    """The half-open range [path, upper) that holds exactly the subtree rooted at `path`.

    Paths are digits only, so comparison is byte order under every collation.
    """
    upper = str(int(path) + 1).zfill(len(path))
    return path, upper


class OrganisationKind(models.TextChoices):
    UPPER_COMMITTEE = "upper_committee", _("Đảng bộ cấp trên")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Đảng bộ cơ sở")
    GRASSROOTS_BRANCH = "grassroots_branch", _("Chi bộ cơ sở")
    PARTIAL_COMMITTEE = "partial_committee", _("Đảng bộ bộ phận")
    BRANCH = "branch", _("Chi bộ trực thuộc")


K = OrganisationKind
# Which kinds may sit directly under which (None: a root).
ALLOWED_PARENT_KINDS = {
    K.UPPER_COMMITTEE: {None, K.UPPER_COMMITTEE},
    K.GRASSROOTS_COMMITTEE: {K.UPPER_COMMITTEE},
    K.GRASSROOTS_BRANCH: {K.UPPER_COMMITTEE},
    K.PARTIAL_COMMITTEE: {K.GRASSROOTS_COMMITTEE},
    K.BRANCH: {K.GRASSROOTS_COMMITTEE, K.PARTIAL_COMMITTEE},
}
BRANCH_KINDS = (K.GRASSROOTS_BRANCH, K.BRANCH)


class OrganisationQuerySet(models.QuerySet):
    def subtree_of(self, *organisations):
        """Organisations in the subtrees of any of `organisations` (themselves included)."""
        return self.filter(subtree_q(organisations))

    def branches(self):
        return self.filter(kind__in=BRANCH_KINDS)


def subtree_q(organisations, prefix: str = "") -> Q:
    """A Q matching rows whose organisation (reached through `prefix`) lies in the subtrees."""
    q = Q(pk__in=[])
    for org in organisations:
        low, high = subtree_bounds(org.path)
        q |= Q(**{f"{prefix}path__gte": low, f"{prefix}path__lt": high})
    return q


code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("Mã tổ chức chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới."),
)


class Organisation(models.Model):
    code = models.CharField(
        _("mã tổ chức"),
        max_length=32,
        unique=True,
        validators=[code_validator],
        error_messages={"unique": _("Mã tổ chức này đã được dùng cho một tổ chức khác.")},
    )
    name = models.CharField(_("tên tổ chức"), max_length=255)
    kind = models.CharField(_("loại"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("tổ chức cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=PATH_STEP * MAX_DEPTH, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    staff_headcount = models.PositiveIntegerField(
        _("số cán bộ, công chức"),
        null=True,
        blank=True,
        help_text=_("Để tính tỷ lệ cán bộ, công chức là đảng viên."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"], name="org_kind_path_idx")]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    def ancestor_paths(self) -> list[str]:
        return [self.path[:i] for i in range(PATH_STEP, len(self.path), PATH_STEP)]

    def ancestors(self):
        """Ancestors from the root down, in one query."""
        return Organisation.objects.filter(path__in=self.ancestor_paths()).order_by("path")

    def descendants(self, include_self=False):
        qs = Organisation.objects.subtree_of(self)
        return qs if include_self else qs.exclude(pk=self.pk)

    def contains(self, other: "Organisation") -> bool:
        return other.path.startswith(self.path)

    def clean(self):
        super().clean()
        if self.pk and self.parent_id:
            old_path = (
                Organisation.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            )
            if old_path and self.parent.path.startswith(old_path):
                raise ValidationError(
                    {"parent": _("Không thể chọn chính tổ chức này hoặc một tổ chức cấp dưới "
                                 "của nó làm tổ chức cấp trên (tạo vòng lặp).")}
                )
        parent_kind = self.parent.kind if self.parent_id else None
        allowed = ALLOWED_PARENT_KINDS.get(self.kind, set())
        if self.kind and parent_kind not in allowed:
            if parent_kind is None:
                msg = _("%(kind)s phải trực thuộc một tổ chức cấp trên.")
            else:
                msg = _("%(kind)s không thể trực thuộc %(parent)s.")
            parent_label = self.parent.get_kind_display() if self.parent_id else ""
            raise ValidationError(
                {"parent": msg % {"kind": self.get_kind_display(), "parent": parent_label}}
            )

    def _next_child_path(self, parent) -> str:
        prefix = parent.path if parent else ""
        siblings = Organisation.objects.filter(parent=parent) if parent else (
            Organisation.objects.filter(parent__isnull=True)
        )
        last = siblings.exclude(pk=self.pk).order_by("-path").values_list("path", flat=True).first()
        number = int(last[-PATH_STEP:]) + 1 if last else 1
        if number >= 10**PATH_STEP:
            raise ValidationError(_("Tổ chức cấp trên đã có quá nhiều tổ chức trực thuộc."))
        return prefix + str(number).zfill(PATH_STEP)

    @transaction.atomic
    def save(self, *args, **kwargs):
        parent = self.parent if self.parent_id else None
        if parent is not None:
            parent.refresh_from_db(fields=["path", "depth"])
        if self.pk is None:
            self.path = self._next_child_path(parent)
            self.depth = len(self.path) // PATH_STEP
            return super().save(*args, **kwargs)

        old = Organisation.objects.select_for_update().filter(pk=self.pk).values(
            "path", "parent_id").first()
        if old is None or old["parent_id"] == self.parent_id:
            return super().save(*args, **kwargs)
        if parent is not None and parent.path.startswith(old["path"]):
            raise ValidationError(_("Không thể chuyển một tổ chức vào dưới chính nó (vòng lặp)."))
        new_path = self._next_child_path(parent)
        if len(new_path) // PATH_STEP + self._subtree_height(old["path"]) > MAX_DEPTH:
            raise ValidationError(_("Cây tổ chức quá sâu."))
        self.path = new_path
        self.depth = len(new_path) // PATH_STEP
        super().save(*args, **kwargs)
        # Move the whole subtree in one statement: swap the old prefix for the new one.
        low, high = subtree_bounds(old["path"])
        Organisation.objects.filter(path__gt=low, path__lt=high).exclude(pk=self.pk).update(
            path=Concat(Value(new_path), Substr("path", len(old["path"]) + 1)),
            depth=F("depth") + (len(new_path) - len(old["path"])) // PATH_STEP,
        )

    @staticmethod
    def _subtree_height(path: str) -> int:
        low, high = subtree_bounds(path)
        deepest = (
            Organisation.objects.filter(path__gte=low, path__lt=high)
            .order_by("-depth").values_list("depth", flat=True).first()
        )
        return (deepest or len(path) // PATH_STEP) - len(path) // PATH_STEP


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Dự bị")
    OFFICIAL = "official", _("Chính thức")
    REMOVED = "removed", _("Đã xóa tên")
    TRANSFERRED_OUT = "transferred_out", _("Đã chuyển đi")


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
    education = models.CharField(_("trình độ học vấn"), max_length=60, blank=True)
    profession = models.CharField(_("trình độ chuyên môn"), max_length=120, blank=True)
    # The day the person left the list (removed, transferred out, died): the statistical
    # form Biểu 1 counts members at the start and end of a period from it.
    left_date = models.DateField(_("ngày ra khỏi danh sách"), null=True, blank=True)
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


class Role(models.TextChoices):
    BRANCH_SECRETARY = "branch_secretary", _("Bí thư chi bộ")
    GRASSROOTS_OFFICE = "grassroots_office", _("Văn phòng đảng ủy cơ sở")
    ORG_DEPARTMENT = "org_department", _("Cán bộ Ban Tổ chức")
    LEADERSHIP = "leadership", _("Lãnh đạo")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


# Where each role may be granted: a branch secretary leads one branch, a grassroots
# office serves a grassroots committee (or a partial committee under it).
ROLE_ORGANISATION_KINDS = {
    Role.BRANCH_SECRETARY: set(BRANCH_KINDS),
    Role.GRASSROOTS_OFFICE: {K.GRASSROOTS_COMMITTEE, K.PARTIAL_COMMITTEE, K.GRASSROOTS_BRANCH},
}


class RoleGrant(models.Model):
    """One role held by one user at one organisation, covering its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE,
        related_name="role_grants",
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("tổ chức"), on_delete=models.PROTECT,
        related_name="role_grants",
    )
    granted_at = models.DateTimeField(_("ngày cấp"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người cấp"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="unique_role_grant",
                violation_error_message=_("Người dùng đã có vai trò này tại tổ chức này."),
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.organisation.code}"

    def clean(self):
        super().clean()
        kinds = ROLE_ORGANISATION_KINDS.get(self.role)
        if kinds and self.organisation_id and self.organisation.kind not in kinds:
            raise ValidationError(
                {"organisation": _("Vai trò %(role)s không cấp tại %(kind)s.")
                 % {"role": self.get_role_display(), "kind": self.organisation.get_kind_display()}}
            )


def _import_upload_path(job, filename):
    import uuid

    from django.utils import timezone

    return f"imports/{timezone.now():%Y/%m}/{job.kind}-{uuid.uuid4().hex}-{filename}"[:250]


class ImportJob(models.Model):
    """One uploaded spreadsheet on its way through preview and confirmation. Small files are
    handled within the request; large ones by a background task (`manage.py db_worker`),
    which writes the progress here so any app server can show it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ xử lý")
        RUNNING = "running", _("Đang xử lý")
        PREVIEWED = "previewed", _("Đã kiểm tra, chờ xác nhận")
        REJECTED = "rejected", _("Tệp có lỗi, chưa nhập")
        APPLIED = "applied", _("Đã nhập")
        FAILED = "failed", _("Lỗi hệ thống")

    kind = models.CharField(_("loại dữ liệu"), max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nhập"),
                             on_delete=models.PROTECT, related_name="+")
    # Emptied once the retention period is over (`manage.py purge_imports`).
    file = models.FileField(_("tệp"), upload_to=_import_upload_path, max_length=255, blank=True)
    filename = models.CharField(_("tên tệp"), max_length=255)
    # False: the queued run only checks and previews; True: it applies (after confirmation).
    commit = models.BooleanField(default=False)
    # The administrator's one-off load of old paper records: a hard rule broken on a row is
    # kept as a warning instead of refusing the row.
    legacy_records = models.BooleanField(_("nạp hồ sơ giấy cũ"), default=False)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    message = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Touched by the worker while it runs; a running job whose heartbeat stops is stale.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="importjob_status_idx")]

    def __str__(self):
        return f"{self.kind} · {self.filename} · {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)
