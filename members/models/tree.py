"""The party organisation tree as a materialised path: each organisation stores the fixed-width
path of its ancestors, so a whole subtree is one indexed range query (`path >= p AND path <
next(p)`) at any depth and any size, on SQLite and PostgreSQL alike."""
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from ..signals import subtree_moved, subtree_moving


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
    # The days the organisation came into being and was dissolved (merged, split): reports
    # count the structure as it was on a period's end date.
    opened_on = models.DateField(_("ngày thành lập"), null=True, blank=True,
                                 help_text=_("Để trống nếu có từ trước khi dùng phần mềm."))
    dissolved_on = models.DateField(_("ngày giải thể, sáp nhập"), null=True, blank=True)
    # What its documents print: the place name of the heading ("Vĩnh Yên, ngày …"), inherited
    # from the organisation above when empty, and who signs.
    document_place = models.CharField(
        _("địa danh ghi trên văn bản"), max_length=80, blank=True,
        help_text=_("Để trống thì dùng địa danh của tổ chức cấp trên."))
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=80, blank=True,
        help_text=_("Ví dụ: BÍ THƯ, PHÓ BÍ THƯ. Để trống thì in BÍ THƯ."))
    signer_name = models.CharField(
        _("họ tên người ký"), max_length=120, blank=True,
        help_text=_("Để trống thì để dòng chấm để ký, ghi tên bằng tay."))
    # A grassroots committee the upper committee has authorised to admit members (and then to
    # recognise and remove probationary members) decides itself: the document that says so.
    admission_delegated_ref = models.CharField(
        _("văn bản ủy quyền kết nạp đảng viên"), max_length=120, blank=True,
        help_text=_("Chỉ ghi khi đảng ủy cơ sở được cấp ủy cấp trên ủy quyền quyết định kết "
                    "nạp đảng viên."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"], name="org_kind_path_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(opened_on__isnull=True) | Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gt=F("opened_on")),
                name="organisation_dissolved_after_opened",
                violation_error_message=_("Ngày giải thể phải sau ngày thành lập."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    @property
    def admits_itself(self) -> bool:
        """A grassroots committee authorised by the upper committee to admit members."""
        return self.kind == OrganisationKind.GRASSROOTS_COMMITTEE and bool(
            self.admission_delegated_ref.strip())

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
        subtree_moving.send(Organisation, path=old["path"])
        self.path = new_path
        self.depth = len(new_path) // PATH_STEP
        super().save(*args, **kwargs)
        # Move the whole subtree in one statement: swap the old prefix for the new one.
        low, high = subtree_bounds(old["path"])
        Organisation.objects.filter(path__gt=low, path__lt=high).exclude(pk=self.pk).update(
            path=Concat(Value(new_path), Substr("path", len(old["path"]) + 1)),
            depth=F("depth") + (len(new_path) - len(old["path"])) // PATH_STEP,
        )
        subtree_moved.send(Organisation, path=new_path)

    @staticmethod
    def _subtree_height(path: str) -> int:
        low, high = subtree_bounds(path)
        deepest = (
            Organisation.objects.filter(path__gte=low, path__lt=high)
            .order_by("-depth").values_list("depth", flat=True).first()
        )
        return (deepest or len(path) // PATH_STEP) - len(path) // PATH_STEP
