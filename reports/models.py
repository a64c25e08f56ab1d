"""Terms and admission targets, which the reports measure against, and the report files
rendered in the background for large scopes."""
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

term_label_validator = RegexValidator(
    r"^\d{4}-\d{4}$", _("Nhiệm kỳ ghi theo dạng 2020-2025."))


def check_term_label(label: str) -> None:
    """A label names two years at most five apart, the first before the second."""
    term_label_validator(label)
    first, last = (int(y) for y in label.split("-"))
    if not 0 < last - first <= 5:
        raise ValidationError(_("Nhiệm kỳ %(label)s không hợp lệ: năm cuối phải sau năm đầu "
                                "và cách nhau không quá 5 năm.") % {"label": label})


class Term(models.Model):
    """A term (nhiệm kỳ) of one organisation, between its two congresses. It holds for the
    whole subtree unless a unit below records its own dates for the same term."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("tổ chức đảng"), on_delete=models.PROTECT,
        related_name="terms")
    label = models.CharField(_("nhiệm kỳ"), max_length=9, validators=[check_term_label],
                             help_text=_("Ví dụ 2020-2025."))
    start_date = models.DateField(_("ngày đại hội đầu nhiệm kỳ"))
    end_date = models.DateField(_("ngày đại hội cuối nhiệm kỳ"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        ordering = ["organisation__path", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "label"], name="unique_term_per_organisation",
                violation_error_message=_("Tổ chức này đã ghi ngày của nhiệm kỳ này.")),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="term_ends_after_start",
                violation_error_message=_("Ngày đại hội cuối nhiệm kỳ phải sau ngày đầu "
                                          "nhiệm kỳ.")),
        ]

    def __str__(self):
        return f"{self.organisation.code} {self.label}"

    def clean(self):
        super().clean()
        if not (self.label and self.start_date and self.end_date):
            return
        first, last = (int(y) for y in self.label.split("-"))
        if abs(self.start_date.year - first) > 1 or abs(self.end_date.year - last) > 1:
            raise ValidationError(_("Ngày đại hội không khớp với nhiệm kỳ %(label)s.")
                                  % {"label": self.label})


class Target(models.Model):
    """How many new members an organisation is to admit in one year or in one term."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("tổ chức đảng"), on_delete=models.PROTECT,
        related_name="targets")
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True,
                                            validators=[MinValueValidator(1930)])
    term = models.CharField(_("nhiệm kỳ"), max_length=9, blank=True,
                            validators=[check_term_label])
    admissions = models.PositiveIntegerField(_("chỉ tiêu kết nạp"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chỉ tiêu kết nạp")
        verbose_name_plural = _("chỉ tiêu kết nạp")
        ordering = ["organisation__path", "term", "year"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(year__isnull=False) & Q(term=""))
                | (Q(year__isnull=True) & ~Q(term="")),
                name="target_year_or_term",
                violation_error_message=_("Chỉ tiêu giao cho một năm hoặc cho một nhiệm kỳ.")),
            models.UniqueConstraint(
                fields=["organisation", "year"], condition=Q(year__isnull=False),
                name="unique_year_target",
                violation_error_message=_("Tổ chức này đã có chỉ tiêu của năm này.")),
            models.UniqueConstraint(
                fields=["organisation", "term"], condition=~Q(term=""),
                name="unique_term_target",
                violation_error_message=_("Tổ chức này đã có chỉ tiêu của nhiệm kỳ này.")),
        ]

    def __str__(self):
        return f"{self.organisation.code} {self.term or self.year}: {self.admissions}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang thực hiện")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không thành công")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class ReportJob(models.Model):
    """A report file rendered by a background task, kept in the database so that any app
    server can hand it out."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="+")
    period = models.CharField(_("kỳ báo cáo"), max_length=9)
    format = models.CharField(_("định dạng"), max_length=4, choices=ReportFormat.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    step = models.CharField(_("bước"), max_length=120, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True, editable=False)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo chạy nền")
        verbose_name_plural = _("báo cáo chạy nền")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_by", "requested_at"],
                                name="report_job_user_idx")]

    def __str__(self):
        return f"{self.organisation_id} {self.period}.{self.format} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class Rollup(models.Model):
    """How many movements or dossiers of one kind fall on one day in one organisation's whole
    subtree (see `reports.rollups`): the figures of a province or of the country are a read of
    its own rows, never a scan of its events."""

    # No database constraint: organisations are never deleted, and a rebuild writes millions
    # of rows that a foreign-key check would look up one by one.
    organisation = models.ForeignKey(Organisation, on_delete=models.DO_NOTHING,
                                     related_name="+", db_constraint=False,
                                     db_index=False)
    metric = models.CharField(max_length=8)
    item = models.CharField(max_length=40, blank=True)  # a movement kind, a stage
    day = models.DateField()
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        constraints = [models.UniqueConstraint(fields=["organisation", "metric", "day", "item"],
                                               name="rollup_unique_day")]

    def __str__(self):
        return f"{self.organisation_id} {self.metric} {self.item} {self.day}: {self.n}"


class InsightSnapshot(models.Model):
    """The figures of one insight view for a large scope (a province, the country), computed
    by the worker and renewed each day (`reports.insight.snapshots`): the page reads one row
    instead of scanning millions of stage events while the user waits. `data` is the view's
    figures (the selector's dataclass, pickled; only this app's own code writes it), measured
    to `as_of`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    view = models.CharField(max_length=20)
    period = models.CharField(max_length=9)
    params = models.CharField(max_length=100, blank=True)
    as_of = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)  # the last time it was queued
    data = models.BinaryField(null=True, blank=True)  # NULL: queued, not computed yet

    class Meta:
        verbose_name = _("số liệu phân tích đã tính")
        verbose_name_plural = _("số liệu phân tích đã tính")
        constraints = [models.UniqueConstraint(
            fields=["organisation", "view", "period", "params"],
            name="insight_snapshot_unique")]

    def __str__(self):
        return f"{self.organisation_id} {self.view} {self.period} {self.params} {self.as_of}"
